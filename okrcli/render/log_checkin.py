"""What `okr checkin` prints: per item what changed and its new score, then the commit."""

from __future__ import annotations

import sys
from typing import IO

from okrcli.checkin import Checkin, Outcome
from okrcli.messages import printable


def item(result: Checkin) -> str:
    score = "" if result.score is None else f" (score {result.score:.2f})"
    return printable(f"{result.id}: {result.old} → {result.new}{score}")


def where(outcome: Outcome) -> str:
    paths = ", ".join(dict.fromkeys(i.path for i in outcome.items))
    said = (
        f"committed {outcome.commit[:10]}" if outcome.commit else f"{paths} edited, not committed"
    )
    if outcome.detached:
        said += " on a detached HEAD (no branch): `git switch -c NAME` keeps it"
    return said


def lines(outcome: Outcome) -> list[str]:
    """One line for one item (`ID: OLD → NEW (score S); committed SHA`), else a line per
    item and the commit last."""
    if len(outcome.items) == 1:
        return [f"{item(outcome.items[0])}; {where(outcome)}"]
    return [*map(item, outcome.items), f"{len(outcome.items)} items; {where(outcome)}"]


def render(outcome: Outcome, stream: IO[str] | None = None) -> None:
    (stream or sys.stdout).write("\n".join(lines(outcome)) + "\n")
