"""What a change does to the OKRs: items added, removed, re-targeted, re-parented, values
checked in, and how every score moved (both sides scored as of the same day)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from okrcli.checkin import show
from okrcli.graph import KeyResultNode, Node, ObjectiveNode
from okrcli.history.records import TARGET_KEYS
from okrcli.history.series import value_of

if TYPE_CHECKING:
    from okrcli.repo import Repo


@dataclass(frozen=True)
class Item:
    """An objective or key result on one side, where it is written."""

    id: str
    kind: str  # "objective" | "key result"
    title: str
    path: str
    line: int
    plan: str = ""  # an added key result's target: `target 110 %`, `below 1`, `milestone`


@dataclass(frozen=True)
class Moved:
    """`what` of `item` went from `old` to `new` (a target, a parent, a value, a score)."""

    item: Item
    what: str
    old: Any
    new: Any


@dataclass
class OkrDiff:
    base: str
    head: str
    today: date
    added: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)
    retargeted: list[Moved] = field(default_factory=list)
    reparented: list[Moved] = field(default_factory=list)
    checkins: list[Moved] = field(default_factory=list)
    scores: list[Moved] = field(default_factory=list)
    renamed: list[Moved] = field(default_factory=list)  # what "id": found by title and place
    changed: list[Moved] = field(default_factory=list)  # type, weight, owner, kind, status

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.retargeted or self.reparented
                    or self.checkins or self.scores or self.renamed or self.changed)  # fmt: skip

    @property
    def replans(self) -> list[Moved]:
        """What would be a replan after the plan lock (SPEC §3): items removed (what
        "removed") or renamed, targets, kinds, types and weights changed, items dropped."""
        gone = [Moved(item, "removed", None, None) for item in self.removed]
        changed = [m for m in self.changed if m.what in REPLANNED or m.new == "dropped"]
        return [*gone, *self.renamed, *self.retargeted, *changed]


REPLANNED = ("kind", "type", "weight")
_CHANGED = ("type", "weight", "owner", "status")


def _item(node: Node) -> Item:
    kind = "objective" if isinstance(node, ObjectiveNode) else "key result"
    return Item(node.id, kind, node.title, node.file.rel, node.line)


def _added(node: Node) -> Item:
    """An added item, with a key result's target: a new promise is read with its bar."""
    item = _item(node)
    if not isinstance(node, KeyResultNode):
        return item
    model = node.key_result
    unit = f" {model.unit}" if model.unit else ""
    keys = [f"{k} {show(getattr(model, k))}{unit}" for k in ("target", "above", "below")
            if getattr(model, k) is not None]  # fmt: skip
    plan = ", ".join(keys) or (node.kind or "")
    return Item(item.id, item.kind, item.title, item.path, item.line, plan)


def _renames(old: dict[str, Node], new: dict[str, Node]) -> dict[str, str]:
    """Old id → new id of key results given a new id: the same title in the same objective,
    else the only one gone from an objective and the only one new in it, at the same place."""
    gone = [n for i, n in old.items() if isinstance(n, KeyResultNode) and i not in new]
    came = [n for i, n in new.items() if isinstance(n, KeyResultNode) and i not in old]
    pairs: dict[str, str] = {}
    for was in gone:
        assert isinstance(was, KeyResultNode)
        same = [n for n in came if _parent(n) == was.objective.id and n.id not in pairs.values()]
        match = next((n for n in same if n.title == was.title), None)
        alone = [g for g in gone if _parent(g) == _parent(was)] == [was]
        if match is None and alone and len(same) == 1:
            place = was.objective.key_results.index(was)
            holder = same[0]
            assert isinstance(holder, KeyResultNode)
            if holder.objective.key_results.index(holder) == place:
                match = holder
        if match is not None:
            pairs[was.id] = match.id
    return pairs


def _changes(was: Node, node: Node, item: Item) -> list[Moved]:
    """Type, weight, owner, status and kind: the plan's other terms."""
    found = []
    for key in _CHANGED:
        a, b = getattr(was.model, key, None), getattr(node.model, key, None)
        if a != b:
            found.append(Moved(item, key, a, b))
    if isinstance(was, KeyResultNode) and isinstance(node, KeyResultNode) and was.kind != node.kind:
        found.append(Moved(item, "kind", was.kind, node.kind))
    return found


def _parent(node: Node) -> str | None:
    if isinstance(node, KeyResultNode):
        return node.objective.id
    assert isinstance(node, ObjectiveNode)
    return node.objective.parent  # type: ignore[no-any-return]


def _value(node: KeyResultNode) -> Any:
    return value_of(node.key_result.model_dump(exclude_none=True))


def diff_repos(base: Repo, head: Repo, base_label: str, head_label: str, today: date) -> OkrDiff:
    """Compare two loads of the repository, scoring both as of `today`."""
    from okrcli.score import rounded, score_graph

    result = OkrDiff(base_label, head_label, today)
    old, new = base.graph.by_id, head.graph.by_id
    before = score_graph(base.graph, today, base.config).by_id
    after = score_graph(head.graph, today, head.config).by_id
    renamed = _renames(old, new)
    formerly = {b: a for a, b in renamed.items()}
    for ident, node in new.items():
        was = old.get(formerly.get(ident, ident))
        if was is None or type(was) is not type(node):
            result.added.append(_added(node))
            continue
        item = _item(node)
        if ident in formerly:
            result.renamed.append(Moved(item, "id", formerly[ident], ident))
        result.changed += _changes(was, node, item)
        if _parent(was) != _parent(node):
            result.reparented.append(Moved(item, "parent", _parent(was), _parent(node)))
        if isinstance(node, KeyResultNode) and isinstance(was, KeyResultNode):
            for key in TARGET_KEYS:
                a, b = getattr(was.key_result, key), getattr(node.key_result, key)
                if a != b:
                    result.retargeted.append(Moved(item, key, a, b))
            if _value(was) != _value(node):
                result.checkins.append(Moved(item, "value", _value(was), _value(node)))
        a_score, b_score = before[was.id].score, after[ident].score
        if rounded(a_score) != rounded(b_score):
            result.scores.append(Moved(item, "score", a_score, b_score))
    for ident, node in old.items():
        if ident in renamed:
            continue
        if ident not in new or type(new[ident]) is not type(node):
            result.removed.append(_item(node))
    return result


def default_base(root: Path) -> tuple[str, str]:
    """The merge base of HEAD with the default branch, and how to call it."""
    from okrcli import git
    from okrcli.errors import OkrError

    git.require_history(root)
    branch = git.default_branch(root)
    if branch is None:
        raise OkrError(
            "no default branch to compare with (origin/HEAD, main or master): name a BASE"
        )
    sha = git.merge_base(root, branch, "HEAD")
    return sha, f"{branch} (merge base {sha[:10]})"
