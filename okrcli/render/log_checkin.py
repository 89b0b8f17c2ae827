"""The line `okr checkin` prints: what changed, the new score, and the commit."""

from __future__ import annotations

import sys
from typing import IO

from okrcli.checkin import Checkin


def line(result: Checkin) -> str:
    score = "" if result.score is None else f" (score {result.score:.2f})"
    where = (
        f"committed {result.commit[:10]}"
        if result.commit
        else f"{result.path} edited, not committed"
    )
    if result.detached:
        where += " on a detached HEAD (no branch): `git switch -c NAME` keeps it"
    return f"{result.id}: {result.old} → {result.new}{score}; {where}"


def render(result: Checkin, stream: IO[str] | None = None) -> None:
    (stream or sys.stdout).write(line(result) + "\n")
