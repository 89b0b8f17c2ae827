"""`okr log` as text: one line per check-in, newest first, then a sparkline per score."""

from __future__ import annotations

import sys
from typing import IO, Any

from okrcli.history.log import Log, Row
from okrcli.render.console import wants_colour
from okrcli.render.score_parts import grade, number, score_text

_TICKS = "▁▂▃▄▅▆▇█"
SPARK_WIDTH = 30


def shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "done" if value else "not done"
    if isinstance(value, (int, float)):
        return number(value)
    return str(value)


def sparkline(scores: list[float | None], width: int = SPARK_WIDTH) -> str:
    """Scores in [0, 1] as bars on an absolute scale, at most `width` of them (latest wins)."""
    if len(scores) > width:
        scores = [scores[(i + 1) * len(scores) // width - 1] for i in range(width)]
    return "".join(" " if s is None else _TICKS[round(s * (len(_TICKS) - 1))] for s in scores)


def _cells(row: Row) -> list[str]:
    change = row.change
    conf = "" if change.confidence is None else f"conf {number(change.confidence)}"
    old = "new" if change.before is None else shown(row.old)
    note = change.note.splitlines()[0] if change.note else ""
    return [change.commit.when.date().isoformat(), change.commit.author, change.id,
            f"{old} → {shown(row.new)}", score_text(row.score), conf, note]  # fmt: skip


def _aligned(table: list[list[str]]) -> list[list[str]]:
    widths = [max(len(cells[i]) for cells in table) for i in range(len(table[0]))]
    return [[cell.ljust(w) for cell, w in zip(cells, widths, strict=True)] for cells in table]


def render(log: Log, stream: IO[str] | None = None) -> None:
    stream = stream or sys.stdout
    colour = wants_colour(stream)
    lines: list[str] = []
    if not log.rows:
        what = f" of {log.ident}" if log.ident else ""
        since = f" since {log.since}" if log.since else ""
        lines.append(f"No check-ins{what}{since}.")
    else:
        for row, cells in zip(log.rows, _aligned([_cells(r) for r in log.rows]), strict=True):
            if colour:
                cells[4] = f"[{grade(row.score)}]{cells[4]}[/]"
            lines.append("  ".join(cells).rstrip())
    if log.series:
        lines += ["", "Score over time:"]
        table = []
        for ident, points in log.series.items():
            scores = [s for _, s in points]
            table.append(
                [ident, sparkline(scores), f"{score_text(scores[0])} → {score_text(scores[-1])}"]
            )
        lines += ["  " + "  ".join(cells).rstrip() for cells in _aligned(table)]
    if not colour:
        stream.write("\n".join(lines) + "\n")
        return
    from okrcli.render.console import console

    console(stream).print("\n".join(lines))
