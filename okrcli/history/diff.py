"""What a change does to the OKRs: items added, removed, re-targeted, re-parented, values
checked in, and how every score moved (both sides scored as of the same day)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

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

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.retargeted or self.reparented
                    or self.checkins or self.scores)  # fmt: skip


def _item(node: Node) -> Item:
    kind = "objective" if isinstance(node, ObjectiveNode) else "key result"
    return Item(node.id, kind, node.title, node.file.rel, node.line)


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
    for ident, node in new.items():
        was = old.get(ident)
        if was is None or type(was) is not type(node):
            result.added.append(_item(node))
            continue
        item = _item(node)
        if _parent(was) != _parent(node):
            result.reparented.append(Moved(item, "parent", _parent(was), _parent(node)))
        if isinstance(node, KeyResultNode) and isinstance(was, KeyResultNode):
            for key in TARGET_KEYS:
                a, b = getattr(was.key_result, key), getattr(node.key_result, key)
                if a != b:
                    result.retargeted.append(Moved(item, key, a, b))
            if _value(was) != _value(node):
                result.checkins.append(Moved(item, "value", _value(was), _value(node)))
        a_score, b_score = before[ident].score, after[ident].score
        if rounded(a_score) != rounded(b_score):
            result.scores.append(Moved(item, "score", a_score, b_score))
    for ident, node in old.items():
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
