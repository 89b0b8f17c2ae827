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
    from okrcli.score import select

    repo = _load(root, at, not no_cache)
    _show(repo, select(repo.graph, repo.today, cycle, focus_of(repo, team, owner)), output)


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
    from okrcli.score import select, subtree

    repo = _load(root, at, not no_cache)
    focus = focus_of(repo, team, owner)
    if ident is not None:
        selection = subtree(repo.graph, ident, focus)
    else:
        selection = select(repo.graph, repo.today, cycle, focus, enclosing=True)
    _show(repo, selection, output)


def _load(root: Path | None, at: str | None, cache: bool) -> Repo:
    import sys

    from okrcli.config import load_config
    from okrcli.repo import load_repo

    repo = load_repo(load_config(root), at=at, cache=cache)
    unread = sum(source.doc is None for source in repo.files)
    if unread:
        sys.stderr.write(
            f"okr: warning: {unread} file{'s' * (unread != 1)} could not be read and "
            f"{'are' if unread != 1 else 'is'} not scored (run `okr check`)\n"
        )
    return repo


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
