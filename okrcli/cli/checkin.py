"""`okr checkin ID VALUE`: set a key result's value in place and commit it."""

from __future__ import annotations

from typing import Annotated

import typer

from okrcli.cli import app
from okrcli.cli.options import KeyResultId, Root


@app.command()
def checkin(
    ident: KeyResultId,
    value: Annotated[
        str | None,
        typer.Argument(
            metavar="VALUE",
            help="A number (metric, threshold), or `done`/`undone` (milestone).",
        ),
    ] = None,
    confidence: Annotated[
        str | None, typer.Option("--confidence", metavar="N", help="Confidence from 0 to 10.")
    ] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", metavar="S", help="on_track, at_risk or off_track."),
    ] = None,
    done: Annotated[
        str | None, typer.Option("--done", metavar="TITLE", help="Tick a checklist item.")
    ] = None,
    undone: Annotated[
        str | None, typer.Option("--undone", metavar="TITLE", help="Untick a checklist item.")
    ] = None,
    message: Annotated[
        str | None, typer.Option("-m", "--message", metavar="NOTE", help="A note for the log.")
    ] = None,
    no_commit: Annotated[
        bool, typer.Option("--no-commit", help="Only edit the file; commit it yourself.")
    ] = False,
    root: Root = None,
) -> None:
    """Set a key result's current value, keeping every comment and layout, and commit it."""
    from okrcli.checkin import checkin as run_checkin
    from okrcli.config import load_config
    from okrcli.render import log_checkin

    result = run_checkin(
        load_config(root),
        ident,
        value,
        confidence=confidence,
        status=status,
        done=done,
        undone=undone,
        note=message,
        commit=not no_commit,
    )
    log_checkin.render(result)
