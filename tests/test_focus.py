"""`--team` (repeatable) and `--owner` (`me`: the git user, through [owners]) on every command
that shows OKRs, and `okr mine`; one library function (okrcli.focus) behind them all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Okr, commit_all, git, init_repo, write

SETTINGS = '[owners]\ndana = "@dana-k"\nbob = "@bob"\n'
COMPANY = """\
team: company
cycle: "2026"
owner: ceo
objectives:
  - id: CO-1
    title: Customers trust us
    key_results:
      - {id: CO-1.1, title: Net revenue retention, start: 100, target: 115, unit: "%"}
      - {id: CO-1.2, title: Teams hold their error budget, rollup: true}
"""
PLATFORM = """\
team: platform
cycle: 2026-Q4
owner: dana
objectives:
  - id: PLAT-1
    title: Deploys are boring and safe
    parent: CO-1.2
    key_results:
      - {id: PLAT-1.1, title: Deploy success rate, start: 92, target: 99, current: 95, unit: "%"}
      - {id: PLAT-1.2, title: p95 deploy time, start: 42, target: 15, unit: min, owner: bob}
  - id: PLAT-2
    title: Builds nobody waits for
    owner: carol
    key_results:
      - {id: PLAT-2.1, title: Queue time, below: 2, current: 3}
"""
SRE = """\
team: sre
cycle: 2026-Q4
owner: erin
objectives:
  - id: SRE-1
    title: Pages that matter
    parent: CO-1.2
    key_results:
      - {id: SRE-1.1, title: Pages per week, start: 40, target: 10, current: 30, unit: pages}
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OKR_TODAY", "2026-11-20")
    root = init_repo(tmp_path / "org")
    write(root / "okr.toml", SETTINGS)
    write(root / "okrs/2026/company.yaml", COMPANY)
    write(root / "okrs/2026-Q4/platform.yaml", PLATFORM)
    write(root / "okrs/2026-Q4/sre.yaml", SRE)
    commit_all(root, "OKRs", "2026-10-01T09:00:00+00:00")
    git(root, "commit", "-q", "--allow-empty", "-m", "nothing")
    return root


def _score(okr: Okr, root: Path, *args: str) -> dict[str, Any]:
    result = okr("score", "--root", root, "--format", "json", *args)
    assert result.code == 0, result.err
    doc: dict[str, Any] = json.loads(result.out)
    return doc


def _objectives(doc: dict[str, Any]) -> list[str]:
    return [o["id"] for o in doc["objectives"]]


def test_team_is_repeatable(repo: Path, okr: Okr) -> None:
    assert _objectives(_score(okr, repo, "--team", "platform")) == ["PLAT-1", "PLAT-2"]
    both = _score(okr, repo, "--team", "platform", "--team", "sre")
    assert _objectives(both) == ["PLAT-1", "PLAT-2", "SRE-1"]  # not only the last one
    tree = okr("tree", "--root", repo, "--team", "sre", "--team", "company", "--format", "json")
    assert sorted(_objectives(json.loads(tree.out))) == ["CO-1", "SRE-1"]


def test_owner_keeps_objectives_they_own_or_hold_a_key_result_of(repo: Path, okr: Okr) -> None:
    assert _objectives(_score(okr, repo, "--owner", "bob")) == ["PLAT-1"]  # PLAT-1.2 is his
    assert _objectives(_score(okr, repo, "--owner", "carol")) == ["PLAT-2"]
    assert _objectives(_score(okr, repo, "--owner", "@dana-k")) == ["PLAT-1"]  # by handle
    assert _objectives(_score(okr, repo, "--owner", "Erin", "--owner", "carol")) == [
        "PLAT-2",
        "SRE-1",
    ]
    assert _objectives(_score(okr, repo, "--owner", "nobody")) == []


def test_me_is_the_git_user_mapped_through_owners(repo: Path, okr: Okr) -> None:
    git(repo, "config", "user.name", "Dana Kowalski")
    git(repo, "config", "user.email", "dana-k@example.com")  # the handle in [owners]
    mine = okr("mine", "--root", repo, "--format", "json")
    assert mine.code == 0, mine.err
    assert _objectives(json.loads(mine.out)) == ["PLAT-1"]
    assert json.loads(mine.out) == _score(okr, repo, "--owner", "me")
    git(repo, "config", "user.email", "erin@example.com")  # an owner name, no [owners] entry
    assert _objectives(_score(okr, repo, "--owner", "me")) == ["SRE-1"]


def test_me_without_a_git_identity_is_one_sentence(
    repo: Path, okr: Okr, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(repo, "config", "--unset", "user.name")
    git(repo, "config", "--unset", "user.email")
    monkeypatch.setenv("HOME", str(repo))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("GIT_CONFIG_GLOBAL", raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    result = okr("mine", "--root", repo)
    assert result.code == 2
    assert result.err == (
        "okr: error: --owner me: git does not know who you are; run `git config user.name "
        "NAME` (or user.email), or pass --owner NAME\n"
    )


def test_unknown_team_names_the_nearest(repo: Path, okr: Okr) -> None:
    result = okr("score", "--root", repo, "--team", "platform", "--team", "sra")
    assert (result.code, result.err) == (2, "okr: error: no team `sra` (did you mean `sre`?)\n")


def test_a_team_between_quarters_shows_its_latest_cycle(repo: Path, okr: Okr) -> None:
    """On the first day of 2027 the company has its 2027 file, the platform team nothing yet:
    `--team platform` shows the platform's last quarter instead of failing on the year."""
    write(repo / "okrs/2027/company.yaml", COMPANY.replace("CO-", "CO27-").replace("2026", "2027"))
    day = ("--today", "2027-01-01")
    team = okr(*day, "score", "--root", repo, "--team", "platform", "--format", "json")
    assert team.code == 0, team.err
    doc = json.loads(team.out)
    assert (doc["cycles"], _objectives(doc)) == (["2026-Q4"], ["PLAT-1", "PLAT-2"])
    everyone = okr(*day, "score", "--root", repo, "--format", "json")
    assert json.loads(everyone.out)["cycles"] == ["2027"]


def test_log_review_and_report_take_team_and_owner(repo: Path, okr: Okr, tmp_path: Path) -> None:
    platform = repo / "okrs/2026-Q4/platform.yaml"
    platform.write_text(PLATFORM.replace("current: 95", "current: 96"), encoding="utf-8")
    sre = repo / "okrs/2026-Q4/sre.yaml"
    sre.write_text(SRE.replace("current: 30", "current: 25"), encoding="utf-8")
    commit_all(repo, "check-ins", "2026-11-10T09:00:00+00:00")

    def logged(*args: str) -> set[str]:
        result = okr("log", "--root", repo, "--format", "json", *args)
        assert result.code == 0, result.err
        return {c["id"] for c in json.loads(result.out)["checkins"] if c["old"] is not None}

    assert logged() == {"PLAT-1.1", "SRE-1.1"}
    assert logged("--team", "sre") == {"SRE-1.1"}
    assert logged("--owner", "dana") == {"PLAT-1.1"}
    assert logged("--owner", "bob") == set()  # PLAT-1.2 is his, never checked in

    review = okr("review", "2026-Q4", "--root", repo, "--team", "sre", "--format", "json")
    assert review.code == 0, review.err
    assert "SRE-1" in review.out and "PLAT-1" not in review.out

    out = tmp_path / "site"
    report = okr("report", "--root", repo, "--owner", "erin", "--out", out)
    assert report.code == 0, report.err
    pages = "".join(p.read_text("utf-8") for p in out.rglob("*.html"))
    assert "SRE-1" in pages and "PLAT-2" not in pages


def test_remind_takes_the_same_options(repo: Path, okr: Okr) -> None:
    def owners(*args: str) -> list[str]:
        result = okr("remind", "--root", repo, "--format", "json", *args)
        assert result.code == 0, result.err
        return [o["owner"] for o in json.loads(result.out)["owners"]]

    assert owners() == ["bob", "carol", "ceo", "dana", "erin"]
    assert owners("--team", "sre") == ["erin"]
    assert owners("--team", "platform", "--owner", "@bob") == ["bob"]
    git(repo, "config", "user.email", "carol@example.com")
    assert owners("--owner", "me") == ["carol"]
