"""`okr init` and `okr new`: new files from the templates in okrcli/templates, never overwriting."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from string import Template

from okrcli import __version__
from okrcli.config import Config
from okrcli.confine import confined
from okrcli.errors import OkrError

TEAM_PATTERN = re.compile(r"[A-Za-z0-9._-]+")

# What `okr init` writes: template → path from the new repository's root.
INIT_FILES = {
    "okr.toml": "okr.toml",
    "github-workflow.yml": ".github/workflows/okr.yml",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
}


@dataclass(frozen=True)
class Written:
    """One file `okr init` considered: written, or left alone and why."""

    path: str
    skipped: str | None = None


def template(name: str, **values: str) -> str:
    text = (
        resources.files("okrcli").joinpath("templates").joinpath(name).read_text(encoding="utf-8")
    )
    return Template(text).substitute(version=__version__, **values)


def write_new(root: Path, path: Path, text: str) -> None:
    """Create `path` with `text` atomically; refuse if it exists, whatever happens meanwhile,
    or if it is not inside `root` (`..` in a name, a committed symlink on the way)."""
    confined(root, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.link(temp, path)  # unlike os.replace, fails when `path` appeared meanwhile
    except FileExistsError:
        raise OkrError(f"{path} exists; okr never overwrites a file") from None
    finally:
        os.unlink(temp)


def current_quarter(today: date) -> str:
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def team_file(config: Config, team: str, cycle: str) -> str:
    """Where `okr new` writes: `<folder of the first paths glob>/<cycle>/<team>.yaml`."""
    from okrcli.globs import literal_prefix, matches

    folder = literal_prefix(config.paths[0]) if config.paths else ""
    rel = f"{folder}/{cycle}/{team}.yaml".lstrip("/")
    if not matches(rel, config.paths):
        patterns = ", ".join(config.paths)
        raise OkrError(f"{rel} would not be found by `paths` ({patterns}); add it to okr.toml")
    return rel


def team_text(
    team: str, cycle: str, objective: str, owner: str | None = None, parent: str | None = None
) -> str:
    """A team file that passes `okr check`, for the user to rewrite."""
    return template(
        "team.yaml",
        team=team,
        cycle=cycle,
        owner=owner or team,
        objective=objective,
        parent=f"    parent: {parent}\n" if parent else "",
    )


def free_objective_id(team: str, taken: set[str]) -> str:
    """`PLATFORM-n` for the first n whose objective and key-result ids are all free."""
    prefix = re.sub(r"[^A-Z0-9]+", "-", team.upper()).strip("-") or "OKR"
    n = 1
    while any(i in taken for i in (f"{prefix}-{n}", *(f"{prefix}-{n}.{k}" for k in (1, 2, 3)))):
        n += 1
    return f"{prefix}-{n}"


def check_team(team: str) -> None:
    if not TEAM_PATTERN.fullmatch(team):
        raise OkrError(f"team `{team}` may hold only letters, digits, `.`, `-` and `_`")


def new_team(
    config: Config,
    team: str,
    cycle: str | None,
    today: date,
    parent: str | None = None,
    owner: str | None = None,
) -> str:
    """Write `okrs/<cycle>/<team>.yaml` for `okr new`; returns its path from the root."""
    from okrcli.cycles import parse_cycle
    from okrcli.messages import suggest
    from okrcli.repo import load_repo

    check_team(team)
    cycle = cycle or current_quarter(today)
    if parse_cycle(cycle, config.cycles) is None:
        raise OkrError(
            f"unknown cycle `{cycle}`{suggest(cycle, config.cycles)}: use YYYY, YYYY-Qn, "
            "YYYY-Hn or a cycle named in okr.toml [cycles]"
        )
    rel = team_file(config, team, cycle)
    if (config.root / rel).exists():
        raise OkrError(f"{rel} exists; okr never overwrites a file")
    ids = set(load_repo(config, today=today).graph.by_id)
    if parent is not None and parent not in ids:
        raise OkrError(
            f"--parent {parent}: no objective or key result has that id{suggest(parent, ids)}"
        )
    text = team_text(team, cycle, free_objective_id(team, ids), owner, parent)
    write_new(config.root, config.root / rel, text)
    return rel


def init(root: Path, today: date, team: str = "example") -> list[Written]:
    """Scaffold a new OKR repository in `root`; existing files are left alone."""
    from okrcli.config import load_config
    from okrcli.repo import discover

    check_team(team)
    done = [_init_one(root, path, template(name)) for name, path in INIT_FILES.items()]
    config = load_config(root)
    example = team_file(config, team, current_quarter(today))
    existing, _ = discover(config)
    if existing:
        done.insert(1, Written(example, f"{config.paths[0]} already has OKR files"))
    else:
        text = team_text(team, current_quarter(today), free_objective_id(team, set()))
        done.insert(1, _init_one(root, example, text))
    return done


def _init_one(root: Path, rel: str, text: str) -> Written:
    if (root / rel).exists():
        return Written(rel, "exists")
    write_new(root, root / rel, text)
    return Written(rel)
