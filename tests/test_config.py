"""Every key of okr.toml / [tool.okr]: what it changes, and one clear sentence when it is wrong."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from okrcli import clock
from okrcli.config import Grading, Thresholds, load_config
from okrcli.errors import OkrError
from tests.conftest import Okr, commit_all, init_repo, write

# OKR101 (error), OKR103, OKR203 and OKR204 (warnings), all in one file.
TEAM = """\
team: platform
cycle: 2026-Q4
objectives:
  - id: PLAT-1
    title: Deploys are boring and safe
    key_results:
      - id: PLAT-1.1
        title: Deploy success rate
        start: 92
        target: 99
        owner: bob
      - id: PLAT-1.2
        title: Launch canary analysis for every service
        done: false
        owner: bob
      - id: PLAT-1.3
        title: Fewer pages at night
"""
ALL_CODES = ["OKR101", "OKR103", "OKR203", "OKR204"]


def _repo(root: Path, settings: str, team: str = TEAM) -> Path:
    write(root / "okr.toml", settings)
    write(root / "okrs/2026-Q4/platform.yaml", team)
    return root


def _codes(okr: Okr, root: Path) -> list[str]:
    result = okr("check", "--root", root, "--format", "json")
    assert result.code in (0, 1), result.err
    return sorted({f["code"] for f in json.loads(result.out)["findings"]})


def _error(okr: Okr, root: Path) -> str:
    result = okr("check", "--root", root)
    assert result.code == 2, result.out
    assert result.out == ""
    assert result.err.count("\n") == 1, result.err
    return result.err


def test_defaults_run_every_rule(okr: Okr, tmp_path: Path) -> None:
    assert _codes(okr, _repo(tmp_path, "")) == ALL_CODES


def test_select_runs_only_the_chosen_codes(okr: Okr, tmp_path: Path) -> None:
    assert _codes(okr, _repo(tmp_path, 'select = ["OKR1"]\n')) == ["OKR101", "OKR103"]


def test_extend_select_adds_to_select(okr: Okr, tmp_path: Path) -> None:
    root = _repo(tmp_path, 'select = ["OKR101"]\nextend-select = ["OKR204"]\n')
    assert _codes(okr, root) == ["OKR101", "OKR204"]


def test_ignore_takes_codes_and_prefixes_away(okr: Okr, tmp_path: Path) -> None:
    assert _codes(okr, _repo(tmp_path, 'ignore = ["OKR2", "OKR103"]\n')) == ["OKR101"]


def test_ignore_cannot_silence_parse_errors(okr: Okr, tmp_path: Path) -> None:
    root = _repo(tmp_path, 'ignore = ["OKR001"]\n', TEAM.replace("target: 99", "taget: 99"))
    assert "OKR001" in _codes(okr, root)


def test_per_file_ignores_match_globs(okr: Okr, tmp_path: Path) -> None:
    root = _repo(tmp_path, '[per-file-ignores]\n"okrs/*-Q4/*.yaml" = ["OKR2", "OKR101"]\n')
    write(root / "okrs/2026-Q3/platform.yaml", TEAM.replace("2026-Q4", "2026-Q3").replace(
        "PLAT-1", "PLAT-2"))  # fmt: skip
    result = okr("check", "--root", root, "--format", "json")
    found = {(f["path"], f["code"]) for f in json.loads(result.out)["findings"]}
    assert {code for path, code in found if "Q4" in path} == {"OKR103"}
    assert {code for path, code in found if "Q3" in path} == set(ALL_CODES)


def test_paths_choose_where_files_are(okr: Okr, tmp_path: Path) -> None:
    root = _repo(tmp_path, 'paths = ["goals/**/*.yaml"]\n')
    write(root / "goals/2026-Q4/data.yaml", TEAM.replace("platform", "data").replace(
        "PLAT-", "DATA-"))  # fmt: skip
    result = okr("check", "--root", root, "--format", "json")
    assert {f["path"] for f in json.loads(result.out)["findings"]} == {"goals/2026-Q4/data.yaml"}
    assert json.loads(result.out)["summary"]["files"] == 1


def test_stale_days_is_read(tmp_path: Path) -> None:
    assert load_config(_repo(tmp_path, "")).stale_days == 14
    assert load_config(_repo(tmp_path, "stale_days = 30\n")).stale_days == 30


def test_thresholds_are_read(tmp_path: Path) -> None:
    assert load_config(_repo(tmp_path, "")).thresholds == Thresholds(0.10, 0.25)
    config = load_config(_repo(tmp_path, "[thresholds]\non_track = 0.05\nat_risk = 0.3\n"))
    assert config.thresholds == Thresholds(0.05, 0.3)


def test_grading_is_read(tmp_path: Path) -> None:
    assert load_config(_repo(tmp_path, "")).grading == Grading(0.7, (0.4, 0.7))
    settings = "[grading]\naspirational = 0.6\nbands = [0.3, 0.6]\n"
    assert load_config(_repo(tmp_path, settings)).grading == Grading(0.6, (0.3, 0.6))


def test_named_cycles_with_dates(okr: Okr, tmp_path: Path) -> None:
    settings = (
        "[cycles]\nFY27 = { start = 2026-02-01, end = 2027-01-31 }\n"
        'FY27-Q1 = { start = "2026-02-01", end = "2026-04-30" }\n'
    )
    root = _repo(tmp_path, settings, "")
    write(root / "okrs/FY27-Q1/data.yaml", """\
team: data
cycle: FY27-Q1
owner: fay
objectives:
  - id: DATA-1
    title: Numbers people trust
    key_results:
      - {id: DATA-1.1, title: Dashboards with an owner, start: 40, target: 90, unit: "%"}
      - {id: DATA-1.2, title: Freshness in hours, below: 24, current: 6}
""")  # fmt: skip
    (root / "okrs/2026-Q4/platform.yaml").unlink()
    cycles = load_config(root).cycles
    assert (cycles["FY27"].start, cycles["FY27-Q1"].end) == (date(2026, 2, 1), date(2026, 4, 30))
    assert cycles["FY27"].contains(cycles["FY27-Q1"])
    result = okr("check", "--root", root, "--strict")
    assert result.code == 0, result.out
    (root / "okr.toml").write_text("", encoding="utf-8")
    assert "OKR001 unknown cycle `FY27-Q1`" in okr("check", "--root", root).out


def test_tool_okr_in_pyproject(okr: Okr, tmp_path: Path) -> None:
    _repo(tmp_path, "")
    (tmp_path / "okr.toml").unlink()
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.okr]\nselect = ["OKR204"]\n')
    result = okr("check", cwd=tmp_path / "okrs")  # the root is found from a subfolder
    assert "OKR204" in result.out
    assert all("OKR204" in line for line in result.out.splitlines()[:-1])


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ('selec = ["OKR1"]\n', "okr.toml:1: unknown setting `selec` (did you mean `select`?)"),
        ("stale-days = 3\n", "unknown setting `stale-days` (did you mean `stale_days`?)"),
        ('\nextend_select = ["OKR1"]\n', "okr.toml:2: unknown setting `extend_select` (did you"),
        ("[threshold]\non_track = 0.1\n", "unknown setting `threshold` (did you mean `thresh"),
        ("[thresholds]\non_trak = 0.1\n", "unknown setting `thresholds.on_trak` (did you mean"),
        ('[calendar]\nfiscal_start = "02-01"\n', "unknown setting `calendar.fiscal_start` ("),
    ],
)
def test_unknown_keys_suggest_the_nearest(
    okr: Okr, tmp_path: Path, settings: str, message: str
) -> None:
    assert message in _error(okr, _repo(tmp_path, settings))


def test_unknown_key_in_tool_okr(okr: Okr, tmp_path: Path) -> None:
    _repo(tmp_path, "")
    (tmp_path / "okr.toml").unlink()
    write(tmp_path / "pyproject.toml", "[tool.okr]\nignor = []\n")
    assert "unknown setting `tool.okr.ignor` (did you mean `ignore`?)" in _error(okr, tmp_path)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ('paths = "okrs/**/*.yaml"\n', "`paths` must be a list of strings"),
        ('select = ["OKR999"]\n', "`select`: no rule code `OKR999`"),
        ('extend-select = ["OKR30"]\n', "`extend-select`: no rule code `OKR30`"),
        ('ignore = ["okr204"]\n', "`ignore`: no rule code `okr204`"),
        ('per-file-ignores = ["OKR204"]\n', "`per-file-ignores` must be a table"),
        ('[per-file-ignores]\n"okrs/**" = "OKR204"\n', "must be a list of rule codes"),
        ("stale_days = 0\n", "`stale_days` must be a whole number of days >= 1"),
        ('stale_days = "14"\n', "`stale_days` must be a whole number of days >= 1"),
        ("stale_days = true\n", "`stale_days` must be a whole number of days >= 1"),
        ("[thresholds]\nat_risk = 1.5\n", "`thresholds.at_risk` must be a number from 0 to 1"),
        ("[thresholds]\non_track = 0.3\nat_risk = 0.2\n", "must not be larger than `at_risk`"),
        ("thresholds = 0.1\n", "`thresholds` must be a table"),
        ("grading = 0.7\n", "`grading` must be a table"),
        ("[grading]\nsweet_spot = 0.6\n", "unknown setting `grading.sweet_spot`"),
        ("[grading]\naspirational = 70\n", "`grading.aspirational` must be a number from 0 to 1"),
        ("[grading]\naspirational = true\n", "`grading.aspirational` must be a number from 0"),
        ("[grading]\nbands = [0.7, 0.4]\n", "okr.toml:2: `grading.bands` must be two numbers"),
        ("[grading]\nbands = [0.4]\n", "`grading.bands` must be two numbers from 0 to 1"),
        ('[grading]\nbands = ["0.4", 0.7]\n', "`grading.bands` must be two numbers from 0"),
        ("[cycles]\nFY = { start = 2026-02-01 }\n", "cycle `FY` needs exactly `start` and `end`"),
        ('[cycles]\nFY = { start = "soon", end = 2027-01-31 }\n', "cycle `FY`: bad start"),
        ("[cycles]\nFY = { start = 2026-02-01, end = 2025-01-31 }\n", "ends (2025-01-31) before"),
        ('[cycles]\n"FY 27" = { start = 2026-02-01, end = 2027-01-31 }\n', "may hold only"),
        ("select = [\n", "okr.toml: not valid TOML"),
        ("calendar = 2\n", "`calendar` must be a table"),
        ('[calendar]\nfiscal_year_start = "2-1"\n', "okr.toml:2: `calendar.fiscal_year_start` mu"),
        ('[calendar]\nfiscal_year_start = "02-30"\n', "with a day from 01 to 28"),
        ('[calendar]\nfiscal_year_start = "13-01"\n', 'must be "MM-DD"'),
        ("[calendar]\nfiscal_year_start = 2026-02-01\n", 'must be "MM-DD"'),
        ('[calendar]\nfiscal_year_named_by = "end"\n', "`fiscal_year_named_by` needs `fiscal_y"),
        (
            '[calendar]\nfiscal_year_start = "02-01"\nfiscal_year_named_by = "middle"\n',
            'okr.toml:3: `calendar.fiscal_year_named_by` must be "end" or "start"',
        ),
    ],
)
def test_bad_values_are_one_sentence(okr: Okr, tmp_path: Path, settings: str, message: str) -> None:
    assert message in _error(okr, _repo(tmp_path, settings))


def test_init_template_documents_every_key(tmp_path: Path) -> None:
    """The okr.toml that `okr init` writes, uncommented, is a valid configuration."""
    from okrcli.config import _KEYS
    from okrcli.scaffold import template

    text = template("okr.toml")
    uncommented = "\n".join(
        line[2:] for line in text.splitlines()
        if (line.startswith("# ") and "=" in line) or line.startswith("# [")
    )  # fmt: skip
    config = load_config(_repo(tmp_path, uncommented))
    assert config.ignore == ("OKR204",)
    assert config.per_file_ignores == {"okrs/2025*/**": ("OKR203",)}
    assert set(config.cycles) == {"FY27", "FY27-Q1"}
    assert config.cycle("FY28-Q2") is not None
    for key in _KEYS:
        assert f"# {key} =" in text or f"# [{key}]" in text


def _open_cycle(days_before: int, days_after: int) -> str:
    """A named cycle around okr's today (the pinned day, or the machine's in `real_clock`)."""
    today = clock.today()
    start, end = today - timedelta(days=days_before), today + timedelta(days=days_after)
    return f"[cycles]\nNOW = {{ start = {start}, end = {end} }}\n"


NOW_TEAM = """\
team: data
cycle: NOW
owner: fay
objectives:
  - id: DATA-1
    title: Numbers people trust
    key_results:
      - {id: DATA-1.1, title: Owned dashboards, start: 0, target: 100, current: 35, unit: "%"}
      - {id: DATA-1.2, title: Freshness in hours, below: 24, current: 6}
"""


@pytest.mark.real_clock  # commits twenty days before the machine's day
@pytest.mark.parametrize(
    ("stale_days", "stale"), [("", True), ("stale_days = 14\n", True), ("stale_days = 30\n", False)]
)
def test_stale_days_moves_okr208(okr: Okr, tmp_path: Path, stale_days: str, stale: bool) -> None:
    write(tmp_path / "okr.toml", stale_days + _open_cycle(60, 30))
    write(tmp_path / "okrs/NOW/data.yaml", NOW_TEAM)
    init_repo(tmp_path)
    twenty_days_ago = (datetime.now(timezone.utc) - timedelta(days=20)).isoformat()
    commit_all(tmp_path, "OKRs", twenty_days_ago)
    assert ("OKR208" in _codes(okr, tmp_path)) is stale


@pytest.mark.parametrize(
    ("thresholds", "status"),
    [
        ("", "at_risk"),  # gap 0.15: over the default on_track 0.10, within at_risk 0.25
        ("[thresholds]\non_track = 0.2\n", "on_track"),
        ("[thresholds]\non_track = 0.05\nat_risk = 0.1\n", "off_track"),
    ],
)
def test_thresholds_move_the_pace_status(
    okr: Okr, tmp_path: Path, thresholds: str, status: str
) -> None:
    """Half the cycle gone (expected 0.5), DATA-1.1 at 0.35: the thresholds decide."""
    write(tmp_path / "okr.toml", thresholds + _open_cycle(49, 50))
    write(tmp_path / "okrs/NOW/data.yaml", NOW_TEAM)
    result = okr("score", "--root", tmp_path, "--format", "json")
    assert result.code == 0, result.err
    key_result = json.loads(result.out)["objectives"][0]["key_results"][0]
    assert (key_result["id"], key_result["score"]) == ("DATA-1.1", 0.35)
    assert key_result["status"] == status


def test_cycle_names_may_be_in_any_script(tmp_path: Path) -> None:
    settings = '[cycles]\n"2025年度" = { start = 2025-04-01, end = 2026-03-31 }\n'
    cycles = load_config(_repo(tmp_path, settings)).cycles
    assert cycles["2025年度"].start == date(2025, 4, 1)
    with pytest.raises(OkrError, match="may hold only letters"):
        load_config(
            _repo(tmp_path, '[cycles]\n"FY 27" = { start = 2026-02-01, end = 2027-01-31 }\n')
        )
