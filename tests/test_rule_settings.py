"""OKR203 once per file with no owner at all; `[rules.OKR201] min/max` in okr.toml."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Okr, write


def _file(objectives: int, key_results: int, owner: str = "") -> str:
    lines = ["team: data", "cycle: 2026-Q4", *([f"owner: {owner}"] if owner else []), "objectives:"]
    for o in range(1, objectives + 1):
        lines += [f"  - id: DATA-{o}", f"    title: Objective {o}", "    key_results:"]
        lines += [f"      - {{id: DATA-{o}.{k}, title: Share {k}, start: 0, target: 9, unit: x}}"
                  for k in range(1, key_results + 1)]  # fmt: skip
    return "\n".join(lines) + "\n"


def _findings(okr: Okr, root: Path, code: str) -> list[dict[str, object]]:
    result = okr("check", "--root", root, "--format", "json")
    assert result.code in (0, 1), result.err
    return [f for f in json.loads(result.out)["findings"] if f["code"] == code]


def test_a_file_without_any_owner_is_one_finding(okr: Okr, tmp_path: Path) -> None:
    write(tmp_path / "okr.toml", "")
    write(tmp_path / "okrs/2026-Q4/data.yaml", _file(4, 10))  # 44 items, no owner anywhere
    found = _findings(okr, tmp_path, "OKR203")
    assert [(f["line"], f["message"]) for f in found] == [
        (1, "no owner in okrs/2026-Q4/data.yaml (44 items): set `owner:` at the top for every "
            "item to inherit"),
    ]  # fmt: skip


def test_a_file_with_some_owners_names_each_item_without_one(okr: Okr, tmp_path: Path) -> None:
    write(tmp_path / "okr.toml", "")
    text = _file(2, 2).replace(
        "    title: Objective 1\n", "    title: Objective 1\n    owner: ann\n"
    )
    write(tmp_path / "okrs/2026-Q4/data.yaml", text)
    found = [f["message"] for f in _findings(okr, tmp_path, "OKR203")]
    assert found == [
        "objective `DATA-2` has no owner",
        "key result `DATA-2.1` has no owner",
        "key result `DATA-2.2` has no owner",
    ]
    write(tmp_path / "okrs/2026-Q4/data.yaml", _file(2, 2, owner="ann"))
    assert _findings(okr, tmp_path, "OKR203") == []


def test_okr201_bounds_come_from_okr_toml(okr: Okr, tmp_path: Path) -> None:
    write(tmp_path / "okrs/2026-Q4/data.yaml", _file(3, 1, owner="ann"))
    write(tmp_path / "okr.toml", "")
    assert len(_findings(okr, tmp_path, "OKR201")) == 3
    write(tmp_path / "okr.toml", "[rules.OKR201]\nmin = 1\n")
    assert _findings(okr, tmp_path, "OKR201") == []
    write(tmp_path / "okrs/2026-Q4/data.yaml", _file(1, 5, owner="ann"))
    write(tmp_path / "okr.toml", "[rules.OKR201]\nmin = 1\nmax = 4\n")
    assert [f["message"] for f in _findings(okr, tmp_path, "OKR201")] == [
        "objective `DATA-1` has 5 key results; aim for 1 to 4"
    ]
    assert "min = 1" in okr("rule", "OKR201").out  # the docs show the option


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            "[rules.OKR201]\nmin = 6\n",
            "okr.toml:1: `rules.OKR201`: `min` (6) is larger than `max` (5)",
        ),
        (
            "[rules.OKR201]\nmax = -1\n",
            "okr.toml:1: `rules.OKR201.max` must be a whole number >= 0",
        ),
        ("[rules.OKR201]\nmax = 2.5\n", "`rules.OKR201.max` must be a whole number >= 0"),
        ("[rules.OKR201]\nmaximum = 4\n", "OKR201 has no option `maximum` (did you mean `max`?)"),
        ("[rules.OKR202]\nmax = 4\n", "`rules.OKR202`: no rule options (did you mean `OKR201`?)"),
        ("[rules]\nOKR201 = 3\n", "`rules.OKR201` must be a table of options"),
        ("rules = 3\n", "`rules` must be a table of rule codes"),
    ],
)
def test_bad_rule_options_are_one_sentence(
    okr: Okr, tmp_path: Path, settings: str, message: str
) -> None:
    write(tmp_path / "okr.toml", settings)
    write(tmp_path / "okrs/2026-Q4/data.yaml", _file(1, 2, owner="ann"))
    result = okr("check", "--root", tmp_path)
    assert result.code == 2
    assert result.err.count("\n") == 1 and message in result.err, result.err
