"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from okrcli.focus import Focus
    from okrcli.names import Names
    from okrcli.repo import Repo

Root = Annotated[
    Path | None,
    typer.Option(
        "--root",
        help="The OKR repository (default: found from the working directory).",
        file_okay=False,
    ),
]
At = Annotated[
    str | None,
    typer.Option("--at", metavar="REV|DATE", help="As of a git revision or a date (YYYY-MM-DD)."),
]
NoCache = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Parse every file again: do not read or write the cache in <root>/.okr_cache/.",
    ),
]


# Shell completion (typer's `autocompletion`): names from the cache (okrcli/names.py), fast
# enough for every TAB. A repository that cannot be read completes nothing, silently.


def _names(ctx: typer.Context) -> Names | None:
    from okrcli.errors import OkrError
    from okrcli.names import read_names

    try:
        return read_names(ctx.params.get("root"))
    except (OkrError, OSError, ValueError):
        return None


def _starting(names: Iterable[str], incomplete: str) -> list[str]:
    return sorted({name for name in names if name.startswith(incomplete)})


def complete_id(ctx: typer.Context, incomplete: str) -> list[str]:
    """Objective and key-result ids."""
    names = _names(ctx)
    return _starting([*names.objectives, *names.key_results], incomplete) if names else []


def complete_key_result(ctx: typer.Context, incomplete: str) -> list[str]:
    names = _names(ctx)
    return _starting(names.key_results, incomplete) if names else []


def complete_team(ctx: typer.Context, incomplete: str) -> list[str]:
    names = _names(ctx)
    return _starting(names.teams, incomplete) if names else []


def complete_cycle(ctx: typer.Context, incomplete: str) -> list[str]:
    names = _names(ctx)
    return _starting(names.cycles, incomplete) if names else []


def complete_rule(incomplete: str) -> list[str]:
    from okrcli.rules import CODES

    return _starting(CODES, incomplete)


# Whose OKRs a command shows (okrcli/focus.py): every command that shows OKRs takes these.
Teams = Annotated[
    list[str] | None,
    typer.Option(
        "--team", help="Only this team's OKRs; repeat for several.", autocompletion=complete_team
    ),
]
Owners = Annotated[
    list[str] | None,
    typer.Option(
        "--owner",
        metavar="NAME|me",
        help="Only what this person owns (`me`: your git user, through okr.toml [owners]); "
        "repeat for several.",
    ),
]


def focus_of(repo: Repo, teams: list[str] | None, owners: list[str] | None) -> Focus:
    """The `--team`s and `--owner`s given, checked against the repository."""
    from okrcli.focus import focus

    return focus(repo.graph, teams or (), owners or ())
