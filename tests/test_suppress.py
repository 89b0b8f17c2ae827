"""`# okr: ignore[…]` comments: on an id's line they cover the item; wrong codes are OKR005."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from okrcli.load import Suppression, suppressions
from tests.conftest import Okr, write

# PLAT-1 has one key result (OKR201) and no owner (OKR203). PLAT-1.1 has no unit (OKR103,
# reported on its `target` line) and no owner. PLAT-2.1 reads as an activity (OKR204, on
# its `title` line).
TEAM = """\
team: platform
cycle: 2026-Q4
objectives:
  - id: PLAT-1{o1}
    title: Deploys are boring and safe
    key_results:
      - id: PLAT-1.1{k11}
        title: Deploy success rate
        start: 92
        target: 99{target}
  - id: PLAT-2
    title: Releases are calm
    owner: dana
    key_results:
      - id: PLAT-2.1{k21}
        title: Launch canary analysis for every service
        done: false
      - id: PLAT-2.2
        title: Rollbacks per month
        start: 6
        target: 1
        unit: rollbacks
"""
EVERYTHING = {
    (4, "OKR201"),
    (4, "OKR203"),
    (10, "OKR103"),
    (7, "OKR203"),
    (16, "OKR204"),
}


def _findings(okr: Okr, root: Path, settings: str = "", **comments: str) -> set[tuple[int, str]]:
    values = {"o1": "", "k11": "", "k21": "", "target": "", **comments}
    write(root / "okr.toml", settings)
    write(root / "okrs/2026-Q4/platform.yaml", TEAM.format(**values))
    result = okr("check", "--root", root, "--format", "json")
    return {(f["line"], f["code"]) for f in json.loads(result.out)["findings"]}


def test_without_comments_every_finding_is_reported(okr: Okr, tmp_path: Path) -> None:
    assert _findings(okr, tmp_path) == EVERYTHING


def test_code_on_the_id_line_covers_the_whole_key_result(okr: Okr, tmp_path: Path) -> None:
    """OKR204 points at the `title` line; the comment on the `id` line still silences it."""
    found = _findings(okr, tmp_path, k21="  # okr: ignore[OKR204]")
    assert found == EVERYTHING - {(16, "OKR204")}


def test_code_silences_only_that_code(okr: Okr, tmp_path: Path) -> None:
    found = _findings(okr, tmp_path, k11="  # okr: ignore[OKR103]")
    assert found == EVERYTHING - {(10, "OKR103")}


def test_several_codes_and_prefixes(okr: Okr, tmp_path: Path) -> None:
    found = _findings(okr, tmp_path, o1="  # okr: ignore[OKR20, OKR103]")
    assert found == EVERYTHING - {(4, "OKR201"), (4, "OKR203")}


def test_bare_ignore_silences_that_item_only(okr: Okr, tmp_path: Path) -> None:
    assert _findings(okr, tmp_path, k11="  # okr: ignore") == EVERYTHING - {
        (10, "OKR103"),
        (7, "OKR203"),
    }
    # On an objective: its own findings, not those of its key results.
    assert _findings(okr, tmp_path, o1="  # okr: ignore") == EVERYTHING - {
        (4, "OKR201"),
        (4, "OKR203"),
    }


def test_comment_off_an_id_line_covers_its_own_line(okr: Okr, tmp_path: Path) -> None:
    assert _findings(okr, tmp_path, target="  # okr: ignore") == EVERYTHING - {(10, "OKR103")}
    text = TEAM.format(o1="", k11="", k21="", target="").replace(
        "title: Launch canary analysis for every service",
        "title: Launch canary analysis for every service  # okr: ignore[OKR204]",
    )
    write(tmp_path / "okrs/2026-Q4/platform.yaml", text)
    result = okr("check", "--root", tmp_path, "--format", "json")
    assert {(f["line"], f["code"]) for f in json.loads(result.out)["findings"]} == EVERYTHING - {
        (16, "OKR204")
    }


def test_wrong_code_is_warned_not_silently_ignored(okr: Okr, tmp_path: Path) -> None:
    found = _findings(okr, tmp_path, k21="  # okr: ignore[OKR2O4]")
    assert found == EVERYTHING | {(15, "OKR005")}  # OKR204 is still reported too
    result = okr("check", "--root", tmp_path)
    assert (
        "okrs/2026-Q4/platform.yaml:15:23: OKR005 suppression: no rule `OKR2O4` "
        "(did you mean `OKR204`?); `okr rule` lists them"
    ) in result.out.splitlines()
    assert result.code == 0  # a warning: it fails the check only with --strict
    assert okr("check", "--root", tmp_path, "--strict").code == 1


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("# okr: ignore[okr204]", "no rule `okr204` (did you mean `OKR204`?)"),
        ("# okr: ignore[OKR204, OKR999]", "no rule `OKR999`"),
        ("# okr: ignore[OKR001]", "`OKR001` cannot be suppressed: fix the file instead"),
        ("# okr: ignore[]", "`# okr: ignore[]` names no rule"),
    ],
)
def test_every_kind_of_bad_suppression(
    okr: Okr, tmp_path: Path, comment: str, message: str
) -> None:
    _findings(okr, tmp_path, k21=f"  {comment}")
    result = okr("check", "--root", tmp_path)
    lines = [line for line in result.out.splitlines() if " OKR005 " in line]
    assert len(lines) == 1, result.out
    assert message in lines[0]


def test_okr005_follows_the_configuration(okr: Okr, tmp_path: Path) -> None:
    found = _findings(okr, tmp_path, 'ignore = ["OKR005"]\n', k21="  # okr: ignore[OKR2O4]")
    assert found == EVERYTHING


def test_parse_errors_are_never_silenced(okr: Okr, tmp_path: Path) -> None:
    write(tmp_path / "okr.toml", "")
    write(
        tmp_path / "okrs/2026-Q4/a.yaml", "team: a  # okr: ignore\ncycle: 2026-Q4\nobjectivs: []\n"
    )
    result = okr("check", "--root", tmp_path)
    assert "OKR001" in result.out
    assert result.code == 1


def test_parser_reads_codes_and_columns() -> None:
    text = (
        "a: 1  # okr: ignore[OKR204, OKR1 ]\n"
        "b: 2 #okr:ignore\n"
        "c: 3  # okr: ignored\n"
        "d: 4  # okr: ignore[OKR204\n"
        "e: 5  # okr: ignore[]\n"
    )
    assert suppressions(text) == {
        1: Suppression(7, ("OKR204", "OKR1")),
        2: Suppression(6, None),
        5: Suppression(7, ()),
    }
