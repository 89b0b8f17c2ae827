"""The review as titled sections of rows, shared by the terminal and markdown formats."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from okrcli.graph import KeyResultNode
from okrcli.render import score_parts as parts
from okrcli.review import DISAGREEMENT, EARLY_SHARE, Graded, Review
from okrcli.score import ItemScore

NO_HISTORY = "needs git history: run okr in a git work tree with its full history"


@dataclass(frozen=True)
class Section:
    title: str
    note: str  # what the list means, in one sentence
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]
    empty: str  # said instead of an empty table
    # Per row, the colour of its Score cell: the grade colour, never contradicting the
    # row's verdict (empty when the section has no scores).
    colours: tuple[str, ...] = ()


def verdict_text(graded: Graded, review: Review) -> str:
    """The verdict; before the cycle's end, what it would be if the cycle ended now."""
    if graded.item.dropped:
        return "dropped"
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


def _colour(item: ItemScore, verdict: str, review: Review) -> str:
    return "dim" if item.dropped else parts.judged(item.score, verdict, review.grading.bands)


def sections(review: Review) -> Iterator[Section]:
    yield _final(review)
    missed = review.committed_missed
    not_met = "missed" if review.over else "not met yet"
    yield Section(
        "Committed objectives missed" if review.over else "Committed objectives not met yet",
        "A committed objective is met only at 1.0.",
        ("ID", "Objective", "Team", "Score"),
        [(g.item.id, g.item.node.title, _team(g), parts.score_text(g.item.score)) for g in missed],
        "none: every committed objective is at 1.0"
        if review.has_type("committed")
        else "no committed objectives in this cycle",
        tuple(_colour(g.item, not_met, review) for g in missed),
    )
    sweet_spot = parts.number(review.grading.aspirational)
    yield Section(
        f"Aspirational objectives against {sweet_spot}",
        f"An aspirational objective is achieved at {sweet_spot}; 1.0 says the bar was low.",
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
        "no aspirational objectives in this cycle",
        tuple(_colour(g.item, verdict_text(g, review), review) for g in review.aspirational),
    )
    graded = [item for item in review.items if item.grade is not None]
    far = review.disagreements
    yield Section(
        "Grades far from the computed score",
        f"Grades that differ from the score computed from the numbers by more than "
        f"{parts.number(DISAGREEMENT)}.",
        ("ID", "Title", "Grade", "Computed"),
        [
            (
                item.id,
                item.node.title,
                parts.score_text(item.grade),
                parts.score_text(item.computed),
            )
            for item in far
        ],
        "none: every grade is close to its computed score" if graded else "no grades were given",
    )
    yield Section(
        "Dropped",
        "Objectives and key results dropped during the cycle, out of every score, with why.",
        ("ID", "Title", "Notes"),
        [
            (item.id, item.node.title, " ".join((item.node.model.notes or "").split()) or "—")
            for item in review.dropped
        ],
        "none",
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
    """Every objective and key result; a Computed column beside the scores when any was
    graded."""
    any_grade = any(item.grade is not None for item in review.items)
    rows: list[tuple[str, ...]] = []
    colours: list[str] = []
    for graded in review.objectives:
        item = graded.item
        node = item.node
        kind = str(node.model.type)
        verdict = verdict_text(graded, review)
        rows.append(
            (item.id, node.title, _team(graded), kind, parts.score_text(item.score),
             _computed(item), verdict)
        )  # fmt: skip
        colours.append(_colour(item, verdict, review))
        for kr in graded.key_results:
            word = "dropped" if kr.dropped else ""
            rows.append(
                (f"  {kr.id}", kr.node.title, "", kr.kind or "—", parts.score_text(kr.score),
                 _computed(kr), word)
            )  # fmt: skip
            colours.append(_colour(kr, word, review))
    columns: tuple[str, ...] = ("ID", "Title", "Team", "Type", "Score", "Computed", "Verdict")
    note = "Objectives with their key results."
    if not any_grade:
        rows = [row[:5] + row[6:] for row in rows]
        columns = columns[:5] + columns[6:]
    else:
        note += " Where the owner gave a grade, it is the score; Computed is from the numbers."
    return Section(
        "Final scores" if review.over else "Scores so far",
        note,
        columns,
        rows,
        "no objectives in this cycle",
        tuple(colours),
    )


def _computed(item: ItemScore) -> str:
    """The computed score beside a grade; empty where the score is the computed one."""
    return "" if item.grade is None else parts.score_text(item.computed)


def _team(graded: Graded) -> str:
    return str(graded.item.node.file.doc.team)


def _owner(node: object) -> str:
    return (node.owner if isinstance(node, KeyResultNode) else None) or ""


def _value(value: float | None) -> str:
    return "—" if value is None else parts.number(value)
