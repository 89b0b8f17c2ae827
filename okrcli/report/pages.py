"""What each page shows, as plain data for the templates: rows, summaries, lists, charts.

Every number comes from the scoreboard (`okrcli.score`), so the report and `okr score`
cannot disagree; the templates only lay it out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from okrcli.config import Days, Grading
from okrcli.cycles import Cycle
from okrcli.graph import KeyResultNode, Node, ObjectiveNode
from okrcli.render import score_parts as parts
from okrcli.report import charts
from okrcli.review import CheckIn
from okrcli.score import ItemScore, Scoreboard, Selection, rounded, weighted_mean

STATUS = {  # key → (words, icon); the icon's shape says it without colour
    "on_track": ("on track", "✓"),
    "at_risk": ("at risk", "!"),
    "off_track": ("off track", "✕"),
    "achieved": ("achieved", "★"),
    "missed": ("missed", "✕"),
    "dropped": ("dropped", "–"),
    "none": ("no status", "–"),
}


@dataclass
class Row:
    """One objective or key result as the report shows it."""

    item: ItemScore
    href: str
    key_results: list[Row] = field(default_factory=list)
    aligned: list[Row] = field(default_factory=list)  # objectives aligned below, shown
    checkins: Sequence[CheckIn] = ()
    value_chart: charts.Chart | None = None
    confidence_chart: charts.Chart | None = None
    behind: str = ""  # an objective's parts behind pace: `2 key results at risk`
    bands: tuple[float, float] = Grading.bands

    @property
    def node(self) -> Any:
        return self.item.node

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def is_objective(self) -> bool:
        return isinstance(self.item.node, ObjectiveNode)

    @property
    def score(self) -> str:
        return parts.score_text(self.item.score)

    @property
    def data_score(self) -> str:
        """The score as `okr score --format json` rounds it, for machines reading the page."""
        score = rounded(self.item.score)
        return "" if score is None else str(score)

    @property
    def percent(self) -> int:
        return round((self.item.score or 0) * 100)

    @property
    def grade(self) -> str:
        """The score's colour: dim when dropped, never contradicting the verdict."""
        if self.item.dropped:
            return "dim"
        return parts.judged(self.item.score, self.item.judgement, self.bands)

    @property
    def computed(self) -> str:
        """The score computed from the numbers, beside a grade; else empty."""
        return "" if self.item.grade is None else parts.score_text(self.item.computed)

    @property
    def status_key(self) -> str:
        return self.item.judgement or self.item.status or "none"

    @property
    def status(self) -> str:
        return parts.status_text(self.item) if self.status_key != "none" else "no status"

    @property
    def icon(self) -> str:
        return STATUS[self.status_key][1]

    @property
    def value(self) -> str:
        return "" if self.is_objective else parts.value_text(self.item)

    @property
    def confidence(self) -> str:
        return parts.confidence_text(self.item)

    @property
    def owner(self) -> str:
        return str(self.node.owner or "")

    @property
    def team(self) -> str:
        return str(self.node.file.doc.team)

    @property
    def expected(self) -> str:
        return parts.score_text(self.item.expected)


@dataclass(frozen=True)
class Summary:
    """One cycle at a glance: how far through it is, its score, its statuses."""

    cycle: Cycle
    day: int
    elapsed: float
    score: float | None
    tops: int  # the objectives the score is the weighted mean of: those aligned outside it
    objectives: int
    key_results: int
    counts: list[tuple[str, str, str, int]]  # (key, words, icon, how many key results)
    bands: tuple[float, float] = Grading.bands

    @property
    def score_text(self) -> str:
        return parts.score_text(self.score)

    @property
    def grade(self) -> str:
        return parts.grade(self.score, self.bands)

    @property
    def percent(self) -> int:
        return round(self.elapsed * 100)


@dataclass(frozen=True)
class Stale:
    row: Row
    since: date  # the last check-in, else the day it was written (or its cycle began)
    days: int
    checked_in: bool


def slug(text: str) -> str:
    """A file-name-safe form of a team name."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "team"


def team_pages(selection: Selection) -> dict[str, str]:
    """Team → its page's file name, unique even when two names slug alike."""
    pages: dict[str, str] = {}
    taken: set[str] = set()
    for team in dict.fromkeys(o.team for o in selection.objectives):
        name, n = f"team-{slug(team)}.html", 2
        while name in taken:
            name, n = f"team-{slug(team)}-{n}.html", n + 1
        pages[team] = name
        taken.add(name)
    return pages


def build_rows(
    board: Scoreboard,
    selection: Selection,
    pages: Mapping[str, str],
    history: Mapping[str, Sequence[CheckIn]] | None,
) -> dict[Node, Row]:
    """A Row for every shown objective and key result, linked into the alignment tree."""
    rows: dict[Node, Row] = {}
    for objective in selection.objectives:
        page = pages[objective.team]
        bands = board.grading.bands
        behind = parts.behind_text(board, objective)
        rows[objective] = Row(
            board[objective], f"{page}#{objective.id}", behind=behind, bands=bands
        )
        for kr in objective.key_results:
            checkins = (history or {}).get(kr.id, ())
            row = Row(board[kr], f"{page}#{kr.id}", checkins=checkins, bands=bands)
            row.value_chart = value_chart(row, board.today)
            row.confidence_chart = confidence_chart(row, board.today)
            rows[kr] = row
            rows[objective].key_results.append(row)
    for objective in selection.objectives:
        for node in (objective, *objective.key_results):
            rows[node].aligned = [rows[c] for c in node.children if c in rows]
    return rows


def summaries(board: Scoreboard, selection: Selection) -> list[Summary]:
    found = []
    for cycle in selection.cycles:
        mine = [o for o in selection.objectives if o.cycle == cycle]
        tops = [o for o in mine if not _in_cycle(o.parent, cycle)]
        score = weighted_mean((o.objective.weight, board[o].score) for o in tops)
        statuses = [board[kr].judgement or board[kr].status for o in mine for kr in o.key_results]
        counts = [
            (key, *STATUS[key], n)
            for key in ("on_track", "at_risk", "off_track", "none")
            if (n := sum((s or "none") == key for s in statuses))
        ]
        day = min(max((board.today - cycle.start).days + 1, 0), cycle.days)
        elapsed = cycle.elapsed(board.today)
        summary = Summary(
            cycle, day, elapsed, score, len(tops), len(mine), len(statuses), counts,
            board.grading.bands,
        )  # fmt: skip
        found.append(summary)
    return found


def _in_cycle(parent: Node | None, cycle: Cycle) -> bool:
    """Whether an objective's parent (or its key result's objective) is in `cycle`."""
    holder = parent.objective if isinstance(parent, KeyResultNode) else parent
    return isinstance(holder, ObjectiveNode) and holder.cycle == cycle


def by_status(rows: Sequence[Row], status: str) -> list[Row]:
    """Key results with `status`, furthest behind first."""
    found = [r for r in rows if not r.is_objective and r.item.status == status]
    return sorted(found, key=lambda r: -(r.item.gap or 0))


def stale(rows: Sequence[Row], today: date, stale_days: Days) -> list[Stale]:
    """Key results in an open cycle with no check-in for more than `stale_days` of their
    cycle's length (OKR208)."""
    found = []
    for row in rows:
        cycle = row.node.objective.cycle if not row.is_objective else None
        if cycle is None or not cycle.contains_day(today) or row.item.kind == "rollup":
            continue
        checkins = [c.day for c in row.checkins if not c.added]
        written = [c.day for c in row.checkins if c.added]
        days = cycle.quiet_days(max(checkins or written, default=None), today)
        if days > stale_days.of(cycle):
            found.append(Stale(row, today - timedelta(days=days), days, bool(checkins)))
    return sorted(found, key=lambda s: -s.days)


def value_chart(row: Row, today: date) -> charts.Chart | None:
    """The key result's value over its cycle with start, target and the expected pace."""
    kr: Any = row.node.model
    kind = row.item.kind
    cycle = row.node.objective.cycle
    if cycle is None or kind not in {"metric", "threshold", "milestone", "checklist"}:
        return None
    unit = kr.unit if kind in {"metric", "threshold"} else "% done"
    points = [
        charts.Point(c.day, v, _tip(c, _with_unit(v, unit)))
        for c in row.checkins
        if (v := _drawn(c, kind)) is not None
    ]
    if not points:
        return None
    guides: list[charts.Guide] = []
    if kind == "metric":
        guides = [
            charts.Guide("start", f"start {_with_unit(kr.start, unit)}", kr.start, kr.start),
            charts.Guide("target", f"target {_with_unit(kr.target, unit)}", kr.target, kr.target),
            charts.Guide("pace", "", kr.start, kr.target),
        ]
    elif kind == "threshold":
        for word, bound in (("at least", kr.above), ("at most", kr.below)):
            if bound is not None:
                label = f"{word} {_with_unit(bound, unit)}"
                guides.append(charts.Guide("target", label, bound, bound))
    else:
        guides = [charts.Guide("target", "done 100%", 100, 100), charts.Guide("pace", "", 0, 100)]
    first, last = points[0], points[-1]
    desc = (
        f"{len(points)} check-in{'s' * (len(points) != 1)}: {_with_unit(first.value, unit)} "
        f"on {first.day.isoformat()}, {_with_unit(last.value, unit)} on {last.day.isoformat()}. "
        + "; ".join(g.label for g in guides if g.label)
        + f"; cycle {cycle.start.isoformat()} to {cycle.end.isoformat()}."
    )
    title = f"{row.id} {row.node.title}: value over time"
    span = (cycle.start, cycle.end)
    return charts.line_chart(f"v-{row.id}", title, desc, points, span, today, guides)


def confidence_chart(row: Row, today: date) -> charts.Chart | None:
    """Confidence (0–10) at each check-in that gave one."""
    cycle = row.node.objective.cycle
    points = [
        charts.Point(c.day, c.confidence, _tip(c, f"confidence {parts.number(c.confidence)}"))
        for c in row.checkins
        if c.confidence is not None
    ]
    if cycle is None or not points:
        return None
    values = ", ".join(f"{parts.number(p.value)} on {p.day.isoformat()}" for p in points)
    title = f"{row.id} {row.node.title}: confidence over time"
    return charts.line_chart(
        f"c-{row.id}",
        title,
        f"Confidence out of 10: {values}.",
        points,
        (cycle.start, cycle.end),
        today,
        bounds=(0, 10),
        size=(charts.SMALL_WIDTH, charts.SMALL_HEIGHT),
    )


def _drawn(checkin: CheckIn, kind: str | None) -> float | None:
    if kind in {"metric", "threshold"}:
        return checkin.value
    return None if checkin.score is None else round(checkin.score * 100, 1)


def _tip(checkin: CheckIn, what: str) -> str:
    note = f" — {checkin.note}" if checkin.note else ""
    added = " (written)" if checkin.added else ""
    return f"{checkin.day.isoformat()} · {checkin.author} · {what}{added}{note}"


def _with_unit(value: float, unit: str | None) -> str:
    text = parts.number(value)
    if not unit:
        return text
    return f"{text}{unit}" if unit.startswith("%") else f"{text} {unit}"
