"""`okr sync`: read every key result's source and commit the new values as one check-in."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from okrcli.cli import app
from okrcli.cli.options import Root


class SyncFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
def sync(
    team: Annotated[
        list[str] | None, typer.Option("--team", help="Only this team's key results.")
    ] = None,
    only: Annotated[
        list[str] | None, typer.Option("--only", metavar="ID", help="Only this key result.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Run the sources and show old → new; write nothing.")
    ] = False,
    no_commit: Annotated[
        bool, typer.Option("--no-commit", help="Only edit the files; commit them yourself.")
    ] = False,
    output: Annotated[
        SyncFormat, typer.Option("--format", help="Output format.")
    ] = SyncFormat.text,
    root: Root = None,
) -> None:
    """Run each key result's source (okr.toml [sources]) and commit the new values at once."""
    from okrcli.config import load_config
    from okrcli.render.progress import progress
    from okrcli.repo import load_repo
    from okrcli.sync import plan, synced, write

    repo = load_repo(load_config(root))
    with progress("Running sources", "answered") as answered:
        updates = plan(repo, synced(repo, team or (), only or ()), answered)
    commit = None if dry_run else write(repo, updates, commit=not no_commit)
    if output is SyncFormat.json:
        from okrcli.render import sync_json

        typer.echo(sync_json.render(updates, dry_run, commit))
    else:
        from okrcli.render import sync_text

        typer.echo(sync_text.render(updates, dry_run, commit), nl=False)
    failed = [u for u in updates if u.error is not None]
    for update in failed:
        typer.echo(f"okr: {update.kr.id}: {update.error}", err=True)
    if failed:
        raise typer.Exit(1)
