"""`okr grade ID GRADE [-m NOTE]`: record the owner's 0..1 grade, committed like a check-in."""

from __future__ import annotations

from typing import Annotated

import typer

from okrcli.cli import app
from okrcli.cli.options import Root


@app.command()
def grade(
    ident: Annotated[
        str, typer.Argument(metavar="ID", help="The key result or objective to grade.")
    ],
    value: Annotated[
        str, typer.Argument(metavar="GRADE", help="From 0 to 1: the owner's judgement.")
    ],
    message: Annotated[
        str | None, typer.Option("-m", "--message", metavar="NOTE", help="Why this grade.")
    ] = None,
    no_commit: Annotated[
        bool, typer.Option("--no-commit", help="Only edit the file; commit it yourself.")
    ] = False,
    root: Root = None,
) -> None:
    """Record the owner's grade for a key result or objective (used for rollups, the
    computed score kept beside it), keeping every comment and layout, and commit it."""
    from okrcli.checkin import Entry, check_in
    from okrcli.config import load_config
    from okrcli.render import log_checkin

    entry = Entry(ident, grade=value, note=message)
    log_checkin.render(check_in(load_config(root), [entry], commit=not no_commit))
