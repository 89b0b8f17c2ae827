"""Replans (SPEC §3, the plan lock): commits that changed what the plan promises.

A replan is a change of a key result's `start`, `target`, `above`, `below` or kind, of its
objective's `type`, of any `weight`, a `status: dropped`, a key result removed, or one given
a new id. Found commit by commit from the history's changes; a commit whose message carries
an `OKR-Replan: <reason>` trailer made its replans knowingly, and the reason is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from typing import TYPE_CHECKING, Any, TypeVar

from okrcli.history.records import OBJECTIVE_PLAN, TARGET_KEYS, Change, State, own_keys

if TYPE_CHECKING:
    from okrcli.config import Config
    from okrcli.cycles import Cycle
    from okrcli.graph import Graph, Node

T = TypeVar("T")
TRAILER = "OKR-Replan"
DROPPED = "dropped"


@dataclass(frozen=True, slots=True)
class Replan:
    """One thing a commit changed in the plan of key result `id` (its new id after a rename)
    or of its objective (`what` starts with "objective")."""

    sha: str
    author: str
    when: datetime
    id: str
    objective: str
    path: str
    what: str  # start target above below kind weight dropped removed renamed objective type …
    old: Any
    new: Any
    reason: str | None  # the commit's OKR-Replan trailer

    def describe(self) -> str:
        """`target 100 → 60`, `renamed from PLAT-1.2`, `removed`, `objective type … → …`."""
        if self.what == "renamed":
            return f"renamed from {self.old}"
        if self.what in ("removed", DROPPED):
            return str(self.what)
        return f"{self.what} {_shown(self.old)} → {_shown(self.new)}"

    def as_list(self) -> list[Any]:
        return [self.sha, self.author, self.when.isoformat(), self.id, self.objective,
                self.path, self.what, self.old, self.new, self.reason]  # fmt: skip

    @classmethod
    def from_list(cls, fields: list[Any]) -> Replan:
        sha, author, when, ident, objective, path, what, old, new, reason = fields
        return cls(sha, author, datetime.fromisoformat(when), ident, objective, path, what,
                   old, new, reason)  # fmt: skip


def _shown(value: Any) -> str:
    from okrcli.checkin import show

    return "—" if value is None else show(value)


def replans(changes: Iterable[Change]) -> list[Replan]:
    """Every replan in `changes` (oldest first, a commit's changes together)."""
    found: list[Replan] = []
    for _, group in groupby(changes, key=lambda c: id(c.commit)):
        found += _of_commit(list(group))
    return found


def _of_commit(group: list[Change]) -> Iterator[Replan]:
    commit = group[0].commit
    given = commit.trailer(TRAILER)
    reason = given[-1] if given else None

    def replan(change: Change, ident: str, what: str, old: Any, new: Any) -> Replan:
        state = change.after or change.before or {}
        return Replan(commit.sha, commit.author, commit.when, ident, str(state.get("objective")),
                      change.path, what, old, new, reason)  # fmt: skip

    removed = [c for c in group if c.before is not None and c.after is None]
    added = [c for c in group if c.before is None and c.after is not None]
    renamed = _renames(removed, added)
    objectives: set[tuple[str, str]] = set()  # an objective's change, said once per commit
    for change in group:
        if change.before is None or change.after is None:
            continue
        for what, old, new in _moves(change.before, change.after):
            if what.startswith("objective"):
                key = (str(change.after.get("objective")), what)
                if key in objectives:
                    continue
                objectives.add(key)
            yield replan(change, change.id, what, old, new)
    for gone, new in renamed:
        assert gone.before is not None and new.after is not None
        yield replan(new, new.id, "renamed", gone.id, new.id)
        for what, old, value in _moves(gone.before, new.after):
            if not what.startswith("objective"):
                yield replan(new, new.id, what, old, value)
    paired = {id(gone) for gone, _ in renamed}
    for change in removed:
        if id(change) not in paired:
            yield replan(change, change.id, "removed", None, None)


def _renames(removed: list[Change], added: list[Change]) -> list[tuple[Change, Change]]:
    """Removed key results paired with those added in the same commit under the same
    objective: by title, else the only one removed with the only one added there."""
    pairs: list[tuple[Change, Change]] = []
    free = list(added)

    def objective(change: Change) -> Any:
        return (change.before or change.after or {}).get("objective")

    for gone in removed:
        assert gone.before is not None
        same = [c for c in free if objective(c) == objective(gone)]
        title = gone.before.get("title")
        match = next((c for c in same if (c.after or {}).get("title") == title), None)
        alone = sum(objective(r) == objective(gone) for r in removed) == 1
        if match is None and len(same) == 1 and alone:
            match = same[0]
        if match is not None:
            pairs.append((gone, match))
            free.remove(match)
    return pairs


def _moves(before: State, after: State) -> Iterator[tuple[str, Any, Any]]:
    """What changed in the plan between two versions of one key result."""
    for key in TARGET_KEYS:
        if before.get(key) != after.get(key):
            yield key, before.get(key), after.get(key)
    if _kind_keys(before) != _kind_keys(after):  # a check-in keeps them: most changes
        old_kind, new_kind = _kind(before), _kind(after)
        if old_kind != new_kind:
            yield "kind", old_kind, new_kind
    if before.get("weight", 1) != after.get("weight", 1):
        yield "weight", before.get("weight", 1), after.get("weight", 1)
    if after.get("status") == DROPPED != before.get("status"):
        yield DROPPED, before.get("status"), DROPPED
    was, now = before.get(OBJECTIVE_PLAN) or {}, after.get(OBJECTIVE_PLAN) or {}
    if before.get("objective") != after.get("objective"):
        return  # moved to another objective: its plan is another one's
    if (was.get("type") or "aspirational") != (now.get("type") or "aspirational"):
        yield "objective type", was.get("type") or "aspirational", now.get("type") or "aspirational"
    old_weight, new_weight = _weight(was), _weight(now)
    if old_weight != new_weight:
        yield "objective weight", old_weight, new_weight
    if now.get("status") == DROPPED != was.get("status"):
        yield "objective dropped", was.get("status"), DROPPED


def _weight(plan: dict[str, Any]) -> Any:
    weight = plan.get("weight")
    return 1 if weight is None else weight


_KIND_KEYS = ("start", "target", "done", "milestones", "above", "below")


def _kind_keys(state: State) -> tuple[bool, ...]:
    """Which of the keys that make a key result's kind it has: its kind follows from them."""
    return (*(state.get(k) is not None for k in _KIND_KEYS), bool(state.get("rollup")))


def _kind(state: State) -> str | None:
    from okrcli.model import KeyResult

    try:
        kind: str | None = KeyResult.model_construct(**own_keys(state)).kind()
    except (TypeError, AttributeError):
        return None
    return kind


@dataclass(frozen=True)
class Locked:
    """A replan made after its cycle's plan locked, and where it is reported."""

    replan: Replan
    node: Node  # the key result, else its objective, else the file's first objective
    cycle: Cycle
    lock: date

    @property
    def item(self) -> str:
        return item_of(self.replan)

    def said(self) -> str:
        """What changed, as said of the item: `removed from GROW-1`, `type … → …`."""
        if self.replan.what == "removed":
            return f"removed from {self.replan.objective}"
        return self.replan.describe().removeprefix("objective ")


def after_lock(found: Iterable[Replan], graph: Graph, config: Config) -> list[Locked]:
    """The replans in `found` made on or after the day their cycle's plan locked, each with
    the item of today's files it belongs to (replans of items with no trace left are not
    placed, so not returned)."""
    locked = []
    for replan in found:
        place = _place(graph, replan)
        if place is None:
            continue
        lock = config.lock_day(place[1])
        if replan.when.date() >= lock:
            locked.append(Locked(replan, *place, lock))
    return locked


def _place(graph: Graph, replan: Replan) -> tuple[Node, Cycle] | None:
    from okrcli.graph import KeyResultNode, ObjectiveNode

    node = placed_at(
        replan,
        graph.by_id.get,
        lambda found: isinstance(found, KeyResultNode),
        lambda path: next((o for o in graph.objectives if o.file.rel == path), None),
    )
    if isinstance(node, KeyResultNode):
        cycle = node.objective.cycle
    elif isinstance(node, ObjectiveNode):
        cycle = node.cycle
    else:
        return None
    return None if cycle is None else (node, cycle)


def placed_at(
    replan: Replan,
    by_id: Callable[[str], T | None],
    is_key_result: Callable[[T], bool],
    first_objective: Callable[[str], T | None],
) -> T | None:
    """Where a replan is reported: at its key result, else at its objective, else at the
    first objective of the file it was made in; None when none of them is left. Asked of
    the graph's nodes, or of an index of ids (okrcli.incremental)."""
    own = replan.what.startswith("objective") or replan.what == "removed"
    node = None if own else by_id(replan.id)
    if node is not None and is_key_result(node):
        return node
    holder = by_id(replan.objective)
    if holder is None or is_key_result(holder):
        return first_objective(replan.path)
    return holder


def item_of(replan: Replan) -> str:
    """The item replanned: the objective for its own changes, else the key result."""
    return replan.objective if replan.what.startswith("objective") else replan.id
