"""The plan lock: each way round a plan (a key result renamed with a lower target, deleted,
dropped, its objective demoted, its weight cut) is OKR207 after the lock, not before it,
and not with an `OKR-Replan:` trailer; `okr diff` names every one of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Okr, commit_all, git, init_repo, write

PATH = "okrs/2026-Q4/growth.yaml"
GROWTH = """\
team: growth
cycle: 2026-Q4
owner: dana
objectives:
  - id: GROW-1
    title: Customers stay
    type: committed
    key_results:
      - id: GROW-1.1
        title: Net revenue retention
        start: 100
        target: 110
        current: 102
        unit: "%"
        weight: 2
      - id: GROW-1.2
        title: Logo churn
        start: 5
        target: 2
        current: 4.5
        unit: "%"
      - id: GROW-1.3
        title: Onboarding NPS
        start: 20
        target: 40
        current: 25
        unit: points
"""
CHURN = """\
      - id: GROW-1.2
        title: Logo churn
        start: 5
        target: 2
        current: 4.5
        unit: "%"
"""

# name: (text replaced, replacement, what OKR207 says, what the markdown diff says)
EVASIONS = {
    "rename and lower the target": (
        "id: GROW-1.2\n        title: Logo churn\n        start: 5\n        target: 2",
        "id: GROW-1.4\n        title: Logo churn\n        start: 5\n        target: 4",
        "`GROW-1.4`: renamed from GROW-1.2, target 2 → 4 in ",
        "- `GROW-1.4` (Logo churn): renamed from GROW-1.2\n- `GROW-1.4` (Logo churn): target 2 → 4",
    ),
    "delete": (
        CHURN,
        "",
        "`GROW-1.2`: removed from GROW-1 in ",
        "- `GROW-1.2` (Logo churn): removed",
    ),
    "demote": (
        "type: committed",
        "type: aspirational",
        "`GROW-1`: type committed → aspirational in ",
        "- `GROW-1` (Customers stay): type committed → aspirational",
    ),
    "drop": (
        "        current: 4.5\n",
        "        current: 4.5\n        status: dropped\n",
        "`GROW-1.2`: dropped in ",
        "- `GROW-1.2` (Logo churn): status — → dropped",
    ),
    "cut a weight": (
        "weight: 2\n",
        "weight: 0\n",
        "`GROW-1.1`: weight 2 → 0 in ",
        "- `GROW-1.1` (Net revenue retention): weight 2 → 0",
    ),
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = init_repo(tmp_path / "repo")
    write(root / "okr.toml", 'ignore = ["OKR208"]\n')
    write(root / PATH, GROWTH)
    commit_all(root, "Q4 OKRs", "2026-09-28T09:00:00+00:00")
    return root


def _replan(repo: Path, evasion: str, day: str, message: str = "Update growth") -> str:
    old, new, _, _ = EVASIONS[evasion]
    path = repo / PATH
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return commit_all(repo, message, f"{day}T10:00:00+00:00")


def _okr207(okr: Okr, repo: Path) -> list[str]:
    result = okr("--today", "2026-11-20", "check", "--format", "json", "--root", repo)
    assert result.code == 0, result.err
    return [f["message"] for f in json.loads(result.out)["findings"] if f["code"] == "OKR207"]


@pytest.mark.parametrize("evasion", EVASIONS)
def test_each_evasion_is_reported_after_the_lock(repo: Path, okr: Okr, evasion: str) -> None:
    sha = _replan(repo, evasion, "2026-11-03")
    (message,) = _okr207(okr, repo)
    said = EVASIONS[evasion][2]
    assert message.startswith(f"{said}{sha[:10]} by Test Author on 2026-11-03, after the "
                              "2026-Q4 plan locked on 2026-10-15; ")  # fmt: skip
    assert "`OKR-Replan: <reason>` trailer" in message


@pytest.mark.parametrize("evasion", EVASIONS)
def test_the_same_change_before_the_lock_is_planning(repo: Path, okr: Okr, evasion: str) -> None:
    _replan(repo, evasion, "2026-10-14")  # the lock is 14 days into the cycle: 2026-10-15
    assert _okr207(okr, repo) == []


@pytest.mark.parametrize("evasion", EVASIONS)
def test_a_replan_with_a_reason_is_not_reported(repo: Path, okr: Okr, evasion: str) -> None:
    message = "Replan growth\n\nOKR-Replan: churn moved to the retention team"
    _replan(repo, evasion, "2026-11-03", message)
    assert _okr207(okr, repo) == []
    result = okr("--today", "2027-01-05", "review", "2026-Q4", "--format", "json", "--root", repo)
    replans = json.loads(result.out)["replans"]
    said = EVASIONS[evasion][2].split(": ", 1)[1].removesuffix(" in ")
    assert said in ", ".join(r["change"] for r in replans)
    assert {r["reason"] for r in replans} == {"churn moved to the retention team"}


def test_lock_after_days_per_cycle_length(repo: Path, okr: Okr) -> None:
    write(repo / "okr.toml", 'ignore = ["OKR208"]\nlock_after_days = { quarter = 45 }\n')
    _replan(repo, "cut a weight", "2026-11-03")  # 33 days in: still planning
    assert _okr207(okr, repo) == []
    write(repo / "okr.toml", 'ignore = ["OKR208"]\nlock_after_days = { year = 45 }\n')
    assert len(_okr207(okr, repo)) == 1  # a quarter keeps the default 14


@pytest.mark.parametrize("evasion", EVASIONS)
def test_okr_diff_markdown_names_each_replan(repo: Path, okr: Okr, evasion: str) -> None:
    _replan(repo, evasion, "2026-11-03")
    result = okr("--today", "2026-11-20", "diff", "HEAD~1", "HEAD", "--format", "markdown",
                 "--root", repo)  # fmt: skip
    assert result.code == 0, result.err
    assert EVASIONS[evasion][3] in result.out
    assert "No changes" not in result.out


def test_the_commit_is_named_when_a_key_result_moves_between_commits(repo: Path, okr: Okr) -> None:
    _replan(repo, "cut a weight", "2026-11-03")
    path = repo / PATH
    path.write_text(path.read_text().replace("target: 110", "target: 105"))
    sha = commit_all(repo, "Lower NRR", "2026-11-04T10:00:00+00:00")
    (message,) = _okr207(okr, repo)
    assert message.startswith(f"`GROW-1.1`: target 110 → 105 in {sha[:10]} ")
    assert "(replanned in 2 commits)" in message
    assert git(repo, "rev-list", "--count", "HEAD") == "3\n"


def test_okr_review_lists_replans_with_their_reasons(repo: Path, okr: Okr) -> None:
    _replan(repo, "demote", "2026-11-03", "Demote\n\nOKR-Replan: the market moved; agreed 11-02")
    _replan(repo, "cut a weight", "2026-11-04")
    _replan(repo, "delete", "2026-10-10")  # before the lock: planning, not listed
    result = okr("--today", "2027-01-05", "review", "2026-Q4", "--format", "json", "--root", repo)
    assert result.code == 0, result.err
    listed = [
        (r["id"], r["date"], r["change"], r["reason"]) for r in json.loads(result.out)["replans"]
    ]
    assert listed == [
        ("GROW-1", "2026-11-03", "type committed → aspirational",
         "the market moved; agreed 11-02"),
        ("GROW-1.1", "2026-11-04", "weight 2 → 0", None),
    ]  # fmt: skip
    text = okr("--today", "2027-01-05", "review", "2026-Q4", "--root", repo).out
    assert "Replans after the plan lock" in text and "the market moved" in text
    assert "none given (OKR207)" in text
    markdown = okr("--today", "2027-01-05", "review", "2026-Q4", "--format", "markdown",
                   "--root", repo).out  # fmt: skip
    assert "Replans after the plan lock" in markdown and "the market moved" in markdown


def test_okr_log_shows_target_changes_and_replans_with_their_reasons(repo: Path, okr: Okr) -> None:
    _replan(repo, "rename and lower the target", "2026-11-03", "Easier\n\nOKR-Replan: new team")
    result = okr("log", "GROW-1", "--format", "json", "--root", repo)
    assert result.code == 0, result.err
    replans = [(r["id"], r["what"], r["old"], r["new"], r["reason"])
               for r in json.loads(result.out)["replans"]]  # fmt: skip
    assert replans == [
        ("GROW-1.4", "renamed", "GROW-1.2", "GROW-1.4", "new team"),
        ("GROW-1.4", "target", 2, 4, "new team"),
    ]
    text = okr("log", "GROW-1.4", "--root", repo).out
    assert "Targets and plans changed:" in text
    assert "target 2 → 4" in text and "renamed from GROW-1.2" in text
    assert "OKR-Replan: new team" in text
