"""What OKR207 and OKR208 ask of one key result's history, worked out once per history.

`okr check` runs on every commit: reading every change of every key result back from the
cache to answer two questions per key result cost more than the check itself at 10,000
files. The answers are small, so they are kept, and stored, on their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from okrcli.history.records import TARGET_KEYS, VALUE_KEYS, Change, State

KEPT = (*TARGET_KEYS, *VALUE_KEYS, "milestones")  # what the two rules compare


@dataclass(frozen=True, slots=True)
class Move:
    """A commit that moved a key result's target keys, and what they were and became."""

    sha: str
    author: str
    when: datetime
    before: State
    after: State


@dataclass(slots=True)
class Course:
    last: State | None = None  # the kept keys after its last change; None: removed
    updated: date | None = None  # the last day it appeared or its value changed
    moves: list[Move] = field(default_factory=list)  # oldest first


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
        if change.is_retarget:
            assert change.before is not None and change.after is not None
            commit = change.commit
            move = Move(commit.sha, commit.author, commit.when,
                        _kept(change.before), _kept(change.after))  # fmt: skip
            course.moves.append(move)
    return found


def _kept(state: State) -> State:
    return {k: state[k] for k in KEPT if k in state}


def pack(found: dict[str, Course]) -> dict[str, Any]:
    """Courses as plain values for the cache."""
    return {
        ident: [
            c.last,
            None if c.updated is None else c.updated.toordinal(),
            [[m.sha, m.author, m.when.isoformat(), m.before, m.after] for m in c.moves],
        ]
        for ident, c in found.items()
    }


def unpack(packed: dict[str, Any]) -> dict[str, Course]:
    """`pack` undone; raises ValueError, TypeError or KeyError on anything else."""
    return {
        ident: Course(
            last,
            None if updated is None else date.fromordinal(updated),
            [
                Move(sha, author, datetime.fromisoformat(when), before, after)
                for sha, author, when, before, after in moves
            ],
        )
        for ident, (last, updated, moves) in packed.items()
    }
