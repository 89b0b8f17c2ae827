"""OKR208: no check-in for more than `stale_days` while the cycle is open."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Okr, commit_all, init_repo, write

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
        title: Canary analysis on every service
        done: false
"""
PATH = "okrs/2026-Q4/platform.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    init_repo(tmp_path)
    write(tmp_path / PATH, FILE)
    write(tmp_path / "okr.toml", "stale_days = 14\n")
    commit_all(tmp_path, "Q4 OKRs", "2026-09-25T09:00:00+00:00")
    path = tmp_path / PATH
    path.write_text(path.read_text().replace("current: 92", "current: 94"))
    commit_all(tmp_path, "Weekly numbers", "2026-10-10T09:00:00+00:00")
    return tmp_path


def _stale(okr: Okr, repo: Path, at: str) -> dict[str, str]:
    result = okr("check", "--format", "json", "--at", at, "--root", repo)
    assert result.code == 0, result.err
    findings = json.loads(result.out)["findings"]
    return {f["message"].split("`")[1]: f["message"] for f in findings if f["code"] == "OKR208"}


def test_stale_key_results_during_the_cycle(repo: Path, okr: Okr) -> None:
    # 2026-10-14: the cycle began 13 days ago; nothing is late yet
    assert _stale(okr, repo, "2026-10-14") == {}
    # 2026-10-16: PLAT-1.2 was never checked in since the cycle began (15 days)
    assert _stale(okr, repo, "2026-10-16") == {
        "PLAT-1.2": "no check-in for `PLAT-1.2` in 15 days (last change 2026-09-25; "
        "stale_days = 14): run `okr checkin PLAT-1.2 VALUE`"
    }
    # 2026-11-05: PLAT-1.1 was last checked in on 2026-10-10, 26 days before
    assert set(_stale(okr, repo, "2026-11-05")) == {"PLAT-1.1", "PLAT-1.2"}
    # after the cycle, nothing is stale any more
    assert _stale(okr, repo, "2027-01-10") == {}


def test_stale_days_comes_from_the_configuration(repo: Path, okr: Okr) -> None:
    (repo / "okr.toml").write_text("stale_days = 30\n")
    commit_all(repo, "Relax", "2026-10-21T09:00:00+00:00")
    assert set(_stale(okr, repo, "2026-11-05")) == {"PLAT-1.2"}


def test_a_check_in_waiting_to_be_committed_is_not_stale(repo: Path, okr: Okr) -> None:
    result = okr("check", "--format", "json", "--root", repo)
    stale = {f["message"].split("`")[1] for f in json.loads(result.out)["findings"]
             if f["code"] == "OKR208"}  # fmt: skip
    if not stale:
        pytest.skip("the clock is past 2026-Q4: nothing can be stale in the work tree")
    assert "PLAT-1.2" in stale
    path = repo / PATH
    path.write_text(path.read_text().replace("done: false", "done: true"))
    result = okr("check", "--format", "json", "--root", repo)
    stale_now = {f["message"].split("`")[1] for f in json.loads(result.out)["findings"]
                 if f["code"] == "OKR208"}  # fmt: skip
    assert "PLAT-1.2" not in stale_now


def test_stale_finding_points_at_the_key_result(repo: Path, okr: Okr) -> None:
    result = okr("check", "--at", "2026-11-05", "--root", repo)
    lines = [line for line in result.out.splitlines() if " OKR208 " in line]
    id_line = FILE.splitlines().index("      - id: PLAT-1.1") + 1
    assert lines[0].startswith(f"{PATH}:{id_line}:9: OKR208 no check-in for `PLAT-1.1`")


def test_stale_days_per_cycle_length(repo: Path, okr: Okr) -> None:
    """A yearly key result checked in monthly is not stale after two weeks; a quarter's is."""
    write(repo / "okrs" / "2026" / "company.yaml", FILE.replace("2026-Q4", "2026")
          .replace("team: platform", "team: company").replace("PLAT-", "CO-"))  # fmt: skip
    write(repo / "okr.toml", "stale_days = { quarter = 14, year = 45 }\n")
    commit_all(repo, "The year's OKRs", "2026-10-10T09:00:00+00:00")
    stale = _stale(okr, repo, "2026-11-05")  # 26 days after the last change of both
    assert set(stale) == {"PLAT-1.1", "PLAT-1.2"}
    assert "stale_days = 14" in stale["PLAT-1.1"]
    assert set(_stale(okr, repo, "2026-11-30")) >= {"PLAT-1.1"}
    assert not {"CO-1.1", "CO-1.2"} & set(_stale(okr, repo, "2026-11-20"))  # 41 days
    assert {"CO-1.1", "CO-1.2"} <= set(_stale(okr, repo, "2026-11-30"))  # 51 days


def test_a_bad_cycle_length_is_one_sentence(repo: Path, okr: Okr) -> None:
    write(repo / "okr.toml", "lock_after_days = { quater = 14 }\n")
    result = okr("check", "--root", repo)
    assert result.code == 2
    assert "`lock_after_days.quater`: cycle lengths are quarter, half, year" in result.err
    assert "(did you mean `quarter`?)" in result.err
