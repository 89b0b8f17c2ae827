"""A check-in changes the bytes of one value and nothing else, whatever the YAML looks like."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from okrcli.checkin import STATUSES, Entry, check_in
from okrcli.config import load_config
from okrcli.edit import Change, apply
from okrcli.errors import OkrError
from okrcli.load import load_source
from okrcli.yamlread import parse
from tests.conftest import EXAMPLE, FIXTURES, Okr, commit_all, git, init_repo

CORPUS = sorted((FIXTURES / "roundtrip").glob("*.yaml"))
EXAMPLES = sorted((EXAMPLE / "okrs").glob("**/*.yaml"))


def _key_results(raw: bytes) -> list:  # type: ignore[type-arg]
    source = load_source("x.yaml", raw)
    assert source.doc is not None, source.problems
    return [kr for objective in source.doc.objectives for kr in objective.key_results]


def _new_value(kr) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """VALUE (or --done/--undone TITLE) that differs from what the file says."""
    kind = kr.kind()
    if kind in ("metric", "threshold"):
        now = kr.current if kr.current is not None else (kr.start or 0)
        return {"value": str(round(now + 1.25, 2))}
    if kind == "milestone":
        return {"value": "undone" if kr.done else "done"}
    if kind == "checklist":
        last = kr.milestones[-1]
        return {"undone" if last.done else "done": last.title}
    return {}


def _one_line_changed(before: bytes, after: bytes) -> None:
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    if len(new) == len(old):
        changed = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
        assert len(changed) == 1, changed
    else:
        assert len(new) == len(old) + 1
        at = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), len(old))
        assert new[:at] + new[at + 1 :] == old
        ending = b"\r\n" if b"\r\n" in before else b"\r" if b"\r" in before else b"\n"
        assert new[at].endswith(ending)


@pytest.mark.parametrize("path", CORPUS + EXAMPLES, ids=lambda p: p.name if p in CORPUS else str(p))
def test_every_key_result_checks_in_changing_one_line(path: Path, tmp_path: Path) -> None:
    raw = path.read_bytes()
    target = tmp_path / "okrs" / "2026-Q4" / path.name
    target.parent.mkdir(parents=True)
    config = load_config(tmp_path)
    checked = 0
    for kr in _key_results(raw):
        change = _new_value(kr)
        if not change:
            continue  # a rollup has no value of its own
        target.write_bytes(raw)
        keep = kr.status if kr.status in STATUSES else None  # restated: it stays as written
        (result,) = check_in(config, [Entry(kr.id, **change, status=keep)], commit=False).items
        after = target.read_bytes()
        _one_line_changed(raw, after)
        assert result.new != result.old
        (again,) = [k for k in _key_results(after) if k.id == kr.id]
        if change.get("value") not in (None, "done", "undone"):
            assert again.current == pytest.approx(float(change["value"]))
        checked += 1
    assert checked


def test_confidence_and_status_change_their_own_lines_only(tmp_path: Path) -> None:
    raw = (FIXTURES / "roundtrip" / "quoted.yaml").read_bytes()
    target = tmp_path / "okrs" / "2026-Q4" / "quoted.yaml"
    target.parent.mkdir(parents=True)
    target.write_bytes(raw)
    entry = Entry("QUO-1.2", "70", confidence="8", status="at_risk")
    check_in(load_config(tmp_path), [entry], commit=False)
    after = target.read_text(encoding="utf-8")
    assert "current: '70'" in after  # the quotes stay
    assert "confidence: 8\n" in after and "status: at_risk\n" in after
    removed = set(raw.decode().splitlines()) - set(after.splitlines())
    assert removed == {"        current: '75.5'", "        confidence: 5"}


def test_crlf_and_bom_survive(tmp_path: Path) -> None:
    for name, ident in (("crlf.yaml", "CRLF-1.3"), ("bom.yaml", "BOM-1.1")):
        raw = (FIXTURES / "roundtrip" / name).read_bytes()
        target = tmp_path / "okrs" / "2026-Q4" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(raw)
        check_in(load_config(tmp_path), [Entry(ident, "2")], commit=False)
        after = target.read_bytes()
        assert after.startswith(b"\xef\xbb\xbf") == raw.startswith(b"\xef\xbb\xbf")
        assert after.count(b"\r\n") == raw.count(b"\r\n") + (name == "crlf.yaml")
        assert b"\n" not in after.replace(b"\r\n", b"") or name != "crlf.yaml"


def test_editing_an_anchor_that_an_alias_repeats_is_refused(tmp_path: Path) -> None:
    raw = (FIXTURES / "roundtrip" / "anchors.yaml").read_bytes()
    data = parse(raw).data
    loc = ("objectives", 0, "key_results", 0, "start")  # `&base`, repeated by ANC-1.2
    with pytest.raises(Exception, match="anchor, alias"):
        apply(raw, [Change(loc, 11)])
    # the anchored `current: &now 15` has no alias: changing it is fine
    after = apply(raw, [Change(("objectives", 0, "key_results", 0, "current"), 16)])
    assert b"current: &now 16\n" in after
    assert (
        parse(after).data["objectives"][0]["key_results"][1]
        == data["objectives"][0]["key_results"][1]
    )


@settings(max_examples=60, deadline=None)
@given(
    value=st.one_of(
        st.integers(-(10**12), 10**12),
        st.floats(allow_nan=False, allow_infinity=False, width=64),
    )
)
def test_any_number_round_trips_through_the_file(value: float) -> None:
    raw = (FIXTURES / "roundtrip" / "comments.yaml").read_bytes()
    loc = ("objectives", 0, "key_results", 0, "current")
    after = apply(raw, [Change(loc, value)])
    _one_line_changed(raw, after)
    assert parse(after).data["objectives"][0]["key_results"][0]["current"] == value


@pytest.mark.parametrize("name", ["comments.yaml", "flow.yaml", "crlf.yaml", "unicode.yaml"])
def test_git_diff_shows_one_changed_line(name: str, tmp_path: Path, okr: Okr) -> None:
    init_repo(tmp_path)
    target = tmp_path / "okrs" / "2026-Q4" / name
    target.parent.mkdir(parents=True)
    shutil.copyfile(FIXTURES / "roundtrip" / name, target)
    commit_all(tmp_path, "OKRs", "2026-10-01T09:00:00+00:00")
    ident = _key_results(target.read_bytes())[0].id
    result = okr("checkin", ident, "7", "--root", tmp_path)
    assert result.code == 0, result.err
    numstat = git(tmp_path, "diff", "--numstat", "HEAD~1", "HEAD")
    assert numstat.split("\t")[:2] == ["1", "1"]
    assert git(tmp_path, "status", "--porcelain") == ""


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_batch_of_edits_in_one_file_is_the_edits_made_one_at_a_time(data: st.DataObject) -> None:
    """Every value of a batch is spliced in one pass over the text: the same bytes as
    editing the file once per value."""
    raw = data.draw(st.sampled_from(CORPUS + EXAMPLES)).read_bytes()
    present = [
        (("objectives", o, "key_results", k, key), value)
        for o, objective in enumerate(parse(raw).data["objectives"])
        for k, kr in enumerate(objective.get("key_results") or [])
        for key, value in kr.items()
        if key in ("title", "owner", "start", "target", "current", "confidence")
    ]
    picked = data.draw(st.lists(st.sampled_from(present), min_size=1, max_size=8, unique=True))
    changes = [
        Change(loc, "edited text" if isinstance(old, str) else data.draw(st.integers(0, 10)))
        for loc, old in picked
    ]
    one_by_one = raw
    try:
        for change in changes:
            one_by_one = apply(one_by_one, [change])
    except OkrError:
        assume(False)  # a value okr refuses to edit (a block scalar, an alias)
    assert apply(raw, changes) == one_by_one
