"""A progress bar for long work (history walks, writing the report): on stderr, in a terminal,
once the work takes a while."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

DELAY = 0.5  # seconds before a bar appears: quick work stays silent


@contextmanager
def progress(label: str, unit: str) -> Iterator[Callable[[int, int | None], None] | None]:
    """A callback taking how many `unit`s are done (and of how many, when known), or None when
    nobody watches."""
    if not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()):
        yield None
        return
    began = time.monotonic()
    shown: list[Any] = []

    def update(done: int, total: int | None = None) -> None:
        if not shown and time.monotonic() - began > DELAY:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            from okrcli.render.console import console

            bar = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                           TextColumn(f"{{task.completed:,}} {unit}"), TimeElapsedColumn(),
                           console=console(sys.stderr), transient=True)  # fmt: skip
            bar.start()
            shown.extend((bar, bar.add_task(label, total=None)))
        if shown:
            shown[0].update(shown[1], completed=done, total=total)

    try:
        yield update
    finally:
        if shown:
            shown[0].stop()
