"""`okr remind` on a dated git history of examples/acme: per owner, what a hand count says."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE, Okr, commit_all, init_repo, write

TODAY = "2026-11-24"


def _at(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(name, f"{day}T10:00:00+00:00")


@pytest.fixture
def acme(tmp_path: Path, okr: Okr, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Acme planned on 2026-10-01; two check-ins in November, one of them without a
    confidence; today is 2026-11-24."""
    root = tmp_path / "acme"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".okr_cache"))
    write(root / "okr.toml", (root / "okr.toml").read_text() + '\n[owners]\nomar = "@omar-k"\n')
    init_repo(root)
    commit_all(root, "Q4 plan", "2026-10-01T09:00:00+00:00")
    _at(monkeypatch, "2026-11-16")
    assert okr("checkin", "PAY-Q4-1.1", "99.5", "--confidence", "7", "--root", root).code == 0
    _at(monkeypatch, "2026-11-18")
    assert okr("checkin", "PAY-Q4-4.1", "70", "--root", root).code == 0
    monkeypatch.setenv("OKR_TODAY", TODAY)
    return root


def _owners(okr: Okr, root: Path, *args: str) -> dict[str, Any]:
    result = okr("remind", "--format", "json", "--root", root, *args)
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert (document["version"], document["at"]) == (1, TODAY)
    return {o["owner"]: o for o in document["owners"]}


def test_remind_lists_per_owner_what_a_hand_count_finds(acme: Path, okr: Okr) -> None:
    owners = _owners(okr, acme)
    # omar owns the company's payment success rates (the year's and Q4's), and as owner of
    # the payments file PAY-Q4-1.1, 2.1 and 3.1.
    #  - ACME-2026-2.1 (0.84 done, 0.90 expected) and ACME-Q4-2.1 (0.5 done, 0.59 expected)
    #    are on track, but nobody has checked them in since the plan (54 days ago), and
    #    neither gives a confidence.
    #  - PAY-Q4-1.1 was checked in 8 days ago with a confidence; 0.6 done, 0.59 expected.
    #  - PAY-Q4-2.1: no check-in since the plan (54 days); its manual status is on_track,
    #    its confidence (7) in the file.
    #  - PAY-Q4-3.1: a checklist, 54 days quiet, 5/6 done, and no confidence anywhere.
    omar = owners["omar"]
    assert omar["handle"] == "@omar-k"
    assert {kr["id"]: kr["reasons"] for kr in omar["key_results"]} == {
        "ACME-2026-2.1": ["stale", "no_confidence"],
        "ACME-Q4-2.1": ["stale", "no_confidence"],
        "PAY-Q4-2.1": ["stale"],
        "PAY-Q4-3.1": ["stale", "no_confidence"],
    }
    # jun owns PAY-Q4-2.2 and, through the objective, PAY-Q4-4.*. 4.1 was checked in on
    # 2026-11-18 without a confidence, at (70-30)/50 = 0.8, ahead of pace.
    jun = {kr["id"]: kr for kr in owners["jun"]["key_results"]}
    assert jun["PAY-Q4-4.1"]["reasons"] == ["no_confidence"]
    assert jun["PAY-Q4-4.1"]["days_without_checkin"] is None
    assert jun["PAY-Q4-4.1"]["command"] == (
        'okr checkin PAY-Q4-4.1 VALUE --confidence N -m "what moved, what is next"'
    )
    assert jun["PAY-Q4-2.2"]["reasons"] == ["stale", "no_confidence"]
    assert jun["PAY-Q4-2.2"]["days_without_checkin"] == 54
    assert jun["PAY-Q4-2.2"]["last_change"] == "2026-10-01"
    # 4.2 (180 → 15 min, now 40) is 0.85 done: only stale, and without confidence
    assert jun["PAY-Q4-4.2"]["reasons"] == ["stale", "no_confidence"]
    # No closed cycle is reminded of: nothing from 2026-Q3.
    every = [kr for o in owners.values() for kr in o["key_results"]]
    assert not [kr for kr in every if kr["cycle"] == "2026-Q3"]
    assert all(kr["reasons"] for kr in every)


def test_behind_key_results_are_listed_with_the_scoreboards_status(acme: Path, okr: Okr) -> None:
    """Every at-risk or off-track key result of an open cycle is in someone's digest,
    with the status `okr score` gives it."""
    result = okr("score", "--format", "json", "--cycle", "all", "--root", acme)
    behind = {
        kr["id"]: kr["status"]
        for o in json.loads(result.out)["objectives"]
        if o["cycle"] in ("2026", "2026-Q4")
        for kr in o["key_results"]
        if kr["status"] in ("at_risk", "off_track") and kr["kind"] != "rollup"
    }
    assert behind  # acme has some
    listed = {
        kr["id"]: kr["status"]
        for o in _owners(okr, acme).values()
        for kr in o["key_results"]
        if set(kr["reasons"]) & {"at_risk", "off_track"}
    }
    assert listed == behind


def test_only_one_owner_and_the_other_formats(acme: Path, okr: Okr) -> None:
    assert list(_owners(okr, acme, "--owner", "@omar-k")) == ["omar"]
    text = okr("remind", "--owner", "omar", "--root", acme).out
    assert text.splitlines()[:3] == [
        "@omar-k (4 key results)",
        "  ACME-Q4-2.1  Payment success rate: no check-in for 54 days, no confidence given",
        '    okr checkin ACME-Q4-2.1 VALUE --confidence N -m "what moved, what is next"',
    ]
    markdown = okr("remind", "--format", "markdown", "--owner", "omar", "--root", acme).out
    assert "### @omar-k\n" in markdown
    assert "  `okr checkin PAY-Q4-3.1 --done 'Per-vendor card controls in the product'`" in markdown


def test_a_title_cannot_inject_markdown(tmp_path: Path, okr: Okr) -> None:
    write(
        tmp_path / "okrs/2026-Q4/web.yaml",
        "team: web\ncycle: 2026-Q4\nowner: '<img src=x>'\nobjectives:\n  - id: W-1\n"
        "    title: o\n    key_results:\n      - id: W-1.1\n"
        "        title: '[click](http://evil) `x` <b>'\n        done: false\n",
    )
    result = okr("--today", TODAY, "remind", "--format", "markdown", "--root", tmp_path)
    assert result.code == 0, result.err
    assert "### &lt;img src=x&gt;" in result.out  # the one markdown escape of every view
    assert "\\[click\\](http:&#8203;//evil) \\`x\\` &lt;b&gt;" in result.out


def test_a_command_span_cannot_be_closed_by_backticks_in_a_title() -> None:
    from okrcli.render.remind_markdown import code

    assert code("okr checkin X --done 'a``b'") == "``` okr checkin X --done 'a``b' ```"
    assert code("okr checkin X 5") == "`okr checkin X 5`"


def test_a_check_in_with_only_a_confidence_settles_a_reminder(
    acme: Path, okr: Okr, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PAY-Q4-2.2 was stale and without a confidence; a check-in that moves no number but
    gives a confidence settles both."""
    _at(monkeypatch, "2026-11-20")
    assert okr("checkin", "PAY-Q4-2.2", "--confidence", "6", "--root", acme).code == 0
    jun = _owners(okr, acme)["jun"]
    assert "PAY-Q4-2.2" not in {kr["id"] for kr in jun["key_results"]}
    assert "PAY-Q4-4.2" in {kr["id"] for kr in jun["key_results"]}
