"""Fuzzing the loader and the commands that read files (a bounded run; fuzz/run.py is the long one).

The property: no input ever produces a traceback. `okr` either runs (exit 0 or 1, with
findings as `path:line:col: CODE message`) or cannot run (exit 2 and one sentence). Inputs
are random bytes and example files mutated the way people and merges break YAML: lines
deleted, duplicated and re-indented, values swapped for values of other types, deep nesting,
huge scalars, odd ids, odd encodings.

The strategies and the contract live here so that fuzz/run.py runs the same thing for longer.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrcli.load import PARSE_CODE, load_source
from tests.conftest import EXAMPLE, Okr, Result

SMALL_SEED = b"""\
team: platform
cycle: 2026-Q4
owner: dana
objectives:
  - id: PLAT-1
    title: Deploys are boring and safe
    type: committed
    parent: ACME-1
    weight: 2
    key_results:
      - id: PLAT-1.1
        title: Deploy success rate
        start: 92
        target: 99.5
        current: 97.1
        unit: "%"
        confidence: 7
      - {id: PLAT-1.2, title: Canary analysis on every service, done: false}
      - id: PLAT-1.3
        title: Migrate the build pipelines
        milestones:
          - {title: api, done: true}
          - {title: web, done: false, weight: 2}
      - id: PLAT-1.4
        title: Error-budget burn rate
        below: 1.0
        current: 0.8
        initiatives:
          - {title: Blue-green deploys, owner: carol, status: doing}
  - id: PLAT-2
    title: Everything rolls up
    parent: PLAT-1.1
    key_results:
      - {id: PLAT-2.1, title: Teams onboarded, rollup: true}
"""
COMPANY = b"""\
team: company
cycle: "2026"
owner: ceo
objectives:
  - id: ACME-1
    title: Customers trust us with their money
    key_results:
      - {id: ACME-1.1, title: Net revenue retention, start: 100, target: 115, unit: "%"}
      - {id: ACME-1.2, title: Audit passed, done: false}
"""


def _seeds() -> list[bytes]:
    """The small seed, then every team file of the example organisation."""
    files = sorted(EXAMPLE.glob("okrs/*/*.yaml")) if EXAMPLE.is_dir() else []
    return [SMALL_SEED] + [path.read_bytes() for path in files]


SEEDS = _seeds()
MUTANT = "okrs/2026-Q4/platform.yaml"

# Values a YAML scalar can be swapped for: every type, and the hostile ones.
ODD_VALUES = [
    "0", "-1", "1e309", "-.inf", ".nan", "0x1F", "0o17", "9" * 5000, "1_000", "true",
    "null", "~", "''", '""', "[]", "{}", "[a, [b, [c]]]", "{a: {b: {c: 1}}}", "&a x", "*a",
    "!!str 5", "!!int x", "!!python/object:os.system x", "!custom x", "|\n  block",
    "2026-10-01", "'quoted: yes'", '"\\u0000"', '"\\e[2J"', "x" * 100_000, "- item",
    "? complex", "@reserved", "`backtick`", "%percent", "'unterminated", "[unclosed",
    "{a: 1, a: 2}", "é\u202e\u200b", "<<: *a",
]  # fmt: skip
ODD_IDS = [
    "PLAT-1", "PLAT-1.1", "ACME-1", "", " ", "PLAT 1", "../x", "Ω", "-", ".", "x" * 5000,
    "1", "1.5", "true", "null", "[PLAT-1]", "PLAT-1#c", "*a", "&a PLAT-9",
]  # fmt: skip
_ID_LINE = re.compile(rb"((?:^|[{,\s])(?:id|parent):\s*)([^,}\n]*)", re.MULTILINE)
_VALUE_LINE = re.compile(rb"^(\s*(?:- )?[A-Za-z_]+:)[ \t]*(.*)$", re.MULTILINE)


def _lines(raw: bytes) -> list[bytes]:
    return raw.splitlines(keepends=True) or [b""]


@st.composite
def _mutation(draw: st.DrawFn, raw: bytes) -> bytes:
    """One edit of the kind people, merges and bad tools make."""
    lines = _lines(raw)
    index = draw(st.integers(0, len(lines) - 1))
    kind = draw(
        st.sampled_from(
            ["delete", "duplicate", "indent", "value", "swap", "id", "bytes", "cut", "deep",
             "encoding"]
        )
    )  # fmt: skip
    if kind == "delete":
        del lines[index]
    elif kind == "duplicate":
        lines.insert(index, lines[index])
    elif kind == "indent":
        shift = draw(st.sampled_from([b" ", b"  ", b"    ", b"\t", b"-", b"- "]))
        stripped = lines[index].lstrip(b" ")
        if draw(st.booleans()):
            lines[index] = shift + lines[index]
        else:
            lines[index] = stripped
    elif kind in ("value", "swap"):
        matches = list(_VALUE_LINE.finditer(raw))
        if not matches:
            return raw
        first = draw(st.sampled_from(matches))
        if kind == "value":
            value = draw(st.sampled_from(ODD_VALUES)).encode()
        else:
            value = draw(st.sampled_from(matches)).group(2)
        return raw[: first.start(2)] + value + raw[first.end(2) :]
    elif kind == "id":
        ids = list(_ID_LINE.finditer(raw))
        if not ids:
            return raw
        at = draw(st.sampled_from(ids))
        ident = draw(st.sampled_from(ODD_IDS) | st.text(max_size=12)).encode("utf-8", "replace")
        return raw[: at.start(2)] + ident + raw[at.end(2) :]
    elif kind == "bytes":
        noise = draw(st.binary(min_size=1, max_size=8))
        offset = draw(st.integers(0, len(raw)))
        return raw[:offset] + noise + raw[offset:]
    elif kind == "cut":
        return raw[: draw(st.integers(0, len(raw)))]
    elif kind == "deep":
        depth = draw(st.sampled_from([10, 64, 65, 1000, 100_000]))
        nest = draw(st.sampled_from([(b"[", b"]"), (b"{a: ", b"}")]))
        lines[index] = b"deep: " + nest[0] * depth + nest[1] * depth + b"\n"
    else:
        text = b"".join(lines)
        codec = draw(st.sampled_from(["bom", "crlf", "cr", "latin-1", "utf-16", "nul"]))
        if codec == "bom":
            return b"\xef\xbb\xbf" + text
        if codec in ("crlf", "cr"):
            return text.replace(b"\n", b"\r\n" if codec == "crlf" else b"\r")
        if codec == "nul":
            return text.replace(b"\n", b"\0\n", 1)
        return text.decode("utf-8", "replace").encode(codec, "replace")
    return b"".join(lines)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A seed file after one to four edits."""
    raw = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        raw = draw(_mutation(raw))
    return raw


random_bytes = st.binary(max_size=2048)
# Bytes that are mostly YAML punctuation reach deeper into the parser than random ones.
yamlish = st.lists(
    st.sampled_from(
        [b"\n", b" ", b"  ", b"- ", b": ", b"[", b"]", b"{", b"}", b",", b"&a", b"*a", b"!",
         b"!!", b"?", b"|", b">", b"#", b"'", b'"', b"id", b"team", b"cycle", b"objectives",
         b"key_results", b"title", b"1", b"x", b"\t", b"---", b"...", b"%YAML 1.2", b"<<"]
    ),
    max_size=80,
).map(b"".join)  # fmt: skip
any_file = st.one_of(mutated(), mutated(), mutated(), random_bytes, yamlish)  # 3:1:1

# What every run of okr must look like.
FINDING = re.compile(r"^\S.*:\d+:\d+: (OKR\d{3}) .+$")
SUMMARY = re.compile(r"^(All checks passed|Found \d+ (error|warning)).*\.$")
COMMANDS: list[tuple[str, ...]] = [
    ("check",),
    ("check", "--format", "json"),
    ("score",),
    ("score", "--format", "json"),
    ("tree",),
]


def contract_violations(args: tuple[str, ...], result: Result) -> list[str]:
    """Every way `result` breaks the contract (empty when it keeps it)."""
    wrong = []
    both = result.out + result.err
    if "Traceback" in both or "internal error" in result.err:
        wrong.append(f"crash: {result.err.strip()[:300]}")
    if result.code == 2:
        said = result.err.strip().splitlines()
        if len(said) != 1 or not said[0].startswith("okr: error: "):
            wrong.append(f"exit 2 without one sentence: {result.err[:300]!r}")
    elif result.code not in (0, 1):
        wrong.append(f"exit {result.code}")
    elif args == ("check",):
        lines = result.out.splitlines()
        if not lines or not SUMMARY.match(lines[-1]):
            wrong.append(f"no summary line: {result.out[-300:]!r}")
        bad = [line for line in lines[:-1] if not FINDING.match(line)]
        if bad:
            wrong.append(f"a finding is not one line: {bad[0][:300]!r}")
    elif "json" in args:
        try:
            version = json.loads(result.out).get("version")
        except (ValueError, AttributeError):
            version = None
        if version != 1:
            wrong.append(f"not one JSON object with version 1: {result.out[:300]!r}")
    return wrong


@dataclass
class Workspace:
    """A repository with a company file and one team file that each example overwrites."""

    root: Path

    @classmethod
    def make(cls, root: Path) -> Workspace:
        if root.exists():
            shutil.rmtree(root)
        (root / "okrs" / "2026").mkdir(parents=True)
        (root / "okr.toml").write_text("", encoding="utf-8")
        (root / "okrs" / "2026" / "company.yaml").write_bytes(COMPANY)
        return cls(root)

    def put(self, raw: bytes) -> None:
        path = self.root / MUTANT
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)


def in_process(args: list[str]) -> Result:
    """The real entry point, as the `okr` fixture runs it, for fuzz/run.py."""
    from okrcli.cli import invoke

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), _no_colour():
        code = invoke(args)
    return Result(code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _no_colour() -> Iterator[None]:
    saved = os.environ.get("NO_COLOR")
    os.environ["NO_COLOR"] = "1"
    try:
        yield
    finally:
        if saved is None:
            del os.environ["NO_COLOR"]
        else:
            os.environ["NO_COLOR"] = saved


def loader_violations(raw: bytes) -> list[str]:
    """The library never raises on bytes: problems are OKR001 findings inside the file."""
    try:
        source = load_source(MUTANT, raw)
    except Exception as exc:  # the property under test: nothing escapes
        return [f"load_source raised {type(exc).__name__}: {exc}"[:300]]
    # libyaml (YAML 1.1) also breaks lines at NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR.
    breaks = (b"\n", b"\r", "\x85".encode(), "\u2028".encode(), "\u2029".encode())
    lines = sum(raw.count(mark) for mark in breaks) + 2
    wrong = []
    for problem in source.problems:
        if problem.code != PARSE_CODE or not (1 <= problem.line <= lines and problem.col >= 1):
            wrong.append(f"bad finding {problem.as_text()[:300]}")
    if source.doc is None and not source.problems:
        wrong.append("no model and no finding")
    return wrong


_BOUNDED = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@_BOUNDED
@given(raw=any_file)
def test_loader_turns_any_bytes_into_findings(raw: bytes) -> None:
    assert loader_violations(raw) == []


@settings(_BOUNDED, max_examples=40)
@given(raw=any_file)
def test_commands_keep_the_contract_on_any_file(raw: bytes, tmp_path: Path, okr: Okr) -> None:
    space = Workspace.make(tmp_path / "fuzz")
    space.put(raw)
    for args in COMMANDS:
        result = okr(*args, "--root", space.root)
        assert contract_violations(args, result) == [], (args, raw[:200])


HISTORY_COMMANDS: list[tuple[str, ...]] = [
    ("check", "--at", "HEAD"),
    ("check", "--at", "HEAD~1"),
    ("log",),
    ("log", "--format", "json"),
    ("review", "2026-Q4"),
]


@settings(_BOUNDED, max_examples=8)
@given(raw=any_file)
def test_history_commands_keep_the_contract_on_any_commit(
    raw: bytes, tmp_path: Path, okr: Okr
) -> None:
    """The same files read back from git: blobs, `git log -p` patches and snapshots."""
    from tests.conftest import commit_all, git, init_repo

    space = Workspace.make(tmp_path / "history")
    init_repo(space.root)
    space.put(SMALL_SEED)
    commit_all(space.root, "OKRs", "2026-10-01T09:00:00+00:00")
    space.put(raw)
    git(space.root, "add", "-A")
    git(space.root, "commit", "-q", "--allow-empty", "-m", "edit", date="2026-10-15T09:00:00Z")
    for args in HISTORY_COMMANDS:
        result = okr(*args, "--root", space.root)
        assert contract_violations(args, result) == [], (args, raw[:200])


def test_the_contract_catches_a_crash() -> None:
    """The checker itself: a traceback, a bare exit 2 or a broken finding line all fail."""
    crash = Result(2, "", "okr: internal error: ValueError: boom (details in x)\n")
    assert contract_violations(("check",), crash)
    assert contract_violations(("check",), Result(2, "", "okr: error: a\nsecond line\n"))
    broken = Result(1, "x.yaml:1:1: OKR001 one\nforged\nFound 1 error in 1 file.\n", "")
    assert contract_violations(("check",), broken)
    assert contract_violations(("check", "--format", "json"), Result(0, "[]", ""))
    fine = Result(1, "x.yaml:1:1: OKR001 one\nFound 1 error in 1 file.\n", "")
    assert contract_violations(("check",), fine) == []


@pytest.mark.parametrize("seed", range(len(SEEDS)))
def test_every_seed_is_clean_before_mutation(seed: int, tmp_path: Path) -> None:
    """Mutations start from valid files, so what they find is the mutation's doing."""
    source = load_source(MUTANT, SEEDS[seed])
    assert source.problems == []
