"""The rollup engine (SPEC §3): pure functions from the graph and a day to scores.

No I/O and no rendering here, so that `okr score`, the history engine and the HTML
report all agree on every number. One post-order pass: linear in the number of
objectives and key results.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from okrcli.config import Grading
from okrcli.cycles import Cycle, default_cycle
from okrcli.graph import KeyResultNode, Node, ObjectiveNode, cycles_of
from okrcli.pace import expected as pace_expected

if TYPE_CHECKING:
    from okrcli.config import Config, Thresholds
    from okrcli.focus import Focus
    from okrcli.graph import Graph
    from okrcli.repo import Repo

STATUSES = ("on_track", "at_risk", "off_track")  # best to worst
_EPSILON = 1e-9


@dataclass(slots=True, eq=False)
class ItemScore:
    """Where one objective or key result stands on a given day.

    `raw` is uncapped progress; `computed` is it clamped to [0, 1] (for an objective or a
    rollup key result both are the weighted mean); `score`, what rollups use, is the
    owner's `grade` where given, else `computed`. `counts` is False for something shown
    under its parent that does not move it (`weight: 0`, dropped, a child of a measured key
    result). `measured` is False for a metric or threshold without a `current` yet.
    """

    node: Node
    kind: str | None  # "objective", or metric | milestone | checklist | threshold | rollup
    raw: float | None
    score: float | None
    expected: float | None
    gap: float | None
    status: str | None
    manual: bool
    judgement: str | None  # at or after the cycle's end: "achieved" | "missed"
    counts: bool
    computed: float | None
    measured: bool = True

    @property
    def id(self) -> str:
        return self.node.id

    @property
    def grade(self) -> float | None:
        value = self.node.model.grade
        return None if value is None else float(value)

    @property
    def dropped(self) -> bool:
        return bool(self.node.model.status == "dropped")

    @property
    def confidence(self) -> float | None:
        value = self.node.model.confidence
        return None if value is None else float(value)


@dataclass
class Scoreboard:
    """Every objective and key result scored as of `today`; `skipped` says what is broken."""

    today: date
    grading: Grading = field(default_factory=Grading)
    by_node: dict[Node, ItemScore] = field(default_factory=dict)
    by_id: dict[str, ItemScore] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, node: Node) -> ItemScore:
        return self.by_node[node]


def key_result_raw(kr: Any) -> float | None:
    """Raw (uncapped) progress of an `okrcli.model.KeyResult` from its own fields.

    None for a rollup (scored from its children) and for one that cannot be measured:
    no single kind, a metric whose target equals its start, a checklist weighing 0.
    A threshold without a `current` has not been shown to hold, so it is 0.
    """
    return _raw(kr, kr.kind())


def _raw(kr: Any, kind: str | None) -> float | None:
    if kind == "metric":
        if kr.start is None or kr.target is None or kr.target == kr.start:
            return None
        current = kr.start if kr.current is None else kr.current
        # `+ 0.0` turns the -0.0 of a decreasing metric at its start (0 / -8.5) into 0.0,
        # which every renderer would otherwise print as "-0.00" or "-0.0".
        return float((current - kr.start) / (kr.target - kr.start)) + 0.0
    if kind == "milestone":
        return 1.0 if kr.done else 0.0
    if kind == "checklist":
        total = sum(m.weight for m in kr.milestones)
        return float(sum(m.weight for m in kr.milestones if m.done) / total) if total else None
    if kind == "threshold":
        value = kr.current
        holds = (
            value is not None
            and (kr.above is None or value >= kr.above)
            and (kr.below is None or value <= kr.below)
        )
        return 1.0 if holds else 0.0
    return None


def clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return min(max(value, low), high)


def rounded(score: float | None) -> float | None:
    """A score to 3 decimals: as JSON shows it (SPEC) and as `okr diff` tells moves apart."""
    return None if score is None else round(score, 3)


def pace_status(gap: float, thresholds: Thresholds) -> str:
    """on_track, at_risk or off_track for how far behind the calendar a score is."""
    if gap <= thresholds.on_track + _EPSILON:
        return "on_track"
    if gap <= thresholds.at_risk + _EPSILON:
        return "at_risk"
    return "off_track"


def weighted_mean(items: Iterable[tuple[float, float | None]]) -> float | None:
    """Σw·s / Σw over (weight, score) pairs with a score; None when Σw is 0.

    Exactly rounded sums (fsum) make the result independent of the order of the items,
    and it is kept within the min and max of the scores, which rounding could leave.
    """
    counted = [(w, s) for w, s in items if s is not None and w > 0]
    if not counted:
        return None
    weights, scores = zip(*counted, strict=True)
    mean = math.fsum(map(operator.mul, weights, scores)) / math.fsum(weights)
    return clamp(mean, min(scores), max(scores))


def judge(
    objective: ObjectiveNode, score: float | None, today: date, grading: Grading = Grading()
) -> str | None:
    """End-of-cycle verdict: committed needs 1.0, aspirational `[grading] aspirational`
    (0.7); a learning objective is judged on its notes, a dropped one not at all."""
    cycle = objective.cycle
    model = objective.objective
    if score is None or cycle is None or today < cycle.end or model.status == "dropped":
        return None
    if model.type == "committed":
        return "achieved" if score >= 1.0 - _EPSILON else "missed"
    if model.type == "aspirational":
        return "achieved" if score >= grading.aspirational - _EPSILON else "missed"
    return None


def contributors(node: Node) -> Iterator[Node]:
    """What an objective or rollup key result is scored from, counted or not."""
    if isinstance(node, ObjectiveNode):
        yield from node.key_results
    yield from node.children


def post_order(graph: Graph) -> list[ObjectiveNode]:
    """Every objective after all objectives aligned below it, without recursion."""
    order: list[ObjectiveNode] = []
    stack: list[tuple[ObjectiveNode, bool]] = [(o, False) for o in reversed(graph.roots())]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.children))
        for kr in reversed(node.key_results):
            stack.extend((child, False) for child in reversed(kr.children))
    return order


def score_graph(graph: Graph, today: date, config: Config | None = None) -> Scoreboard:
    """Score every objective and key result in `graph` as of `today`.

    `config` supplies the status thresholds and grading (default: the graph's own config).
    """
    config = config or graph.config
    thresholds = config.thresholds
    board = Scoreboard(today, config.grading, skipped=dict(graph.skipped))
    for node in post_order(graph):
        for kr in node.key_results:
            _score_key_result(board, kr, node.cycle, thresholds)
        _score_objective(board, node, thresholds)
    board.by_id = {key: board.by_node[node] for key, node in graph.by_id.items()}
    for again, first in graph.duplicates:
        board.skipped.setdefault(again.id, f"duplicate id; the one at {_where(first)} is used")
    for objective in graph.objectives:
        if objective.cycle is None:
            board.skipped.setdefault(
                objective.id, f"unknown cycle `{objective.file.doc.cycle}`: scored without pace"
            )
    return board


def score_repo(repo: Repo) -> Scoreboard:
    """`score_graph` for a loaded repository, as of its `today`."""
    return score_graph(repo.graph, repo.today, repo.config)


def _where(node: Node) -> str:
    return f"{node.file.rel}:{node.line}"


def _counted(board: Scoreboard, node: Node) -> list[ItemScore]:
    """The scores of what `node` is scored from and that count."""
    return [item for child in contributors(node) if (item := board.by_node[child]).counts]


def _status(model: Any, gap: float | None, thresholds: Thresholds) -> tuple[str | None, bool]:
    """`dropped`; else a manual status; else the item's own pace, never its parts' (they
    are shown beside it: an objective ahead of its pace is on track with one part behind)."""
    if model.status == "dropped":
        return "dropped", False
    if model.status is not None:
        return str(model.status), True
    return (None if gap is None else pace_status(gap, thresholds)), False


def _rolled_up(parts: list[ItemScore]) -> tuple[float | None, float | None]:
    """(score, expected) of an objective or rollup key result from the parts it counts:
    weighted means over the same scored parts, so the two compare like with like."""
    scored = [(p.node.model.weight, p) for p in parts if p.score is not None]
    score = weighted_mean((w, p.score) for w, p in scored)
    return score, weighted_mean((w, p.expected) for w, p in scored)


def graded(model: Any, computed: float | None) -> float | None:
    """The score rollups use: the owner's grade where given, else the computed one."""
    return computed if model.grade is None else float(model.grade)


def _score_key_result(
    board: Scoreboard, kr: KeyResultNode, cycle: Cycle | None, thresholds: Thresholds
) -> None:
    model = kr.key_result
    kind = model.kind()
    if kind == "rollup":
        raw, expected = _rolled_up(_counted(board, kr))
    else:
        raw, expected = _raw(model, kind), pace_expected(model, kind, cycle, board.today)
    computed = None if raw is None else clamp(raw)
    score = graded(model, computed)
    gap = None if score is None or expected is None else expected - score
    status, manual = _status(model, gap, thresholds)
    counts = model.weight > 0 and model.status != "dropped"
    measured = kind not in {"metric", "threshold"} or model.current is not None
    board.by_node[kr] = ItemScore(
        kr, kind, raw, score, expected, gap, status, manual, None, counts, computed, measured
    )


def _score_objective(board: Scoreboard, node: ObjectiveNode, thresholds: Thresholds) -> None:
    model = node.objective
    computed, expected = _rolled_up(_counted(board, node))
    if node.cycle is None:
        expected = None
    score = graded(model, computed)
    gap = None if score is None or expected is None else expected - score
    status, manual = _status(model, gap, thresholds)
    parent = node.parent
    counts = (
        model.weight > 0
        and model.status != "dropped"
        and (parent is None or takes_children(parent))
    )
    judgement = judge(node, score, board.today, board.grading)
    board.by_node[node] = ItemScore(
        node, "objective", computed, score, expected, gap, status, manual, judgement, counts,
        computed,
    )  # fmt: skip


def takes_children(parent: Node) -> bool:
    """Whether objectives aligned to `parent` move its score: not under a measured KR."""
    return isinstance(parent, ObjectiveNode) or parent.model.kind() == "rollup"


@dataclass
class Selection:
    """The objectives a command shows, in file order, and the cycles they were chosen by."""

    cycles: list[Cycle]
    objectives: list[ObjectiveNode]
    root: Node | None = None  # `okr tree ID`: the node the tree starts at

    _chosen: set[ObjectiveNode] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._chosen = set(self.objectives)

    def __contains__(self, node: object) -> bool:
        return node in self._chosen

    def roots(self) -> list[ObjectiveNode]:
        """Chosen objectives whose parent (or its objective) is not chosen."""
        return [o for o in self.objectives if _holder(o.parent) not in self._chosen]

    def shown_ids(self) -> set[str]:
        """Ids of the chosen objectives and their key results."""
        return {n.id for o in self.objectives for n in (o, *o.key_results)}


def _holder(node: Node | None) -> ObjectiveNode | None:
    """The objective a parent link lands in: itself, or a key result's objective."""
    if isinstance(node, KeyResultNode):
        return node.parent_objective
    return node if isinstance(node, ObjectiveNode) else None


def select(
    graph: Graph,
    today: date,
    cycle: str | None = None,
    focus: Focus | None = None,
    *,
    enclosing: bool = False,
    cycles: list[Cycle] | None = None,
    focused: list[Cycle] | None = None,
) -> Selection:
    """Objectives in `cycle` (the default cycle for `today` when None, every cycle for
    "all"), optionally only those in `focus` (teams, owners); with `enclosing`, also those
    in cycles holding it. The default cycle is chosen among the focused objectives' cycles,
    so a team's score on the first day of a quarter it has not planned yet shows its last.
    `cycles` and `focused`: the whole repository's cycles and those of its objectives in
    `focus`, when `graph` holds only part of it (okrcli/reach.py)."""
    known = graph.cycles if cycles is None else cycles
    if focused is None:
        focused = []
        if focus and cycle is None:
            focused = cycles_of([o for o in graph.objectives if focus.objective(o)])
    chosen = shown_cycles(known, focused, today, cycle, enclosing=enclosing)
    names = {c.name for c in chosen}
    objectives = [
        o
        for o in graph.objectives
        if (o.cycle.name in names if o.cycle is not None else cycle == "all")
    ]
    if focus:
        objectives = [o for o in objectives if focus.objective(o)]
    return Selection(chosen, objectives)


def shown_cycles(
    known: list[Cycle], focused: list[Cycle], today: date, cycle: str | None, *, enclosing: bool
) -> list[Cycle]:
    """The cycles `select` shows, in order, of the `known` ones: `cycle`, or with None the
    default one among the `focused` objectives' cycles (all `known` when none is)."""
    if cycle is None:
        known = focused or known
    if cycle == "all":
        chosen = known
    else:
        found = (
            default_cycle(known, today)
            if cycle is None
            else next((c for c in known if c.name == cycle), None)
        )
        if found is None:
            raise not_found("cycle", cycle, [c.name for c in known])
        chosen = [c for c in known if c.contains(found)] if enclosing else [found]
    return sorted(chosen, key=lambda c: (c.start, -c.days, c.name))


def subtree(graph: Graph, root_id: str, focus: Focus | None = None) -> Selection:
    """The objective or key result `root_id` and every objective aligned below it (of
    those, only the ones in `focus`)."""
    root = graph.by_id.get(root_id)
    if root is None:
        raise not_found("objective or key result", root_id, list(graph.by_id))
    below = set(_descendants(root))
    objectives = [o for o in graph.objectives if o in below and (not focus or focus.objective(o))]
    holders = [*objectives, _holder(root)]
    cycles = {o.cycle.name: o.cycle for o in holders if o is not None and o.cycle is not None}
    return Selection(sorted(cycles.values(), key=lambda c: (c.start, -c.days)), objectives, root)


def _descendants(start: Node) -> Iterator[ObjectiveNode]:
    """The objective `start` (if it is one) and every objective aligned below it."""
    stack = [start]
    while stack:
        node = stack.pop()
        if isinstance(node, ObjectiveNode):
            yield node
            stack.extend(node.key_results)
        stack.extend(node.children)


def not_found(what: str, name: str | None, known: list[str], where: str = "") -> Exception:
    from okrcli.errors import OkrError
    from okrcli.messages import suggest

    if not known:
        return OkrError("no objectives to score: no readable OKR file names a known cycle")
    hint = suggest(name or "", known) or (
        f"; known: {', '.join(known[:12])}{', …' if len(known) > 12 else ''}"
    )
    return OkrError(f"no {what} `{name}`{f' in {where}' if where else ''}{hint}")
