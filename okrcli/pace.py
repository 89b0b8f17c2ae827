"""Expected progress by a day, per kind of key result (SPEC §3 "Pace").

A metric follows a straight line from start to target over its cycle, or its `plan:`
waypoints; a milestone is expected on its `due` day (else the cycle's last); a checklist
expects the weight of the items due by the day, and items without `due` along a straight
line; a threshold is expected to hold all along. Days are counted as `Cycle.elapsed`
counts them: the cycle is at 0 before its first day and at 1 at the end of its last.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any

from okrcli.cycles import Cycle


def expected(kr: Any, kind: str | None, cycle: Cycle | None, today: date) -> float | None:
    """The share of an `okrcli.model.KeyResult` expected done by the end of `today`, in
    [0, 1]; None without a known cycle, for a rollup (its children say) and for a key
    result that cannot be scored."""
    if cycle is None:
        return None
    if kind == "metric":
        if kr.start is None or kr.target is None or kr.target == kr.start:
            return None
        return _planned(kr, cycle, today) if kr.plan else cycle.elapsed(today)
    if kind == "milestone":
        return 1.0 if today >= (kr.due or cycle.end) else 0.0
    if kind == "checklist":
        total = sum(m.weight for m in kr.milestones)
        if not total:
            return None
        line = cycle.elapsed(today)
        due = sum(
            m.weight * (line if m.due is None else float(today >= m.due)) for m in kr.milestones
        )
        return min(float(due / total), 1.0)
    if kind == "threshold":
        return 1.0
    return None


def _position(cycle: Cycle, day: date) -> float:
    """How far through `cycle` the end of `day` is: 0 before it, 1 at its last day."""
    return ((day - cycle.start).days + 1) / cycle.days


def _planned(kr: Any, cycle: Cycle, today: date) -> float:
    """Progress along the plan's waypoints, joined by straight lines. The cycle's start (at
    the start value) and end (at the target) are waypoints too, unless the plan has its own
    on or before the start, or on or after the end."""
    span = kr.target - kr.start
    points = sorted(
        (_position(cycle, day), (value - kr.start) / span) for day, value in kr.plan.items()
    )
    if points[0][0] > 0:
        points.insert(0, (0.0, 0.0))
    if points[-1][0] < 1:
        points.append((1.0, 1.0))
    return min(max(_along(points, _position(cycle, today)), 0.0), 1.0)


def _along(points: list[tuple[float, float]], x: float) -> float:
    """The line through `points` (x strictly increasing) at `x`; flat beyond both ends."""
    if x <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in pairwise(points):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1]
