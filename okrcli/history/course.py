"""What OKR207 and OKR208 ask of one key result's history, worked out once per history.

`okr check` runs on every commit: reading every change of every key result back from the
cache to answer two questions per key result cost more than the check itself at 10,000
files. The answers are small, so they are kept, and stored, on their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from okrcli.history.records import TARGET_KEYS, VALUE_KEYS, Change, State
from okrcli.history.replan import Replan

KEPT = (*TARGET_KEYS, *VALUE_KEYS, "milestones")  # what the two rules compare


@dataclass(slots=True)
class Course:
    last: State | None = None  # the kept keys after its last change; None: removed
    updated: date | None = None  # the last day it appeared or its value changed


def courses(changes: Iterable[Change]) -> dict[str, Course]:
    """Each key result's course from the changes, oldest first."""
    found: dict[str, Course] = {}
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
        self._at = {ident: n for n, ident in enumerate(packed["ids"])}
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
