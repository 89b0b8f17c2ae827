"""Initiatives in `okr score --format json`, `okr tree` (under their key result, with status)
and markdown: tracked beside the scores, never scored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Okr, write

PLATFORM = """\
team: platform
cycle: 2026-Q4
owner: dana
objectives:
  - id: PLAT-1
    title: Deploys are boring and safe
    initiatives:
      - {title: "Deploy review | weekly", status: doing}
    key_results:
      - id: PLAT-1.1
        title: Deploy success rate
        start: 92
        target: 99
        current: 95
        unit: "%"
        initiatives:
          - {title: Blue-green deploys for api, owner: carol, status: doing, link: "https://x.test/1"}
          - {title: "Rollback drill\\u001b[31m", status: todo}
      - {id: PLAT-1.2, title: p95 deploy time, start: 42, target: 15, unit: min}
  - id: PLAT-2
    title: Builds nobody waits for
    parent: PLAT-1.1
    key_results:
      - {id: PLAT-2.1, title: Queue time, below: 2, current: 3}
      - {id: PLAT-2.2, title: Cache hit rate, start: 40, target: 90, unit: "%"}
"""


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OKR_TODAY", "2026-11-20")
    write(tmp_path / "okr.toml", "")
    write(tmp_path / "okrs/2026-Q4/platform.yaml", PLATFORM)
    return tmp_path


def test_json_has_initiatives_on_objectives_and_key_results(root: Path, okr: Okr) -> None:
    doc = json.loads(okr("score", "--root", root, "--format", "json").out)
    plat_1 = doc["objectives"][0]
    assert plat_1["initiatives"] == [
        {"title": "Deploy review | weekly", "owner": None, "status": "doing", "link": None}
    ]
    assert plat_1["key_results"][0]["initiatives"][0] == {
        "title": "Blue-green deploys for api", "owner": "carol", "status": "doing",
        "link": "https://x.test/1",
    }  # fmt: skip
    assert plat_1["key_results"][1]["initiatives"] == []
    assert plat_1["score"] == doc["objectives"][0]["score"]  # never scored: same numbers


def test_tree_shows_them_under_their_key_result_before_what_aligns(root: Path, okr: Okr) -> None:
    lines = okr("tree", "--root", root).out.splitlines()
    at = next(n for n, line in enumerate(lines) if "PLAT-1.1 " in line)
    assert lines[at + 1].endswith("├── initiative: Blue-green deploys for api (doing, carol)")
    assert lines[at + 2].endswith("├── initiative: Rollback drill\\x1b[31m (todo)")  # escaped
    assert "PLAT-2 " in lines[at + 3] and "└── " in lines[at + 3]
    top = next(n for n, line in enumerate(lines) if line.startswith("PLAT-1 "))
    assert lines[top + 1] == "├── initiative: Deploy review | weekly (doing)"
    assert "\x1b" not in "".join(lines)


def test_markdown_has_a_row_per_initiative(root: Path, okr: Okr) -> None:
    out = okr("score", "--root", root, "--format", "markdown").out
    rows = [line for line in out.splitlines() if "_initiative:_" in line]
    assert rows == [
        "| | ↳ _initiative:_ Deploy review \\| weekly | | | | doing |",
        "| | ↳ _initiative:_ Blue-green deploys for api (carol) | | | | doing |",
        "| | ↳ _initiative:_ Rollback drill\\\\x1b\\[31m | | | | todo |",  # shown escaped
    ]
