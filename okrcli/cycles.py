"""Cycles of time: `YYYY`, `YYYY-Qn`, `YYYY-Hn` and named cycles from okr.toml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_YEAR = re.compile(r"([0-9]{4})")  # ASCII digits: `\d` would read "٢٠٢٦" as 2026
_PART = re.compile(r"([0-9]{4})-([QH])([1-4])")
# Years okr works in: every date it computes (a cycle's end, the day after it, the plan lock,
# `okr new`'s next cycle) stays far inside what Python's dates can hold.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
YEARS = f"years {FIRST_DAY.year} to {LAST_DAY.year}"


def in_range(day: date) -> bool:
    """Whether `day` is inside the years okr works in."""
    return FIRST_DAY <= day <= LAST_DAY


@dataclass(frozen=True)
class Cycle:
    """A named span of days, both ends included."""

    name: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, other: Cycle) -> bool:
        return self.start <= other.start and other.end <= self.end

    def contains_day(self, day: date) -> bool:
        return self.start <= day <= self.end

    def quiet_days(self, last: date | None, today: date) -> int:
        """Days without an update by `today`: since `last`, or since the cycle began when that
        is later (a value carried over from last quarter is not late yet) or unknown."""
        return (today - max(last or self.start, self.start)).days

    def elapsed(self, today: date) -> float:
        """Share of the cycle gone by at the end of `today`, clamped to [0, 1]."""
        done = (today - self.start).days + 1
        return min(max(done / self.days, 0.0), 1.0)


def _month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def parse_cycle(name: str, named: dict[str, Cycle] | None = None) -> Cycle | None:
    """The cycle called `name`, or None when it is neither built in nor declared."""
    if named and name in named:
        return named[name]
    if m := _YEAR.fullmatch(name):
        year = int(m[1])
        if not FIRST_DAY.year <= year <= LAST_DAY.year:
            return None
        return Cycle(name, date(year, 1, 1), date(year, 12, 31))
    if m := _PART.fullmatch(name):
        year, part, n = int(m[1]), m[2], int(m[3])
        months = 3 if part == "Q" else 6
        if n > 12 // months or not FIRST_DAY.year <= year <= LAST_DAY.year:
            return None
        first = _month_start(year, (n - 1) * months + 1)
        return Cycle(name, first, _month_start(year, n * months + 1) - timedelta(days=1))
    return None


def default_cycle(cycles: list[Cycle], today: date) -> Cycle | None:
    """The shortest cycle holding today, else the one that ended or starts latest."""
    holding = [c for c in cycles if c.contains_day(today)]
    if holding:
        return min(holding, key=lambda c: (c.days, c.name))
    return max(cycles, key=lambda c: (c.end, -c.days, c.name), default=None)
