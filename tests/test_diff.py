"""`okr diff`: what a branch does to the OKRs, on a real repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Okr, commit_all, git, init_repo, write

COMPANY = """\
team: company
cycle: 2026-Q4
objectives:
  - id: ACME-1
    title: Customers trust us
    key_results:
      - id: ACME-1.1
        title: Churn
        start: 5
        target: 3
        current: 4
        unit: "%"
  - id: ACME-2
    title: Engineering is fast
    key_results:
      - id: ACME-2.1
        title: Lead time
        start: 10
        target: 2
        current: 6
        unit: days
"""
PLATFORM = """\
team: platform
cycle: 2026-Q4
objectives:
  - id: PLAT-1
    title: Deploys are boring
    parent: ACME-1
    key_results:
      - id: PLAT-1.1
        title: Deploy success rate
        start: 90
        target: 100
        current: 95
        unit: "%"
      - id: PLAT-1.2
        title: Rollback time
        start: 60
        target: 10
        current: 35
        unit: min
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    init_repo(tmp_path)
    write(tmp_path / "okrs" / "2026-Q4" / "company.yaml", COMPANY)
    write(tmp_path / "okrs" / "2026-Q4" / "platform.yaml", PLATFORM)
    commit_all(tmp_path, "Q4 OKRs", "2026-10-01T09:00:00+00:00")
    git(tmp_path, "checkout", "-q", "-b", "rethink")
    platform = PLATFORM.replace("target: 100", "target: 98").replace(
        "parent: ACME-1", "parent: ACME-2"
    )
    platform = platform.replace("current: 35", "current: 30")
    platform = platform.split("      - id: PLAT-1.2")[0]  # PLAT-1.2 removed
    platform += ("  - id: PLAT-2\n    title: On-call is humane\n    key_results:\n"
                 "      - id: PLAT-2.1\n        title: Pages per week\n        start: 20\n"
                 "        target: 5\n        current: 20\n        unit: pages\n")  # fmt: skip
    write(tmp_path / "okrs" / "2026-Q4" / "platform.yaml", platform)
    commit_all(tmp_path, "Rethink platform", "2026-10-20T09:00:00+00:00")
    return tmp_path


def test_diff_against_the_default_branch_reports_every_kind_of_change(repo: Path, okr: Okr) -> None:
    path = repo / "okrs" / "2026-Q4" / "company.yaml"
    path.write_text(COMPANY.replace("current: 6", "current: 4"))  # a check-in, not committed
    result = okr("diff", "--format", "json", "--root", repo)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["version"] == 1 and data["head"] == "work tree"
    assert data["base"].startswith("main (merge base ")
    assert [i["id"] for i in data["added"]] == ["PLAT-2", "PLAT-2.1"]
    assert [i["id"] for i in data["removed"]] == ["PLAT-1.2"]
    assert [(m["id"], m["what"], m["old"], m["new"]) for m in data["retargeted"]] == [
        ("PLAT-1.1", "target", 100, 98)
    ]
    assert [(m["id"], m["old"], m["new"]) for m in data["reparented"]] == [
        ("PLAT-1", "ACME-1", "ACME-2")
    ]
    assert [(m["id"], m["old"], m["new"]) for m in data["checkins"]] == [("ACME-2.1", 6, 4)]
    scores = {m["id"]: (m["old"], m["new"]) for m in data["scores"]}
    # PLAT-1.1 re-targeted: 5/10 → 5/8; PLAT-1 loses PLAT-1.2 (0.5) and moves to ACME-2
    assert scores["PLAT-1.1"] == (0.5, 0.625)
    assert scores["PLAT-1"] == (0.5, 0.625)
    assert scores["ACME-2.1"] == (0.5, 0.75)
    assert "ACME-1" not in scores  # 0.5 with PLAT-1 at 0.5, and 0.5 without it
    assert scores["ACME-2"] == (0.5, 0.688)


def test_markdown_for_a_pull_request_comment(repo: Path, okr: Okr) -> None:
    result = okr("diff", "main", "HEAD", "--format", "markdown", "--root", repo)
    assert result.code == 0, result.err
    text = result.out
    assert text.startswith("### OKR changes: `main` → `HEAD`\n")
    assert "| re-targeted | `PLAT-1.1` | key result | target 100 → 98 |" in text
    assert "| re-parented | `PLAT-1` | objective | parent ACME-1 → ACME-2 |" in text
    assert "| added | `PLAT-2` | objective | On-call is humane |" in text
    assert "| removed | `PLAT-1.2` | key result | Rollback time |" in text
    assert "| `PLAT-1.1` | Deploy success rate | 0.500 → 0.625 | +0.125 |" in text


def test_text_and_no_changes(repo: Path, okr: Okr) -> None:
    text = okr("diff", "main", "rethink", "--root", repo).out
    assert "Added (2):\n  + PLAT-2    objective   On-call is humane\n" in text
    assert "Re-targeted (1):\n    PLAT-1.1  target 100 → 98\n" in text
    same = okr("diff", "HEAD", "--root", repo)
    assert same.code == 0 and same.out.endswith("No changes to objectives or key results.\n")


def test_without_a_default_branch_or_git_it_says_what_to_do(
    repo: Path, okr: Okr, tmp_path_factory: pytest.TempPathFactory
) -> None:
    git(repo, "branch", "-m", "main", "trunk")
    result = okr("diff", "--root", repo)
    assert result.code == 2 and "name a BASE" in result.err
    assert okr("diff", "trunk", "--root", repo).code == 0
    plain = tmp_path_factory.mktemp("plain")
    write(plain / "okr.toml", "")
    result = okr("diff", "--root", plain)
    assert result.code == 2 and "not in a git repository" in result.err
