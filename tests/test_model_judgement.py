"""The keys judgement reads: `grade`, `status: dropped`, `due` and `plan`, and their errors."""

from __future__ import annotations

from datetime import date

import pytest

from okrcli.load import load_source

FILE = b"""\
team: platform
cycle: 2026-Q4
objectives:
  - id: P-1
    title: Deploys are boring
    grade: 0.6
    key_results:
      - id: P-1.1
        title: Deploy success rate
        start: 0
        target: 10
        plan: {2026-10-31: 1, 2026-11-30: 3}
      - id: P-1.2
        title: Canary analysis
        done: false
        due: 2026-11-15
      - id: P-1.3
        title: Pipelines migrated
        status: dropped
        notes: the vendor was bought
        milestones:
          - {title: api, done: true, due: 2026-10-20}
          - {title: web}
"""


def test_new_keys_load() -> None:
    source = load_source("okrs/2026-Q4/platform.yaml", FILE)
    assert source.problems == []
    assert source.doc is not None
    [objective] = source.doc.objectives
    metric, milestone, checklist = objective.key_results
    assert objective.grade == 0.6
    assert metric.plan == {date(2026, 10, 31): 1.0, date(2026, 11, 30): 3.0}
    assert metric.kind() == "metric"
    assert milestone.due == date(2026, 11, 15)
    assert milestone.kind() == "milestone"
    assert checklist.status == "dropped"
    assert [m.due for m in checklist.milestones or []] == [date(2026, 10, 20), None]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (b"grade: 0.6", b"grade: 1.5", "objective `P-1`: `grade` must be at most 1, not `1.5`"),
        (b"grade: 0.6", b"grade: true", "objective `P-1`: `grade` must be a number, not `true`"),
        (
            b"due: 2026-11-15",
            b"due: 20261115",
            "key result `P-1.2`: `due` must be a date written YYYY-MM-DD, not `20261115`",
        ),
        (
            b"due: 2026-11-15",
            b"due: 2026-02-30",
            "key result `P-1.2`: `due` is not a day of the calendar",
        ),
        (
            b"2026-11-30: 3",
            b"2026-11-31: 3",
            "key result `P-1.1`: `2026-11-31` is not a day of the calendar",
        ),
        (
            b"2026-11-30: 3",
            b"2026-11-30: .nan",
            "key result `P-1.1`: `2026-11-30` must be a finite number, not `nan`",
        ),
        (
            b"plan: {2026-10-31: 1, 2026-11-30: 3}",
            b"plan: {}",
            "key result `P-1.1`: `plan` needs at least one `YYYY-MM-DD: value` waypoint",
        ),
        (
            b"status: dropped",
            b"status: droped",
            "key result `P-1.3`: `status` must be one of `on_track`, `at_risk`, `off_track` or "
            "`dropped`, not `droped` (did you mean `dropped`?)",
        ),
    ],
)
def test_bad_values_are_one_finding_each(old: bytes, new: bytes, message: str) -> None:
    [problem] = load_source("t.yaml", FILE.replace(old, new)).problems
    assert problem.code == "OKR001"
    assert problem.message == message
