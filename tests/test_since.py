"""`okr check --since REV`: the pull-request mode, in real git repositories."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import Okr, commit_all, git

PLATFORM = "okrs/2026-Q4/platform.yaml"
GROWTH = "okrs/2026-Q4/growth.yaml"
COMPANY = "okrs/2026-Q4/company.yaml"


def _codes(out: str) -> list[tuple[str, str]]:
    """(path, code) of each finding line of text output."""
    return re.findall(r"^(\S+?):\d+:\d+: (OKR\d+) ", out, re.MULTILINE)


@pytest.fixture
def old_warnings(acme_git: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """acme with findings from before the pull request: a key result without its unit in
    growth.yaml, and (by 2026-12-01) every key result weeks without a check-in. The pull
    request branches off here."""
    monkeypatch.setenv("OKR_TODAY", "2026-12-01")
    settings = acme_git / "okr.toml"  # acme leaves OKR208 out inside okr's own repository
    settings.write_text(settings.read_text("utf-8").replace('ignore = ["OKR208"]\n', ""), "utf-8")
    growth = acme_git / GROWTH
    text = growth.read_text(encoding="utf-8")
    growth.write_text(text.replace('        unit: "%"\n', "", 1), encoding="utf-8")
    commit_all(acme_git, "Growth drops a unit", "2026-10-02T09:00:00+00:00")
    git(acme_git, "checkout", "-q", "-b", "pull-request")
    return acme_git


def _add_key_result_without_unit(repo: Path) -> None:
    platform = repo / PLATFORM
    text = platform.read_text(encoding="utf-8")
    new = (
        "      - id: PLAT-Q4-1.9\n"
        "        title: Cold-start time of the invoice worker\n"
        "        start: 40\n"
        "        target: 10\n"
        "        owner: bob\n"
    )
    at = text.index("      - id: PLAT-Q4-1.2\n")
    platform.write_text(text[:at] + new + text[at:], encoding="utf-8")


def test_a_pull_request_sees_only_its_own_findings(old_warnings: Path, okr: Okr) -> None:
    everything = okr("check", "--root", old_warnings)
    assert ("okrs/2026-Q4/growth.yaml", "OKR103") in _codes(everything.out)
    assert "OKR208" in everything.out  # stale key results, everywhere, by this date
    _add_key_result_without_unit(old_warnings)
    commit_all(old_warnings, "Platform measures cold starts", "2026-10-03T09:00:00+00:00")

    result = okr("check", "--root", old_warnings, "--since", "main")

    assert _codes(result.out) == [(PLATFORM, "OKR103")]
    assert "metric `PLAT-Q4-1.9` has no `unit`" in result.out
    assert result.code == 0  # a warning


def test_uncommitted_edits_are_part_of_the_change(old_warnings: Path, okr: Okr) -> None:
    _add_key_result_without_unit(old_warnings)
    result = okr("check", "--root", old_warnings, "--since", "main")
    assert _codes(result.out) == [(PLATFORM, "OKR103")]


def test_the_result_does_not_depend_on_the_day(
    old_warnings: Path, okr: Okr, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_key_result_without_unit(old_warnings)
    commit_all(old_warnings, "Platform measures cold starts", "2026-10-03T09:00:00+00:00")
    outputs = set()
    for day in ("2026-10-04", "2026-12-01", "2027-06-30"):
        monkeypatch.setenv("OKR_TODAY", day)
        outputs.add(okr("check", "--root", old_warnings, "--since", "main").out)
    assert len(outputs) == 1


def test_an_old_finding_on_an_item_the_change_edits_is_the_changes(
    old_warnings: Path, okr: Okr
) -> None:
    """Touching an item means answering for it: its finding from before is reported."""
    growth = old_warnings / GROWTH
    text = growth.read_text(encoding="utf-8")
    growth.write_text(text.replace("current: ", "current: 1", 1), encoding="utf-8")
    result = okr("check", "--root", old_warnings, "--since", "main")
    assert _codes(result.out) == [(GROWTH, "OKR103")]


def test_deleting_an_objective_others_align_to_reports_the_orphans(
    old_warnings: Path, okr: Okr
) -> None:
    company = old_warnings / COMPANY
    text = company.read_text(encoding="utf-8")
    start = text.index("  - id: ACME-Q4-1\n")
    end = text.index("  - id: ACME-Q4-2\n")
    company.write_text(text[:start] + text[end:], encoding="utf-8")
    commit_all(old_warnings, "Drop the ARR objective", "2026-10-03T09:00:00+00:00")

    result = okr("check", "--root", old_warnings, "--since", "main")

    found = _codes(result.out)
    assert sorted(set(found)) == [
        ("okrs/2026-Q4/data.yaml", "OKR003"),
        ("okrs/2026-Q4/growth.yaml", "OKR003"),
        ("okrs/2026-Q4/payments.yaml", "OKR003"),
    ]
    assert "ACME-Q4-1" in result.out
    assert result.code == 1


def test_a_clean_change_is_clean(old_warnings: Path, okr: Okr) -> None:
    platform = old_warnings / PLATFORM
    text = platform.read_text(encoding="utf-8")
    platform.write_text(text.replace("current: 420", "current: 400"), encoding="utf-8")
    result = okr("check", "--root", old_warnings, "--since", "main")
    assert _codes(result.out) == []
    assert result.code == 0


def test_since_with_at_is_one_sentence(old_warnings: Path, okr: Okr) -> None:
    result = okr("check", "--root", old_warnings, "--since", "main", "--at", "main")
    assert result.code == 2
    assert "--since and --at do not go together" in result.err


def test_an_unknown_revision_is_one_sentence(old_warnings: Path, okr: Okr) -> None:
    result = okr("check", "--root", old_warnings, "--since", "no-such-branch")
    assert result.code == 2
    assert "no-such-branch" in result.err
    assert "Traceback" not in result.err
