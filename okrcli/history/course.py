"""What OKR207 and OKR208 ask of one key result's history, worked out once per history.

`okr check` runs on every commit: reading every change of every key result back from the
cache to answer two questions per key result cost more than the check itself at 10,000
files. The answers are small, so they are kept, and stored, on their own.
"""

from __future__ import annotations

import marshal
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


def pack(found: dict[str, Course]) -> dict[str, bytes]:
    """Courses for the cache, each as a marshal string of its own: read back, the whole is
    one dict of strings made in C, and a course is built only when asked for."""
    return {ident: _packed(course) for ident, course in found.items()}


def _packed(course: Course) -> bytes:
    return marshal.dumps(
        (course.last, None if course.updated is None else course.updated.toordinal())
    )


class Packed:
    """Courses and replans read back from the cache (`pack`), each built when asked for."""

    def __init__(self, stored: dict[str, Any]) -> None:
        self._courses: dict[str, bytes] = stored["courses"]
        self._replans: list[list[Any]] = stored["replans"]
        if not isinstance(self._courses, dict) or not isinstance(self._replans, list):
            raise TypeError("not packed courses")

    def replans(self) -> list[Replan]:
        return [Replan.from_list(fields) for fields in self._replans]

    def get(self, ident: str) -> Course | None:
        found = self._courses.get(ident)
        if found is None:
            return None
        last, updated = marshal.loads(found)
        return Course(last, None if updated is None else date.fromordinal(updated))

    def move_on(self, changes: list[Change]) -> set[str]:
        """Move these courses and replans on by `changes` (of the commits after them), and
        return the key results whose course changed."""
        before = {ident: self.get(ident) for ident in {change.id for change in changes}}
        after = courses(changes, {i: replace(c) for i, c in before.items() if c is not None})
        moved = {ident for ident, course in after.items() if course != before[ident]}
        self._courses.update((ident, _packed(after[ident])) for ident in moved)
        self._replans += [r.as_list() for r in replans(changes)]
        return moved

    def as_packed(self) -> dict[str, Any]:
        """The courses and replans as the cache keeps them."""
        return {"courses": self._courses, "replans": self._replans}
