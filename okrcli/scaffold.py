"""`okr init` and `okr new`: new files from the templates in okrcli/templates, never overwriting."""

from __future__ import annotations

import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING

from okrcli import __version__
from okrcli.config import Config
from okrcli.confine import confined
from okrcli.cycles import quarter_name
from okrcli.errors import OkrError
from okrcli.yamltext import yaml_string

if TYPE_CHECKING:
    from okrcli.graph import Graph, ObjectiveNode

TEAM_PATTERN = re.compile(r"[A-Za-z0-9._-]+")

# What `okr init` writes: template → path from the new repository's root.
INIT_FILES = {
    "okr.toml": "okr.toml",
    "github-workflow.yml": ".github/workflows/okr.yml",
    "github-weekly.yml": ".github/workflows/okr-weekly.yml",
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
    """A team file whose placeholder titles (OKR210) the user rewrites before it merges."""
    return template(
        "team.yaml",
        team=team,
        cycle=cycle,
        owner=yaml_string(owner or team),
        objective=objective,
        parent=f"    parent: {parent}\n" if parent else "",
    )


def default_prefix(team: str) -> str:
    """`PLATFORM-` for a team with no objectives yet."""
    return (re.sub(r"[^A-Z0-9]+", "-", team.upper()).strip("-") or "OKR") + "-"


def latest_objectives(graph: Graph, team: str) -> list[ObjectiveNode]:
    """The team's objectives in the latest cycle it has any in."""
    ours = [o for o in graph.objectives if o.team == team and o.cycle is not None]
    latest = max((o.cycle.start for o in ours if o.cycle is not None), default=None)
    return [o for o in ours if o.cycle is not None and o.cycle.start == latest]


def team_prefix(latest: list[ObjectiveNode], team: str) -> str:
    """The id prefix the team uses most in its `latest` objectives (`PLAT-` for PLAT-1),
    else one made from its name."""
    found = Counter(m[1] for o in latest if (m := re.fullmatch(r"(.*?)\d+", o.id)) and m[1])
    return found.most_common(1)[0][0] if found else default_prefix(team)


def free_objective_id(prefix: str, taken: set[str], key_results: int = 3) -> str:
    """`<prefix>n` for the first n whose objective and key-result ids are all free."""
    n = 1
    while any(
        i in taken
        for i in (f"{prefix}{n}", *(f"{prefix}{n}.{k}" for k in range(1, key_results + 1)))
    ):
        n += 1
    return f"{prefix}{n}"


def check_team(team: str) -> None:
    if not TEAM_PATTERN.fullmatch(team):
        raise OkrError(f"team `{team}` may hold only letters, digits, `.`, `-` and `_`")


# `okr new` plans the next quarter once the current one has fewer days than this left.
PLAN_AHEAD_DAYS = 21


@dataclass(frozen=True)
class Planned:
    """The cycle `okr new` chose, and why (it says so)."""

    cycle: str
    why: str


def planned_cycle(config: Config, today: date) -> Planned:
    """The quarter holding `today` (fiscal when [calendar] says so), or the next one in the
    last PLAN_AHEAD_DAYS of it: planning happens before the quarter turns."""
    current = quarter_name(today, config.fiscal)
    span = config.cycle(current)
    if span is None or span.end >= date.max - timedelta(days=1):
        return Planned(current, f"the quarter holding {today}")
    left = (span.end - today).days + 1
    if left > PLAN_AHEAD_DAYS:
        return Planned(current, f"the quarter holding {today}")
    following = quarter_name(span.end + timedelta(days=1), config.fiscal)
    days = f"{left} day{'s' * (left != 1)}"
    return Planned(following, f"{current} ends on {span.end}, in {days}: the next quarter")


@dataclass(frozen=True)
class NewFile:
    """What `okr new` wrote: the file, its cycle and why, the objectives carried over."""

    path: str
    planned: Planned
    chosen: bool  # the cycle came from --cycle
    carried: list[str]  # "PLAT-1 → PLAT-4 (2 key results)"


def new_team(
    config: Config,
    team: str,
    cycle: str | None,
    today: date,
    parent: str | None = None,
    owner: str | None = None,
    carry_over: bool = False,
) -> NewFile:
    """Write `okrs/<cycle>/<team>.yaml` for `okr new`."""
    from okrcli.messages import suggest
    from okrcli.repo import load_repo

    check_team(team)
    planned = planned_cycle(config, today) if cycle is None else Planned(cycle, "--cycle")
    span = config.cycle(planned.cycle)
    if span is None:
        raise OkrError(
            f"unknown cycle `{planned.cycle}`{suggest(planned.cycle, config.cycles)}: use YYYY, "
            "YYYY-Qn, YYYY-Hn or a cycle named in okr.toml [cycles]"
        )
    rel = team_file(config, team, planned.cycle)
    if (config.root / rel).exists():
        raise OkrError(f"{rel} exists; okr never overwrites a file")
    graph = load_repo(config, today=today).graph
    ids = set(graph.by_id)
    if parent is not None and parent not in ids:
        raise OkrError(
            f"--parent {parent}: no objective or key result has that id{suggest(parent, ids)}"
        )
    latest = latest_objectives(graph, team)
    prefix = team_prefix(latest, team)
    owner = owner or next((str(o.file.doc.owner) for o in latest if o.file.doc.owner), None)
    first = free_objective_id(prefix, ids)
    ids |= {first, *(f"{first}.{k}" for k in (1, 2, 3))}
    text = team_text(team, planned.cycle, first, owner, parent)
    carried: list[str] = []
    if carry_over:
        from okrcli import carryover
        from okrcli.score import score_graph

        board = score_graph(graph, today, config)
        for old in carryover.closing_objectives(graph, team, span):
            krs = carryover.unfinished(board, old)
            if not krs:
                continue
            new_id = free_objective_id(prefix, ids, len(krs))
            ids |= {new_id, *(f"{new_id}.{k}" for k in range(1, len(krs) + 1))}
            text += carryover.carried_yaml(old, krs, new_id, span)
            carried.append(f"{old.id} → {new_id} ({len(krs)} key result{'s' * (len(krs) != 1)})")
    write_new(config.root, config.root / rel, text)
    return NewFile(rel, planned, cycle is not None, carried)


def init(root: Path, today: date, team: str = "example") -> list[Written]:
    """Scaffold a new OKR repository in `root`; existing files are left alone."""
    from okrcli.config import load_config
    from okrcli.repo import discover

    check_team(team)
    done = [_init_one(root, path, template(name)) for name, path in INIT_FILES.items()]
    config = load_config(root)
    quarter = quarter_name(today, config.fiscal)
    example = team_file(config, team, quarter)
    existing, _ = discover(config)
    if existing:
        done.insert(1, Written(example, f"{config.paths[0]} already has OKR files"))
    else:
        text = team_text(team, quarter, free_objective_id(default_prefix(team), set()))
        done.insert(1, _init_one(root, example, text))
    return done


def _init_one(root: Path, rel: str, text: str) -> Written:
    if (root / rel).exists():
        return Written(rel, "exists")
    write_new(root, root / rel, text)
    return Written(rel)
