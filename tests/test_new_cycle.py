"""The quarter turns: `okr new` plans the next cycle late in the current one, keeps the team's
id prefix, carries unfinished key results over; placeholders warn (OKR210)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from okrcli.config import load_config
from okrcli.scaffold import planned_cycle
from tests.conftest import Okr, commit_all, init_repo, own_titles, write

COMPANY = """\
team: company
cycle: "2026"
owner: ceo
objectives:
  - id: ACME-1
    title: Customers trust us with their money
    key_results:
      - {id: ACME-1.1, title: Net revenue retention, start: 100, target: 115, unit: "%"}
      - {id: ACME-1.2, title: Platform teams hold their error budget, rollup: true}
"""
PLATFORM_Q4 = """\
team: platform
cycle: 2026-Q4
owner: dana
objectives:
  - id: PLAT-1
    title: Deploys are boring and safe
    type: committed
    parent: ACME-1.2
    key_results:
      - id: PLAT-1.1
        title: Deploy success rate
        start: 92
        target: 99.5
        current: 97.1
        unit: "%"
      - id: PLAT-1.2
        title: "p95 deploy time, in minutes"
        start: 42
        target: 15
        current: 30
        unit: min
        owner: bob
      - id: PLAT-1.3
        title: Canary analysis on every service
        done: true
  - id: PLAT-2
    title: Build pipelines nobody waits for
    key_results:
      - id: PLAT-2.1
        title: Pipelines on the new runners
        milestones:
          - {title: api, done: true}
          - {title: web, done: false, weight: 2}
      - id: PLAT-2.2
        title: Queue time below two minutes
        below: 2
        current: 1.5
      - id: PLAT-2.3
        title: Flaky tests quarantined within a day
        start: 20
        target: 90
        current: 30
        unit: "%"
        status: dropped
        notes: The new runners retry them
"""


def _repo(tmp_path: Path) -> Path:
    root = init_repo(tmp_path / "okrs-repo")
    write(root / "okr.toml", "")
    write(root / "okrs/2026/company.yaml", COMPANY)
    write(root / "okrs/2026-Q4/platform.yaml", PLATFORM_Q4)
    commit_all(root, "OKRs for 2026-Q4", "2026-12-21T09:00:00+00:00")
    return root


def test_a_team_walks_through_the_cycle_change(okr: Okr, tmp_path: Path) -> None:
    root = _repo(tmp_path)
    last_week = ["--today", "2026-12-26"]
    result = okr(*last_week, "new", "platform", "--carry-over", "--root", root)
    assert result.code == 0, result.err
    assert result.out.splitlines()[:4] == [
        "cycle 2027-Q1: 2026-Q4 ends on 2026-12-31, in 6 days: the next quarter"
        " (--cycle picks another)",
        "carried over PLAT-1 → PLAT-4 (2 key results)",
        "carried over PLAT-2 → PLAT-5 (1 key result)",
        "wrote okrs/2027-Q1/platform.yaml",
    ]
    new = root / "okrs/2027-Q1/platform.yaml"
    text = new.read_text(encoding="utf-8")
    assert "cycle: 2027-Q1\nowner: dana\n" in text  # the closing file's owner
    assert "  - id: PLAT-3\n" in text and "PLATFORM-" not in text  # the team's prefix

    # Unfinished key results only, each starting where it stood, saying where it came from.
    doc = json.loads(okr(*last_week, "score", "--root", root, "--cycle", "2027-Q1",
                         "--format", "json").out)  # fmt: skip
    carried = {kr["id"]: kr for o in doc["objectives"] for kr in o["key_results"]}
    assert (carried["PLAT-4.1"]["start"], carried["PLAT-4.1"]["target"]) == (97.1, 99.5)
    assert (carried["PLAT-4.2"]["start"], carried["PLAT-4.2"]["target"]) == (30, 15)
    assert carried["PLAT-5.1"]["kind"] == "checklist" and "PLAT-4.3" not in carried
    assert "PLAT-5.2" not in carried  # the threshold holds, PLAT-2.3 was dropped
    assert 'notes: "Carried over from PLAT-1.1 (2026-Q4), where it reached 97.1' in text
    assert "    parent: ACME-1.2\n" not in text  # a 2026 parent cannot hold 2027-Q1 (OKR206)

    # The template's placeholders warn until someone rewrites them, then the file is clean.
    check = okr(*last_week, "check", "--root", root, "--format", "json")
    placeholders = {f["message"].split("`")[1] for f in json.loads(check.out)["findings"]
                    if f["code"] == "OKR210"}  # fmt: skip
    assert placeholders == {"PLAT-3", "PLAT-3.1", "PLAT-3.2", "PLAT-3.3"}
    own_titles(new)
    commit_all(root, "platform: OKRs for 2027-Q1", "2026-12-28T09:00:00+00:00")
    clean = okr(*last_week, "check", "--root", root, "--format", "json")
    findings = json.loads(clean.out)["findings"]
    assert [(f["code"], f["message"]) for f in findings] == [
        ("OKR201", "objective `PLAT-5` has 1 key result; aim for 2 to 5")
    ]

    # First day of the new quarter: the team's score shows the new cycle.
    first_day = okr("--today", "2027-01-01", "score", "--team", "platform", "--root", root,
                    "--format", "json")  # fmt: skip
    assert first_day.code == 0, first_day.err
    scored = json.loads(first_day.out)
    assert scored["cycles"] == ["2027-Q1"]
    assert [o["id"] for o in scored["objectives"]] == ["PLAT-3", "PLAT-4", "PLAT-5"]


def test_the_next_cycle_comes_three_weeks_before_the_end(tmp_path: Path) -> None:
    write(tmp_path / "okr.toml", "")
    config = load_config(tmp_path)
    assert planned_cycle(config, date(2026, 12, 10)).cycle == "2026-Q4"  # 22 days left
    assert planned_cycle(config, date(2026, 12, 11)).cycle == "2027-Q1"  # 21 days left
    assert planned_cycle(config, date(2026, 9, 30)).cycle == "2026-Q4"
    assert planned_cycle(config, date(2026, 10, 1)).cycle == "2026-Q4"


def test_new_with_an_explicit_cycle_says_nothing_about_choosing(okr: Okr, tmp_path: Path) -> None:
    root = _repo(tmp_path)
    result = okr("--today", "2026-12-26", "new", "platform", "--cycle", "2027", "--root", root)
    assert result.out.splitlines()[0] == "wrote okrs/2027/platform.yaml"


def test_carry_over_with_nothing_to_carry(okr: Okr, tmp_path: Path) -> None:
    root = init_repo(tmp_path / "fresh")
    write(root / "okr.toml", "")
    result = okr("--today", "2026-12-26", "new", "search", "--carry-over", "--root", root)
    assert result.code == 0, result.err
    assert "carried over" not in result.out
    assert "  - id: SEARCH-1\n" in (root / "okrs/2027-Q1/search.yaml").read_text("utf-8")


def test_an_owner_from_the_closing_file_is_written_as_a_string(okr: Okr, tmp_path: Path) -> None:
    root = _repo(tmp_path)
    platform = root / "okrs/2026-Q4/platform.yaml"
    platform.write_text(
        PLATFORM_Q4.replace("owner: dana", 'owner: "dana: lead\\nteam: x"'), "utf-8"
    )
    result = okr("--today", "2026-12-26", "new", "platform", "--root", root)
    assert result.code == 0, result.err
    text = (root / "okrs/2027-Q1/platform.yaml").read_text("utf-8")
    assert 'owner: "dana: lead\\nteam: x"\n' in text
    check = okr("--today", "2026-12-26", "check", "--root", root, "--format", "json")
    assert {f["code"] for f in json.loads(check.out)["findings"]} <= {"OKR208", "OKR210"}
