"""Cycles as dates: names, containment, the share gone by, and quiet days."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrcli.cycles import parse_cycle

Q4 = parse_cycle("2026-Q4", {})


@pytest.mark.parametrize(
    ("name", "start", "end"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-H2", date(2026, 7, 1), date(2026, 12, 31)),
    ],
)
def test_cycle_names(name: str, start: date, end: date) -> None:
    cycle = parse_cycle(name, {})
    assert cycle is not None
    assert (cycle.start, cycle.end) == (start, end)


def test_unknown_names_are_not_cycles() -> None:
    assert parse_cycle("2026-Q5", {}) is None
    assert parse_cycle("Q4", {}) is None


def test_containment() -> None:
    year, h2, q1 = (parse_cycle(n, {}) for n in ("2026", "2026-H2", "2026-Q1"))
    assert year is not None and h2 is not None and q1 is not None and Q4 is not None
    assert year.contains(Q4) and h2.contains(Q4) and not Q4.contains(year)
    assert not h2.contains(q1)


def test_quiet_days_count_from_the_later_of_last_update_and_cycle_start() -> None:
    assert Q4 is not None
    assert Q4.quiet_days(date(2026, 11, 20), date(2026, 11, 26)) == 6
    assert Q4.quiet_days(date(2026, 9, 1), date(2026, 10, 5)) == 4  # carried over from Q3
    assert Q4.quiet_days(None, date(2026, 10, 15)) == 14


@given(st.dates(date(2026, 10, 1), date(2026, 12, 31)))
def test_elapsed_grows_from_a_day_to_the_whole_cycle(today: date) -> None:
    assert Q4 is not None
    share = Q4.elapsed(today)
    assert 1 / 92 <= share <= 1.0
    assert (share == 1.0) == (today == Q4.end)
