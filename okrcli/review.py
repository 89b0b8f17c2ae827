"""The end-of-cycle review (SPEC §5): grade, flag what deserves a conversation, gather notes.

Pure: it reads a scoreboard and, when git is there, the check-in history; it prints nothing.
Before the cycle's end every verdict is provisional: graded as if the cycle ended today.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from okrcli.config import Grading
from okrcli.graph import KeyResultNode, ObjectiveNode
from okrcli.history.records import TARGET_KEYS, own_keys
from okrcli.history.replan import Locked, after_lock
from okrcli.score import ItemScore, Scoreboard, clamp, judge, key_result_raw

if TYPE_CHECKING:
    from okrcli.config import Config
    from okrcli.cycles import Cycle
    from okrcli.graph import Graph

# An aspirational key result at 1.0 with at least this share of its cycle still to go was
# probably set too low (sandbagging): a stretch target should be hard to hit at all.
EARLY_SHARE = 0.25
# A grade this far from the score computed from the numbers deserves a conversation.
DISAGREEMENT = 0.3
_FULL = 1.0 - 1e-9


@dataclass(frozen=True)
class CheckIn:
    """A key result's value as one commit left it: its first version, or a check-in."""

    day: date
    author: str
    value: float | None  # `current` of a metric or threshold; None for the other kinds
    score: float | None  # as `okrcli.score` scores that version
    confidence: float | None
    note: str | None  # the check-in's note, else the commit's subject
    added: bool = False  # the version the key result was written with, not a check-in
    noted: bool = False  # `note` was written for this check-in (`okr checkin -m`)


@dataclass(frozen=True)
class TargetMove:
    """A target, start or threshold changed in a commit after the cycle began."""

    id: str
    day: date
    author: str
    what: str  # start | target | above | below
    old: float | None
    new: float | None


@dataclass(frozen=True)
class Graded:
    """An objective's final score, verdict (None for learning and unscored ones) and its
    key results' scores."""

    item: ItemScore
    verdict: str | None
    key_results: tuple[ItemScore, ...]


@dataclass(frozen=True)
class EarlyFull:
    """An aspirational key result that reached 1.0 with `days_left` of its cycle to go."""

    item: ItemScore
    reached: date
    days_left: int


@dataclass(frozen=True)
class Learning:
    """A note someone wrote: on the objective or key result itself, or with a check-in."""

    id: str
    title: str
    text: str
    day: date | None = None  # a check-in's date; None for `notes:` in the file
    author: str | None = None


@dataclass
class Timeline:
    """Each key result's versions (oldest first) and the targets moved after cycles began."""

    checkins: Mapping[str, Sequence[CheckIn]]
    moves: Sequence[TargetMove] = ()
    replans: Sequence[Locked] = ()  # made after their cycle's plan locked


@dataclass
class Review:
    cycle: Cycle
    today: date
    objectives: list[Graded]
    learnings: list[Learning]
    no_stretch: str | None
    # None when there is no git history to tell from.
    early_full: list[EarlyFull] | None = None
    moved: list[TargetMove] | None = None
    replans: list[Locked] | None = None  # after the plan lock, with their reasons (or none)
    never_checked_in: list[ItemScore] | None = None
    teams: list[str] = field(default_factory=list)
    grading: Grading = field(default_factory=Grading)

    @property
    def key_results(self) -> list[ItemScore]:
        return [kr for graded in self.objectives for kr in graded.key_results]

    @property
    def items(self) -> list[ItemScore]:
        """Every objective and key result reviewed, each objective before its key results."""
        return [i for graded in self.objectives for i in (graded.item, *graded.key_results)]

    @property
    def disagreements(self) -> list[ItemScore]:
        """Grades more than DISAGREEMENT away from the score computed from the numbers."""
        return [
            item
            for item in self.items
            if item.grade is not None
            and item.computed is not None
            and abs(item.grade - item.computed) > DISAGREEMENT + 1e-9
        ]

    @property
    def dropped(self) -> list[ItemScore]:
        return [item for item in self.items if item.dropped]

    def has_type(self, kind: str) -> bool:
        """Whether any objective reviewed (dropped ones aside) is of type `kind`."""
        return any(_type(g) == kind and not g.item.dropped for g in self.objectives)

    @property
    def over(self) -> bool:
        return self.today >= self.cycle.end

    @property
    def days_left(self) -> int:
        return max((self.cycle.end - self.today).days, 0)

    @property
    def committed_missed(self) -> list[Graded]:
        return [g for g in self.objectives if _type(g) == "committed" and g.verdict == "missed"]

    @property
    def aspirational(self) -> list[Graded]:
        return [g for g in self.objectives if _type(g) == "aspirational" and not g.item.dropped]


def _type(graded: Graded) -> str:
    node = graded.item.node
    assert isinstance(node, ObjectiveNode)
    return str(node.objective.type)


def review(
    board: Scoreboard,
    objectives: Sequence[ObjectiveNode],
    cycle: Cycle,
    timeline: Timeline | None = None,
) -> Review:
    """Review `objectives` (those of `cycle`) as scored on `board`."""
    end = max(board.today, cycle.end)
    graded = [
        Graded(
            board[o],
            judge(o, board[o].score, end, board.grading),
            tuple(board[k] for k in o.key_results),
        )
        for o in objectives
    ]
    krs = [kr for g in graded for kr in g.key_results]
    result = Review(
        cycle,
        board.today,
        graded,
        _notes(objectives),
        _no_stretch(krs),
        teams=list(dict.fromkeys(o.team for o in objectives)),
        grading=board.grading,
    )
    if timeline is not None:
        result.early_full = _early_full(krs, timeline, cycle)
        shown = {item.id for item in krs}
        result.moved = [m for m in timeline.moves if m.id in shown]
        result.replans = _replans(objectives, cycle, timeline)
        result.never_checked_in = [
            item
            for item in krs
            if item.kind != "rollup"
            and not item.dropped
            and not any(not c.added for c in timeline.checkins.get(item.id, ()))
        ]
        result.learnings += _checkin_notes(krs, timeline)
    return result


def _replans(objectives: Sequence[ObjectiveNode], cycle: Cycle, timeline: Timeline) -> list[Locked]:
    """The replans of the cycle's objectives and key results (the acknowledged ones too:
    a review grades a cycle knowing which promises changed, and why)."""
    shown = {node.id for o in objectives for node in (o, *o.key_results)}
    return [r for r in timeline.replans if r.cycle == cycle and r.node.id in shown]


def _notes(objectives: Sequence[ObjectiveNode]) -> list[Learning]:
    found = []
    for objective in objectives:
        for node in (objective, *objective.key_results):
            text = node.model.notes
            if text and text.strip():
                found.append(Learning(node.id, node.title, " ".join(text.split())))
    return found


def _checkin_notes(krs: Sequence[ItemScore], timeline: Timeline) -> list[Learning]:
    """Notes written with check-ins (`okr checkin -m`); commit subjects are not learnings."""
    found = []
    for item in krs:
        for checkin in timeline.checkins.get(item.id, ()):
            if checkin.noted and checkin.note and checkin.note.strip():
                text = " ".join(checkin.note.split())
                found.append(Learning(item.id, item.node.title, text, checkin.day, checkin.author))
    return found


def _no_stretch(krs: Sequence[ItemScore]) -> str | None:
    """`all thresholds` or `all milestones` when no key result of the cycle stretches."""
    kinds = {item.kind for item in krs}
    if not kinds:
        return None
    if kinds == {"threshold"}:
        return "all thresholds"
    if kinds <= {"milestone", "checklist"}:
        return "all milestones"
    return None


def _early_full(krs: Sequence[ItemScore], timeline: Timeline, cycle: Cycle) -> list[EarlyFull]:
    """Aspirational key results at 1.0 now that got there with EARLY_SHARE of the cycle left."""
    found = []
    for item in krs:
        node = item.node
        assert isinstance(node, KeyResultNode)
        stretch = item.kind in {"metric", "milestone", "checklist"}  # thresholds just hold
        if (
            node.objective.objective.type != "aspirational"
            or not stretch
            or (item.score or 0) < _FULL
        ):
            continue
        reached = _reached_full(timeline.checkins.get(item.id, ()))
        if reached is None:
            continue
        days_left = (cycle.end - reached).days
        if days_left >= EARLY_SHARE * cycle.days:
            found.append(EarlyFull(item, reached, days_left))
    return found


def _reached_full(checkins: Sequence[CheckIn]) -> date | None:
    """The day of the check-in that started the key result's last run at 1.0."""
    reached = None
    for checkin in checkins:
        full = checkin.score is not None and checkin.score >= _FULL
        if full and reached is None:
            reached = checkin.day
        elif not full:
            reached = None
    return reached


def timeline(history: Any, graph: Graph, config: Config | None = None) -> Timeline:
    """Check-ins and target moves from an `okrcli.history.History` (changes oldest first),
    and, given the settings that say when plans lock, the replans made after the lock.

    A key result's first version is kept too (`added`), so a chart starts where it began.
    """
    checkins: dict[str, list[CheckIn]] = {}
    moves: list[TargetMove] = []
    for change in history.changes:
        before, after = change.before, change.after
        if after is None or (before is None and change.id in checkins):
            continue
        day, author = change.commit.when.date(), change.commit.author
        if before is None or change.is_checkin:
            value, score = _measure(after)
            note = change.note or None
            entry = CheckIn(
                day, author, value, score, change.confidence, note, before is None, change.by_okr
            )
            checkins.setdefault(change.id, []).append(entry)
        node = graph.by_id.get(change.id)
        if before is not None and change.is_retarget and isinstance(node, KeyResultNode):
            cycle = node.objective.cycle
            if cycle is not None and day >= cycle.start:  # as OKR207
                moves += [
                    TargetMove(change.id, day, author, key, before.get(key), after.get(key))
                    for key in TARGET_KEYS
                    if before.get(key) != after.get(key)
                ]
    locked = [] if config is None else after_lock(history.replans(), graph, config)
    return Timeline(checkins, moves, locked)


def _measure(state: dict[str, Any]) -> tuple[float | None, float | None]:
    """The drawn value and the score of one historical version of a key result."""
    from pydantic import ValidationError

    from okrcli.model import KeyResult

    try:
        kr = KeyResult.model_validate(own_keys(state))
    except ValidationError:
        return None, None
    raw = key_result_raw(kr)
    kind = kr.kind()
    value = kr.current if kind in {"metric", "threshold"} else None
    if kind == "metric" and value is None:
        value = kr.start
    return value, None if raw is None else clamp(raw)
