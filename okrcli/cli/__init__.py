"""The `okr` command: a thin typer shell over the library. Commands import what they need."""

from __future__ import annotations

import importlib
import sys

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
# them: the daily ones first.
COMMAND_MODULES = (
    "check",  # check
    "score",  # score, mine, tree
    "checkin",  # checkin
    "grade",  # grade
    "log",  # log
    "diff",  # diff
    "sync",  # sync
    "remind",  # remind
    "sheet",  # import csv, export csv
    "report",  # review, report
    "init",  # init, new
    "rule",  # rule
    "schema",  # schema
    "lsp",  # lsp
)
for _name in COMMAND_MODULES:
    importlib.import_module(f"okrcli.cli.{_name}")


def main() -> None:
    from okrcli.cli.run import run

    sys.exit(run(app))
