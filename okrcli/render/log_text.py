"""`okr log` as text: one line per check-in, newest first, then a sparkline per score."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import IO, Any

from okrcli.history.log import Log, Row
from okrcli.messages import printable
from okrcli.render.console import cell_width, wants_colour
from okrcli.render.score_parts import grade, number, score_text

_TICKS = "▁▂▃▄▅▆▇█"
SPARK_WIDTH = 30
_NARROW = str.maketrans("", "", "→—" + _TICKS)  # what okr writes, one column each


def shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "done" if value else "not done"
    if isinstance(value, (int, float)):
        return number(value)
    return printable(str(value))


def sparkline(scores: list[float | None], width: int = SPARK_WIDTH) -> str:
    """Scores in [0, 1] as bars on an absolute scale, at most `width` of them (latest wins)."""
    if len(scores) > width:
        scores = [scores[(i + 1) * len(scores) // width - 1] for i in range(width)]
    return "".join(" " if s is None else _TICKS[round(s * (len(_TICKS) - 1))] for s in scores)


def _table(rows: list[Row]) -> list[list[str]]:
    """A row of cells per check-in; what belongs to a commit is written once per commit."""
    by_commit: dict[int, tuple[str, str]] = {}
    table = []
    for row in rows:
        change = row.change
        commit = change.commit
        when_who = by_commit.get(id(commit))
        if when_who is None:
            when_who = by_commit[id(commit)] = (
                commit.when.date().isoformat(),
                printable(commit.author),
            )
        confidence, note = change.confidence, change.note
        conf = "" if confidence is None else f"conf {number(confidence)}"
        old = "new" if change.before is None else shown(row.old)
        note = note.splitlines()[0] if note else ""
        table.append([*when_who, change.id, f"{old} → {shown(row.new)}", score_text(row.score),
                      conf, printable(note)])  # fmt: skip
    return table


def _aligned(table: list[list[str]]) -> list[tuple[str, ...]]:
    """Cells padded to their column's width in terminal columns (山田 太郎 takes 9, not 5).

    A column of ASCII and okr's own one-column symbols is measured by `len` in one pass;
    only a column with other text measures its cells one character at a time."""
    padded = []
    for column in zip(*table, strict=True):
        joined = "".join(column)
        if joined.isascii() or joined.translate(_NARROW).isascii():
            width = max(map(len, column))
            padded.append([c.ljust(width) for c in column])
        else:
            sizes = [cell_width(c) for c in column]
            width = max(sizes)
            padded.append([c + " " * (width - n) for c, n in zip(column, sizes, strict=True)])
    return list(zip(*padded, strict=True))


def render(log: Log, stream: IO[str] | None = None) -> None:
    stream = stream or sys.stdout
    if not wants_colour(stream):
        stream.write("\n".join(_lines(log)) + "\n")
        return
    from rich.markup import escape

    from okrcli.render.console import console

    def paint(cell: str, score: float | None) -> str:
        return f"[{grade(score)}]{escape(cell)}[/]"

    text = "\n".join(_lines(log, escape, paint))
    console(stream).print(text, soft_wrap=True)  # one line per check-in, as when piped


def _lines(
    log: Log,
    plain: Callable[[str], str] | None = None,
    paint: Callable[[str, float | None], str] | None = None,
) -> list[str]:
    """The output; `paint` colours a score cell, `plain` readies any other cell (neither:
    plain text)."""
    if not log.rows:
        what = f" of {log.ident}" if log.ident else ""
        since = f" since {log.since}" if log.since else ""
        lines = [f"No check-ins{what}{since}."]
    else:
        checkins = _aligned(_table(log.rows))
        if plain is None or paint is None:
            lines = ["  ".join(cells).rstrip() for cells in checkins]
        else:
            lines = [
                "  ".join(
                    [paint(c, row.score) if i == 4 else plain(c) for i, c in enumerate(cells)]
                ).rstrip()
                for row, cells in zip(log.rows, checkins, strict=True)
            ]
    if log.replans:
        table = [
            [r.when.date().isoformat(), printable(r.author), r.id, printable(r.describe()),
             printable(f"OKR-Replan: {r.reason}" if r.reason else "")]
            for r in log.replans
        ]  # fmt: skip
        lines += ["", "Targets and plans changed:"]
        lines += ["  " + "  ".join(map(plain or str, cells)).rstrip() for cells in _aligned(table)]
    if log.series:
        table = [
            [ident, sparkline([s for _, s in points]),
             f"{score_text(points[0][1])} → {score_text(points[-1][1])}"]
            for ident, points in log.series.items()
        ]  # fmt: skip
        lines += ["", "Score over time:"]
        lines += ["  " + "  ".join(map(plain or str, cells)).rstrip() for cells in _aligned(table)]
    return lines
