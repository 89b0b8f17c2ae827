"""The pieces every score format shares: numbers, bars, grades, status words, values."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import IO, Any

from okrcli.config import Grading
from okrcli.graph import Node, ObjectiveNode
from okrcli.messages import printable
from okrcli.score import STATUSES, ItemScore, Scoreboard, Selection, contributors

_EIGHTHS = " ▏▎▍▌▋▊▉"
PLAIN_WIDTH = 10_000  # piped output is never wrapped: one line per row, for grep
STATUS_STYLE = {"on_track": "green", "at_risk": "yellow", "off_track": "red"}
JUDGEMENT_STYLE = {"achieved": "green", "missed": "red"}


def grade(score: float | None, bands: tuple[float, float] = Grading.bands) -> str:
    """Google's grade colour, `[grading] bands`: red < 0.4 ≤ yellow < 0.7 ≤ green (dim when
    unscored)."""
    if score is None:
        return "dim"
    return "red" if score < bands[0] else "yellow" if score < bands[1] else "green"


def judged(score: float | None, verdict: str | None, bands: tuple[float, float]) -> str:
    """The grade colour, never contradicting the verdict beside it: green only when achieved
    (a committed objective at 0.79 is yellow next to "missed"), always green when it is."""
    if verdict in {"achieved", "achieved so far"}:
        return "green"
    colour = grade(score, bands)
    missed = verdict in {"missed", "not met yet"}
    return "yellow" if missed and colour == "green" else colour


def score_style(item: ItemScore, board: Scoreboard) -> str:
    """The colour of an item's score and bar: dim when dropped, else as `judged`."""
    return "dim" if item.dropped else judged(item.score, item.judgement, board.grading.bands)


def graded_text(item: ItemScore) -> str:
    """The score, and beside a grade the score computed from the numbers: `0.70 (computed
    0.55)`."""
    text = score_text(item.score)
    return text if item.grade is None else f"{text} (computed {score_text(item.computed)})"


def score_text(score: float | None) -> str:
    """Two decimals, or three where two would round up onto a bar the score is judged or
    coloured by (0.698 is not 0.70: it is yellow, and it misses the sweet spot)."""
    if score is None:
        return "—"
    text = f"{score:.2f}"
    if text in {"0.40", "0.70", "1.00"} and score < float(text):
        return f"{score:.3f}"
    return text


def bar(score: float | None, width: int = 10) -> str:
    """A progress bar `width` cells wide, in eighths of a cell."""
    if score is None:
        return "·" * width
    eighths = round(score * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (_EIGHTHS[part] if part else "")
    return text + "░" * (width - len(text))


def status_text(item: ItemScore) -> str:
    """`missed`/`achieved` once the cycle is over, else the pace status; `*` when set by hand;
    `no check-in yet` for a metric or threshold never measured (it scores 0 meanwhile)."""
    if item.judgement is not None:
        return item.judgement
    if item.status is None:
        return "—"
    if not item.measured and not item.manual and not item.dropped:
        return "no check-in yet"
    return item.status.replace("_", " ") + ("*" if item.manual else "")


def status_style(item: ItemScore) -> str:
    if item.judgement is not None:
        return JUDGEMENT_STYLE[item.judgement]
    if not item.measured and not item.manual:
        return "dim"
    return STATUS_STYLE.get(item.status or "", "dim")


def part_statuses(board: Scoreboard, node: Node) -> dict[str, int]:
    """How many of the parts an objective or rollup counts are on track, at risk, off track."""
    counts = dict.fromkeys(STATUSES, 0)
    for child in contributors(node):
        item = board[child]
        if item.counts and item.status in counts:
            counts[item.status] += 1
    return counts


def behind_text(board: Scoreboard, node: Node) -> str:
    """Parts behind, beside an objective's own status: `2 key results at risk, 1 objective
    off track` (empty when none is)."""
    counts: dict[tuple[str, str], int] = {}
    for child in contributors(node):
        item = board[child]
        if item.counts and item.status in {"at_risk", "off_track"}:
            what = "objective" if isinstance(child, ObjectiveNode) else "key result"
            counts[what, item.status] = counts.get((what, item.status), 0) + 1
    return ", ".join(
        f"{n} {what}{'s' * (n != 1)} {status.replace('_', ' ')}"
        for (what, status), n in sorted(
            counts.items(), key=lambda kv: (kv[0][0] != "key result", kv[0][1])
        )
    )


def status_line(board: Scoreboard, item: ItemScore) -> str:
    """The status, and for an objective the parts behind: `on track (1 key result at risk)`."""
    text = status_text(item)
    behind = behind_text(board, item.node) if isinstance(item.node, ObjectiveNode) else ""
    return f"{text} ({behind})" if behind and not item.dropped else text


def dropped_note(item: ItemScore) -> str:
    """`dropped: why` (the item's notes) for a dropped item, else empty."""
    if not item.dropped:
        return ""
    notes = " ".join((item.node.model.notes or "").split())
    return f"dropped: {notes}" if notes else "dropped"


def confidence_text(item: ItemScore) -> str:
    return "" if item.confidence is None else number(item.confidence)


def number(value: float) -> str:
    """A user's number as they would write it: 97.1, 15, 0.25, 1000000."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _with_unit(text: str, unit: str | None) -> str:
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {printable(unit)}"


def value_text(item: ItemScore) -> str:
    """Where a key result stands, in its own terms: `97.1 → 99.5 %`, `2/3 done`, `0.8 ≤ 1`."""
    kr: Any = item.node.model
    kind = item.kind
    if kind == "metric" and kr.start is not None and kr.target is not None:
        current = kr.start if kr.current is None else kr.current
        return _with_unit(f"{number(current)} → {number(kr.target)}", kr.unit)
    if kind == "milestone":
        return "done" if kr.done else "not done"
    if kind == "checklist":
        return f"{sum(m.done for m in kr.milestones)}/{len(kr.milestones)} done"
    if kind == "threshold":
        bounds = [f"≥ {number(kr.above)}"] if kr.above is not None else []
        bounds += [f"≤ {number(kr.below)}"] if kr.below is not None else []
        now = "no value" if kr.current is None else _with_unit(number(kr.current), kr.unit)
        return f"{now} ({', '.join(bounds)})"
    if kind == "rollup":
        count = len(item.node.children)
        return f"{count} objective{'s' * (count != 1)}"
    return "not measurable"


def header(board: Scoreboard, selection: Selection) -> tuple[str, list[str]]:
    """`Scores as of DAY` and, one line per cycle, how far through it that day is."""
    lines = []
    for cycle in selection.cycles:
        day = min(max((board.today - cycle.start).days + 1, 0), cycle.days)
        expected = cycle.elapsed(board.today)
        lines.append(f"{cycle.name}: day {day} of {cycle.days}, expected {expected:.2f}")
    return f"Scores as of {board.today.isoformat()}", lines


def footer(board: Scoreboard, selection: Selection) -> Iterator[str]:
    """A count by status, what was skipped and why, and what `*` means."""
    items = [board[o] for o in selection.objectives]
    counts: dict[str, int] = {}
    for item in items:
        word = "unscored" if item.score is None else status_text(item).rstrip("*")
        counts[word] = counts.get(word, 0) + 1
    order = ["on track", "at risk", "off track", "no check-in yet", "achieved", "missed",
             "dropped", "unscored"]  # fmt: skip
    summary = ", ".join(f"{counts[word]} {word}" for word in order if word in counts)
    yield f"{len(items)} objective{'s' * (len(items) != 1)}" + (f": {summary}" if items else "")
    shown = selection.shown_ids()
    for key, reason in board.skipped.items():
        if key in shown:
            yield f"skipped {key}: {reason}"
    if any(board[n].manual for o in selection.objectives for n in (o, *o.key_results)):
        yield "* status set by hand"


def groups(selection: Selection) -> Iterator[tuple[str, str, list[ObjectiveNode]]]:
    """(cycle, team, objectives) in cycle order (unknown cycles last), then in the order the
    files are read."""
    grouped: dict[tuple[str, str], list[ObjectiveNode]] = {}
    for objective in selection.objectives:
        cycle = cycle_name(objective)
        grouped.setdefault((cycle, objective.team), []).append(objective)
    order = {c.name: i for i, c in enumerate(selection.cycles)}
    ranked = sorted(grouped.items(), key=lambda kv: order.get(kv[0][0], len(order)))
    for (cycle, team), objectives in ranked:
        yield cycle, team, objectives


def cycle_name(objective: ObjectiveNode) -> str:
    """The objective's cycle, as written when it is not a known one."""
    return objective.cycle.name if objective.cycle is not None else str(objective.file.doc.cycle)


def show(
    board: Scoreboard,
    selection: Selection,
    body: Sequence[Any],
    stream: IO[str],
    width: int | None = None,
) -> None:
    """Header, `body` (rich renderables) and footer, at most `width` columns wide in a
    terminal; piped, one unwrapped line per row."""
    from rich.console import Group
    from rich.text import Text

    from okrcli.render.console import console, wants_colour

    out = console(stream)
    title, cycles = header(board, selection)
    group = Group(
        Text(title, style="bold"),
        *(Text(f"  {line}") for line in cycles),
        *body,
        *(Text(line, style="dim") for line in footer(board, selection)),
    )
    if wants_colour(stream):
        out.print(group, width=width)
        return
    out.width = PLAIN_WIDTH
    with out.capture() as capture:
        out.print(group)
    stream.write("\n".join(line.rstrip() for line in capture.get().splitlines()) + "\n")
