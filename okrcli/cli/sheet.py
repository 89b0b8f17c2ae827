"""`okr import csv FILE` and `okr export csv`: the spreadsheet round trip."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from okrcli.cli import app
from okrcli.cli.options import Root

importer = typer.Typer(help="Write team files from a spreadsheet.", no_args_is_help=True)
exporter = typer.Typer(help="Write the OKRs as a spreadsheet.", no_args_is_help=True)
app.add_typer(importer, name="import")
app.add_typer(exporter, name="export")

CycleOption = Annotated[
    str | None, typer.Option("--cycle", metavar="CYCLE", help="Only this cycle.")
]


@importer.command("csv")
def import_csv(
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="A CSV file, one row per key result.", dir_okay=False),
    ],
    cycle: Annotated[
        str | None,
        typer.Option(
            "--cycle", metavar="CYCLE", help="The cycle of rows without one; only its rows."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace team files that exist.")] = False,
    root: Root = None,
) -> None:
    """One team file per team and cycle in the sheet; ids made up where it has none."""
    from okrcli.config import load_config
    from okrcli.sheet_import import import_csv as run_import
    from okrcli.sheet_import import read_sheet

    for rel in run_import(load_config(root), read_sheet(file), str(file), cycle, force):
        typer.echo(f"wrote {rel}")


@exporter.command("csv")
def export_csv(cycle: CycleOption = None, root: Root = None) -> None:
    """Every key result as a CSV row, on standard output (`okr import csv` reads it back)."""
    from okrcli.config import load_config
    from okrcli.repo import load_repo
    from okrcli.sheet import export_csv as run_export

    sys.stdout.write(run_export(load_repo(load_config(root)), cycle))
