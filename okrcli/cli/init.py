"""`okr init [DIR]` and `okr new TEAM`: new files from templates, never overwriting one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from okrcli.cli import app
from okrcli.cli.options import Root, complete_cycle, complete_team


@app.command()
def init(
    folder: Annotated[
        Path, typer.Argument(help="Where to start the OKR repository.", file_okay=False)
    ] = Path("."),
    team: Annotated[str, typer.Option("--team", help="Team of the example file.")] = "example",
) -> None:
    """Start an OKR repository: okr.toml, an example team file, a CI workflow, pre-commit."""
    from okrcli import clock
    from okrcli.scaffold import init as scaffold

    folder.mkdir(parents=True, exist_ok=True)
    for item in scaffold(folder, clock.today(), team):
        typer.echo(
            f"skipped {item.path} ({item.skipped})" if item.skipped else f"wrote {item.path}"
        )
    typer.echo("Next: edit the example file, then run `okr check`.")


@app.command()
def new(
    team: Annotated[
        str,
        typer.Argument(help="The team; the file is named after it.", autocompletion=complete_team),
    ],
    cycle: Annotated[
        str | None,
        typer.Option(
            "--cycle",
            help="The cycle (default: the current quarter, or the next one in its last 3 weeks).",
            autocompletion=complete_cycle,
        ),
    ] = None,
    parent: Annotated[
        str | None, typer.Option("--parent", help="Id the new objective aligns to.")
    ] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="The file's owner (default: the team).")
    ] = None,
    carry_over: Annotated[
        bool,
        typer.Option(
            "--carry-over", help="Bring the unfinished key results of the team's closing cycle."
        ),
    ] = False,
    root: Root = None,
) -> None:
    """Write okrs/<cycle>/<team>.yaml from a template, with the team's id prefix."""
    from okrcli import clock
    from okrcli.config import load_config
    from okrcli.scaffold import new_team

    done = new_team(load_config(root), team, cycle, clock.today(), parent, owner, carry_over)
    if not done.chosen:
        typer.echo(f"cycle {done.planned.cycle}: {done.planned.why} (--cycle picks another)")
    for line in done.carried:
        typer.echo(f"carried over {line}")
    typer.echo(f"wrote {done.path}")
    typer.echo("Next: replace the template's titles and numbers (okr check warns until then).")
