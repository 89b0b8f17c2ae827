"""`okr checkin ID VALUE` (or `ID=VALUE …`, `--from FILE.csv`, `--team T` at a terminal):
set values in place, keeping every comment and layout, and commit them as one check-in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from okrcli.cli import app
from okrcli.cli.options import Root, complete_key_result

# `okr checkin ID -5`: a negative number is a value, not an unknown option
_VALUES_MAY_START_WITH_A_DASH = {"ignore_unknown_options": True}


@app.command(context_settings=_VALUES_MAY_START_WITH_A_DASH)
def checkin(
    items: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="ID [VALUE] | ID=VALUE…",
            help="A key result and its value: a number (metric, threshold), or `done`/`undone` "
            "(milestone); or several ID=VALUE pairs, committed together.",
            autocompletion=complete_key_result,
        ),
    ] = None,
    confidence: Annotated[
        str | None, typer.Option("--confidence", metavar="N", help="Confidence from 0 to 10.")
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar="S",
            help="on_track, at_risk or off_track until the next check-in; `clear` removes it.",
        ),
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
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from",
            metavar="FILE.csv",
            help="Columns id, value, confidence, note (and status): one commit for all rows.",
            dir_okay=False,
        ),
    ] = None,
    team: Annotated[
        str | None,
        typer.Option(
            "--team",
            metavar="T",
            help="Ask for each of this team's key results in turn (answers may be piped).",
        ),
    ] = None,
    no_commit: Annotated[
        bool, typer.Option("--no-commit", help="Only edit the files; commit them yourself.")
    ] = False,
    root: Root = None,
) -> None:
    """Set key results' values, keeping every comment and layout, and commit them as one
    check-in. An unchanged value with a note or a confidence is still a check-in."""
    from okrcli import checkin_input
    from okrcli.checkin import check_in
    from okrcli.config import load_config
    from okrcli.errors import OkrError
    from okrcli.render import log_checkin

    words = items or []
    checkin_input.refuse_unknown_options(words)
    if (from_file is not None or team is not None) and words:
        raise OkrError("give key results as ID VALUE, ID=VALUE pairs, --from FILE or --team T, "
                       "one of them")  # fmt: skip
    config = load_config(root)
    if from_file is not None:
        entries = checkin_input.from_csv(from_file, message)
    elif team is not None and not words:
        entries = checkin_input.ask_team(config, team, _ask, message)
        if not entries:
            typer.echo("nothing changed: no check-in")
            return
    else:
        entries = checkin_input.from_args(
            words, confidence=confidence, status=status, note=message, done=done, undone=undone
        )
    log_checkin.render(check_in(config, entries, commit=not no_commit))


def _ask(question: str, default: str) -> str:
    answer: str = typer.prompt(question, default=default, show_default=True)
    return answer
