"""The `okr` command: a thin typer shell over the library. Commands import what they need."""

from __future__ import annotations

import importlib
import importlib.util
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


@app.callback()
def _okr(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """OKRs as plain text in git: lint, score, check in and report."""


# Each module registers its commands on `app` when imported; one name per line.
COMMAND_MODULES = (
    "check",
    "checkin",
    "diff",
    "init",
    "log",
    "report",
    "rule",
    "schema",
    "score",
)
for _name in COMMAND_MODULES:
    if importlib.util.find_spec(f"okrcli.cli.{_name}") is not None:
        importlib.import_module(f"okrcli.cli.{_name}")


def main() -> None:
    from okrcli.cli.run import run

    sys.exit(run(app))
