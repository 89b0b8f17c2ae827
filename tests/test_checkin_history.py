"""Check-ins that move no number still count: in `okr log`, for OKR208 and in the review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Okr, commit_all, git, init_repo, write

REL = "okrs/2026-Q4/platform.yaml"
PLATFORM = """\
team: platform
cycle: 2026-Q4
owner: dana
objectives:
  - id: PLAT-1
    title: Deploys are boring
    key_results:
      - id: PLAT-1.1
        title: Deploy success rate
        start: 90
        target: 100
        current: 92
        unit: "%"
      - id: PLAT-1.2
        title: Pipelines migrated
        milestones:
          - {title: api, done: true}
          - {title: web, done: false}
      - id: PLAT-1.3
        title: p95 deploy time
        start: 40
        target: 20
        current: 30
        unit: min
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    init_repo(tmp_path)
    write(tmp_path / REL, PLATFORM)
    write(tmp_path / "okr.toml", "stale_days = 14\n")
    commit_all(tmp_path, "Q4 OKRs", "2026-10-01T09:00:00+00:00")
    return tmp_path


def _at(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    """The next commits are made on `day` (the real clock plays no part)."""
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_DATE", f"{day}T10:00:00+00:00")


def _stale(okr: Okr, repo: Path) -> set[str]:
    result = okr("--today", "2026-11-20", "check", "--format", "json", "--root", repo)
    assert result.code == 0, result.err
    findings = json.loads(result.out)["findings"]
    return {f["message"].split("`")[1] for f in findings if f["code"] == "OKR208"}


def test_an_unchanged_value_with_a_note_is_logged_and_resets_staleness(
    repo: Path, okr: Okr, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _stale(okr, repo) == {"PLAT-1.1", "PLAT-1.2", "PLAT-1.3"}
    _at(monkeypatch, "2026-11-18")
    result = okr("checkin", "PLAT-1.1", "92", "-m", "flat: the vendor slipped", "--root", repo)
    assert result.code == 0, result.err
    assert git(repo, "show", "--name-only", "--format=", "HEAD").strip() == ""  # empty commit
    assert "OKR-Id: PLAT-1.1\nOKR-Value: 92" in git(repo, "log", "-1", "--format=%B")

    assert _stale(okr, repo) == {"PLAT-1.2", "PLAT-1.3"}
    log = json.loads(okr("log", "PLAT-1.1", "--format", "json", "--root", repo).out)
    rows = [(r["date"][:10], r["old"], r["new"], r["note"]) for r in log["checkins"]]
    assert rows[0] == ("2026-11-18", 92, 92, "flat: the vendor slipped")
    text = okr("log", "PLAT-1.1", "--root", repo).out
    assert "92 → 92" in text and "flat: the vendor slipped" in text


def test_confidence_only_and_checklist_notes_are_in_the_log_and_the_review(
    repo: Path, okr: Okr, monkeypatch: pytest.MonkeyPatch
) -> None:
    _at(monkeypatch, "2026-11-17")
    assert (
        okr("checkin", "PLAT-1.3", "--confidence", "4", "-m", "the cache", "--root", repo).code == 0
    )
    _at(monkeypatch, "2026-11-18")
    result = okr("checkin", "PLAT-1.2", "--done", "web", "-m", "web moved over", "--root", repo)
    assert result.code == 0, result.err
    assert _stale(okr, repo) == {"PLAT-1.1"}

    log = json.loads(okr("log", "--format", "json", "--root", repo).out)
    rows = [(r["id"], r["confidence"], r["note"]) for r in log["checkins"][:2]]
    assert rows == [("PLAT-1.2", None, "web moved over"), ("PLAT-1.3", 4.0, "the cache")]

    review = okr("--today", "2027-01-05", "review", "2026-Q4", "--format", "json", "--root", repo)
    assert review.code == 0, review.err
    notes = {(n["id"], n["note"]) for n in json.loads(review.out)["learnings"]}
    assert {("PLAT-1.3", "the cache"), ("PLAT-1.2", "web moved over")} <= notes


def test_a_batch_check_in_logs_each_key_result_with_its_own_note(
    repo: Path, okr: Okr, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _at(monkeypatch, "2026-11-18")
    sheet = write(tmp_path / "week.csv", "id,value,confidence,note\nPLAT-1.1,92,6,flat\n"
                  "PLAT-1.3,25,,faster builds\n")  # fmt: skip
    assert okr("checkin", "--from", sheet, "--root", repo).code == 0
    log = json.loads(okr("log", "--format", "json", "--root", repo).out)
    rows = {(r["id"], r["old"], r["new"], r["confidence"], r["note"]) for r in log["checkins"]}
    assert ("PLAT-1.1", 92, 92, 6.0, "flat") in rows
    assert ("PLAT-1.3", 30, 25, None, "faster builds") in rows
    assert _stale(okr, repo) == {"PLAT-1.2"}
