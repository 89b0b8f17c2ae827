"""`okr export csv` and `okr import csv`: the spreadsheet round trip, and sheets as people
really save them."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE, FIXTURES, Okr, write

REPOSITORIES = [EXAMPLE, *sorted((FIXTURES / "realworld").iterdir())]
TODAY = "2026-11-24"


def _scores(okr: Okr, root: Path) -> Any:
    """`okr score --format json` over every cycle, without line numbers (the imported files
    are laid out anew) and initiatives (a sheet has a row per key result, none for them)."""
    result = okr("--today", TODAY, "score", "--format", "json", "--cycle", "all", "--root", root)
    assert result.code == 0, result.err

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("line", "initiatives")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(json.loads(result.out))


@pytest.mark.parametrize("source", REPOSITORIES, ids=lambda p: p.name)
def test_export_then_import_gives_the_same_scores(okr: Okr, tmp_path: Path, source: Path) -> None:
    exported = okr("export", "csv", "--root", source)
    assert exported.code == 0, exported.err
    sheet = write(tmp_path / "okrs.csv", exported.out)
    target = tmp_path / "imported"
    target.mkdir()
    shutil.copy(source / "okr.toml", target / "okr.toml")  # the named cycles
    imported = okr("import", "csv", sheet, "--root", target)
    assert imported.code == 0, imported.err
    checked = okr("check", "--root", target)
    assert checked.code == 0, checked.out
    scores = _scores(okr, target)
    assert scores["objectives"]  # something was compared
    assert scores == _scores(okr, source)
    assert okr("export", "csv", "--root", target).out == exported.out


SEMICOLONS = (
    "\ufeffTeam;Cycle;Objective title;Type;Title;Start;Target;Current;Unit;Done;Confidence\r\n"
    "growth;2026-Q4;Self-serve sign-ups take off;committed;Trial to paid conversion;"
    "3,5%;6%;4,25%;%;;7\r\n"
    "growth;2026-Q4;Self-serve sign-ups take off;;Weekly sign-ups;1 200;2 000;1 450;sign-ups;;\r\n"
    "growth;2026-Q4;Self-serve sign-ups take off;;New onboarding is live;;;;;yes;\r\n"
    "growth;2026-Q4;Pricing page that sells;;Visitors who start a trial;10;15;;%;;\r\n"
    ";;;;;;;;;;\r\n"
    "\r\n"
)


def test_a_sheet_as_spreadsheets_save_it(okr: Okr, tmp_path: Path) -> None:
    """A BOM, `;`, decimal commas, percent signs, spaces as thousands separators, headers
    in title case, blank rows at the end, and no ids."""
    sheet = tmp_path / "plan.csv"
    sheet.write_bytes(SEMICOLONS.encode("utf-8"))
    result = okr("import", "csv", sheet, "--root", tmp_path)
    assert (result.code, result.out) == (0, "wrote okrs/2026-Q4/growth.yaml\n"), result.err
    assert okr("check", "--root", tmp_path).code == 0
    text = (tmp_path / "okrs/2026-Q4/growth.yaml").read_text()
    assert "start: 3.5\n        target: 6\n        current: 4.25\n" in text
    assert "start: 1200\n        target: 2000\n        current: 1450\n" in text
    assert "done: true" in text
    scores = _scores(okr, tmp_path)
    assert [o["id"] for o in scores["objectives"]] == ["GROWTH-1", "GROWTH-2"]
    assert [kr["id"] for kr in scores["objectives"][0]["key_results"]] == [
        "GROWTH-1.1",
        "GROWTH-1.2",
        "GROWTH-1.3",
    ]
    assert scores["objectives"][0]["key_results"][0]["confidence"] == 7


def test_an_existing_file_is_replaced_only_with_force(okr: Okr, tmp_path: Path) -> None:
    sheet = tmp_path / "plan.csv"
    sheet.write_bytes(SEMICOLONS.encode("utf-8"))
    existing = write(tmp_path / "okrs/2026-Q4/growth.yaml", "# ours\n")
    refused = okr("import", "csv", sheet, "--root", tmp_path)
    assert refused.code == 2
    assert refused.err == (
        "okr: error: okrs/2026-Q4/growth.yaml exists; pass --force to replace it "
        "(nothing was imported)\n"
    )
    assert existing.read_text() == "# ours\n"
    assert okr("import", "csv", sheet, "--force", "--root", tmp_path).code == 0
    assert "GROWTH-1.1" in existing.read_text()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("web,2026-Q4,Fast site,Load time,5,2,x,s", "row 3: `current` is `x`, not a number"),
        ("web,2026-Q4,Fast site,Load time,,,,s", "row 3: key result `Load time` has no measure"),
        ("web,2026-Q9,Fast site,Load time,5,2,3,s", "row 3: unknown cycle `2026-Q9`"),
        ("../x,2026-Q4,Fast site,Load time,5,2,3,s", "row 3: `team` is `../x`"),
        ("web,2026-Q4,,Load time,5,2,3,s", "row 3: no `objective title`"),
        ("web,2026-Q4,Fast site,Load time,5,nan,3,s", "row 3: `target` is `nan`, not a number"),
    ],
)
def test_a_row_it_cannot_understand_is_refused_by_number(
    okr: Okr, tmp_path: Path, row: str, message: str
) -> None:
    sheet = write(
        tmp_path / "plan.csv",
        "team,cycle,objective title,title,start,target,current,unit\n"
        f"web,2026-Q4,Fast site,Uptime,90,99,95,%\n{row}\n",
    )
    result = okr("import", "csv", sheet, "--root", tmp_path)
    assert result.code == 2
    assert result.err.startswith(f"okr: error: {sheet}: {message}")
    assert result.err.endswith("; nothing was imported\n")
    assert not (tmp_path / "okrs").exists()


def test_a_sheet_with_an_unknown_column_is_refused(okr: Okr, tmp_path: Path) -> None:
    sheet = write(tmp_path / "plan.csv", "team,cycle,objective title,targt\n")
    result = okr("import", "csv", sheet, "--root", tmp_path)
    assert result.err == f"okr: error: {sheet}: unknown column `targt` (did you mean `target`?)\n"


def test_cycle_option_fills_rows_without_one_and_exports_one_cycle(
    okr: Okr, tmp_path: Path
) -> None:
    sheet = write(
        tmp_path / "plan.csv", "team,objective title,title,above,current\nweb,Up,Uptime,99,99.5\n"
    )
    assert okr("import", "csv", sheet, "--cycle", "2026-Q4", "--root", tmp_path).code == 0
    exported = okr("export", "csv", "--cycle", "2026-Q4", "--root", EXAMPLE).out
    cycles = {row["cycle"] for row in csv.DictReader(io.StringIO(exported))}
    assert cycles == {"2026-Q4"}


def test_a_cycle_no_objective_is_in_is_one_sentence_as_in_okr_score(okr: Okr) -> None:
    exported = okr("export", "csv", "--cycle", "2026-Q5", "--root", EXAMPLE)
    scored = okr("score", "--cycle", "2026-Q5", "--root", EXAMPLE)
    assert (exported.code, exported.out) == (2, "")
    assert (
        exported.err == scored.err == "okr: error: no cycle `2026-Q5` (did you mean `2026-Q4`?)\n"
    )


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_quoted(okr: Okr, tmp_path: Path) -> None:
    write(
        tmp_path / "okrs/2026-Q4/web.yaml",
        "team: web\ncycle: 2026-Q4\nobjectives:\n  - id: W-1\n    title: '=HYPERLINK(\"http://x\")'\n"
        "    key_results:\n      - {id: W-1.1, title: '@SUM(A1)', done: false, notes: '-1'}\n",
    )
    exported = okr("export", "csv", "--root", tmp_path).out
    row = next(csv.DictReader(io.StringIO(exported)))
    assert (row["objective title"], row["title"], row["notes"]) == (
        '\'=HYPERLINK("http://x")',
        "'@SUM(A1)",
        "'-1",
    )
    target = tmp_path / "again"
    target.mkdir()
    assert okr("import", "csv", write(tmp_path / "s.csv", exported), "--root", target).code == 0
    assert _scores(okr, target) == _scores(okr, tmp_path)


EVERYTHING = """\
team: web
cycle: 2026-Q4
owner: wendy
objectives:
  - id: WEB-1
    title: "Pages: fast, everywhere"
    type: committed
    grade: 0.6
    key_results:
      - id: WEB-1.1
        title: p75 load time
        start: 3.2
        target: 1.8
        current: 2.5
        unit: s
        plan: {2026-10-31: 3.0, 2026-11-30: 2.2}
        source: {name: rum, args: {page: "home"}}
      - id: WEB-1.2
        title: New CDN live
        done: false
        due: 2026-11-15
        source: cdn
      - id: WEB-1.3
        title: Image pipeline
        milestones:
          - {title: "Resizer (EU)", done: true, due: 2026-10-20}
          - {title: WebP, done: false, weight: 2, due: 2026-12-10}
      - id: WEB-1.4
        title: Old widget kept alive
        above: 99
        current: 97
        status: dropped
        notes: the widget goes away in Q1
      - id: WEB-1.5
        title: Error rate
        below: 0.5
        current: 0.2
        grade: 1
"""


def test_grades_due_dates_plans_drops_and_sources_survive(okr: Okr, tmp_path: Path) -> None:
    source = tmp_path / "source"
    write(source / "okr.toml", '[sources.rum]\ncommand = ["rum", "{page}"]\n'
          '[sources.cdn]\nurl = "https://cdn.example.com/live"\n')  # fmt: skip
    write(source / "okrs/2026-Q4/web.yaml", EVERYTHING)
    exported = okr("export", "csv", "--root", source).out
    row = next(csv.DictReader(io.StringIO(exported)))
    assert row["plan"] == "2026-10-31: 3; 2026-11-30: 2.2"
    assert row["source"] == '{"name": "rum", "args": {"page": "home"}}'
    target = tmp_path / "target"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("okrs"))
    result = okr("import", "csv", write(tmp_path / "s.csv", exported), "--root", target)
    assert result.code == 0, result.err
    assert okr("check", "--root", target).code == 0
    assert _scores(okr, target) == _scores(okr, source)
    assert okr("export", "csv", "--root", target).out == exported
    text = (target / "okrs/2026-Q4/web.yaml").read_text()
    assert 'source: {"name": "rum", "args": {"page": "home"}}' in text
    assert '- title: Resizer (EU)\n            done: true\n            due: "2026-10-20"' in text


def test_a_comma_separated_sheet_reads_thousands(okr: Okr, tmp_path: Path) -> None:
    sheet = write(
        tmp_path / "plan.csv",
        "team,cycle,objective title,title,start,target,unit\n"
        'web,2026-Q4,Reach,Monthly readers,"12,500","20,000",readers\n'
        'web,2026-Q4,Reach,Bounce rate,"61,5",50,%\n',
    )
    assert okr("import", "csv", sheet, "--root", tmp_path).code == 0
    text = (tmp_path / "okrs/2026-Q4/web.yaml").read_text()
    assert "start: 12500\n        target: 20000\n" in text
    assert "start: 61.5\n        target: 50\n" in text


def test_import_never_writes_through_a_link_out_of_the_repository(okr: Okr, tmp_path: Path) -> None:
    root, outside = tmp_path / "repo", write(tmp_path / "elsewhere.yaml", "# not ours\n")
    (root / "okrs/2026-Q4").mkdir(parents=True)
    (root / "okrs/2026-Q4/web.yaml").symlink_to(outside)
    sheet = write(tmp_path / "plan.csv", "team,cycle,objective title\nweb,2026-Q4,Reach\n")
    result = okr("import", "csv", sheet, "--force", "--root", root)
    assert result.err == (
        "okr: error: okrs/2026-Q4/web.yaml would be outside the repository; nothing was imported\n"
    )
    assert outside.read_text() == "# not ours\n"
