"""`okr check` as the CI gate: the example is clean, defects point at their line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, Okr, write


def test_example_is_clean(okr: Okr) -> None:
    result = okr("check", "--root", EXAMPLE, "--strict")
    assert result.code == 0, result.out
    assert re.fullmatch(r"All checks passed \(\d+ files\)\.\n", result.out)


def _first_metric_target(acme: Path) -> tuple[Path, int, int, str]:
    """A quarter team file, the line index of a `target:` and the key result's id line/column."""
    for path in sorted(acme.glob("okrs/*-Q*/*.yaml")):
        if path.stem == "company":
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for index, line in enumerate(lines):
            if line.strip().startswith("target:"):
                id_index = max(i for i in range(index) if re.match(r"\s*- id:|\s*id:", lines[i]))
                id_line = lines[id_index]
                column = id_line.index("id:") + 1
                kr_id = id_line.split("id:")[1].strip()
                return path, index, id_index + 1, f"{column}:{kr_id}"
    raise AssertionError("no metric key result in a team file")


def test_deleted_target_is_okr101_at_the_key_result(acme: Path, okr: Okr) -> None:
    path, target_index, id_line, where = _first_metric_target(acme)
    column, kr_id = where.split(":")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    del lines[target_index]
    path.write_text("".join(lines), encoding="utf-8")

    result = okr("check", "--root", acme)

    rel = path.relative_to(acme).as_posix()
    assert result.code == 1
    assert (
        f"{rel}:{id_line}:{column}: OKR101 key result `{kr_id}` has no measurable target: a "
        in (result.out)
    )


def test_misspelt_target_is_okr001_with_suggestion(acme: Path, okr: Okr) -> None:
    path, target_index, _, _ = _first_metric_target(acme)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[target_index] = lines[target_index].replace("target:", "taget:")
    path.write_text("".join(lines), encoding="utf-8")
    column = lines[target_index].index("taget") + 1

    result = okr("check", "--root", acme)

    rel = path.relative_to(acme).as_posix()
    assert result.code == 1
    assert re.search(
        rf"^{re.escape(rel)}:{target_index + 1}:{column}: OKR001 .*unknown key `taget` "
        r"\(did you mean `target`\?\)$",
        result.out,
        re.MULTILINE,
    ), result.out


def test_json_format(acme: Path, okr: Okr) -> None:
    write(acme / "okrs" / "2026-Q4" / "extra.yaml", "team: extra\ncycle: 2026-Q4\nobjectives: 3\n")
    result = okr("check", "--root", acme, "--format", "json")
    report = json.loads(result.out)
    assert result.code == 1
    assert report["version"] == 1
    [finding] = report["findings"]
    assert finding == {
        "path": "okrs/2026-Q4/extra.yaml",
        "line": 3,
        "col": 1,
        "code": "OKR001",
        "level": "error",
        "message": "`objectives` must be a list, not `3`",
    }
    assert report["summary"]["errors"] == 1


def test_paths_limit_the_report_not_the_load(acme: Path, okr: Okr) -> None:
    bad = write(acme / "okrs" / "2026-Q4" / "zz.yaml", "team: zz\ncycle: 2026-Q4\nobjectives: 3\n")
    result = okr("check", "--root", acme, acme / "okrs" / "2026-Q3")
    assert result.code == 0, result.out
    result = okr("check", "--root", acme, bad)
    assert result.code == 1
    assert "okrs/2026-Q4/zz.yaml" in result.out


def test_no_repository_is_one_sentence(tmp_path: Path, okr: Okr) -> None:
    result = okr("check", cwd=tmp_path)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("okr: error: ")
    assert result.err.count("\n") == 1


def test_wrong_flag_is_one_sentence(okr: Okr) -> None:
    result = okr("check", "--root", EXAMPLE, "--strictt")
    assert result.code == 2
    assert "--strictt" in result.err
    assert result.err.count("\n") == 1


def test_missing_path_is_one_sentence(okr: Okr) -> None:
    result = okr("check", "--root", EXAMPLE, "okrs/nowhere.yaml")
    assert result.code == 2
    assert "no such file or folder" in result.err


def test_installed_command_never_prints_a_traceback(tmp_path: Path) -> None:
    write(tmp_path / "okr.toml", "pathz = []\n")
    write(tmp_path / "okrs" / "x.yaml", "\x00\xff")
    for args in (["check"], ["check", "--format", "xml"], ["rule", "nope"], []):
        done = subprocess.run(
            [sys.executable, "-m", "okrcli", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert "Traceback" not in done.stderr + done.stdout
        assert done.returncode in (0, 2)


def test_the_installed_command_leaves_with_all_its_output_and_its_status(tmp_path: Path) -> None:
    # okr ends its process without the interpreter's teardown, once the output is flushed:
    # output far larger than a pipe holds arrives whole, and the status is the command's.
    write(tmp_path / "okr.toml", "")
    for n in range(600):
        write(tmp_path / f"okrs/2026-Q4/t{n}.yaml", f"team: t{n}\ncycle: 2026-Q4\nobjectives: 3\n")
    command = [sys.executable, "-m", "okrcli", "check", "--format", "json", "--no-cache"]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, check=False)
    assert len(done.stdout) > 65_536
    assert (done.returncode, len(json.loads(done.stdout)["findings"])) == (1, 600)
    buffered = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    version = [sys.executable, "-m", "okrcli", "--version"]  # written to stdout, not echoed
    shown = subprocess.run(version, capture_output=True, env=buffered, check=False)
    assert (shown.returncode, shown.stdout) == (0, b"okr 0.1.0\n")
    piped = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert piped.stdout is not None and piped.stderr is not None
    piped.stdout.read(10)
    piped.stdout.close()  # the reader leaves early, as `| head` does
    assert "Traceback" not in piped.stderr.read().decode()
    assert piped.wait() in (0, 1)


def test_ci_formats_give_paths_from_the_repository_top(tmp_path: Path, okr: Okr) -> None:
    from tests.conftest import init_repo

    top = init_repo(tmp_path / "repo")
    root = top / "teams" / "okr"
    write(root / "okr.toml", "")
    write(root / "okrs" / "2026-Q4" / "x.yaml", "team: x\ncycle: 2026-Q4\nobjectives: 3\n")
    github = okr("check", "--root", root, "--format", "github")
    assert "::error file=teams/okr/okrs/2026-Q4/x.yaml,line=3,col=1,title=OKR001::" in github.out
    sarif = json.loads(okr("check", "--root", root, "--format", "sarif").out)
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "teams/okr/okrs/2026-Q4/x.yaml"
    text = okr("check", "--root", root)
    assert text.out.startswith("okrs/2026-Q4/x.yaml:3:1: OKR001")


def test_coloured_findings_stay_one_line_each(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from okrcli.findings import Finding
    from okrcli.render import findings_text

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "60")
    long = Finding("okrs/2026-Q4/platform.yaml", 7, 5, "OKR003", "parent names nothing " * 5)
    out = io.StringIO()
    findings_text.render([long], 1, out)
    lines = out.getvalue().splitlines()
    assert "\x1b[" in lines[0]
    assert len(lines) == 2  # the finding, whole, then the summary


def test_bad_choice_is_one_plain_sentence(okr: Okr) -> None:
    result = okr("check", "--root", EXAMPLE, "--format", "xml")
    assert result.code == 2
    assert result.err.startswith("okr: error: Invalid value for '--format': 'xml' is not one of")
    assert "Value error" not in result.err
    assert result.err.endswith("'gitlab'; see `okr check --help`\n")
