"""`okr grade ID GRADE -m NOTE`: one line written, committed like a check-in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Okr, commit_all, git, init_repo, write

REL = "okrs/2026-Q4/platform.yaml"
PLATFORM = """\
team: platform
cycle: 2026-Q4
objectives:
  - id: PLAT-1
    title: Deploys are boring
    key_results:
      - id: PLAT-1.1
        title: Deploy success rate
        start: 92
        target: 99.5
        current: 97.1   # from the dashboard
        unit: "%"
        status: at_risk
      - id: PLAT-1.2
        title: Canary analysis on every service
        done: false
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    init_repo(tmp_path)
    write(tmp_path / REL, PLATFORM)
    commit_all(tmp_path, "OKRs", "2026-10-01T09:00:00+00:00")
    return tmp_path


def test_a_grade_writes_one_line_and_commits(repo: Path, okr: Okr) -> None:
    result = okr("grade", "PLAT-1.1", "0.7", "-m", "good enough given the move", cwd=repo)
    assert result.code == 0, result.err
    assert result.out.startswith("PLAT-1.1: — → 0.7 (score 0.68); committed ")
    after = (repo / REL).read_text()
    assert after == PLATFORM.replace("        status: at_risk\n",
                                     "        status: at_risk\n        grade: 0.7\n")  # fmt: skip
    assert git(repo, "show", "--numstat", "--format=", "HEAD").split() == ["1", "0", REL]
    assert git(repo, "log", "-1", "--format=%B") == (
        "grade PLAT-1.1: — → 0.7\n\ngood enough given the move\n\n"
        "OKR-Id: PLAT-1.1\nOKR-Grade: 0.7\n\n"
    )


def test_an_objective_is_graded_and_a_grade_changes_in_place(repo: Path, okr: Okr) -> None:
    assert okr("grade", "PLAT-1", "0.5", cwd=repo).code == 0
    assert "    title: Deploys are boring\n    grade: 0.5\n" in (repo / REL).read_text()
    result = okr("grade", "PLAT-1", "0.6", cwd=repo)
    assert result.code == 0, result.err
    assert result.out.startswith("PLAT-1: 0.5 → 0.6; committed ")
    assert "    grade: 0.6\n" in (repo / REL).read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["PLAT-1.1", "1.5"], "the grade must be from 0 to 1, not 1.5"),
        (["PLAT-1.1", "good"], "the grade must be a number, not `good`"),
        (["PLAT-9", "0.5"], "no key result `PLAT-9`"),
    ],
)
def test_wrong_grades_are_refused(repo: Path, okr: Okr, args: list[str], message: str) -> None:
    result = okr("grade", *args, cwd=repo)
    assert result.code == 2 and message in result.err
    assert (repo / REL).read_text() == PLATFORM


def test_a_graded_key_result_scores_its_grade_in_the_log_and_over_time(
    repo: Path, okr: Okr
) -> None:
    """A grade is the item's score for rollups: the log's score after the grade, and the
    scores over time of the key result and of its objective, move to it."""
    assert okr("grade", "PLAT-1.1", "0.2", cwd=repo).code == 0
    result = okr("log", "PLAT-1", "--format", "json", "--root", repo)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert [row["score"] for row in data["checkins"] if row["id"] == "PLAT-1.1"] == [0.2, 0.68]
    assert [point["score"] for point in data["series"]["PLAT-1.1"]] == [0.68, 0.2]
    assert [point["score"] for point in data["series"]["PLAT-1"]] == [0.34, 0.1]
