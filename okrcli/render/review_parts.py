"""The review as titled sections of rows, shared by the terminal and markdown formats."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from okrcli.graph import KeyResultNode
from okrcli.render import score_parts as parts
from okrcli.review import EARLY_SHARE, Graded, Review
from okrcli.score import SWEET_SPOT

NO_HISTORY = "needs git history: run okr in a git work tree with its full history"


@dataclass(frozen=True)
class Section:
    title: str
    note: str  # what the list means, in one sentence
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]
    empty: str  # said instead of an empty table


def verdict_text(graded: Graded, review: Review) -> str:
    """The verdict; before the cycle's end, what it would be if the cycle ended now."""
    if graded.verdict is None:
        return "—"
    if review.over:
        return graded.verdict
    return "achieved so far" if graded.verdict == "achieved" else "not met yet"


def span(review: Review) -> str:
    """The cycle's dates, the day of the review and, before the end, that it is provisional."""
    cycle = review.cycle
    text = f"{cycle.start.isoformat()} to {cycle.end.isoformat()}, as of {review.today.isoformat()}"
    if review.over:
        return text
    return f"{text}: {review.days_left} days left, so every verdict is provisional"


def header(review: Review) -> str:
    return f"Review of {review.cycle.name} ({span(review)})"


def sections(review: Review) -> Iterator[Section]:
    yield _final(review)
    missed = review.committed_missed
    yield Section(
        "Committed objectives missed" if review.over else "Committed objectives not met yet",
        "A committed objective is met only at 1.0.",
        ("ID", "Objective", "Team", "Score"),
        [(g.item.id, g.item.node.title, _team(g), parts.score_text(g.item.score)) for g in missed],
        "none: every committed objective is at 1.0" if review.objectives else "no objectives",
    )
    yield Section(
        f"Aspirational objectives against {SWEET_SPOT}",
        f"An aspirational objective is achieved at {SWEET_SPOT}; 1.0 says the bar was low.",
        ("ID", "Objective", "Team", "Score", "Verdict"),
        [
            (
                g.item.id,
                g.item.node.title,
                _team(g),
                parts.score_text(g.item.score),
                verdict_text(g, review),
            )
            for g in review.aspirational
        ],
        "no aspirational objectives",
    )
    share = f"{EARLY_SHARE:.0%}"
    yield Section(
        "At 1.0 long before the end (sandbagging?)",
        f"Aspirational key results that reached 1.0 with {share} or more of the cycle to go.",
        ("ID", "Key result", "Reached 1.0", "Days left"),
        [
            (e.item.id, e.item.node.title, e.reached.isoformat(), str(e.days_left))
            for e in review.early_full or ()
        ],
        NO_HISTORY if review.early_full is None else "none",
    )
    yield Section(
        "Targets moved",
        "Targets, starts and thresholds changed after the cycle began.",
        ("ID", "Date", "Author", "Change"),
        [
            (m.id, m.day.isoformat(), m.author, f"{m.what} {_value(m.old)} → {_value(m.new)}")
            for m in review.moved or ()
        ],
        NO_HISTORY if review.moved is None else "none",
    )
    yield _replans(review)
    yield Section(
        "Never checked in",
        "Key results whose value no commit has changed since they were written.",
        ("ID", "Key result", "Owner"),
        [(i.id, i.node.title, _owner(i.node)) for i in review.never_checked_in or ()],
        NO_HISTORY if review.never_checked_in is None else "none: every key result moved",
    )
    yield Section(
        "Learnings",
        "Notes from the files and from check-ins.",
        ("ID", "Date", "Author", "Note"),
        [
            (n.id, n.day.isoformat() if n.day else "notes", n.author or "", n.text)
            for n in review.learnings
        ],
        "no notes were written",
    )


def _replans(review: Review) -> Section:
    return Section(
        "Replans after the plan lock",
        "Targets, kinds, types and weights changed, items removed, renamed or dropped after "
        "the plan locked, with the reason their commit gave in an `OKR-Replan:` trailer.",
        ("ID", "Date", "Author", "Change", "Reason"),
        [
            (
                r.item,
                r.replan.when.date().isoformat(),
                r.replan.author,
                r.said(),
                r.replan.reason or "none given (OKR207)",
            )
            for r in review.replans or ()
        ],
        NO_HISTORY if review.replans is None else "none: the plan held",
    )


def remarks(review: Review) -> Iterator[str]:
    """One-line observations under the sections."""
    if review.no_stretch is not None:
        yield f"No stretch: the cycle's key results are {review.no_stretch}."


def _final(review: Review) -> Section:
    rows: list[tuple[str, ...]] = []
    for graded in review.objectives:
        item = graded.item
        node = item.node
        kind = str(node.model.type)
        rows.append(
            (
                item.id,
                node.title,
                _team(graded),
                kind,
                parts.score_text(item.score),
                verdict_text(graded, review),
            )
        )
        for kr in graded.key_results:
            rows.append(
                (f"  {kr.id}", kr.node.title, "", kr.kind or "—", parts.score_text(kr.score), "")
            )
    return Section(
        "Final scores" if review.over else "Scores so far",
        "Objectives with their key results.",
        ("ID", "Title", "Team", "Type", "Score", "Verdict"),
        rows,
        "no objectives in this cycle",
    )


def _team(graded: Graded) -> str:
    return str(graded.item.node.file.doc.team)


def _owner(node: object) -> str:
    return (node.owner if isinstance(node, KeyResultNode) else None) or ""


def _value(value: float | None) -> str:
    return "—" if value is None else parts.number(value)
