"""Many check-ins in one commit: `ID=VALUE` pairs, `--from FILE.csv`, the library call, and
parallel writers that must not lose each other's values."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from okrcli.checkin import Entry, check_in
from okrcli.config import load_config
from tests.conftest import GIT_ENV, ROOT, Okr, commit_all, git, init_repo, write

REL = "okrs/2026-Q4/platform.yaml"
COUNT = 20


def _team_file(count: int) -> str:
    """One objective per five key results, each with a comment to keep."""
    lines = ["# Platform: many metrics", "team: platform", "cycle: 2026-Q4", "objectives:"]
    for n in range(count):
        if n % 5 == 0:
            lines += [
                f"  - id: PLAT-{n // 5}",
                f"    title: Objective {n // 5}",
                "    key_results:",
            ]
        lines += [
            f"      - id: PLAT-{n // 5}.{n % 5}",
            f"        title: Metric {n}",
            "        start: 0",
            "        target: 100",
            f"        current: {n}   # from the dashboard",
            "        unit: '%'",
        ]
    return "\n".join(lines) + "\n"


def _ident(n: int) -> str:
    return f"PLAT-{n // 5}.{n % 5}"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = init_repo(tmp_path / "repo")
    write(root / "okr.toml", "")
    write(root / REL, _team_file(COUNT))
    commit_all(root, "OKRs", "2026-10-01T09:00:00+00:00")
    return root


def _commits(root: Path) -> int:
    return int(git(root, "rev-list", "--count", "HEAD"))


def test_ten_pairs_are_one_commit_changing_exactly_those_ten_values(repo: Path, okr: Okr) -> None:
    before = (repo / REL).read_text()
    picked = range(0, COUNT, 2)
    pairs = [f"{_ident(n)}={n + 50}" for n in picked]
    result = okr("checkin", *pairs, "-m", "weekly", cwd=repo)
    assert result.code == 0, result.err
    assert _commits(repo) == 2
    expected = before
    for n in picked:
        expected = expected.replace(
            f"        current: {n}   # from", f"        current: {n + 50}   # from"
        )
    assert (repo / REL).read_text() == expected  # byte for byte: the ten values, nothing else
    numstat = git(repo, "show", "--numstat", "--format=", "HEAD").split()
    assert numstat == ["10", "10", REL]
    message = git(repo, "log", "-1", "--format=%B")
    assert message.startswith("checkin 10 items")
    assert message.count("OKR-Id: ") == 10 and message.count("OKR-Note: weekly") == 10
    assert f"OKR-Id: {_ident(2)}\nOKR-Value: 52\nOKR-Note: weekly\n" in message
    assert result.out.splitlines()[-1].startswith("10 items; committed ")


def test_the_library_call_takes_extra_trailers_per_entry(repo: Path) -> None:
    entries = [
        Entry(_ident(1), "61", trailers=(("OKR-Source", "grafana"),)),
        Entry(_ident(3), "-2.5", confidence="6", trailers=(("OKR-Source", "sheet"),)),
    ]
    outcome = check_in(load_config(repo), entries)
    assert outcome.commit == git(repo, "rev-parse", "HEAD").strip()
    assert [(i.id, i.old, i.new) for i in outcome.items] == [
        (_ident(1), "1", "61"),
        (_ident(3), "3", "-2.5"),
    ]
    trailers = git(repo, "log", "-1", "--format=%(trailers:only,unfold)").strip().splitlines()
    assert trailers == [
        f"OKR-Id: {_ident(1)}",
        "OKR-Value: 61",
        "OKR-Source: grafana",
        f"OKR-Id: {_ident(3)}",
        "OKR-Value: -2.5",
        "OKR-Confidence: 6",
        "OKR-Source: sheet",
    ]


def test_one_bad_entry_changes_nothing(repo: Path, okr: Okr) -> None:
    before = (repo / REL).read_bytes()
    result = okr("checkin", f"{_ident(0)}=5", f"{_ident(1)}=lots", cwd=repo)
    assert result.code == 2
    assert f"{_ident(1)} is a metric: the value must be a number, not `lots`" in result.err
    assert (repo / REL).read_bytes() == before and _commits(repo) == 1


def test_a_negative_value_needs_no_double_dash(repo: Path, okr: Okr) -> None:
    result = okr("checkin", _ident(4), "-5", "-m", "below zero", cwd=repo)
    assert result.code == 0, result.err
    assert "        current: -5   # from the dashboard\n" in (repo / REL).read_text()
    assert okr("checkin", f"{_ident(5)}=-7.5", cwd=repo).code == 0
    assert "        current: -7.5   # from the dashboard\n" in (repo / REL).read_text()


@pytest.mark.parametrize(
    ("raw", "values"),
    [
        (b"id,value,confidence,note\nPLAT-0.1,40,7,steady\nPLAT-0.2,41,,\n", ("40", "41")),
        (  # Excel in a comma-decimal locale: a byte order mark, `;` and `97,5`
            "\ufeffid;value;confidence;note\r\nPLAT-0.1;40,5;7;steady\r\nPLAT-0.2;41;;\r\n"
            ";;;\r\n".encode(),
            ("40.5", "41"),
        ),
    ],
)
def test_from_csv_is_one_commit(
    repo: Path, okr: Okr, tmp_path: Path, raw: bytes, values: tuple[str, str]
) -> None:
    sheet = tmp_path / "week.csv"
    sheet.write_bytes(raw)
    result = okr("checkin", "--from", sheet, cwd=repo)
    assert result.code == 0, result.err
    assert _commits(repo) == 2
    text = (repo / REL).read_text()
    assert f"        current: {values[0]}   # from" in text
    assert f"        current: {values[1]}   # from" in text
    message = git(repo, "log", "-1", "--format=%B")
    assert "OKR-Id: PLAT-0.1\nOKR-Value: " in message and "OKR-Confidence: 7" in message
    assert "OKR-Note: steady" in message


def test_a_csv_with_an_unknown_column_says_which(repo: Path, okr: Okr, tmp_path: Path) -> None:
    sheet = write(tmp_path / "week.csv", "id,valeu\nPLAT-0.1,40\n")
    result = okr("checkin", "--from", sheet, cwd=repo)
    assert result.code == 2 and "week.csv:1: unknown column `valeu`" in result.err


def test_interactive_asks_each_key_result_with_its_value_as_default(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = "\n".join(["", "77", "", "2", *[""] * (COUNT - 4)]) + "\n"
    done = subprocess.run(
        [sys.executable, "-m", "okrcli", "--today", "2026-11-02", "checkin", "--team",
         "platform", "-m", "weekly", "--root", str(repo)],
        input=answers, capture_output=True, text=True, check=False,
        env={**os.environ, **GIT_ENV, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"{_ident(0)} Metric 0 [0]: " in done.stdout
    assert f"{_ident(1)} Metric 1 [1]: " in done.stdout
    assert _commits(repo) == 2
    assert "2 items; committed " in done.stdout
    numstat = git(repo, "show", "--numstat", "--format=", "HEAD").split()
    assert numstat == ["2", "2", REL]


def test_twenty_parallel_no_commit_check_ins_on_one_file_all_survive(repo: Path) -> None:
    env = {**os.environ, **GIT_ENV, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "okrcli",
                "checkin",
                _ident(n),
                str(n + 500),
                "--no-commit",
                "--root",
                str(repo),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(COUNT)
    ]
    results = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in processes]
    for process in processes:
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()
    assert [code for code, _ in results] == [0] * COUNT, results
    text = (repo / REL).read_text()
    for n in range(COUNT):
        assert f"        current: {n + 500}   # from the dashboard\n" in text
    assert _commits(repo) == 1


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.from_regex(r"[A-Za-z0-9._-]{1,12}", fullmatch=True),
            st.one_of(st.integers(-(10**9), 10**9), st.floats(-1e9, 1e9, allow_nan=False)),
            st.one_of(st.none(), st.integers(0, 10)),
            st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")),
                    max_size=30).map(str.strip),
        ),
        min_size=1,
        max_size=8,
    ),
    semicolons=st.booleans(),
    bom=st.booleans(),
)  # fmt: skip
def test_a_sheet_reads_back_what_was_written(
    rows: list[tuple[str, float, int | None, str]], semicolons: bool, bom: bool
) -> None:
    import csv
    import io
    import tempfile

    from okrcli.checkin_input import from_csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if semicolons else ",")
    writer.writerow(["id", "value", "confidence", "note"])
    for ident, value, level, note in rows:
        shown = repr(value) if isinstance(value, float) else str(value)
        if semicolons:
            shown = shown.replace(".", ",")  # a decimal comma, as such a sheet writes it
        writer.writerow([ident, shown, "" if level is None else level, note])
    with tempfile.TemporaryDirectory() as folder:
        sheet = Path(folder) / "week.csv"
        sheet.write_bytes(("\ufeff" if bom else "").encode() + out.getvalue().encode())
        entries = from_csv(sheet)
    assert [(e.id, float(e.value or "nan"), e.confidence, e.note or "") for e in entries] == [
        (ident, float(value), None if level is None else str(level), note)
        for ident, value, level, note in rows
    ]
