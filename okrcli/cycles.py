"""Cycles of time: `YYYY`, `YYYY-Qn`, `YYYY-Hn` and named cycles from okr.toml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_YEAR = re.compile(r"([0-9]{4})")  # ASCII digits: `\d` would read "٢٠٢٦" as 2026
_PART = re.compile(r"([0-9]{4})-([QH])([1-4])")
_FISCAL = re.compile(r"FY([0-9]{2}|[0-9]{4})(?:-([QH])([1-4]))?")
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

    @property
    def length(self) -> str:
        """`quarter` (up to 100 days), `half` (up to 200) or `year`: what settings given per
        cycle length (`stale_days`, `lock_after_days`) are looked up by."""
        return "quarter" if self.days <= 100 else "half" if self.days <= 200 else "year"

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


def parse_cycle(
    name: str, named: dict[str, Cycle] | None = None, fiscal: FiscalYear | None = None
) -> Cycle | None:
    """The cycle called `name`, or None when it is neither built in nor declared."""
    if named and name in named:
        return named[name]
    if fiscal is not None and (m := _FISCAL.fullmatch(name)):
        return fiscal.cycle(name, m)
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


@dataclass(frozen=True)
class FiscalYear:
    """`[calendar] fiscal_year_start`: `FY27`, `FY27-Q1`, `FY27-H2` exist without a list.

    A fiscal year is named by the calendar year it ends in (GitLab's FY27 runs from
    2026-02-01 to 2027-01-31), or by the year it starts in when `named_by_end` is off.
    """

    month: int
    day: int  # 1..28, so that every quarter starts on the same day of its month
    named_by_end: bool = True

    def start_of(self, year: int) -> date:
        """The first day of the fiscal year called `year`."""
        if self.named_by_end and (self.month, self.day) != (1, 1):
            year -= 1
        return date(year, self.month, self.day)

    def cycle(self, name: str, m: re.Match[str]) -> Cycle | None:
        digits = m[1]
        year = int(digits) + (2000 if len(digits) == 2 else 0)
        months, n = (12, 1) if m[2] is None else (3 if m[2] == "Q" else 6, int(m[3]))
        if n > 12 // months or not FIRST_DAY.year < year < LAST_DAY.year:  # a year either side
            return None
        first = self.start_of(year)
        start = self._shift(first, (n - 1) * months)
        return Cycle(name, start, self._shift(first, n * months) - timedelta(days=1))

    def name_of(self, year: int) -> str:
        """`FY27` for the fiscal year called 2027: two digits, as GitLab writes them."""
        return f"FY{year % 100:02d}" if 2000 <= year < 2100 else f"FY{year}"

    def quarter(self, day: date) -> str:
        """The name of the fiscal quarter holding `day`."""
        year = day.year + (1 if self.named_by_end and (self.month, self.day) != (1, 1) else 0)
        while self.start_of(year) > day:
            year -= 1
        first = self.start_of(year)
        n = next(k for k in (4, 3, 2, 1) if self._shift(first, (k - 1) * 3) <= day)
        return f"{self.name_of(year)}-Q{n}"

    def _shift(self, first: date, months: int) -> date:
        start = _month_start(first.year, first.month + months)
        return start.replace(day=self.day)


def quarter_name(day: date, fiscal: FiscalYear | None = None) -> str:
    """The quarter holding `day`: `2026-Q4`, or `FY27-Q4` with a fiscal calendar."""
    if fiscal is not None:
        return fiscal.quarter(day)
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def default_cycle(cycles: list[Cycle], today: date) -> Cycle | None:
    """The shortest cycle holding today, else the one that ended or starts latest."""
    holding = [c for c in cycles if c.contains_day(today)]
    if holding:
        return min(holding, key=lambda c: (c.days, c.name))
    return max(cycles, key=lambda c: (c.end, -c.days, c.name), default=None)
