"""Judgement (SPEC §3) against statuses worked out by hand: pace per kind at several days of
a cycle, each objective judged on its own pace, grades, dropped and unmeasured items.

2026-Q4 runs from 2026-10-01 to 2026-12-31: 92 days. At the end of day d of the cycle the
straight line expects d / 92 (2026-11-15 is day 46: 0.5).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from okrcli.render import score_parts
from okrcli.score import Scoreboard
from tests.conftest import Okr, write
from tests.test_score import scored

Q4 = "okrs/2026-Q4/platform.yaml"


def team(*key_results: str, objective: str = "") -> dict[str, str]:
    """One objective, P-1, holding `key_results` (YAML flow mappings)."""
    body = "".join(f"      - {kr}\n" for kr in key_results)
    text = (
        "team: platform\ncycle: 2026-Q4\nobjectives:\n"
        f"  - id: P-1\n    title: Judged\n{objective}    key_results:\n{body}"
    )
    return {Q4: text}


def on(tmp_path: Path, files: dict[str, str], day: str, toml: str = "") -> Scoreboard:
    return scored(tmp_path / day, files, date.fromisoformat(day), toml)


MILESTONE = "{id: P-1.1, title: Canary, done: false, due: 2026-11-15}"


@pytest.mark.parametrize(
    ("day", "expected", "status"),
    [
        ("2026-10-02", 0.0, "on_track"),
        ("2026-11-14", 0.0, "on_track"),  # the day before it is due: not behind yet
        ("2026-11-15", 1.0, "off_track"),  # due today and not done: gap 1
        ("2026-12-20", 1.0, "off_track"),
    ],
)
def test_milestone_before_and_after_its_due_day(
    tmp_path: Path, day: str, expected: float, status: str
) -> None:
    item = on(tmp_path, team(MILESTONE), day).by_id["P-1.1"]
    assert (item.expected, item.status) == (expected, status)


@pytest.mark.parametrize(
    ("day", "expected", "status"),
    [
        ("2026-10-25", 0.0, "on_track"),  # no `due`: not behind until the cycle's last day
        ("2026-12-30", 0.0, "on_track"),
        ("2026-12-31", 1.0, "off_track"),
    ],
)
def test_milestone_without_due_is_expected_on_the_last_day(
    tmp_path: Path, day: str, expected: float, status: str
) -> None:
    files = team("{id: P-1.1, title: Canary, done: false}")
    item = on(tmp_path, files, day).by_id["P-1.1"]
    assert (item.expected, item.status) == (expected, status)


def test_done_milestone_is_on_track_whenever_it_is_due(tmp_path: Path) -> None:
    files = team(MILESTONE.replace("done: false", "done: true"))
    for day in ("2026-10-02", "2026-11-15", "2026-12-20"):
        assert on(tmp_path, files, day).by_id["P-1.1"].status == "on_track"


# 0 → 100 with 40 planned by 2026-11-30 (day 61): back-loaded, 60 in the last 31 days.
PLANNED = "{id: P-1.1, title: Users, start: 0, target: 100, current: CUR, plan: {2026-11-30: 40}}"


@pytest.mark.parametrize(
    ("day", "current", "expected", "status"),
    [
        # day 46: 40 × 46/61 = 30.2 expected; at 25 the gap is 0.052 (a straight line's
        # 0.5 would make it 0.25: at risk)
        ("2026-11-15", 25, 0.4 * 46 / 61, "on_track"),
        ("2026-11-15", 10, 0.4 * 46 / 61, "at_risk"),  # gap 0.20
        ("2026-11-30", 40, 0.4, "on_track"),  # on the waypoint
        # day 77: 40 + 60 × (77 − 61)/(92 − 61) = 71.0 expected; at 50 the gap is 0.21
        ("2026-12-16", 50, 0.4 + 0.6 * 16 / 31, "at_risk"),
        ("2026-12-16", 30, 0.4 + 0.6 * 16 / 31, "off_track"),
        ("2026-12-31", 100, 1.0, "on_track"),  # the target at the cycle's end
    ],
)
def test_plan_with_a_back_loaded_waypoint(
    tmp_path: Path, day: str, current: int, expected: float, status: str
) -> None:
    files = team(PLANNED.replace("CUR", str(current)))
    item = on(tmp_path, files, day).by_id["P-1.1"]
    assert item.expected == pytest.approx(expected)
    assert item.status == status


def test_plan_waypoints_outside_the_cycle_shape_the_line(tmp_path: Path) -> None:
    """A waypoint after the cycle's end replaces the target there: 50 by 2027-01-30 (day
    122) expects 50 × 92/122 = 37.7 at the end of the cycle."""
    files = team(PLANNED.replace("CUR", "30").replace("2026-11-30: 40", "2027-01-30: 50"))
    item = on(tmp_path, files, "2026-12-31").by_id["P-1.1"]
    assert item.expected == pytest.approx(0.5 * 92 / 122)
    assert item.status == "on_track"  # gap 0.077


# a (weight 1) due 10-15 and done; b (weight 2) due 11-10, not done; c (weight 1) without
# `due`, not done, along the straight line. Score 1/4 all along.
CHECKLIST = (
    "{id: P-1.1, title: Pipelines, milestones: [{title: a, done: true, due: 2026-10-15},"
    " {title: b, weight: 2, due: 2026-11-10}, {title: c}]}"
)


@pytest.mark.parametrize(
    ("day", "expected", "status"),
    [
        ("2026-10-10", (10 / 92) / 4, "on_track"),  # nothing due yet
        ("2026-10-31", (1 + 31 / 92) / 4, "on_track"),  # a due and done: gap 0.08
        ("2026-11-09", (1 + 40 / 92) / 4, "at_risk"),  # gap 0.11
        ("2026-11-15", (1 + 2 + 46 / 92) / 4, "off_track"),  # b is late: gap 0.625
    ],
)
def test_checklist_with_mixed_due_dates(
    tmp_path: Path, day: str, expected: float, status: str
) -> None:
    item = on(tmp_path, team(CHECKLIST), day).by_id["P-1.1"]
    assert item.score == 0.25
    assert item.expected == pytest.approx(expected)
    assert item.status == status


def test_threshold_is_expected_to_hold_all_along(tmp_path: Path) -> None:
    files = team("{id: P-1.1, title: Errors, below: 1, current: 2}")
    item = on(tmp_path, files, "2026-10-02").by_id["P-1.1"]
    assert (item.expected, item.status) == (1.0, "off_track")


def test_objective_ahead_of_its_pace_with_a_part_behind_is_on_track(tmp_path: Path) -> None:
    """Day 46: the done milestone (expected at the end, 0 now) and a metric at 0.25 of 0.5
    (at risk): the objective is at 0.625 against 0.25."""
    files = team(
        "{id: P-1.1, title: Cache on, done: true}",
        "{id: P-1.2, title: Builds, start: 40, target: 20, current: 35}",
    )
    board = on(tmp_path, files, "2026-11-15")
    objective = board.by_id["P-1"]
    assert board.by_id["P-1.2"].status == "at_risk"
    assert (objective.score, objective.expected) == (0.625, 0.25)
    assert objective.status == "on_track"
    assert score_parts.behind_text(board, objective.node) == "1 key result at risk"


def test_objective_behind_its_pace_with_every_part_on_track_is_not(tmp_path: Path) -> None:
    """Both key results are on track by hand, yet both are at 0.1 of 0.5 expected: their
    manual statuses speak for them, not for the objective (gap 0.4)."""
    files = team(
        "{id: P-1.1, title: Users, start: 0, target: 10, current: 1, status: on_track}",
        "{id: P-1.2, title: Revenue, start: 0, target: 10, current: 1, status: on_track}",
    )
    board = on(tmp_path, files, "2026-11-15")
    assert [board.by_id[k].status for k in ("P-1.1", "P-1.2")] == ["on_track", "on_track"]
    objective = board.by_id["P-1"]
    assert objective.gap == pytest.approx(0.4)
    assert (objective.status, objective.manual) == ("off_track", False)


def test_manual_status_on_an_objective_wins(tmp_path: Path) -> None:
    files = team("{id: P-1.1, title: Cache on, done: true}", objective="    status: at_risk\n")
    objective = on(tmp_path, files, "2026-11-15").by_id["P-1"]
    assert (objective.status, objective.manual) == ("at_risk", True)


def test_dropped_key_result_leaves_the_rollup(tmp_path: Path) -> None:
    files = team(
        "{id: P-1.1, title: Users, start: 0, target: 10, current: 6}",
        "{id: P-1.2, title: Vendor, done: false, status: dropped, notes: vendor bought}",
    )
    board = on(tmp_path, files, "2026-11-15")
    dropped = board.by_id["P-1.2"]
    assert (dropped.status, dropped.dropped, dropped.counts) == ("dropped", True, False)
    assert board.by_id["P-1"].score == 0.6  # as if P-1.2 were weight 0
    assert score_parts.dropped_note(dropped) == "dropped: vendor bought"


def test_dropped_objective_leaves_its_parent_and_is_not_judged(tmp_path: Path) -> None:
    files = team("{id: P-1.1, title: Users, start: 0, target: 10, current: 0}")
    files[Q4] += (
        "  - id: P-2\n    title: Parent\n    key_results:\n"
        "      - {id: P-2.1, title: Teams, rollup: true}\n"
    )
    files[Q4] = files[Q4].replace("title: Judged\n", "title: Judged\n    parent: P-2.1\n")
    live = on(tmp_path, files, "2027-01-05")
    assert live.by_id["P-2.1"].score == 0.0 and live.by_id["P-1"].judgement == "missed"
    files[Q4] = files[Q4].replace("parent: P-2.1\n", "parent: P-2.1\n    status: dropped\n")
    board = on(tmp_path / "dropped", files, "2027-01-05")
    assert board.by_id["P-2.1"].score is None  # its only child is out
    assert (board.by_id["P-1"].status, board.by_id["P-1"].judgement) == ("dropped", None)


def test_grade_is_the_score_rollups_use_with_the_computed_one_beside(tmp_path: Path) -> None:
    files = team(
        "{id: P-1.1, title: Users, start: 0, target: 10, current: 3, grade: 0.9}",
        "{id: P-1.2, title: Revenue, start: 0, target: 10, current: 5}",
    )
    board = on(tmp_path, files, "2026-11-15")
    graded = board.by_id["P-1.1"]
    assert (graded.score, graded.computed, graded.raw, graded.grade) == (0.9, 0.3, 0.3, 0.9)
    assert board.by_id["P-1"].score == pytest.approx((0.9 + 0.5) / 2)
    assert score_parts.graded_text(graded) == "0.90 (computed 0.30)"
    files = team("{id: P-1.1, title: Users, start: 0, target: 10, current: 3}")
    files[Q4] = files[Q4].replace("title: Judged\n", "title: Judged\n    grade: 0.8\n")
    objective = on(tmp_path / "objective", files, "2026-11-15").by_id["P-1"]
    assert (objective.score, objective.computed) == (0.8, 0.3)


def test_metric_and_threshold_without_current_are_not_measured(tmp_path: Path) -> None:
    files = team(
        "{id: P-1.1, title: Users, start: 0, target: 10}",
        "{id: P-1.2, title: Errors, below: 1}",
        "{id: P-1.3, title: Revenue, start: 0, target: 10, current: 0}",
    )
    board = on(tmp_path, files, "2026-11-15")
    metric, threshold, measured = (board.by_id[k] for k in ("P-1.1", "P-1.2", "P-1.3"))
    assert (metric.score, metric.measured) == (0.0, False)
    assert (threshold.score, threshold.measured) == (0.0, False)
    assert (measured.score, measured.measured) == (0.0, True)  # measured at 0
    assert score_parts.status_text(metric) == "no check-in yet"
    assert score_parts.status_text(measured) == "off track"


def test_grading_settings_move_the_verdict_and_the_colours(tmp_path: Path) -> None:
    files = team("{id: P-1.1, title: Users, start: 0, target: 100, current: 65}")
    default = on(tmp_path, files, "2027-01-05").by_id["P-1"]
    assert default.judgement == "missed"  # aspirational, 0.65 < 0.7
    toml = "[grading]\naspirational = 0.6\nbands = [0.5, 0.6]\n"
    board = on(tmp_path / "set", files, "2027-01-05", toml)
    assert board.by_id["P-1"].judgement == "achieved"
    assert score_parts.grade(0.55, board.grading.bands) == "yellow"
    assert score_parts.grade(0.45, board.grading.bands) == "red"


@pytest.mark.parametrize(
    ("score", "verdict", "colour"),
    [
        (0.79, "missed", "yellow"),  # green by its grade, but never green beside "missed"
        (0.79, "not met yet", "yellow"),
        (0.3, "missed", "red"),
        (0.79, None, "green"),
        (0.75, "achieved", "green"),
        (0.65, "achieved", "green"),  # achieved under a lower `[grading] aspirational`
    ],
)
def test_colours_never_contradict_the_verdict(score: float, verdict: str, colour: str) -> None:
    assert score_parts.judged(score, verdict, (0.4, 0.7)) == colour


def test_json_carries_measured_grade_computed_dropped(tmp_path: Path, okr: Okr) -> None:
    files = team(
        "{id: P-1.1, title: Users, start: 0, target: 10, current: 3, grade: 0.5}",
        "{id: P-1.2, title: Errors, below: 1}",
        "{id: P-1.3, title: Vendor, done: false, status: dropped}",
    )
    write(tmp_path / "okr.toml", "")
    for rel, text in files.items():
        write(tmp_path / rel, text)
    result = okr("--today", "2026-11-15", "score", "--root", tmp_path, "--format", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["version"] == 1
    [objective] = doc["objectives"]
    users, errors, vendor = objective["key_results"]
    assert (users["score"], users["computed"], users["grade"], users["raw"]) == (0.5, 0.3, 0.5, 0.3)
    assert (users["measured"], errors["measured"]) == (True, False)
    assert (vendor["dropped"], vendor["status"], users["dropped"]) == (True, "dropped", False)
    assert (objective["score"], objective["computed"], objective["grade"]) == (0.25, 0.25, None)
    assert objective["dropped"] is False
    assert objective["contributors"] == {"on_track": 1, "at_risk": 0, "off_track": 1}
    assert errors["expected"] == 1.0 and users["expected"] == 0.5
