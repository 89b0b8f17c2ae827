"""`okr score` and `okr tree` through the real CLI: every format, options, errors, `--at`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import Okr, commit_all, init_repo, write
from tests.test_score import FILES, PLATFORM

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "okrs-repo"
    write(root / "okr.toml", "")
    for rel, text in FILES.items():
        write(root / rel, text)
    return root


def scores(okr: Okr, *args: object) -> dict[str, dict[str, object]]:
    """id → objective or key result, from `okr score --format json`."""
    result = okr("score", "--format", "json", *args)
    assert result.code == 0, result.err
    found = {}
    for objective in json.loads(result.out)["objectives"]:
        found[objective["id"]] = objective
        found.update({kr["id"]: kr for kr in objective["key_results"]})
    return found


def test_json_has_the_spec_shape(repo: Path, okr: Okr) -> None:
    result = okr("score", "--root", repo, "--at", "2026-11-15", "--format", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert (doc["version"], doc["at"], doc["cycles"]) == (1, "2026-11-15", ["2026-Q4"])
    plat = next(o for o in doc["objectives"] if o["id"] == "PLAT-1")
    assert {k: plat[k] for k in ("team", "cycle", "type", "parent", "weight", "path", "line")} == {
        "team": "platform",
        "cycle": "2026-Q4",
        "type": "aspirational",
        "parent": "CO-1.1",
        "weight": 3,
        "path": "okrs/2026-Q4/platform.yaml",
        "line": 4,
    }
    assert (plat["score"], plat["status"], plat["expected"]) == (0.762, "on_track", 0.5)
    metric = plat["key_results"][0]
    assert metric == metric | {"id": "PLAT-1.1", "kind": "metric", "score": 0.8, "raw": 0.8,
                               "status": "on_track", "start": 0, "target": 10, "current": 8,
                               "unit": None, "line": 9}  # fmt: skip
    assert plat["key_results"][1]["kind"] == "checklist"
    weightless = next(o for o in doc["objectives"] if o["id"] == "PLAT-4")
    assert (weightless["weight"], weightless["counts"], weightless["score"]) == (0, False, 1.0)
    plat_2 = next(o for o in doc["objectives"] if o["id"] == "PLAT-2")
    assert plat_2["children"] == ["SRE-1"]
    unscored = next(o for o in doc["objectives"] if o["id"] == "PLAT-6")
    assert (unscored["score"], unscored["status"]) == (None, None)
    assert doc["skipped"] == []


def test_cycle_all_and_team(repo: Path, okr: Okr) -> None:
    every = scores(okr, "--root", repo, "--cycle", "all", "--at", "2026-11-15")
    assert {"CO-1", "CO-1.1", "PLAT-1", "SRE-1.1"} <= set(every)
    assert every["CO-1.1"]["kind"] == "rollup" and every["CO-1.1"]["score"] == 0.775
    sre = scores(okr, "--root", repo, "--team", "sre", "--at", "2026-11-15")
    assert set(sre) == {"SRE-1", "SRE-1.1"}


def test_unknown_cycle_team_or_id_is_one_sentence_and_exit_2(repo: Path, okr: Okr) -> None:
    cycle = okr("score", "--root", repo, "--cycle", "2026-Q5")
    assert cycle.code == 2
    assert cycle.err == "okr: error: no cycle `2026-Q5` (did you mean `2026-Q4`?)\n"
    team = okr("score", "--root", repo, "--team", "platfrom", "--at", "2026-11-15")
    assert team.code == 2
    assert team.err == "okr: error: no team `platfrom` (did you mean `platform`?)\n"
    ident = okr("tree", "PLAT-7", "--root", repo)
    assert ident.code == 2 and ident.err.startswith(
        "okr: error: no objective or key result `PLAT-7`"
    )
    fmt = okr("score", "--root", repo, "--format", "yaml")
    assert fmt.code == 2 and "yaml" in fmt.err


def test_piped_table_is_plain_one_line_per_row(repo: Path, okr: Okr) -> None:
    result = okr("score", "--root", repo, "--at", "2026-11-15")
    assert result.code == 0
    assert not ANSI.search(result.out)
    lines = result.out.splitlines()
    assert lines[:2] == ["Scores as of 2026-11-15", "  2026-Q4: day 46 of 92, expected 0.50"]
    row = next(line for line in lines if "PLAT-2.2" in line)
    assert re.search(r"PLAT-2\.2\s+p95 build\s+35 → 20 min\s+██▌░{7}\s+0\.25\s+at risk", row)
    assert re.search(r"PLAT-6\s+Nothing to measure yet\s+·{10}\s+—\s+—", result.out)
    assert "PLAT-4  " in result.out and "Aligned but weightless (weight 0)" in result.out
    # each objective from its own pace, with its parts behind beside it
    behind = r"PLAT-2\s+Builds are fast \(1 key result at risk\)\s.*\s0\.81\s+on track$"
    assert re.search(behind, result.out, re.MULTILINE)
    assert lines[-1] == "6 objectives: 5 on track, 1 unscored"
    assert all(line == line.rstrip() for line in lines)


def test_terminal_output_has_colour_and_fits_80_columns(
    repo: Path, okr: Okr, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    for command in ("score", "tree"):
        result = okr(command, "--root", repo, "--cycle", "all", "--at", "2026-11-15")
        assert result.code == 0
        assert "\x1b[32m" in result.out and "\x1b[33m" in result.out  # green and yellow grades
        plain = ANSI.sub("", result.out).splitlines()
        assert max(len(line) for line in plain) <= 80
        for ident in ("CO-1", "PLAT-1.2", "SRE-1.1"):  # every row on one line, score included
            assert any(re.search(rf"{re.escape(ident)} .*\d\.\d\d", line) for line in plain)


def test_no_color_in_a_terminal_means_no_escape_codes(
    repo: Path, okr: Okr, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # NO_COLOR (set by the fixture) wins
    assert not ANSI.search(okr("score", "--root", repo).out + okr("tree", "--root", repo).out)


def test_tree_nests_alignment_across_cycles(repo: Path, okr: Okr) -> None:
    result = okr("tree", "--root", repo, "--at", "2026-11-15")
    assert result.code == 0
    lines = result.out.splitlines()

    def depth(ident: str) -> int:
        line = next(line for line in lines if re.search(rf"(^|── ){re.escape(ident)} ", line))
        return line.index(ident) // 4

    assert [depth(i) for i in ("CO-1", "CO-1.1", "PLAT-2", "PLAT-2.2", "SRE-1", "SRE-1.1")] == [
        0, 1, 2, 3, 3, 4,
    ]  # fmt: skip
    assert "PLAT-5 Under a measured key result  platform · 2026-Q4  (not counted)" in result.out
    assert re.search(r"CO-1\.2 NPS  50 → 100  █████░░░░░  0\.50  off track", result.out)


def test_tree_from_an_id(repo: Path, okr: Okr) -> None:
    result = okr("tree", "CO-1.1", "--root", repo, "--at", "2026-11-15")
    assert result.code == 0
    firsts = [line.split()[0] for line in result.out.splitlines()[3:] if line[0].isalpha()]
    assert firsts[:1] == ["CO-1.1"]
    assert "SRE-1.1" in result.out and "CO-1.2" not in result.out and "PLAT-5" not in result.out


def test_markdown_for_a_pull_request(repo: Path, okr: Okr) -> None:
    result = okr("score", "--root", repo, "--format", "markdown", "--at", "2026-11-15")
    assert result.code == 0
    text = result.out
    assert text.startswith(
        "**Scores as of 2026-11-15**\n\n- 2026-Q4: day 46 of 92, expected 0.50\n"
    )
    assert "### platform · 2026-Q4" in text and "### sre · 2026-Q4" in text
    assert "| `PLAT-4` | **Aligned but weightless** _(weight 0)_ |" in text
    assert "| ID | Objective / key result | Now → target | Score | Conf | Status |" in text
    assert "| `PLAT-1` | **Deploys are boring** |  | 🟢 0.76 |  | on track |" in text
    assert "| ↳ `PLAT-2.2` | p95 build | 35 → 20 min | 🔴 0.25 |  | at risk |" in text
    assert "| `PLAT-6` | **Nothing to measure yet** |  | ⚪ — |  | — |" in text


def test_title_with_a_pipe_does_not_break_the_markdown_table(repo: Path, okr: Okr) -> None:
    write(repo / "okrs/2026-Q4/platform.yaml", PLATFORM.replace("Deploys are boring", "CI | CD"))
    text = okr("score", "--root", repo, "--format", "markdown").out
    assert "| **CI \\| CD** |" in text


def test_skipped_and_unreadable_files_are_reported(repo: Path, okr: Okr) -> None:
    write(repo / "okrs/2026-Q4/sre.yaml", (repo / "okrs/2026-Q4/sre.yaml").read_text().replace(
        "parent: PLAT-2", "parent: PLAT-9"))  # fmt: skip
    write(repo / "okrs/2026-Q4/broken.yaml", "team: [unclosed\n")
    result = okr("score", "--root", repo, "--at", "2026-11-15")
    assert result.code == 0
    assert result.err == (
        "okr: warning: 1 file could not be read and is not scored (run `okr check`)\n"
    )
    assert "skipped SRE-1: parent PLAT-9 does not exist" in result.out
    doc = json.loads(okr("score", "--root", repo, "--format", "json").out)
    assert doc["skipped"] == [{"id": "SRE-1", "reason": "parent PLAT-9 does not exist"}]
    assert [u["path"] for u in doc["unread"]] == ["okrs/2026-Q4/broken.yaml"]


def test_at_a_revision_or_a_date_scores_the_files_as_they_were(tmp_path: Path, okr: Okr) -> None:
    root = init_repo(tmp_path / "history")
    write(root / "okr.toml", "")
    for rel, text in FILES.items():
        write(root / rel, text)
    first = commit_all(root, "Q4 OKRs", "2026-10-10T12:00:00+00:00")
    write(root / "okrs/2026-Q4/platform.yaml", PLATFORM.replace("current: 8}", "current: 2}"))
    commit_all(root, "Check-in", "2026-11-20T12:00:00+00:00")

    then = json.loads(okr("score", "--root", root, "--at", first[:10], "--format", "json").out)
    assert then["at"] == "2026-10-10"
    assert then["revision"] == first
    assert then["objectives"][0]["key_results"][0]["score"] == 0.8
    by_date = scores(okr, "--root", root, "--at", "2026-10-31")
    assert by_date["PLAT-1.1"]["score"] == 0.8
    now = scores(okr, "--root", root, "--at", "2026-11-25")
    assert now["PLAT-1.1"]["score"] == 0.2
    assert now["PLAT-1"]["expected"] == round(56 / 92, 3)


def test_unknown_cycle_is_scored_without_pace_under_cycle_all(repo: Path, okr: Okr) -> None:
    write(repo / "okrs/FY27/sre.yaml", (repo / "okrs/2026-Q4/sre.yaml").read_text().replace(
        "cycle: 2026-Q4", "cycle: FY27").replace("SRE-1", "SRE-2"))  # fmt: skip
    doc = json.loads(okr("score", "--root", repo, "--cycle", "all", "--format", "json").out)
    sre = next(o for o in doc["objectives"] if o["id"] == "SRE-2")
    assert (sre["cycle"], sre["score"], sre["expected"], sre["status"]) == ("FY27", 1.0, None, None)
    assert {"id": "SRE-2", "reason": "unknown cycle `FY27`: scored without pace"} in doc["skipped"]
    table = okr("score", "--root", repo, "--cycle", "all").out
    assert table.index("sre · 2026-Q4") < table.index("sre · FY27")  # unknown cycles last
    assert okr("tree", "--root", repo, "--cycle", "all").code == 0


def test_piped_tree_draws_every_level_with_guides(repo: Path, okr: Okr) -> None:
    """Piped, the tree is written line by line: each level's guide, last child `└──`."""
    lines = okr("tree", "--root", repo, "--at", "2026-11-15").out.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("CO-1 ")))
    shape = [re.sub(r"^([│├└─ ]*\S+).*", r"\1", line) for line in lines[start : start + 15]]
    assert shape == [
        "CO-1", "├── CO-1.1", "│   ├── PLAT-1", "│   │   ├── PLAT-1.1", "│   │   └── PLAT-1.2",
        "│   ├── PLAT-2", "│   │   ├── PLAT-2.1", "│   │   ├── PLAT-2.2", "│   │   └── SRE-1",
        "│   │       └── SRE-1.1", "│   └── PLAT-4", "│       └── PLAT-4.1", "└── CO-1.2",
        "    └── PLAT-5", "        └── PLAT-5.1",
    ]  # fmt: skip
    row = "├── CO-1.1 Teams hit their goals  3 objectives  ███████▊░░  0.77  on track"
    assert lines[start + 1] == row
    assert lines[-1] == "7 objectives: 6 on track, 1 unscored"
