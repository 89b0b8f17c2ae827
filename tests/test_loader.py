"""The loader: YAML 1.2 data with the position of every key, and findings written for people."""

from __future__ import annotations

import io
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrcli.load import load_source
from okrcli.yamlread import YamlProblem, parse

GOOD = b"""\
# a comment
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
      - {id: PLAT-1.2, title: Canary analysis on every service, done: false}
"""


def test_positions_of_objectives_and_key_results() -> None:
    source = load_source("okrs/2026-Q4/platform.yaml", GOOD)
    assert source.problems == []
    assert source.pos(("objectives", 0)) == (6, 5)
    assert source.pos(("objectives", 0, "key_results", 0, "target")) == (12, 9)
    done_col = GOOD.splitlines()[13].index(b"done") + 1
    assert source.pos(("objectives", 0, "key_results", 1, "done")) == (14, done_col)


def test_yaml_1_2_scalars() -> None:
    data = parse(b"a: yes\nb: 0o17\nc: 2026-10-01\nd: .inf\ne: ~\nf: 1_000\ng: 0x1F\n").data
    assert data == {
        "a": "yes",
        "b": 15,
        "c": "2026-10-01",
        "d": float("inf"),
        "e": None,
        "f": "1_000",
        "g": 31,
    }


def test_unknown_key_suggests_the_nearest() -> None:
    source = load_source("t.yaml", GOOD.replace(b"target:", b"taget:"))
    [problem] = source.problems
    assert (problem.line, problem.col, problem.code) == (12, 9, "OKR001")
    assert problem.message == "key result `PLAT-1.1`: unknown key `taget` (did you mean `target`?)"


def test_duplicate_key_names_both_lines() -> None:
    source = load_source(
        "t.yaml", GOOD.replace(b"        unit:", b"        start: 1\n        unit:")
    )
    [problem] = source.problems
    assert (problem.line, problem.col) == (13, 9)
    assert "duplicate key `start` (first at line 11)" in problem.message


def test_every_problem_is_a_finding_not_an_exception() -> None:
    for raw in (b"", b"- a\n- b\n", b"just text\n", b"team: [\n", b"\xff\xfe", b"a: *nope\n"):
        source = load_source("t.yaml", raw)
        assert source.doc is None
        assert [p.code for p in source.problems] == ["OKR001"]


# Property: any mapping of plain data that a YAML emitter writes, we read back exactly, and every
# key's position is the line and column where the emitter put that key.
_keys = st.from_regex(r"[a-z_][a-z0-9_]{0,11}", fullmatch=True)
_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30)
)
_data = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=25,
)


def _dump(data: Any) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(_keys, _data, min_size=1, max_size=5))
def test_parse_round_trips_emitted_yaml(data: dict[str, Any]) -> None:
    text = _dump(data)
    try:
        doc = parse(text.encode())
    except YamlProblem as problem:  # the emitter may write what a safe reader refuses
        assert problem.line >= 1
        return
    assert doc.data == data
    lines = text.splitlines()
    for loc, (line, col) in doc.positions.items():
        if loc and isinstance(loc[-1], str):
            assert lines[line - 1][col - 1 :].startswith(loc[-1]), (loc, line, col, text)


def test_misspelt_choice_suggests_the_nearest() -> None:
    raw = GOOD.replace(b"    key_results:", b"    type: comitted\n    key_results:")
    [problem] = load_source("t.yaml", raw).problems
    assert problem.message == (
        "objective `PLAT-1`: `type` must be one of `committed`, `aspirational` or `learning`, "
        "not `comitted` (did you mean `committed`?)"
    )
