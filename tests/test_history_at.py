"""`--at REV|DATE` on score, tree and check: the files as they were, and today then."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Okr, commit_all, init_repo, write

FILE = """\
team: platform
cycle: 2026-Q4
objectives:
  - id: PLAT-1
    title: Deploys are boring
    owner: dana
    key_results:
      - id: PLAT-1.1
        title: Deploy success rate
        start: 90
        target: 100
        current: 92
        unit: "%"
        owner: dana
      - id: PLAT-1.2
        title: Rollback time
        start: 60
        target: 10
        current: 60
        unit: min
        owner: dana
"""


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, str]:
    init_repo(tmp_path)
    path = write(tmp_path / "okrs" / "2026-Q4" / "platform.yaml", FILE)
    first = commit_all(tmp_path, "Q4 OKRs", "2026-10-01T09:00:00+00:00")
    path.write_text(
        FILE.replace("current: 92", "current: 98").replace("current: 60", "current: 35")
    )
    commit_all(tmp_path, "Mid-quarter numbers", "2026-11-15T09:00:00+00:00")
    return tmp_path, first


def _scores(out: str) -> dict[str, float | None]:
    data = json.loads(out)
    found = {}
    for objective in data["objectives"]:
        found[objective["id"]] = objective["score"]
        found.update({kr["id"]: kr["score"] for kr in objective["key_results"]})
    return found


def test_at_a_revision_or_a_date_gives_the_earlier_score(repo: tuple[Path, str], okr: Okr) -> None:
    root, first = repo
    now = _scores(okr("score", "--format", "json", "--root", root).out)
    assert now == {"PLAT-1": 0.65, "PLAT-1.1": 0.8, "PLAT-1.2": 0.5}
    for at in (first, "HEAD~1", "2026-10-20"):
        result = okr("score", "--at", at, "--format", "json", "--root", root)
        assert result.code == 0, result.err
        assert _scores(result.out) == {"PLAT-1": 0.1, "PLAT-1.1": 0.2, "PLAT-1.2": 0.0}
    # and "today" is that moment: the expected progress of the cycle then
    then = json.loads(okr("score", "--at", "2026-10-20", "--format", "json", "--root", root).out)
    assert then["at"] == "2026-10-20"
    assert then["objectives"][0]["expected"] == round(20 / 92, 3)


def test_tree_and_check_at_a_revision(repo: tuple[Path, str], okr: Okr) -> None:
    root, first = repo
    tree = okr("tree", "--at", first, "--root", root)
    assert tree.code == 0, tree.err
    assert "0.20" in tree.out and "0.80" not in tree.out
    (root / "okrs" / "2026-Q4" / "platform.yaml").write_text("team: [broken\n")
    assert okr("check", "--root", root).code == 1  # the work tree is broken…
    assert okr("check", "--at", "HEAD", "--root", root).code == 0  # …HEAD is not


def test_at_before_the_first_commit_or_an_unknown_revision(
    repo: tuple[Path, str], okr: Okr
) -> None:
    root, _ = repo
    result = okr("score", "--at", "2025-01-01", "--root", root)
    assert result.code == 2 and "no commit on HEAD before that date" in result.err
    result = okr("score", "--at", "nonsense", "--root", root)
    assert result.code == 2 and "not a revision or a date" in result.err
    result = okr("diff", "nonsense", "--root", root)
    assert result.code == 2 and result.err.startswith("okr: error: BASE nonsense: not a revision")


@pytest.mark.parametrize(
    ("args", "option", "day"),
    [
        (["check", "--at"], "--at", "9999-12-31"),
        (["score", "--format", "json", "--at"], "--at", "0001-01-01"),
        (["tree", "--at"], "--at", "3000-01-01T09:00:00"),
        (["review", "--at"], "--at", "1899-12-31"),
        (["report", "--out", "site", "--at"], "--at", "9999-01-01"),
        (["check", "--since"], "--since", "9999-01-01"),
        (["log", "--since"], "--since", "0001-01-01"),
        (["diff"], "BASE", "9999-01-01"),
        (["diff", "HEAD"], "HEAD", "1899-12-31"),
    ],
)
def test_a_date_outside_the_years_okr_works_in_is_one_sentence(
    repo: tuple[Path, str], okr: Okr, args: list[str], option: str, day: str
) -> None:
    root, _ = repo
    result = okr(*args, day, "--root", root, cwd=root)
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        f"okr: error: {option} must be a date in the years 1900 to 2999, not '{day}'\n"
    )


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_date_outside_the_years_is_refused_outside_git_too(
    tmp_path: Path, okr: Okr, day: str
) -> None:
    write(tmp_path / "okr.toml", "")
    write(tmp_path / "okrs" / "2026-Q4" / "platform.yaml", FILE)
    result = okr("score", "--at", day, "--root", tmp_path)
    assert (result.code, result.out) == (2, "")
    assert result.err == f"okr: error: --at must be a date in the years 1900 to 2999, not '{day}'\n"
