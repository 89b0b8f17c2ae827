"""Check-ins: set values of key results (and statuses, confidences, grades of any item) in
their files and commit them together, as one commit that git keeps as the log.

How to call it:

    from okrcli.checkin import Entry, check_in

    outcome = check_in(config, [
        Entry("PLAT-1.1", value="98", confidence="7", note="canaries everywhere"),
        Entry("PLAT-1.2", value="-5", trailers=(("OKR-Source", "grafana"),)),
        Entry("PLAT-1.3", done="web"),
        Entry("PLAT-1", status="at_risk", note="hiring slipped"),
    ])
    outcome.commit  # the one commit's sha (None with commit=False)
    outcome.items   # per entry: what it was, what it became, its new score

Every entry is checked, and every file edited in memory and validated, before any file is
touched; the files are then written whole (temporary file + rename) and committed in one
commit holding those files only. A commit that fails (a hook said no) puts every file back
as it was, so a check-in happens whole or not at all. One lock per repository covers
reading, editing, writing and committing, with or without a commit, so parallel check-ins
never lose each other's values.

The commit's trailers are grouped per item, each group opened by `OKR-Id`: `OKR-Value`,
then `OKR-Confidence`, `OKR-Status`, `OKR-Grade`, `OKR-Note` when given, then the entry's
own `trailers` (`okr sync` adds `OKR-Source: NAME`). An entry that changes no byte (an
unchanged value with a note or a confidence) is still a check-in: the commit may be empty,
its trailers are the record. A manual `status:` lasts until the item's next check-in that
does not restate it; `status: dropped` is never touched by a check-in.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from okrcli import collector, git
from okrcli.config import Config
from okrcli.edit import Change, Original, composed, read, rewrite, verify, write_atomic
from okrcli.errors import OkrError
from okrcli.graph import KeyResultNode, Node, ObjectiveNode
from okrcli.load import SourceFile
from okrcli.yamlread import YamlDoc

STATUSES = ("on_track", "at_risk", "off_track")
CLEAR = "clear"  # `--status clear`: remove a manual status
DROPPED = "dropped"
# Where a key not written yet goes: after the last of these its mapping has (an objective's
# short keys, not after its key results).
_VALUE_KEYS = ("start", "target", "above", "below", "current", "done", "milestones")
_HEAD_KEYS = ("id", "title", "type", "owner", "parent", "weight")
_ORDER = ("confidence", "status", "grade")
# An item's id as a file may write it (`id: X`, `"id": 'X'`): which files a check-in keeps.
_ID_KEY = re.compile(rb"""id['"]?:[ \t]*['"]?([A-Za-z0-9._-]+)""")


def _after(node: Node, key: str) -> tuple[str, ...]:
    before = _ORDER[: _ORDER.index(key)]
    return (*(_VALUE_KEYS if isinstance(node, KeyResultNode) else _HEAD_KEYS), *before)


@dataclass(frozen=True)
class Entry:
    """One item to check in. Every field but `id` is optional; at least one must say
    something (a value, a tick, a confidence, a status, a grade or a note)."""

    id: str
    value: str | None = None  # a number, or `done`/`undone` for a milestone
    confidence: str | None = None  # 0..10
    status: str | None = None  # on_track | at_risk | off_track | clear
    note: str | None = None
    done: str | None = None  # a checklist item's title to tick
    undone: str | None = None  # … or to untick
    grade: str | None = None  # 0..1, the owner's judgement (`okr grade`)
    trailers: tuple[tuple[str, str], ...] = ()  # extra `Key: value` lines for this item


@dataclass(frozen=True)
class Checkin:
    """What one entry changed: its value as shown before and after, and its new score."""

    id: str
    path: str
    old: str
    new: str
    score: float | None


@dataclass(frozen=True)
class Outcome:
    items: tuple[Checkin, ...]
    commit: str | None  # None with commit=False
    detached: bool = False  # committed on no branch: easy to lose at the next checkout


def number(text: str, what: str) -> int | float:
    """A finite number as the user typed it (an int stays an int)."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")):
        raise OkrError(f"{what} must be a number, not `{text}`")
    return value


def show(value: Any) -> str:
    """A value as people write it: 92 rather than 92.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class _Planned:
    """An entry worked out against the loaded files: its edits and what to say of it."""

    entry: Entry
    node: Node
    changes: list[Change]
    old: str
    new: str
    body: str  # what a checklist tick did, for the subject


def check_in(config: Config, entries: Sequence[Entry], *, commit: bool = True) -> Outcome:
    """Check in every entry, in one commit; refuses with one sentence before changing
    anything it cannot finish."""
    if not entries:
        raise OkrError("nothing to check in: name at least one key result")
    _no_repeats(entries)
    root = config.root
    if commit:
        _can_commit(root)
    with _locked(root), collector.paused():
        graph, originals, every = _load(config, entries)
        planned = [_plan(_node(graph, e.id, every), e) for e in entries]
        sources = {p.node.file.rel: p.node.file for p in planned}
        files = list(sources)
        if commit:
            for rel in files:
                _clean(root, rel)
        before: dict[str, bytes] = {}
        after: dict[str, bytes] = {}
        scores: dict[str, float | None] = {}
        for rel in files:
            changes = [c for p in planned if p.node.file.rel == rel for c in p.changes]
            if not changes:  # a note, a confidence as it was: the file stays as loaded
                scores.update(_scores(sources[rel].doc))
                continue
            original = originals.pop(rel, None) or read((root / rel).read_bytes(), rel)
            before[rel], data = original.raw, original.doc.data
            after[rel] = rewrite(original, changes, rel)
            del original  # its nodes, most of a large file's memory, go before the next parse
            parsed = verify(data, after[rel], changes, rel)
            scores.update(_scores(_validated(rel, after[rel], parsed)))
        written = [rel for rel in after if after[rel] != before[rel]]
        try:
            for rel in written:
                write_atomic(root / rel, after[rel])
        except OkrError:
            _restore(root, written, before)
            raise
        sha = None
        if commit:
            try:
                sha = git.commit_paths(root, files, message(planned), allow_empty=True)
            except OkrError as problem:
                _restore(root, written, before)
                where = f" and {', '.join(written)} restored" if written else ""
                raise OkrError(f"{problem}; the check-in was undone{where}") from None
    items = tuple(
        Checkin(p.entry.id, p.node.file.rel, p.old, p.new, scores.get(p.entry.id)) for p in planned
    )
    return Outcome(items, sha, sha is not None and git.branch(root) is None)


def _restore(root: Path, written: list[str], before: dict[str, bytes]) -> None:
    for rel in written:
        write_atomic(root / rel, before[rel])


def _no_repeats(entries: Sequence[Entry]) -> None:
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise OkrError(f"`{entry.id}` is named twice; check each item in once per commit")
        seen.add(entry.id)


def _can_commit(root: Path) -> None:
    try:
        git.work_tree_top(root)
    except OkrError:
        raise OkrError(
            f"{root} is not in a git repository, so the check-in cannot be committed "
            "(run `git init`, or pass --no-commit)"
        ) from None
    doing = git.operation_in_progress(root)
    if doing:
        raise OkrError(
            f"the repository is in the middle of {doing}; finish or abort it first "
            "(or pass --no-commit)"
        )
    git.check_identity(root)


def _clean(root: Path, rel: str) -> None:
    state = git.file_status(root, rel)
    if state.startswith("??"):
        raise OkrError(f"{rel} is not committed yet; commit it first (or pass --no-commit)")
    if state:
        raise OkrError(
            f"{rel} has uncommitted changes; commit or stash them first, so that the "
            "check-in commit holds only the check-in (or pass --no-commit)"
        )


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    """One check-in at a time per OKR root, from reading the files to the commit: a second
    one waits, then reads what the first wrote. The lock is on the root folder itself, so
    it needs no file of its own and works outside git (`--no-commit`) too."""
    if sys.platform == "win32":
        yield
        return
    import fcntl
    import os

    handle = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing the folder releases the lock


def _load(config: Config, entries: Sequence[Entry]) -> tuple[Any, dict[str, Original], list[str]]:
    """The graph of the files holding the entries, those files as composed for their edit
    (one composition of a file feeds the graph, the edit and its check), and, when an entry
    is in no file, every id of the repository, for the error's suggestion. Only ids are
    read from other files (which item an id names, whether it is written twice), so the
    alignment index tells where each entry is (okrcli/reach.py), and the whole repository
    is loaded only where it cannot (an id written twice). A file is kept when an `id:` in
    its bytes names an entry: one pass over each file, however many entries (an id written
    otherwise, `id: "K\\x31"`, is composed again if edited)."""
    from okrcli.graph import build_graph
    from okrcli.load import load_parsed, load_source
    from okrcli.reach import holding
    from okrcli.repo import load_repo
    from okrcli.yamlread import YamlProblem

    ids = {entry.id.encode() for entry in entries}
    kept: dict[str, Original] = {}

    def load(rel: str, raw: bytes) -> SourceFile:
        if ids.isdisjoint(_ID_KEY.findall(raw)):
            return load_source(rel, raw)
        try:
            original = composed(raw)
        except YamlProblem as problem:
            return load_parsed(rel, raw, problem)
        kept[rel] = original
        return load_parsed(rel, raw, original.doc)

    found = holding(config, [entry.id for entry in entries], load)
    if found is not None:
        return build_graph(found[0], config), kept, found[1]
    kept.clear()
    return load_repo(config, read=load).graph, kept, []


def _node(graph: Any, ident: str, every: list[str]) -> Node:
    """The item `ident` names; `every`: the repository's ids when `graph` holds only part of
    them."""
    from okrcli.messages import suggest

    node: Node | None = graph.by_id.get(ident)
    if node is None:
        raise OkrError(f"no key result `{ident}`{suggest(ident, every or graph.by_id)}")
    for again, first in graph.duplicates:
        if again.id == ident:
            raise OkrError(
                f"`{ident}` is defined twice ({first.file.rel}:{first.line} and "
                f"{again.file.rel}:{again.line}); fix OKR002 first"
            )
    return node


def _plan(node: Node, entry: Entry) -> _Planned:
    """The edits for one entry, or the one sentence saying why it cannot be checked in."""
    if isinstance(node, ObjectiveNode):
        old = str(node.model.status or "—")
        new = entry.status if entry.status in STATUSES else old if old == DROPPED else "—"
        if entry.value is not None or entry.done is not None or entry.undone is not None:
            ids = ", ".join(kr.id for kr in node.key_results)
            hint = f" ({ids})" if ids else ""
            raise OkrError(
                f"`{node.id}` is an objective: give it --status, --confidence or a note, "
                f"or check in one of its key results{hint}"
            )
        changes: list[Change] = []
        body = ""
    else:
        assert isinstance(node, KeyResultNode)
        changes, old, new, body = _value_changes(node, entry.value, entry.done, entry.undone)
    said = (entry.confidence, entry.note or None, entry.grade, entry.status) != (None,) * 4
    if not changes and not said:
        if entry.value is not None or entry.done is not None or entry.undone is not None:
            raise OkrError(
                f"nothing to check in: {node.id} is already {old} "
                "(add -m NOTE or --confidence N to record it anyway)"
            )
        raise OkrError(
            f"nothing to check in for {node.id}: give a value, --confidence, --status or -m NOTE"
        )
    changes += _confidence(node, entry.confidence)
    changes += _grade(node, entry.grade)
    if not _only_graded(entry):  # a grade judges the cycle: a manual status is not its business
        changes += _status(node, entry.status)
    if _only_graded(entry):
        assert entry.grade is not None
        old = show(node.model.grade) if node.model.grade is not None else "—"
        new = show(number(entry.grade, "the grade"))
    return _Planned(entry, node, changes, old, new, body)


def _only_graded(entry: Entry) -> bool:
    rest = (entry.value, entry.confidence, entry.status, entry.done, entry.undone)
    return entry.grade is not None and rest == (None,) * 5


def _value_changes(
    kr: KeyResultNode, value: str | None, done: str | None, undone: str | None
) -> tuple[list[Change], str, str, str]:
    """The edits for the value itself, the old and new value as shown, and a body line."""

    model, loc = kr.key_result, kr.loc
    kind = model.kind()
    if kind == "checklist":
        if value is not None:
            raise OkrError(f"{kr.id} is a checklist: use --done TITLE or --undone TITLE")
        return _checklist(kr, done, undone)
    if done is not None or undone is not None:
        raise OkrError(f"--done and --undone are for checklists; {kr.id} is a {kind or 'broken'}")
    if kind in ("metric", "threshold"):
        current = model.current if model.current is not None or kind != "metric" else model.start
        old = "—" if current is None else show(current)
        if value is None:
            return [], old, old, ""
        new = number(value, f"{kr.id} is a {kind}: the value")
        after = ("start", "target") if kind == "metric" else ("above", "below")
        changes = [] if new == current else [Change((*loc, "current"), new, after)]
        return changes, old, show(new), ""
    if kind == "milestone":
        old = "done" if model.done else "not done"
        if value is None:
            return [], old, old, ""
        if value not in ("done", "undone"):
            raise OkrError(
                f"{kr.id} is a milestone: the value is `done` or `undone`, not `{value}`"
            )
        flag = value == "done"
        changes = [] if flag == model.done else [Change((*loc, "done"), flag)]
        return changes, old, "done" if flag else "not done", ""
    if kind == "rollup":
        if value is None:
            return [], "—", "—", ""
        raise OkrError(f"{kr.id} is a rollup: it is scored from the objectives aligned to it")
    raise OkrError(f"{kr.id} is not exactly one kind of key result; run `okr check` (OKR101)")


def _checklist(
    kr: KeyResultNode, done: str | None, undone: str | None
) -> tuple[list[Change], str, str, str]:
    from okrcli.messages import suggest

    items = kr.key_result.milestones
    old = f"{sum(m.done for m in items)}/{len(items)}"
    if done is None and undone is None:
        return [], old, old, ""
    if done is not None and undone is not None:
        raise OkrError("give --done or --undone, not both")
    title, flag = (done, True) if done is not None else (undone, False)
    titles = [m.title for m in items]
    if title not in titles:
        raise OkrError(f"{kr.id} has no milestone `{title}`{suggest(str(title), titles)}")
    index = titles.index(title)
    count = sum(m.done for m in items) - items[index].done + flag
    new = f"{count}/{len(items)}"
    body = f"{title}: {'done' if flag else 'not done'}"
    if items[index].done == flag:
        return [], old, new, body
    return [Change((*kr.loc, "milestones", index, "done"), flag, ("title",))], old, new, body


def _confidence(node: Node, confidence: str | None) -> list[Change]:
    if confidence is None:
        return []
    level = number(confidence, "--confidence")
    if not 0 <= level <= 10:
        raise OkrError(f"--confidence must be from 0 to 10, not {confidence}")
    if level == node.model.confidence:
        return []
    return [Change((*node.loc, "confidence"), level, _after(node, "confidence"))]


def _grade(node: Node, grade: str | None) -> list[Change]:
    if grade is None:
        return []
    value = number(grade, "the grade")
    if not 0 <= value <= 1:
        raise OkrError(f"the grade must be from 0 to 1, not {grade}")
    if value == getattr(node.model, "grade", None):
        return []
    return [Change((*node.loc, "grade"), value, _after(node, "grade"))]


def _status(node: Node, status: str | None) -> list[Change]:
    """A new manual status, or the old one removed: it lasts until the next check-in that
    does not restate it. `dropped` stays: only an edit of the file brings an item back."""
    from okrcli.messages import suggest

    current = node.model.status
    if current == DROPPED:
        if status is not None:
            raise OkrError(
                f"`{node.id}` is dropped; a check-in keeps it dropped (remove its "
                "`status: dropped` by hand to bring it back, a replan)"
            )
        return []
    if status is None or status == CLEAR:
        return [] if current is None else [Change((*node.loc, "status"), None)]
    if status not in STATUSES:
        raise OkrError(
            f"--status must be one of {', '.join(STATUSES)} or {CLEAR}, not `{status}`"
            f"{suggest(status, (*STATUSES, CLEAR))}"
        )
    if status == current:
        return []
    return [Change((*node.loc, "status"), status, _after(node, "status"))]


def _validated(rel: str, after: bytes, parsed: YamlDoc) -> Any:
    """The edited file (`after`, as `verify` parsed it) must still be a valid OKR file."""
    from okrcli.load import load_parsed

    source = load_parsed(rel, after, parsed)
    if source.doc is None:
        problem = source.problems[0]
        raise OkrError(f"the check-in would break {problem.as_text()}; nothing was changed")
    return source.doc


def _scores(doc: Any) -> dict[str, float | None]:
    """The scores of a file's key results."""
    from okrcli.score import clamp, key_result_raw

    scores: dict[str, float | None] = {}
    for objective in doc.objectives:
        for kr in objective.key_results:
            raw = key_result_raw(kr)
            scores[kr.id] = None if raw is None else clamp(raw)
    return scores


def message(planned: Sequence[_Planned]) -> str:
    """`checkin ID: OLD → NEW` (or `checkin N items`), the note(s), then per item the
    trailers that `okr log` reads back."""
    if len(planned) == 1:
        (one,) = planned
        subject = f"{_verb(one)} {one.entry.id}: {_move(one)}"
        body = [(one.entry.note or "").strip()]
    else:
        subject = f"checkin {len(planned)} items: {', '.join(p.entry.id for p in planned)}"
        if len(subject) > 72:
            subject = f"checkin {len(planned)} items"
        body = ["\n".join(_line(p) for p in planned)]
    trailers = "\n".join(line for p in planned for line in _trailers(p, len(planned) > 1))
    return "\n\n".join(part for part in (subject, *body, trailers) if part) + "\n"


def _verb(one: _Planned) -> str:
    return "grade" if _only_graded(one.entry) else "checkin"


def _move(one: _Planned) -> str:
    tick = f" ({one.body})" if one.body else ""
    return f"{one.old} → {one.new}{tick}"


def _line(one: _Planned) -> str:
    parts = [f"{one.entry.id}: {_move(one)}", " ".join((one.entry.note or "").split())]
    return " — ".join(p for p in parts if p)


def _trailers(one: _Planned, batch: bool) -> list[str]:
    entry = one.entry
    lines = [f"OKR-Id: {entry.id}"]
    if isinstance(one.node, KeyResultNode) and not _only_graded(entry):
        lines.append(f"OKR-Value: {one.new}")
    if entry.confidence is not None:
        lines.append(f"OKR-Confidence: {show(number(entry.confidence, '--confidence'))}")
    if entry.status is not None:
        lines.append(f"OKR-Status: {entry.status}")
    if entry.grade is not None:
        lines.append(f"OKR-Grade: {show(number(entry.grade, 'the grade'))}")
    note = " ".join((entry.note or "").split())
    if batch and note:
        lines.append(f"OKR-Note: {note}")
    lines += [f"{key}: {' '.join(value.split())}" for key, value in entry.trailers]
    return lines
