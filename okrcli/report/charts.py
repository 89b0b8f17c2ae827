"""Chart geometry: dated values to SVG coordinates. The markup lives in chart.svg.j2.

Values are drawn as steps (a value holds until the next check-in changes it), which is
what a check-in log says; a straight line between check-ins would invent values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

# Narrow enough that the text stays legible when a phone shrinks the chart to fit.
WIDTH, HEIGHT = 520, 250
SMALL_WIDTH, SMALL_HEIGHT = 340, 200
# Room for value labels on the left, "today" above and dates below.
LEFT, RIGHT, TOP, BOTTOM = 50, 12, 18, 26


@dataclass(frozen=True)
class Point:
    """One check-in: its day, the value drawn, and the hover text (author, date, note)."""

    day: date
    value: float
    tip: str


@dataclass(frozen=True)
class Guide:
    """A labelled reference line from (start, y1) to (end, y2): start, target, pace…"""

    kind: str  # css class: start | target | pace | threshold
    label: str
    y1: float
    y2: float


@dataclass(frozen=True)
class Tick:
    at: float  # pixels along the axis
    label: str


@dataclass(frozen=True)
class Line:
    kind: str
    label: str
    x1: float
    y1: float
    x2: float
    y2: float
    label_y: float  # the label's baseline: just above its line, clear of the other labels


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    tip: str


@dataclass
class Chart:
    """Everything chart.svg.j2 draws, in pixels; `title` and `desc` are its text alternative."""

    key: str
    title: str
    desc: str
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    guides: list[Line] = field(default_factory=list)
    steps: str = ""  # polyline points of the value over time
    dots: list[Dot] = field(default_factory=list)
    today: float | None = None


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round values (1, 2 or 5 times a power of ten apart) from at or below `low` to at
    or above `high`."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    return [round(first + i * step, 10) for i in range(round((last - first) / step) + 1)]


def tick_label(value: float, ticks: Sequence[float]) -> str:
    """As many decimals as the tick spacing needs, and no more."""
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    text = f"{value:,.{decimals}f}"
    return "0" if text.strip("-0.,") == "" else text


def line_chart(
    key: str,
    title: str,
    desc: str,
    points: Sequence[Point],
    span: tuple[date, date],
    today: date,
    guides: Sequence[Guide] = (),
    bounds: tuple[float, float] | None = None,
    size: tuple[int, int] = (WIDTH, HEIGHT),
) -> Chart:
    """A step chart of `points` over `span` (widened to hold every point) with `guides`.

    `bounds` fixes the value axis (0–10 for confidence); else it fits the values and guides.
    """
    first = min([span[0], *(p.day for p in points)])
    last = max([span[1], *(p.day for p in points)])
    days = max((last - first).days, 1)
    width, height = size
    right = width - RIGHT
    chart = Chart(
        key,
        title,
        desc,
        width,
        height,
        LEFT - 20 * (bounds is not None),
        right,
        TOP,
        height - BOTTOM,
    )
    if bounds is None:
        values = [p.value for p in points] + [g.y1 for g in guides] + [g.y2 for g in guides]
        low, high = min(values), max(values)
        pad = (high - low) * 0.08 or abs(high) * 0.1 or 1.0
        # Room around the data, but no negative axis for values that cannot be negative.
        ticks = nice_ticks(low - pad if low - pad >= 0 or low < 0 else 0.0, high + pad)
    else:
        ticks = nice_ticks(*bounds, count=5)
    low, high = ticks[0], ticks[-1]
    if bounds is not None:
        low, high = min(low, bounds[0]), max(high, bounds[1])

    def x(day: date) -> float:  # 8px clear of the value axis and its labels
        share = (day - first).days / days
        return round(chart.left + 8 + (chart.right - chart.left - 8) * share, 1)

    def y(value: float) -> float:
        share = (value - low) / (high - low) if high > low else 0.5
        return round(chart.bottom - (chart.bottom - chart.top) * share, 1)

    chart.y_ticks = [Tick(y(v), tick_label(v, ticks)) for v in ticks]
    chart.x_ticks = [Tick(x(d), d.strftime("%-d %b")) for d in _month_starts(first, last)]
    ends = [(first, last) if g.kind != "pace" else span for g in guides]
    labelled = [i for i, g in enumerate(guides) if g.label]
    wanted = [y(guides[i].y2) - 5 for i in labelled]
    spread = _spread(wanted, chart.top + 10, chart.bottom - 4)
    label_ys = dict(zip(labelled, spread, strict=True))
    chart.guides = [
        Line(g.kind, g.label, x(start), y(g.y1), x(end), y(g.y2), label_ys.get(i, y(g.y2)))
        for i, (g, (start, end)) in enumerate(zip(guides, ends, strict=True))
    ]
    if first <= today <= last:
        chart.today = x(today)
    chart.dots = [Dot(x(p.day), y(p.value), p.tip) for p in points]
    chart.steps = _steps(points, x, y, min(max(today, points[0].day), last) if points else today)
    return chart


def _spread(ys: list[float], top: float, bottom: float, gap: float = 13) -> list[float]:
    """Label positions near `ys`, at least `gap` pixels apart and inside the plot."""
    order = sorted(range(len(ys)), key=ys.__getitem__)
    placed = list(ys)
    previous = top - gap
    for i in order:
        placed[i] = max(ys[i], previous + gap)
        previous = placed[i]
    overflow = previous - bottom
    if overflow > 0:
        placed = [max(v - overflow, top) for v in placed]
    return [round(v, 1) for v in placed]


def _steps(
    points: Sequence[Point],
    x: Callable[[date], float],
    y: Callable[[float], float],
    until: date,
) -> str:
    """`x1,y1 x2,y1 x2,y2 …`: each value held until the next, the last one until `until`."""
    coords: list[str] = []
    for i, point in enumerate(points):
        if i:
            coords.append(f"{x(point.day)},{y(points[i - 1].value)}")
        coords.append(f"{x(point.day)},{y(point.value)}")
    if points and until > points[-1].day:
        coords.append(f"{x(until)},{y(points[-1].value)}")
    return " ".join(coords)


def _month_starts(first: date, last: date) -> list[date]:
    """The first of each month in [first, last], thinned to at most 7 labels."""
    found = []
    year, month = first.year, first.month
    while (day := date(year, month, 1)) <= last:
        if day >= first:
            found.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if not found or (found[0] - first).days > 10:
        found.insert(0, first)
    step = math.ceil(len(found) / 7)
    return found[::step]
