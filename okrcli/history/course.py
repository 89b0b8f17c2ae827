"""What OKR207 and OKR208 ask of one key result's history, worked out once per history.

`okr check` runs on every commit: reading every change of every key result back from the
cache to answer two questions per key result cost more than the check itself at 10,000
files. The answers are small, so they are kept, and stored, on their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from okrcli.history.records import TARGET_KEYS, VALUE_KEYS, Change, State
from okrcli.history.replan import Replan, replans

KEPT = (*TARGET_KEYS, *VALUE_KEYS, "milestones")  # what the two rules compare


@dataclass(slots=True)
class Course:
    last: State | None = None  # the kept keys after its last change; None: removed
    updated: date | None = None  # the last day it appeared or its value changed


def courses(changes: Iterable[Change], found: dict[str, Course] | None = None) -> dict[str, Course]:
    """Each key result's course from the changes, oldest first, going on from the courses
    `found` before them (changed in place)."""
    found = {} if found is None else found
    for change in changes:
        course = found.get(change.id)
        if course is None:
            course = found[change.id] = Course()
        course.last = None if change.after is None else _kept(change.after)
        if change.before is None or change.is_checkin:
            day = change.commit.when.date()
            course.updated = day if course.updated is None else max(course.updated, day)
    return found


def _kept(state: State) -> State:
    return {k: state[k] for k in KEPT if k in state}


def pack(found: dict[str, Course]) -> dict[str, Any]:
    """Courses as columns of plain values for the cache: few objects to read back."""
    return {
        "ids": list(found),
        "last": [c.last for c in found.values()],
        "updated": [None if c.updated is None else c.updated.toordinal() for c in found.values()],
    }


class Packed:
    """Courses read back from `pack`, each built when asked for."""

    def __init__(self, packed: dict[str, Any]) -> None:
        self._ids: list[str] = packed["ids"]
        self._at = {ident: n for n, ident in enumerate(self._ids)}
        self._last: list[State | None] = packed["last"]
        self._updated: list[int | None] = packed["updated"]
        self._replans: list[list[Any]] = packed["replans"]
        if not len(self._at) == len(self._last) == len(self._updated):
            raise ValueError("columns of different lengths")

    def replans(self) -> list[Replan]:
        return [Replan.from_list(fields) for fields in self._replans]

    def get(self, ident: str) -> Course | None:
        n = self._at.get(ident)
        if n is None:
            return None
        updated = self._updated[n]
        return Course(self._last[n], None if updated is None else date.fromordinal(updated))

    def move_on(self, changes: list[Change]) -> set[str]:
        """Move these courses and replans on by `changes` (of the commits after them), and
        return the key results whose course changed."""
        before = {ident: self.get(ident) for ident in {change.id for change in changes}}
        after = courses(changes, {i: replace(c) for i, c in before.items() if c is not None})
        moved = {ident for ident, course in after.items() if course != before[ident]}
        for ident in sorted(moved):
            n = self._at.setdefault(ident, len(self._ids))
            if n == len(self._ids):
                self._ids.append(ident)
                self._last.append(None)
                self._updated.append(None)
            day = after[ident].updated
            self._last[n] = after[ident].last
            self._updated[n] = None if day is None else day.toordinal()
        self._replans += [r.as_list() for r in replans(changes)]
        return moved

    def as_packed(self) -> dict[str, Any]:
        """The courses and replans as `pack` writes them."""
        return {"ids": self._ids, "last": self._last, "updated": self._updated,
                "replans": self._replans}  # fmt: skip
