"""A progress bar for history walks: on stderr, in a terminal, once a walk takes a while."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

DELAY = 0.5  # seconds before a bar appears: quick walks stay silent


@contextmanager
def progress(label: str) -> Iterator[Callable[[int], None] | None]:
    """A callback taking the number of commits read so far, or None when nobody watches."""
    if not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()):
        yield None
        return
    began = time.monotonic()
    shown: list[Any] = []

    def update(commits: int) -> None:
        if not shown and time.monotonic() - began > DELAY:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            from okrcli.render.console import console

            bar = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                           TextColumn("{task.completed:,} commits"), TimeElapsedColumn(),
                           console=console(sys.stderr), transient=True)  # fmt: skip
            bar.start()
            shown.extend((bar, bar.add_task(label, total=None)))
        if shown:
            shown[0].update(shown[1], completed=commits)

    try:
        yield update
    finally:
        if shown:
            shown[0].stop()
