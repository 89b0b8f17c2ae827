"""Hostile files under okrs/: each is refused with one OKR001 finding at its place, or accepted.

`okr check` runs in CI on files anyone can edit in a pull request, so nothing in a file may
run code, exhaust memory, hang, or end in a traceback. Timings and memory of the worst cases
are measured by `fuzz/run.py` (figures in docs/reliability.md), not asserted here.
"""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, Okr, Result, commit_all, init_repo, write

VALID = """\
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
        target: 99.5
        unit: "%"
      - id: PLAT-1.2
        title: p95 deploy time
        start: 42
        target: 15
        unit: min
"""
REL = "okrs/2026-Q4/platform.yaml"


def alias_bomb(levels: int = 9, width: int = 9) -> bytes:
    """The billion laughs: each anchor is a list of `width` aliases of the one before."""
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        items = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{items}]")
    return ("\n".join(lines) + "\n").encode()


def conflicted() -> bytes:
    return VALID.replace(
        "        target: 15\n",
        "<<<<<<< HEAD\n        target: 15\n=======\n        target: 12\n>>>>>>> quarter\n",
    ).encode()


# name → (file bytes, the one finding `okr check` reports: "line:col: message")
REFUSED: dict[str, tuple[bytes, str]] = {
    "alias bomb": (alias_bomb(), "aliases expand to too many values (an alias bomb?)"),
    "python object tag": (
        b"team: !!python/object/apply:os.system [echo owned]\n",
        "1:7: tag `!!python/object/apply:os.system` is not allowed here",
    ),
    "python name tag": (
        b"team: !!python/name:os.system x\n",
        "1:7: tag `!!python/name:os.system` is not allowed: okr files are plain YAML 1.2 "
        "without custom tags",
    ),
    "custom local tag": (
        b"team: !vault secret\n",
        "1:7: tag `!vault` is not allowed: okr files are plain YAML 1.2 without custom tags",
    ),
    "binary tag": (
        b"team: !!binary aGVsbG8=\n",
        "1:7: tag `!!binary` is not allowed: okr files are plain YAML 1.2 without custom tags",
    ),
    "set tag on a mapping": (b"team: !!set {a, b}\n", "1:7: tag `!!set` is not allowed here"),
    "mistyped core tag": (b"team: !!int twelve\n", "1:7: `twelve` is not a valid `!!int`"),
    "file over 4 MiB": (
        b"# " + b"x" * (5 * 1024 * 1024) + b"\n",
        "1:1: file is 5.0 MiB; okr reads files up to 4 MiB",
    ),
    "not UTF-8 (Latin-1)": (
        VALID.replace("dana", "Dan\u00e9").encode("latin-1"),
        "3:11: byte 0xe9 is not valid UTF-8; save the file as UTF-8",
    ),
    "UTF-16 with BOM": (
        VALID.encode("utf-16"),
        "1:1: file is encoded as UTF-16; save it as UTF-8",
    ),
    "UTF-16-BE with BOM": (
        codecs.BOM_UTF16_BE + VALID.encode("utf-16-be"),
        "1:1: file is encoded as UTF-16; save it as UTF-8",
    ),
    "UTF-32 with BOM": (
        VALID.encode("utf-32"),
        "1:1: file is encoded as UTF-32; save it as UTF-8",
    ),
    "UTF-16 without BOM": (
        VALID.encode("utf-16-le"),
        "1:2: NUL byte in the file; it is not a text file",
    ),
    "NUL byte": (
        VALID.replace("owner: dana", "owner: da\0na").encode(),
        "3:10: NUL byte in the file; it is not a text file",
    ),
    "merge-conflict markers": (
        conflicted(),
        "16:1: merge-conflict marker `<<<<<<<`: resolve the conflict and remove the markers",
    ),
    "empty file": (
        b"",
        "1:1: file is empty; an OKR file is a mapping with `team`, `cycle` and `objectives`",
    ),
    "only comments": (
        b"# nothing yet\n",
        "1:1: file is empty; an OKR file is a mapping with `team`, `cycle` and `objectives`",
    ),
    "a list": (
        b"- team: platform\n- cycle: 2026-Q4\n",
        "1:1: file is a list; an OKR file is a mapping with `team`, `cycle` and `objectives`",
    ),
    "a scalar": (
        b"platform\n",
        "1:1: file is one value; an OKR file is a mapping with `team`, `cycle` and `objectives`",
    ),
    "a number": (
        b"42\n",
        "1:1: file is one value; an OKR file is a mapping with `team`, `cycle` and `objectives`",
    ),
    "two documents": (
        VALID.encode() + b"---\nteam: other\n",
        "18:1: not valid YAML: but found another document",
    ),
    "merge key": (
        b"base: &b {title: x}\nteam:\n  <<: *b\n",
        "3:3: merge keys (`<<`) are not part of YAML 1.2",
    ),
    "tab indentation": (
        VALID.replace("    title: Deploys", "\ttitle: Deploys").encode(),
        "6:1: tab in indentation; YAML indents with spaces only",
    ),
    "duplicate key": (
        VALID.replace("owner: dana\n", "owner: dana\nteam: other\n").encode(),
        "4:1: duplicate key `team` (first at line 1)",
    ),
    "undefined alias": (b"team: *nobody\n", "1:7: not valid YAML: found undefined alias"),
    "unclosed flow": (b"team: [platform\n", "2:1: not valid YAML"),
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "okr.toml").write_text("", encoding="utf-8")
    return tmp_path


def _put(repo: Path, rel: str, raw: bytes) -> Path:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return path


def _only_finding(result: Result, rel: str) -> str:
    """The one finding `okr check` printed for `rel`, without `rel:`, code or level."""
    lines = [line for line in result.out.splitlines() if line.startswith(f"{rel}:")]
    assert len(lines) == 1, result.out
    where, code, message = lines[0][len(rel) + 1 :].split(" ", 2)
    assert code == "OKR001", lines
    return f"{where} {message}"


@pytest.mark.parametrize("name", REFUSED)
def test_hostile_file_is_one_okr001_finding(name: str, repo: Path, okr: Okr) -> None:
    raw, expected = REFUSED[name]
    _put(repo, REL, raw)

    result = okr("check", "--root", repo)

    assert result.code == 1, result
    assert result.err == ""
    finding = _only_finding(result, REL)
    if expected[0].isdigit():
        assert finding.startswith(expected), finding
    else:
        assert finding.endswith(expected), finding


@pytest.mark.parametrize(
    "raw",
    [
        codecs.BOM_UTF8 + VALID.encode(),
        VALID.replace("\n", "\r\n").encode(),
        codecs.BOM_UTF8 + VALID.replace("\n", "\r\n").encode(),
        VALID.replace("\n", "\r").encode(),
    ],
    ids=["UTF-8 BOM", "CRLF", "BOM and CRLF", "CR only"],
)
def test_bom_and_line_endings_are_accepted(raw: bytes, repo: Path, okr: Okr) -> None:
    _put(repo, REL, raw)
    result = okr("check", "--root", repo, "--strict")
    assert (result.code, result.out) == (0, "All checks passed (1 file).\n")


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_positions_are_right_after_bom_and_crlf(eol: str, repo: Path, okr: Okr) -> None:
    text = VALID.replace("target: 15", "taget: 15").replace("\n", eol)
    _put(repo, REL, codecs.BOM_UTF8 + text.encode())
    result = okr("check", "--root", repo)
    assert result.code == 1
    assert _only_finding(result, REL).startswith("16:9: key result `PLAT-1.2`: unknown key `taget`")


@pytest.mark.parametrize(
    "raw",
    [
        b"team: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
        b"team: " + b"{a: " * 50_000 + b"}" * 50_000 + b"\n",
        b"".join(b" " * i + b"k:\n" for i in range(1500)),
        b"team:\n" + b"".join(b"  " * i + b"- \n" for i in range(1, 1500)),
    ],
    ids=["flow lists", "flow mappings", "block mappings", "block lists"],
)
def test_deep_nesting_is_refused(raw: bytes, repo: Path, okr: Okr) -> None:
    _put(repo, REL, raw)
    result = okr("check", "--root", repo)
    assert result.code == 1, result
    assert "nesting" in _only_finding(result, REL)


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("9" * 5000, "a finite number, not `inf`"),
        ("-" + "9" * 5000, "a finite number, not `-inf`"),
        ("9" * 4300, "a number, not `9999999999999999999999999999999999999999…`"),
        ("0x" + "f" * 5000, "a number, not `0xffffffffffffffffffffffffffffffffffffff…`"),
        ("0o" + "7" * 5000, "a number, not `0o77777777777777777777777777777777777777…`"),
    ],
    ids=["decimal", "negative", "4300 digits", "hex", "octal"],
)
def test_a_number_with_thousands_of_digits_is_a_finding(
    number: str, shown: str, repo: Path, okr: Okr
) -> None:
    _put(repo, REL, VALID.replace("target: 99.5", f"target: {number}").encode())
    result = okr("check", "--root", repo)
    assert result.code == 1, result.err
    assert _only_finding(result, REL) == f"11:9: key result `PLAT-1.1`: `target` must be {shown}"


def test_a_key_with_thousands_of_digits_is_a_finding(repo: Path, okr: Okr) -> None:
    _put(repo, REL, VALID.replace("owner: dana", "? " + "9" * 5000 + "\n: dana").encode())
    result = okr("check", "--root", repo)
    assert result.code == 1, result.err
    assert _only_finding(result, REL) == "1:1: `inf`: keys should be strings"


def test_huge_scalars_are_read_and_judged(repo: Path, okr: Okr) -> None:
    title = "x" * 3_000_000
    text = VALID.replace("title: Deploy success rate", f"title: {title}")
    text = text.replace("target: 99.5", "target: 1e309")  # overflows to infinity
    _put(repo, REL, text.encode())
    result = okr("check", "--root", repo)
    assert result.code == 1
    assert _only_finding(result, REL) == (
        "11:9: key result `PLAT-1.1`: `target` must be a finite number, not `inf`"
    )


def test_odd_ids(repo: Path, okr: Okr) -> None:
    refused = ["PLAT 1", "../../etc/passwd", "\u03a9mega-1", "", "a\u200bb", "x\ny", "#1"]
    accepted = ["-", "...", "x" * 10_000, "0", "1.0.0"]
    for index, ident in enumerate(refused + accepted):
        quoted = json.dumps(ident)
        text = f"team: odd{index}\ncycle: 2026-Q4\nobjectives:\n  - id: {quoted}\n    title: t\n"
        _put(repo, f"okrs/2026-Q4/odd{index}.yaml", text.encode())

    result = okr("check", "--root", repo)

    assert result.code == 1
    lines = result.out.splitlines()
    for index in range(len(refused) + len(accepted)):
        mine = [line for line in lines if line.startswith(f"okrs/2026-Q4/odd{index}.yaml:4:5: ")]
        codes = sorted(line.split()[1] for line in mine)
        if index < len(refused):
            assert codes == ["OKR001"], (index, codes)
            assert "`id` may hold only letters, digits" in mine[0], index
        else:
            assert codes == ["OKR201"], (index, codes)
            assert f"okrs/2026-Q4/odd{index}.yaml:1:1: OKR203 no owner in" in result.out, index


# Files that are not plain files under okrs/.


def test_symlink_loops_are_reported_not_followed(repo: Path, okr: Okr) -> None:
    _put(repo, REL, VALID.encode())
    folder = repo / "okrs" / "2026-Q4"
    (folder / "loop").symlink_to("..", target_is_directory=True)  # okrs/2026-Q4/loop → okrs/
    (folder / "self.yaml").symlink_to("self.yaml")
    (folder / "a.yaml").symlink_to("b.yaml")
    (folder / "b.yaml").symlink_to("a.yaml")
    (folder / "gone.yaml").symlink_to("nowhere.yaml")

    result = okr("check", "--root", repo)

    assert result.code == 1
    assert result.out.splitlines() == [
        "okrs/2026-Q4/a.yaml:1:1: OKR001 symlink is broken or loops; not read",
        "okrs/2026-Q4/b.yaml:1:1: OKR001 symlink is broken or loops; not read",
        "okrs/2026-Q4/gone.yaml:1:1: OKR001 symlink is broken or loops; not read",
        "okrs/2026-Q4/loop:1:1: OKR001 symlinked folder is not followed; move the files into "
        "the repository",
        "okrs/2026-Q4/self.yaml:1:1: OKR001 symlink is broken or loops; not read",
        "Found 5 errors in 5 files.",
    ]


def test_symlinks_outside_the_root_are_reported(
    repo: Path, tmp_path_factory: pytest.TempPathFactory, okr: Okr
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    write(outside / "secret.yaml", VALID)
    write(outside / "more" / "team.yaml", VALID)
    _put(repo, REL, VALID.encode())
    folder = repo / "okrs" / "2026-Q4"
    (folder / "secret.yaml").symlink_to(outside / "secret.yaml")
    (folder / "passwd.yaml").symlink_to("/etc/passwd")
    (repo / "okrs" / "elsewhere").symlink_to(outside / "more", target_is_directory=True)

    result = okr("check", "--root", repo)

    assert result.code == 1
    assert result.out.splitlines() == [
        "okrs/2026-Q4/passwd.yaml:1:1: OKR001 symlink points outside the repository; not read",
        "okrs/2026-Q4/secret.yaml:1:1: OKR001 symlink points outside the repository; not read",
        "okrs/elsewhere:1:1: OKR001 symlinked folder is not followed; move the files into the "
        "repository",
        "Found 3 errors in 3 files.",
    ]


def test_a_symlink_inside_the_root_is_read(repo: Path, okr: Okr) -> None:
    write(repo / "shared" / "platform.yaml", VALID)
    (repo / "okrs" / "2026-Q4").mkdir(parents=True)
    (repo / REL).symlink_to(repo / "shared" / "platform.yaml")
    result = okr("check", "--root", repo, "--strict")
    assert (result.code, result.out) == (0, "All checks passed (1 file).\n")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_reported_not_read_forever(repo: Path, okr: Okr) -> None:
    (repo / "okrs" / "2026-Q4").mkdir(parents=True)
    os.mkfifo(repo / "okrs" / "2026-Q4" / "pipe.yaml")
    (repo / "okrs" / "2026-Q4" / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(repo / "fifo")
    (repo / "okrs" / "2026-Q4" / "inside.yaml").symlink_to(repo / "fifo")

    result = okr("check", "--root", repo)

    assert result.code == 1
    not_regular = "OKR001 is not a regular file (a pipe, socket or device); not read"
    assert result.out.splitlines() == [
        f"okrs/2026-Q4/inside.yaml:1:1: {not_regular}",
        f"okrs/2026-Q4/pipe.yaml:1:1: {not_regular}",
        "okrs/2026-Q4/zero.yaml:1:1: OKR001 symlink points outside the repository; not read",
        "Found 3 errors in 3 files.",
    ]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file(repo: Path, okr: Okr) -> None:
    path = _put(repo, REL, VALID.encode())
    path.chmod(0)
    result = okr("check", "--root", repo)
    assert result.code == 1
    assert f"{REL}:1:1: OKR001 cannot be read: Permission denied" in result.out


# The same files from git history, and from a separate process.


def test_hostile_files_in_history_are_findings_too(repo: Path, okr: Okr) -> None:
    init_repo(repo)
    for index, name in enumerate(REFUSED):
        _put(repo, f"okrs/2026-Q4/hostile{index:02}.yaml", REFUSED[name][0])
    commit_all(repo, "hostile files", "2026-10-01T09:00:00+00:00")
    for path in (repo / "okrs" / "2026-Q4").iterdir():
        path.unlink()

    result = okr("check", "--root", repo, "--at", "HEAD")

    assert result.code == 1, result
    big = list(REFUSED).index("file over 4 MiB")  # the history walk says it skipped it
    assert result.err == (
        f"okr: note: 1 version of okrs/2026-Q4/hostile{big:02}.yaml in history is over 4 MiB "
        "and not read (OKR207 and OKR208 skip it)\n"
    )
    for index in range(len(REFUSED)):
        assert f"okrs/2026-Q4/hostile{index:02}.yaml:" in result.out


def test_no_traceback_from_a_real_process(repo: Path) -> None:
    for index, name in enumerate(REFUSED):
        _put(repo, f"okrs/2026-Q4/hostile{index:02}.yaml", REFUSED[name][0])
    _put(repo, "okrs/2026-Q4/deep.yaml", b"team: " + b"[" * 100_000 + b"]" * 100_000)
    env = {**os.environ, "NO_COLOR": "1"}
    for args in (["check"], ["check", "--format", "json"], ["score"], ["tree"]):
        done = subprocess.run(
            [sys.executable, "-m", "okrcli", *args, "--root", str(repo)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
            check=False,
        )
        assert "Traceback" not in done.stdout + done.stderr, args
        assert "internal error" not in done.stderr, (args, done.stderr)
        assert done.returncode in (0, 1, 2), (args, done.returncode)


# Text from a file that could drive the terminal or forge output lines.

FORGER = """\
team: platform
cycle: 2026-Q4
objectives:
  - id: "x\\e[2J\\nokrs/fake.yaml:1:1: OKR999 forged"
    title: "Deploys \\e[31mred\\r\\nokrs/x.yaml:1:1: forged"
    key_results:
      - {id: X-1.1, title: "a\\u2028b", done: false}
"""


def test_a_file_cannot_forge_finding_lines(repo: Path, okr: Okr) -> None:
    _put(repo, REL, FORGER.encode())
    result = okr("check", "--root", repo)
    assert result.code == 1
    assert "\x1b" not in result.out and "\r" not in result.out
    [finding, summary] = result.out.splitlines()
    assert finding.startswith(f"{REL}:4:5: OKR001 objective `x\\x1b[2J\\nokrs/fake.yaml:1:1: ")
    assert summary == "Found 1 error in 1 file."


@pytest.mark.parametrize("command", ["score", "tree"])
def test_titles_cannot_drive_the_terminal(command: str, repo: Path, okr: Okr) -> None:
    text = FORGER.replace('"x\\e[2J\\nokrs/fake.yaml:1:1: OKR999 forged"', "X-1")
    _put(repo, REL, text.encode())
    result = okr(command, "--root", repo)
    assert result.code == 0, result.err
    assert "\x1b" not in result.out
    assert not any(line.startswith("okrs/x.yaml") for line in result.out.splitlines())
