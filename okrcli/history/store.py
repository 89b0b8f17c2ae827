"""The history cache: what walks found, kept so the next run walks only newer commits.

Two cache entries (okrcli.cache kinds). The *base* is what a walk from the first commit
found: every commit and change, and each key result's file and state after its last change
(what a later walk asks of a key result it has not met). It is large (30 MB at 10,000
files), so it is written once and read only when asked for: by the views that list the
whole history, or by a walk that meets a key result the tail does not know. The *tail* holds
what walks resumed since then added, and each resumed walk rewrites only the tail: a commit
costs a walk of itself, not a read and a write of every check-in ever made. The tail is
folded into the base when it grows past an eighth of it.

Each walk's end (its HEAD) is kept with how far the commits and changes went, so what
changed between two of those heads can be told without reading the base (`changes_since`):
`okr check` folds it into the courses it keeps.
"""

from __future__ import annotations

import marshal
from collections.abc import Mapping
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from okrcli import collector
from okrcli.cache import read, write
from okrcli.history.records import Change, Commit

if TYPE_CHECKING:
    from okrcli.history.walk import Last, Walker

BASE, TAIL = "history", "history-tail"
_FORMAT = 5
SLACK = 8_000  # changes a tail holds beyond an eighth of the base's before it is folded in
UNREADABLE = (KeyError, TypeError, ValueError, IndexError, EOFError, AttributeError)


class Lost(Exception):
    """The base a tail was made on is gone or was replaced: the history is walked again."""


class Stored:
    """The history as the cache keeps it, each part decoded when first asked for."""

    def __init__(
        self, root: Path, paths: tuple[str, ...], tail: dict[str, Any], base: Any = None
    ) -> None:
        self.root, self.paths, self.tail = root, paths, tail
        self.head: str = tail["head"]
        if base is not None:
            self.__dict__["base"] = base  # read already: `base` is not read again

    @classmethod
    def read(cls, root: Path, paths: tuple[str, ...]) -> Stored | None:
        """The cache of the history of `paths`; None when there is none to read."""
        tail = read(root, TAIL)
        if _valid(tail, paths) and isinstance(tail.get("base"), str):
            return cls(root, paths, tail)
        base = read(root, BASE)
        if not _valid(base, paths):
            return None
        return cls(root, paths, _tail_of(base), base)

    @cached_property
    def base(self) -> dict[str, Any]:
        base = read(self.root, BASE)
        if not _valid(base, self.paths) or base["head"] != self.tail["base"]:
            raise Lost
        return base

    def commits_and_changes(self) -> tuple[list[Commit], list[Change]]:
        """Every commit and change, oldest first (the base's and the tail's)."""
        base = self.base
        with collector.paused():
            commits, changes = unpack(
                marshal.loads(base["commits"]), marshal.loads(base["changes"])
            )
            more, added = self._tail_parts
        return commits + more, changes + added

    def changes_since(self, head: str) -> list[Change] | None:
        """The changes of the commits walked after `head`, oldest first; None when `head`
        is not where a walk of this cache ended (then they cannot be told apart)."""
        ends = {self.tail["base"]: 0, **{end: count for end, count in self.tail["ends"]}}
        if head not in ends:
            return None
        return self._tail_parts[1][ends[head] :]

    @cached_property
    def _tail_parts(self) -> tuple[list[Commit], list[Change]]:
        return unpack(self.tail["commits"], self.tail["changes"])

    def last_of(self, ident: str) -> Last | None:
        """Key result `ident`'s file and state after its last change at `head`."""
        kept = self.tail["last"]
        if ident in kept:
            found = kept[ident]
            return None if found is None else (found[0], found[1])
        at = self._present.get(ident)
        if at is None:
            return None
        path, state = self._last_states[at]
        return path, state

    @cached_property
    def _present(self) -> dict[str, int]:
        return {ident: n for n, ident in enumerate(marshal.loads(self.base["present"]))}

    @cached_property
    def _last_states(self) -> list[list[Any]]:
        with collector.paused():
            states: list[list[Any]] = marshal.loads(self.base["last"])
        return states

    def extend(self, walker: Walker) -> None:
        """Keep what `walker`, going on from this cache, found: in the tail, or, once the
        tail outgrows an eighth of the base, all of it in a new base."""
        tail = dict(self.tail)
        commits, changes = pack(walker.commits, walker.changes, start=len(tail["commits"]))
        tail["commits"] = tail["commits"] + commits
        tail["changes"] = [old + new for old, new in zip(tail["changes"], changes, strict=True)]
        tail["last"] = {**tail["last"], **_lasts(walker.last)}
        tail["ends"] = [*tail["ends"], [walker.head, len(tail["changes"][0])]]
        tail["head"] = walker.head
        if len(tail["changes"][0]) * 8 <= tail["size"] + SLACK:
            write(self.root, TAIL, tail)
            return
        try:
            every, done = self.commits_and_changes()
            present, states = marshal.loads(self.base["present"]), self._last_states
        except (Lost, *UNREADABLE):
            write(self.root, TAIL, {})  # the next run walks the whole history again
            return
        last: dict[str, Any] = {ident: states[n] for n, ident in enumerate(present)}
        last.update(tail["last"])
        save(self.root, self.paths, walker.head, every + walker.commits, done + walker.changes,
             last)  # fmt: skip


def save(
    root: Path,
    paths: tuple[str, ...],
    head: str | None,
    commits: list[Commit],
    changes: list[Change],
    last: Mapping[str, Any],
) -> None:
    """Write a new base, and a tail that holds nothing yet. `last`: each key result's file
    and state after its last change (None: removed)."""
    fields, columns = pack(commits, changes)
    present = [ident for ident, found in last.items() if found is not None]
    base = {
        "format": _FORMAT,
        "paths": list(paths),
        "head": head,
        "commits": marshal.dumps(fields),
        "changes": marshal.dumps(columns),
        "present": marshal.dumps(present),
        "last": marshal.dumps([list(last[ident]) for ident in present]),
        "size": len(changes),
    }
    write(root, BASE, base)
    write(root, TAIL, _tail_of(base))


def _lasts(found: dict[str, Last | None]) -> dict[str, list[Any] | None]:
    return {ident: None if last is None else list(last) for ident, last in found.items()}


def _tail_of(base: dict[str, Any]) -> dict[str, Any]:
    """A tail that adds nothing to `base`."""
    return {
        "format": _FORMAT,
        "paths": base["paths"],
        "base": base["head"],
        "head": base["head"],
        "size": base["size"],
        "ends": [],
        "commits": [],
        "changes": [[], [], [], [], [], []],
        "last": {},
    }


def _valid(entries: dict[str, Any], paths: tuple[str, ...]) -> bool:
    return (
        entries.get("format") == _FORMAT
        and entries.get("paths") == list(paths)
        and isinstance(entries.get("head"), str)
    )


def pack(
    commits: list[Commit], changes: list[Change], start: int = 0
) -> tuple[list[list[Any]], list[list[Any]]]:
    """Commits as lists of fields, and changes in columns (six lists, not one per change),
    each naming its commit by its place among commits numbered from `start`."""
    index = {commit.sha: n for n, commit in enumerate(commits, start)}
    columns: list[list[Any]] = [[index[c.commit.sha] for c in changes], [c.id for c in changes],
               [c.path for c in changes], [c.before for c in changes],
               [c.after for c in changes], [c.score for c in changes]]  # fmt: skip
    return [_fields(c) for c in commits], columns


def unpack(fields: list[Any], columns: list[Any]) -> tuple[list[Commit], list[Change]]:
    commits = [_commit(f) for f in fields]
    numbers, idents, paths, befores, afters, scores = columns
    changes = [Change(commits[n], ident, path, before, after, score)
               for n, ident, path, before, after, score
               in zip(numbers, idents, paths, befores, afters, scores, strict=True)]  # fmt: skip
    return commits, changes


def _fields(commit: Commit) -> list[Any]:
    return [commit.sha, commit.author, commit.email, commit.when.isoformat(), commit.subject,
            commit.note, [list(t) for t in commit.trailers]]  # fmt: skip


def _commit(fields: list[Any]) -> Commit:
    sha, author, email, when, subject, note, trailers = fields
    pairs = tuple((str(k), str(v)) for k, v in trailers)
    return Commit(sha, author, email, datetime.fromisoformat(when), subject, note, pairs)
