"""`okr score` and `okr tree`: rolled-up scores as a table, a tree, JSON or markdown."""

from __future__ import annotations

import sys
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from okrcli.cli import app
from okrcli.cli.options import (
    At,
    NoCache,
    Owners,
    Root,
    Teams,
    complete_cycle,
    complete_id,
    focus_of,
)

if TYPE_CHECKING:
    from pathlib import Path

    from okrcli.config import Config
    from okrcli.repo import Repo
    from okrcli.score import Selection


class ScoreFormat(str, Enum):
    table = "table"
    tree = "tree"
    json = "json"
    markdown = "markdown"


CycleOption = Annotated[
    str | None,
    typer.Option(
        "--cycle",
        metavar="CYCLE|all",
        help="A cycle, or `all` (default: the shortest cycle holding today, else the latest).",
        autocompletion=complete_cycle,
    ),
]


@app.command()
def score(
    team: Teams = None,
    owner: Owners = None,
    cycle: CycleOption = None,
    at: At = None,
    output: Annotated[
        ScoreFormat, typer.Option("--format", help="Output format.")
    ] = ScoreFormat.table,
    root: Root = None,
    no_cache: NoCache = False,
) -> None:
    """Scores, rolled up along alignment, with pace and status."""
    _show(*_view(root, at, not no_cache, team, owner, cycle, enclosing=False), output)


@app.command()
def mine(
    team: Teams = None,
    cycle: CycleOption = None,
    at: At = None,
    output: Annotated[
        ScoreFormat, typer.Option("--format", help="Output format.")
    ] = ScoreFormat.table,
    root: Root = None,
    no_cache: NoCache = False,
) -> None:
    """What you own: `okr score --owner me` (you: your git user, through [owners])."""
    score(team, ["me"], cycle, at, output, root, no_cache)


@app.command()
def tree(
    ident: Annotated[
        str | None,
        typer.Argument(
            metavar="ID", help="Start at this objective or key result.", autocompletion=complete_id
        ),
    ] = None,
    team: Teams = None,
    owner: Owners = None,
    cycle: CycleOption = None,
    at: At = None,
    output: Annotated[
        ScoreFormat, typer.Option("--format", help="Output format.")
    ] = ScoreFormat.tree,
    root: Root = None,
    no_cache: NoCache = False,
) -> None:
    """The alignment tree with scores (the cycle and the cycles holding it, or below ID)."""
    if ident is None:
        _show(*_view(root, at, not no_cache, team, owner, cycle, enclosing=True), output)
        return
    from okrcli.config import load_config
    from okrcli.score import subtree

    config = load_config(root)
    if at is None and not no_cache:
        from okrcli.reach import tree_view

        found = tree_view(config, ident, team or (), owner or ())
        if found is not None:
            _warn_unread(found[0])
            _show(*found, output)
            return
    repo = _load(config, at, not no_cache)
    _show(repo, subtree(repo.graph, ident, focus_of(repo, team, owner)), output)


def _view(
    root: Path | None,
    at: str | None,
    cache: bool,
    teams: list[str] | None,
    owners: list[str] | None,
    cycle: str | None,
    *,
    enclosing: bool,
) -> tuple[Repo, Selection]:
    """The repository and what is shown of it: for teams and owners, only the files their
    scores are made of (okrcli/reach.py) when the cache's index can tell which."""
    from okrcli.config import load_config
    from okrcli.score import select

    config = load_config(root)
    if (teams or owners) and at is None and cache:
        from okrcli.reach import focus_view

        found = focus_view(config, teams or (), owners or (), cycle, enclosing=enclosing)
        if found is not None:
            _warn_unread(found[0])
            return found
    repo = _load(config, at, cache)
    focus = focus_of(repo, teams, owners)
    return repo, select(repo.graph, repo.today, cycle, focus, enclosing=enclosing)


def _load(config: Config, at: str | None, cache: bool) -> Repo:
    from okrcli.repo import load_repo

    repo = load_repo(config, at=at, cache=cache)
    _warn_unread(repo)
    return repo


def _warn_unread(repo: Repo) -> None:
    unread = sum(source.doc is None for source in repo.files)
    if unread:
        sys.stderr.write(
            f"okr: warning: {unread} file{'s' * (unread != 1)} could not be read and "
            f"{'are' if unread != 1 else 'is'} not scored (run `okr check`)\n"
        )


def _show(repo: Repo, selection: Selection, output: ScoreFormat) -> None:
    from okrcli.score import score_repo

    board = score_repo(repo)
    if output is ScoreFormat.json:
        from okrcli.render import score_json

        score_json.write(board, selection, repo, sys.stdout)
    elif output is ScoreFormat.markdown:
        from okrcli.render import score_markdown

        typer.echo(score_markdown.render(board, selection), nl=False)
    elif output is ScoreFormat.tree:
        from okrcli.render import score_tree

        score_tree.render(board, selection)
    else:
        from okrcli.render import score_table

        score_table.render(board, selection)
