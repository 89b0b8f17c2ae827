"""Values at the edges of what a file may hold: refused by the gate with a finding, or
accepted and then shown by every command without an internal error, in valid JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Okr, commit_all, init_repo, write

FILE = """\
team: web
cycle: {cycle}
owner: ann
objectives:
  - id: WEB-1
    title: Faster pages
    key_results:
      - {{id: WEB-1.1, title: Load, start: {start}, target: {target}, current: {current}, unit: s}}
      - {{id: WEB-1.2, title: Pages pass the audit, start: 0, target: 10, current: 4, unit: pages}}
"""
COMMANDS = [
    ("check",),
    ("check", "--format", "json"),
    ("score",),
    ("score", "--format", "json"),
    ("score", "--format", "markdown"),
    ("tree",),
    ("review", "--format", "json"),
    ("review", "--format", "markdown"),
    ("diff", "HEAD~1", "HEAD", "--format", "json"),
    ("diff", "HEAD~1", "HEAD", "--format", "markdown"),
    ("log", "--format", "json"),
]


def _strict_json(text: str) -> Any:
    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def _repo(root: Path, okr_toml: str = "", **values: str) -> Path:
    init_repo(root)
    write(root / "okr.toml", okr_toml)
    fields = {"cycle": "2026-Q4", "start": "0", "target": "10", "current": "5"}
    write(root / "okrs/2026-Q4/web.yaml", FILE.format(**fields))
    commit_all(root, "plan", "2026-10-01T09:00:00+00:00")
    write(root / "okrs/2026-Q4/web.yaml", FILE.format(**{**fields, **values}))
    commit_all(root, "edge", "2026-10-20T09:00:00+00:00")
    return root


def _run_everything(okr: Okr, root: Path) -> list[tuple[tuple[str, ...], int, str]]:
    runs = []
    for command in COMMANDS:
        result = okr(*command, "--root", root)
        assert "internal error" not in result.err, (command, result.err)
        assert result.code in (0, 1, 2), (command, result.err)
        if result.code == 2:
            assert len(result.err.strip().splitlines()) <= 2, result.err  # a note, a sentence
        elif "json" in command:
            _strict_json(result.out)
        runs.append((command, result.code, result.out))
    report = okr("report", "--out", root.parent / "site", "--root", root)
    assert "internal error" not in report.err and report.code in (0, 2), report.err
    return runs


@pytest.mark.parametrize(
    ("cycle", "message"),
    [
        ("9999-Q4", "unknown cycle `9999-Q4`"),
        ('"0000"', "unknown cycle `0000`"),
        ("0000-Q1", "unknown cycle `0000-Q1`"),
        ('"٢٠٢٦"', "unknown cycle `٢٠٢٦`"),  # Arabic-Indic digits are not a year
        ("1899", "unknown cycle `1899`"),
        ("3000-H1", "unknown cycle `3000-H1`"),
    ],
)
def test_years_out_of_range_are_a_finding_not_a_crash(
    tmp_path: Path, okr: Okr, cycle: str, message: str
) -> None:
    root = _repo(tmp_path / "repo", cycle=cycle)
    runs = _run_everything(okr, root)
    check = runs[0]
    assert check[1] == 1
    assert f"{message}: use YYYY, YYYY-Qn, YYYY-Hn (years 1900 to 2999)" in check[2]


def test_named_cycle_ending_in_year_9999_is_one_sentence(tmp_path: Path, okr: Okr) -> None:
    toml = "[cycles]\nFOREVER = { start = 2026-01-01, end = 9999-12-31 }\n"
    root = _repo(tmp_path / "repo", okr_toml=toml, cycle="FOREVER")
    result = okr("check", "--root", root)
    assert result.code == 2
    assert "cycle `FOREVER`: bad end: 9999-12-31 is not in the years 1900 to 2999" in result.err
    _run_everything(okr, root)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_today_out_of_range_is_one_sentence(okr: Okr, tmp_path: Path, day: str) -> None:
    result = okr("--today", day, "score", "--root", _repo(tmp_path / "repo", current="6"))
    assert result.code == 2
    assert result.err == (
        f"okr: error: --today (or OKR_TODAY) must be a date in the years 1900 to 2999, "
        f"not '{day}'\n"
    )


@pytest.mark.parametrize(
    ("start", "target", "current", "refused"),
    [
        ("1.7e308", "-1.7e308", "0", "`start` must be 0 or between 1e-9 and 1e15 in size"),
        ("0", "5e-324", "1", "`target` must be 0 or between 1e-9 and 1e15 in size"),
        ("0", "1e16", "1", "`target` must be 0 or between 1e-9 and 1e15 in size"),
    ],
)
def test_numbers_beyond_the_range_are_refused_by_the_gate(
    tmp_path: Path, okr: Okr, start: str, target: str, current: str, refused: str
) -> None:
    root = _repo(tmp_path / "repo", start=start, target=target, current=current)
    runs = _run_everything(okr, root)
    assert runs[0][1] == 1 and refused in runs[0][2]


@pytest.mark.parametrize(
    ("start", "target", "current"),
    [("1e15", "-1e15", "1e-9"), ("0", "1e-9", "1e15"), ("-1e15", "1e15", "1e15")],
)
def test_numbers_at_the_edges_score_finitely_everywhere(
    tmp_path: Path, okr: Okr, start: str, target: str, current: str
) -> None:
    root = _repo(tmp_path / "repo", start=start, target=target, current=current)
    runs = _run_everything(okr, root)
    score = _strict_json(next(out for command, _, out in runs if command[-1] == "json"))
    assert score["version"] == 1
    scored = _strict_json(runs[3][2])
    key_result = scored["objectives"][0]["key_results"][0]
    assert 0 <= key_result["score"] <= 1
    assert abs(key_result["raw"]) < 1e300
