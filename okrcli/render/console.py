"""Colour when a person is watching, plain text when piped or with NO_COLOR."""

from __future__ import annotations

import os
import sys
from typing import IO, Any


def wants_colour(stream: IO[str] | None = None) -> bool:
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def console(stream: IO[str] | None = None) -> Any:
    """A rich Console for `stream` that adds no colour, markup or wrapping when plain."""
    from rich.console import Console

    colour = wants_colour(stream)
    return Console(
        file=stream or sys.stdout,
        no_color=not colour,
        force_terminal=colour,
        highlight=False,
        soft_wrap=not colour,
        emoji=False,
    )


def cell_width(text: str) -> int:
    """Terminal columns `text` takes: wide (CJK, most emoji) characters count two, combining
    marks and format characters none. Without rich, so piped output stays light."""
    import unicodedata

    return sum(
        0
        if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf")
        else 2
        if unicodedata.east_asian_width(c) in ("W", "F")
        else 1
        for c in text
    )
