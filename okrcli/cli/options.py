"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

Root = Annotated[
    Path | None,
    typer.Option(
        "--root",
        help="The OKR repository (default: found from the working directory).",
        file_okay=False,
    ),
]
At = Annotated[
    str | None,
    typer.Option("--at", metavar="REV|DATE", help="As of a git revision or a date (YYYY-MM-DD)."),
]
NoCache = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Parse every file again: do not read or write the cache in <root>/.okr_cache/.",
    ),
]
