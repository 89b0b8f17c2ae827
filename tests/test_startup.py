"""Start-up stays light: quick commands import nothing heavy, `okr check` only what it needs.

Each case runs okr in a fresh interpreter and lists the heavy packages left in
`sys.modules` when the command is done. Speed itself is measured by benchmarks/run.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Okr

HEAVY = ("pydantic", "ruamel", "rich", "git", "yaml", "jinja2")

_PROBE = """
import sys
from okrcli.cli import invoke
invoke(sys.argv[1:])
loaded = sorted(sys.modules)
sys.stderr.write("LOADED:" + ",".join(loaded) + "\\n")
"""


def loaded_modules(*args: str, cwd: Path | None = None) -> list[str]:
    """Every module imported by `okr ARGS…` in its own interpreter, output piped."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
    )
    line = next(x for x in done.stderr.splitlines() if x.startswith("LOADED:"))
    return line.removeprefix("LOADED:").split(",")


def heavy_imports(*args: str, cwd: Path | None = None) -> set[str]:
    """The heavy packages (and okr's models) imported by `okr ARGS…`."""
    loaded = loaded_modules(*args, cwd=cwd)
    return {name.split(".")[0] for name in loaded} & set(HEAVY) | (set(loaded) & {"okrcli.model"})


@pytest.mark.parametrize("args", [("--version",), ("--help",)])
def test_version_and_help_import_nothing_heavy(args: tuple[str, ...]) -> None:
    assert heavy_imports(*args) == set()


@pytest.mark.parametrize("args", [("rule",), ("rule", "OKR101"), ("check", "--help")])
def test_quick_commands_import_only_what_typer_does(args: tuple[str, ...]) -> None:
    # typer converts every command's parameters with pydantic, so a command brings pydantic
    # itself in; okr's models (the expensive part: building their validators) stay out.
    assert heavy_imports(*args) == {"pydantic"}


def test_check_imports_only_the_validator_and_the_parser(acme_git: Path) -> None:
    # Piped output needs no rich; YAML is read with libyaml alone; history rules read git
    # through the git CLI, not GitPython.
    assert heavy_imports("check", "--root", str(acme_git)) == {"pydantic", "yaml", "okrcli.model"}


def test_check_after_an_edit_outside_git_reads_no_history_and_no_scores(acme: Path) -> None:
    # Outside git the history rules have nothing to read: once the cache knows the files,
    # the pre-commit run after an edit imports neither the history nor okr's git module;
    # an edit that reaches no other file runs no rule that reads across files, and none of
    # them brings scoring in.
    loaded_modules("check", "--root", str(acme))
    team = sorted((acme / "okrs").rglob("*.yaml"))[0]
    text = team.read_text(encoding="utf-8")
    team.write_text(re.sub(r"current: [^\n]+", "current: 1", text, count=1), encoding="utf-8")
    loaded = set(loaded_modules("check", "--root", str(acme), str(team)))
    assert {"okrcli.incremental", "okrcli.model"} <= loaded  # the edited file was validated
    assert not {"okrcli.history", "okrcli.git", "okrcli.score"} & loaded


COMMAND_MODULES = {"okrcli.cli.check", "okrcli.cli.score", "okrcli.cli.sheet", "okrcli.cli.lsp"}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--version",), set()),
        (("--today", "2026-11-24", "score", "--help"), {"okrcli.cli.score"}),
        (("tree", "--help"), {"okrcli.cli.score"}),
        (("export", "csv", "--help"), {"okrcli.cli.sheet"}),
        (("--help",), COMMAND_MODULES),
        (("chek",), COMMAND_MODULES),  # not a command: every name, for the suggestion
    ],
)
def test_a_run_imports_only_its_own_command(args: tuple[str, ...], expected: set[str]) -> None:
    # typer builds the parameters of every command it knows before running one.
    loaded = set(loaded_modules(*args)) & COMMAND_MODULES
    assert loaded == expected


def test_every_command_is_listed_and_runs_on_its_own(okr: Okr) -> None:
    from okrcli.cli import COMMANDS

    listed = okr("--help").out
    for command in COMMANDS:
        assert f" {command} " in listed
    assert okr("chek").code == 2
