"""`okr log [ID]`: the check-in history from git, with a sparkline per score."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated

import typer

from okrcli.cli import app
from okrcli.cli.options import NoCache, Owners, Root, Teams, complete_id, focus_of


class LogFormat(str, Enum):
    table = "table"
    json = "json"


@app.command()
def log(
    ident: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]",
            help="A key result or objective (default: all).",
            autocompletion=complete_id,
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="Only from this day (YYYY-MM-DD).")
    ] = None,
    team: Teams = None,
    owner: Owners = None,
    output: Annotated[LogFormat, typer.Option("--format", help="Output format.")] = LogFormat.table,
    root: Root = None,
    no_cache: NoCache = False,
) -> None:
    """Check-ins from git history: date, author, old → new, score, confidence, note."""
    from okrcli import clock
    from okrcli.config import load_config
    from okrcli.errors import OkrError
    from okrcli.history import read_history
    from okrcli.history.log import build_log
    from okrcli.render.progress import progress
    from okrcli.repo import load_repo

    try:
        day = None if since is None else clock.checked(date.fromisoformat(since), since, "--since")
    except ValueError:
        raise OkrError(f"--since {since}: not a date (YYYY-MM-DD)") from None
    config = load_config(root)
    with progress("Reading history", "commits") as update:
        history = read_history(config.root, config.paths, progress=update, cache=not no_cache)
    repo = load_repo(config, cache=not no_cache)  # its newest versions parsed by the walk
    focus = focus_of(repo, team, owner)
    result = build_log(repo, history, ident, day, focus.ids(repo.graph) if focus else None)
    if output is LogFormat.json:
        from okrcli.render import log_json

        typer.echo(log_json.render(result))
    else:
        from okrcli.render import log_text

        log_text.render(result)
