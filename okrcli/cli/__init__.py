"""The `okr` command: a thin typer shell over the library. Commands import what they need."""

from __future__ import annotations

import importlib
import os
import sys
from typing import NoReturn

import typer

from okrcli import __version__

app = typer.Typer(
    name="okr",
    help="OKRs as plain text in git: lint, score, check in and report.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"okr {__version__}\n")
        raise typer.Exit(0)


def _today(value: str | None) -> None:
    """Pin (or, for an in-process run after a pinned one, unpin) this run's today."""
    from okrcli import clock

    clock.pin(None if value is None else clock.parse_day(value, "--today (or OKR_TODAY)"))


@app.callback()
def _okr(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
    today: str | None = typer.Option(
        None,
        "--today",
        metavar="YYYY-MM-DD",
        callback=_today,
        envvar="OKR_TODAY",
        help="Judge as if today were this day (pace, status, staleness, default cycle).",
    ),
) -> None:
    """OKRs as plain text in git: lint, score, check in and report."""


# Each module registers its commands on `app` when imported, in the order `okr --help` lists
# them: the daily ones first. A run imports only the module of the command it runs (typer
# builds every imported command's parameters before it starts, and a pre-commit hook starts
# okr on every commit); help, completion and unknown names import them all.
COMMANDS = {
    "check": "check",
    "score": "score",
    "mine": "score",
    "tree": "score",
    "checkin": "checkin",
    "grade": "grade",
    "log": "log",
    "diff": "diff",
    "sync": "sync",
    "remind": "remind",
    "import": "sheet",
    "export": "sheet",
    "review": "report",
    "report": "report",
    "init": "init",
    "new": "init",
    "rule": "rule",
    "schema": "schema",
    "lsp": "lsp",
}


EVERY_MODULE = list(dict.fromkeys(COMMANDS.values()))


def register(modules: list[str] = EVERY_MODULE) -> typer.Typer:
    """`app` with the commands of `modules` (okrcli/cli/*.py) registered."""
    for name in modules:
        importlib.import_module(f"okrcli.cli.{name}")
    return app


def modules_for(args: list[str]) -> list[str]:
    """The command modules `okr ARGS…` needs: the one of the command it runs (the first word
    after okr's own options), none for okr's options alone (`--version`), every one for
    help, shell completion and a name that is not a command."""
    if not args or "_OKR_COMPLETE" in os.environ:
        return EVERY_MODULE
    words = iter(args)
    for word in words:
        if word in ("-h", "--help"):
            return EVERY_MODULE
        if word == "--today":
            next(words, None)
        elif not word.startswith("-"):
            return [COMMANDS[word]] if word in COMMANDS else EVERY_MODULE
    return []


def invoke(args: list[str]) -> int:
    """Run `okr ARGS…` and give its exit code: the entry point without the exit."""
    from okrcli.cli.run import run

    return run(register(modules_for(args)), args)


def main() -> None:
    _leave(invoke(sys.argv[1:]))


def _leave(code: int) -> NoReturn:
    """Exit with `code`, without the interpreter's teardown once the output is flushed: a
    last collection over every object, then each module freed one object at a time (a
    tenth of a second of `okr check` after an edit at 10,000 files); mypy leaves the same
    way. Nothing of okr waits for it: every write is done (a temporary file renamed into
    place), its threads are daemons, and neither okr nor its libraries register exit
    handlers. Output that cannot be flushed (a closed pipe, a full disk) takes the ordinary
    exit, which reports it as Python does."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # ValueError: a stream closed already
        sys.exit(code)
    os._exit(code)
