"""Fiscal calendars: `[calendar] fiscal_year_start` makes FY cycles exist without a list."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from okrcli.cycles import FiscalYear, parse_cycle, quarter_name
from tests.conftest import FIXTURES, Okr, write

GITLAB = FIXTURES / "realworld" / "gitlab"
GITLAB_FY = FiscalYear(2, 1)
# The list the gitlab fixture spelt out by hand before [calendar] existed.
HAND_WRITTEN = """
[cycles]
FY26    = { start = 2025-02-01, end = 2026-01-31 }
FY26-Q1 = { start = 2025-02-01, end = 2025-04-30 }
FY26-Q2 = { start = 2025-05-01, end = 2025-07-31 }
"""


def _span(name: str, fiscal: FiscalYear) -> tuple[date, date]:
    cycle = parse_cycle(name, None, fiscal)
    assert cycle is not None, name
    return cycle.start, cycle.end


def test_fiscal_years_are_named_by_the_year_they_end() -> None:
    assert _span("FY27", GITLAB_FY) == (date(2026, 2, 1), date(2027, 1, 31))
    assert _span("FY27-Q1", GITLAB_FY) == (date(2026, 2, 1), date(2026, 4, 30))
    assert _span("FY27-Q4", GITLAB_FY) == (date(2026, 11, 1), date(2027, 1, 31))
    assert _span("FY27-H2", GITLAB_FY) == (date(2026, 8, 1), date(2027, 1, 31))
    assert _span("FY2027", GITLAB_FY) == _span("FY27", GITLAB_FY)


def test_named_by_start_and_odd_days() -> None:
    by_start = FiscalYear(4, 1, named_by_end=False)  # the UK's and India's April year
    assert _span("FY26", by_start) == (date(2026, 4, 1), date(2027, 3, 31))
    assert quarter_name(date(2027, 3, 31), by_start) == "FY26-Q4"
    assert _span("FY26-Q1", FiscalYear(10, 15)) == (date(2025, 10, 15), date(2026, 1, 14))
    assert _span("FY26", FiscalYear(1, 1)) == (date(2026, 1, 1), date(2026, 12, 31))


def test_not_fiscal_names() -> None:
    assert parse_cycle("FY27-Q5", None, GITLAB_FY) is None
    assert parse_cycle("FY27-H3", None, GITLAB_FY) is None
    assert parse_cycle("FY27", None, None) is None  # no [calendar]: not a cycle
    assert parse_cycle("FY7", None, GITLAB_FY) is None
    assert parse_cycle("FY0001", None, GITLAB_FY) is None  # would start in year 0
    by_start = FiscalYear(2, 1, named_by_end=False)
    assert parse_cycle("FY9999-Q3", None, by_start) is None  # outside the years okr works in
    assert parse_cycle("FY2999-Q4", None, by_start) is None  # would end in 3000
    assert parse_cycle("FY2998-Q4", None, by_start) is not None


@given(
    st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31)),
    st.integers(1, 12),
    st.integers(1, 28),
    st.booleans(),
)
def test_the_quarter_of_a_day_holds_it_and_quarters_follow_each_other(
    day: date, month: int, first: int, by_end: bool
) -> None:
    fiscal = FiscalYear(month, first, by_end)
    name = quarter_name(day, fiscal)
    start, end = _span(name, fiscal)
    assert start <= day <= end
    assert 89 <= (end - start).days + 1 <= 92
    after = _span(quarter_name(end + timedelta(days=1), fiscal), fiscal)
    assert after[0] == end + timedelta(days=1)
    year = re.fullmatch(r"(FY\d+)-Q\d", name)
    assert year is not None
    whole = _span(year[1], fiscal)
    assert whole[0] <= start and end <= whole[1]


def test_new_on_2026_12_01_writes_fy27_q4(okr: Okr, tmp_path: Path) -> None:
    write(tmp_path / "okr.toml", '[calendar]\nfiscal_year_start = "02-01"\n')
    result = okr("--today", "2026-12-01", "new", "verify", "--root", tmp_path)
    assert result.code == 0, result.err
    assert "cycle FY27-Q4: the quarter holding 2026-12-01" in result.out
    assert "wrote okrs/FY27-Q4/verify.yaml" in result.out
    assert "cycle: FY27-Q4\n" in (tmp_path / "okrs/FY27-Q4/verify.yaml").read_text("utf-8")
    late = okr("--today", "2027-01-20", "new", "verify", "--root", tmp_path)
    assert "FY27-Q4 ends on 2027-01-31, in 12 days: the next quarter" in late.out
    assert "wrote okrs/FY28-Q1/verify.yaml" in late.out
    check = okr("--today", "2027-01-20", "check", "--root", tmp_path, "--format", "json")
    codes = {f["code"] for f in json.loads(check.out)["findings"]}
    assert codes == {"OKR210"}  # the cycles are known (no OKR001), only the placeholders


def test_new_at_the_ends_of_the_calendar_is_one_sentence(okr: Okr, tmp_path: Path) -> None:
    write(tmp_path / "okr.toml", '[calendar]\nfiscal_year_start = "02-01"\n')
    for day in ("1900-01-15", "2999-12-31"):
        result = okr("--today", day, "new", "ops", "--root", tmp_path)
        assert result.code == 2 and result.err.count("\n") == 1, result.err


def test_gitlab_fixture_scores_the_same_without_its_list(okr: Okr, tmp_path: Path) -> None:
    assert "[cycles]" not in (GITLAB / "okr.toml").read_text("utf-8")
    listed = tmp_path / "listed"
    shutil.copytree(GITLAB, listed, ignore=shutil.ignore_patterns(".okr_cache"))
    settings = (GITLAB / "okr.toml").read_text("utf-8")
    settings = re.sub(r"\[calendar\][^\[]*", "", settings) + HAND_WRITTEN
    (listed / "okr.toml").write_text(settings, encoding="utf-8")
    outputs = []
    for root in (GITLAB, listed):
        for args in (["--cycle", "all"], ["--cycle", "FY26-Q1"], []):
            result = okr("--today", "2025-04-20", "score", "--root", root, "--no-cache",
                         "--format", "json", *args)  # fmt: skip
            assert result.code == 0, result.err
            outputs.append(json.loads(result.out))
    assert outputs[:3] == outputs[3:]
    assert outputs[0]["cycles"] == ["FY26", "FY26-Q1"]
    assert outputs[2]["cycles"] == ["FY26-Q1"]  # the default: the quarter holding today
