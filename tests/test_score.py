"""The rollup engine against numbers worked out by hand (SPEC §3)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from okrcli.config import load_config
from okrcli.focus import Focus
from okrcli.model import KeyResult
from okrcli.repo import Repo, load_repo
from okrcli.score import Scoreboard, key_result_raw, score_repo, select
from tests.conftest import write


def kr(**fields: Any) -> KeyResult:
    return KeyResult(id="K-1", title="A key result", **fields)


@pytest.mark.parametrize(
    ("fields", "raw"),
    [
        ({"start": 92, "target": 99.5, "current": 97.1}, (97.1 - 92) / 7.5),  # increasing
        ({"start": 42, "target": 15, "current": 30}, 12 / 27),  # decreasing: 42 → 15 min
        ({"start": 0, "target": 10, "current": 15}, 1.5),  # overshoot
        ({"start": 42, "target": 15, "current": 10}, 32 / 27),  # overshoot, decreasing
        ({"start": 10, "target": 20, "current": 5}, -0.5),  # undershoot: went backwards
        ({"start": 42, "target": 15, "current": 50}, -8 / 27),  # undershoot, decreasing
        ({"start": 10, "target": 20}, 0.0),  # current defaults to start
        ({"done": True}, 1.0),
        ({"done": False}, 0.0),
        (
            {
                "milestones": [
                    {"title": "a", "done": True},
                    {"title": "b", "done": True, "weight": 2},
                    {"title": "c"},
                ]
            },
            0.75,
        ),
        ({"milestones": [{"title": "a"}, {"title": "b", "weight": 3, "done": True}]}, 0.75),
        ({"below": 1.0, "current": 0.8}, 1.0),
        ({"below": 1.0, "current": 1.0}, 1.0),  # inclusive
        ({"below": 1.0, "current": 1.01}, 0.0),
        ({"above": 99.9, "current": 99.9}, 1.0),  # inclusive
        ({"above": 99.9, "current": 99.89}, 0.0),
        ({"above": 99.9}, 0.0),  # not measured yet: not shown to hold
        ({"above": 1, "below": 3, "current": 2}, 1.0),
        ({"above": 1, "below": 3, "current": 4}, 0.0),
    ],
)
def test_key_result_raw_by_kind(fields: dict[str, Any], raw: float) -> None:
    assert key_result_raw(kr(**fields)) == pytest.approx(raw)


@pytest.mark.parametrize(
    "fields",
    [
        {"rollup": True},  # scored from its children, not its own fields
        {"start": 5, "target": 5, "current": 7},  # OKR102
        {"milestones": [{"title": "a", "weight": 0, "done": True}]},  # weighs nothing
        {"start": 1, "target": 2, "done": True},  # two kinds (OKR101)
        {},  # no kind (OKR101)
    ],
)
def test_key_result_raw_is_none_when_not_measurable(fields: dict[str, Any]) -> None:
    assert key_result_raw(kr(**fields)) is None


COMPANY = """\
team: company
cycle: 2026
objectives:
  - id: CO-1
    title: Customers trust us
    type: committed
    key_results:
      - {id: CO-1.1, title: Teams hit their goals, rollup: true, weight: 2}
      - {id: CO-1.2, title: NPS, start: 0, target: 100, current: 50}
"""
PLATFORM = """\
team: platform
cycle: 2026-Q4
objectives:
  - id: PLAT-1
    title: Deploys are boring
    parent: CO-1.1
    weight: 3
    key_results:
      - {id: PLAT-1.1, title: Deploys a day, start: 0, target: 10, current: 8}
      - id: PLAT-1.2
        title: Pipelines
        weight: 3
        milestones: [{title: a, done: true}, {title: b, done: true, weight: 2}, {title: c}]
  - id: PLAT-2
    title: Builds are fast
    parent: CO-1.1
    key_results:
      - {id: PLAT-2.1, title: Cache on, done: true}
      - {id: PLAT-2.2, title: p95 build, start: 40, target: 20, current: 35, unit: min}
  - id: PLAT-4
    title: Aligned but weightless
    parent: CO-1.1
    weight: 0
    key_results:
      - {id: PLAT-4.1, title: Thing, done: true}
  - id: PLAT-5
    title: Under a measured key result
    parent: CO-1.2
    key_results:
      - {id: PLAT-5.1, title: Survey sent, done: false}
  - id: PLAT-6
    title: Nothing to measure yet
    key_results: []
"""
SRE = """\
team: sre
cycle: 2026-Q4
objectives:
  - id: SRE-1
    title: Builds never fall over
    parent: PLAT-2
    weight: 2
    key_results:
      - {id: SRE-1.1, title: Build error rate, below: 5, current: 3, unit: "%"}
"""
FILES = {
    "okrs/2026/company.yaml": COMPANY,
    "okrs/2026-Q4/platform.yaml": PLATFORM,
    "okrs/2026-Q4/sre.yaml": SRE,
}
MID_Q4 = date(2026, 11, 15)  # day 46 of 92: exactly half of Q4 gone


def make_repo(root: Path, files: dict[str, str], today: date, toml: str = "") -> Repo:
    write(root / "okr.toml", toml)
    for rel, text in files.items():
        write(root / rel, text)
    return load_repo(load_config(root), today=today)


def scored(
    root: Path, files: dict[str, str] = FILES, today: date = MID_Q4, toml: str = ""
) -> Scoreboard:
    return score_repo(make_repo(root, files, today, toml))


def test_rollup_across_files_and_a_year_to_quarter_boundary(tmp_path: Path) -> None:
    board = scored(tmp_path)
    score = {key: item.score for key, item in board.by_id.items()}
    plat_1 = (1 * 0.8 + 3 * 0.75) / 4  # own key results, weighted
    sre_1 = 1.0
    plat_2 = (1 * 1.0 + 1 * (5 / 20) + 2 * sre_1) / 4  # its key results and SRE-1 (weight 2)
    rollup = (3 * plat_1 + 1 * plat_2) / 4  # PLAT-4 has weight 0; PLAT-5 is not under it
    assert score["PLAT-1"] == pytest.approx(plat_1) == pytest.approx(0.7625)
    assert score["SRE-1"] == sre_1
    assert score["PLAT-2"] == pytest.approx(plat_2) == pytest.approx(0.8125)
    assert score["CO-1.1"] == pytest.approx(rollup) == pytest.approx(0.775)
    assert score["CO-1"] == pytest.approx((2 * rollup + 1 * 0.5) / 3)


def test_weight_zero_and_children_of_measured_key_results_are_shown_not_counted(
    tmp_path: Path,
) -> None:
    board = scored(tmp_path)
    assert board.by_id["PLAT-4"].score == 1.0 and not board.by_id["PLAT-4"].counts
    assert board.by_id["PLAT-5"].score == 0.0 and not board.by_id["PLAT-5"].counts
    assert board.by_id["CO-1.2"].score == 0.5  # PLAT-5 at 0 does not pull it down
    assert board.by_id["PLAT-1"].counts and board.by_id["SRE-1"].counts


def test_objective_without_contributors_is_unscored(tmp_path: Path) -> None:
    item = scored(tmp_path).by_id["PLAT-6"]
    assert (item.score, item.raw, item.status, item.gap) == (None, None, None, None)


def test_raw_is_uncapped_and_score_clamped(tmp_path: Path) -> None:
    files = dict(FILES)
    files["okrs/2026-Q4/sre.yaml"] = SRE.replace(
        "below: 5, current: 3", "start: 10, target: 20, current: 25"
    )
    board = scored(tmp_path, files)
    assert board.by_id["SRE-1.1"].raw == pytest.approx(1.5)
    assert board.by_id["SRE-1.1"].score == 1.0
    assert board.by_id["SRE-1"].score == 1.0  # objectives roll up scores, not raw progress


def test_pace_gap_and_status(tmp_path: Path) -> None:
    board = scored(tmp_path)
    q4, year = 46 / 92, 319 / 365
    item = board.by_id["PLAT-2.2"]
    assert item.expected == pytest.approx(q4)
    assert item.gap == pytest.approx(q4 - 0.25)
    assert item.status == "at_risk"  # gap 0.25 is at_risk (inclusive)
    assert board.by_id["PLAT-1.1"].status == "on_track"  # ahead of the calendar
    assert board.by_id["CO-1.2"].expected == pytest.approx(year)
    assert board.by_id["CO-1.2"].status == "off_track"  # gap 0.37
    # Each from its own score and expected, never the worst of its parts. PLAT-2: the done
    # milestone (no `due`: expected at the cycle's end, 0 now), PLAT-2.2 at 0.25 of 0.5 and
    # SRE-1 (weight 2), a threshold that holds (1 of 1).
    plat2 = board.by_id["PLAT-2"]
    assert plat2.score == pytest.approx((1 + 0.25 + 2 * 1) / 4)
    assert plat2.expected == pytest.approx((0 + 0.5 + 2 * 1) / 4)
    assert plat2.status == "on_track"  # ahead of its pace with a key result at risk
    # PLAT-1: (0.8 + 3 × 0.75) / 4 against (0.5 + 3 × 0.5) / 4
    plat1 = board.by_id["PLAT-1"]
    assert (plat1.score, plat1.expected) == (pytest.approx(0.7625), pytest.approx(0.5))
    # CO-1.1 rolls up PLAT-1 (weight 3) and PLAT-2; PLAT-4 (weight 0) does not count
    rollup = board.by_id["CO-1.1"]
    assert rollup.score == pytest.approx((3 * 0.7625 + 0.8125) / 4)
    assert rollup.expected == pytest.approx((3 * 0.5 + 0.625) / 4)
    assert rollup.status == "on_track"
    # CO-1: CO-1.1 (weight 2) and CO-1.2 (off track): ahead of its own pace overall
    company = board.by_id["CO-1"]
    assert company.score == pytest.approx((2 * rollup.score + 0.5) / 3)
    assert company.expected == pytest.approx((2 * rollup.expected + year) / 3)
    assert company.status == "on_track"


def test_thresholds_come_from_config(tmp_path: Path) -> None:
    board = scored(tmp_path, toml="[thresholds]\non_track = 0.4\nat_risk = 0.5\n")
    assert board.by_id["CO-1.2"].status == "on_track"  # gap 0.37 <= 0.4
    assert board.by_id["PLAT-2.2"].status == "on_track"


def test_manual_status_wins_for_its_item_only(tmp_path: Path) -> None:
    files = dict(FILES)
    files["okrs/2026-Q4/platform.yaml"] = PLATFORM.replace(
        "current: 8}", "current: 8, status: off_track}"
    )
    board = scored(tmp_path, files)
    assert board.by_id["PLAT-1.1"].status == "off_track"
    assert board.by_id["PLAT-1.1"].manual
    # its objective is judged on its own pace: 0.7625 against 0.5
    assert board.by_id["PLAT-1"].status == "on_track" and not board.by_id["PLAT-1"].manual
    files["okrs/2026-Q4/sre.yaml"] = SRE.replace("weight: 2\n", "weight: 2\n    status: at_risk\n")
    item = scored(tmp_path / "again", files).by_id["SRE-1"]
    assert (item.status, item.manual) == ("at_risk", True)  # although its key result is on track


def test_end_of_cycle_judgement(tmp_path: Path) -> None:
    after = scored(tmp_path, today=date(2027, 1, 5))
    assert after.by_id["CO-1"].judgement == "missed"  # committed, below 1.0
    assert after.by_id["PLAT-1"].judgement == "achieved"  # aspirational, 0.76 >= 0.7
    assert after.by_id["PLAT-5"].judgement == "missed"  # aspirational, 0 < 0.7
    assert after.by_id["PLAT-6"].judgement is None  # unscored
    assert after.by_id["PLAT-1"].expected == 1.0
    during = scored(tmp_path / "during")
    assert all(item.judgement is None for item in during.by_id.values())


def test_committed_at_one_is_achieved_on_the_last_day(tmp_path: Path) -> None:
    files = {"okrs/2026-Q4/sre.yaml": SRE.replace("parent: PLAT-2\n", "type: committed\n")}
    item = scored(tmp_path, files, today=date(2026, 12, 31)).by_id["SRE-1"]
    assert (item.score, item.expected, item.judgement) == (1.0, 1.0, "achieved")


def test_broken_references_are_scored_and_listed_as_skipped(tmp_path: Path) -> None:
    files = dict(FILES)
    files["okrs/2026-Q4/sre.yaml"] = SRE.replace("parent: PLAT-2", "parent: PLAT-9")
    files["okrs/2026-Q4/loop.yaml"] = """\
team: loop
cycle: 2026-Q4
objectives:
  - {id: A-1, title: A, parent: B-1, key_results: [{id: A-1.1, title: a, done: true}]}
  - {id: B-1, title: B, parent: A-1, key_results: [{id: B-1.1, title: b, done: false}]}
"""
    board = scored(tmp_path, files)
    assert board.skipped["SRE-1"] == "parent PLAT-9 does not exist"
    assert board.by_id["SRE-1"].score == 1.0
    assert board.by_id["PLAT-2"].score == pytest.approx(0.625)  # SRE-1 no longer counts
    assert "alignment loop" in board.skipped["A-1"] and "alignment loop" in board.skipped["B-1"]
    assert {board.by_id["A-1"].score, board.by_id["B-1"].score} <= {0.0, 0.5, 1.0}


def test_duplicate_id_is_skipped_and_the_first_is_used(tmp_path: Path) -> None:
    files = dict(FILES)
    files["okrs/2026-Q4/zz.yaml"] = SRE.replace("team: sre", "team: zz").replace(
        "current: 3", "current: 9"
    )
    board = scored(tmp_path, files)
    assert board.skipped["SRE-1"] == "duplicate id; the one at okrs/2026-Q4/sre.yaml:4 is used"
    assert board.by_id["SRE-1"].score == 1.0


def test_default_cycle_is_the_shortest_holding_today_else_the_latest(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, FILES, MID_Q4)
    assert [c.name for c in select(repo.graph, MID_Q4).cycles] == ["2026-Q4"]
    assert [c.name for c in select(repo.graph, date(2026, 3, 1)).cycles] == ["2026"]
    assert [c.name for c in select(repo.graph, date(2027, 3, 1)).cycles] == ["2026-Q4"]
    everything = select(repo.graph, MID_Q4, "all")
    assert [c.name for c in everything.cycles] == ["2026", "2026-Q4"]
    assert len(everything.objectives) == 7
    enclosing = select(repo.graph, MID_Q4, enclosing=True)
    assert [c.name for c in enclosing.cycles] == ["2026", "2026-Q4"]
    sre = select(repo.graph, MID_Q4, focus=Focus(teams=frozenset({"sre"})))
    assert [o.id for o in sre.objectives] == ["SRE-1"]
