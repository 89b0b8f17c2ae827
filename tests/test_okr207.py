"""OKR207: a target moved after the cycle began, found in git history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Okr, commit_all, git, init_repo, write

FILE = """\
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
        title: Rollback time
        start: 60
        target: 10
        current: 40
        unit: min
"""
PATH = "okrs/2026-Q4/platform.yaml"
ACKNOWLEDGE = (
    "say why with an `OKR-Replan: <reason>` trailer on the commit that replans, or, once "
    "agreed, `# okr: ignore[OKR207]` on this line"
)


def _edit(repo: Path, old: str, new: str) -> None:
    path = repo / PATH
    path.write_text(path.read_text().replace(old, new, 1))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    init_repo(tmp_path)
    write(tmp_path / PATH, FILE)
    write(tmp_path / "okr.toml", 'ignore = ["OKR208"]\n')
    commit_all(tmp_path, "Draft Q4 OKRs", "2026-09-20T09:00:00+00:00")
    _edit(tmp_path, "target: 10\n", "target: 15\n")  # planning, before the cycle: no move
    commit_all(tmp_path, "Q4 OKRs agreed", "2026-09-28T09:00:00+00:00")
    _edit(tmp_path, "current: 92", "current: 95")
    commit_all(tmp_path, "Weekly numbers", "2026-10-10T09:00:00+00:00")
    return tmp_path


def _okr207(okr: Okr, repo: Path, *args: str) -> list[dict[str, object]]:
    result = okr("--today", "2026-11-20", "check", "--format", "json", "--root", repo, *args)
    assert result.code == 0, result.err  # a warning: exit 0 without --strict
    return [f for f in json.loads(result.out)["findings"] if f["code"] == "OKR207"]


def test_moved_target_is_reported_with_commit_author_and_date(repo: Path, okr: Okr) -> None:
    assert _okr207(okr, repo) == []
    _edit(repo, "target: 100\n", "target: 97\n")
    sha = commit_all(repo, "Be realistic", "2026-11-03T16:00:00+00:00")
    (finding,) = _okr207(okr, repo)
    assert (finding["path"], finding["line"], finding["level"]) == (PATH, 11, "warning")
    assert finding["message"] == (
        f"`PLAT-1.1`: target 100 → 97 in {sha[:10]} by Test Author on 2026-11-03, "
        f"after the 2026-Q4 plan locked on 2026-10-15; {ACKNOWLEDGE}"
    )
    # as of a revision before the move, nothing had moved yet
    assert _okr207(okr, repo, "--at", "HEAD~1") == []


def test_a_check_reading_the_cache_finds_what_a_walk_finds(repo: Path, okr: Okr) -> None:
    _edit(repo, "target: 100\n", "target: 97\n")
    commit_all(repo, "Be realistic", "2026-11-03T16:00:00+00:00")
    _edit(repo, "target: 97\n", "target: 98\n")
    commit_all(repo, "A bit more", "2026-11-04T16:00:00+00:00")
    walked = _okr207(okr, repo, "--no-cache")
    assert [f["message"] for f in walked] == [
        f"`PLAT-1.1`: target 97 → 98 in {git(repo, 'rev-parse', 'HEAD')[:10]} by Test Author "
        "on 2026-11-04, after the 2026-Q4 plan locked on 2026-10-15 (replanned in 2 commits); "
        + ACKNOWLEDGE
    ]
    assert not (repo / ".okr_cache").exists()
    assert _okr207(okr, repo) == walked  # walks and fills the cache
    assert _okr207(okr, repo) == walked  # reads it


def test_an_untouched_key_result_and_planning_before_the_cycle_are_quiet(
    repo: Path, okr: Okr
) -> None:
    _edit(repo, "current: 40", "current: 30")
    commit_all(repo, "Rollbacks got faster", "2026-11-03T16:00:00+00:00")
    assert _okr207(okr, repo) == []


def test_a_move_not_committed_yet_is_reported(repo: Path, okr: Okr) -> None:
    _edit(repo, "start: 60", "start: 50")
    (finding,) = _okr207(okr, repo)
    assert finding["line"] == 16
    assert finding["message"] == (
        "`PLAT-1.2`: start 60 → 50, not committed yet, after the 2026-Q4 plan locked on "
        "2026-10-15; commit it with an `OKR-Replan: <reason>` trailer"
    )


def test_silent_outside_git_and_in_a_shallow_clone(
    repo: Path, okr: Okr, tmp_path_factory: pytest.TempPathFactory
) -> None:
    _edit(repo, "target: 100\n", "target: 97\n")
    commit_all(repo, "Be realistic", "2026-11-03T16:00:00+00:00")
    clone = tmp_path_factory.mktemp("shallow") / "clone"
    git(repo, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    assert _okr207(okr, clone) == []
    plain = tmp_path_factory.mktemp("plain")
    write(plain / PATH, (repo / PATH).read_text())
    write(plain / "okr.toml", "")
    result = okr("check", "--root", plain)
    assert result.code == 0 and "OKR207" not in result.out and result.err == ""
