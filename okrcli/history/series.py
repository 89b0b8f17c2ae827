"""Scores over time: each key result's from its own history, each objective's rolled up.

Objectives are scored with today's alignment (the graph as loaded) and the values each
key result had at every moment: the same weighted means as `okrcli.score`, updated along
the path from a changed key result to its roots, so a long history costs one short walk
up the tree per check-in rather than a whole rescoring.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from itertools import groupby
from typing import Any

from okrcli.graph import Graph, KeyResultNode, Node, upward
from okrcli.history.records import Change, State, own_keys
from okrcli.score import (
    Scoreboard,
    clamp,
    contributors,
    graded,
    key_result_raw,
    takes_children,
    weighted_mean,
)

Series = dict[str, list[tuple[datetime, float | None]]]


def state_score(state: State) -> float | None:
    """The score of a key result as one version of its file wrote it: the owner's grade
    where given (what rollups use), else the computed one."""
    from pydantic import ValidationError

    from okrcli.model import KeyResult

    try:
        model = KeyResult.model_validate(own_keys(state))
    except ValidationError:
        return None
    raw = key_result_raw(model)
    return graded(model, None if raw is None else clamp(raw))


def value_of(state: State | None) -> Any:
    """What a key result's value was: a number, done (true/false), or `k/n` for a checklist."""
    if state is None:
        return None
    items = state.get("milestones")
    if isinstance(items, list) and state.get("done") is None:
        ticked = sum(1 for m in items if isinstance(m, dict) and m.get("done") is True)
        return f"{ticked}/{len(items)}"
    if "done" in state:
        return state["done"]
    current = state.get("current")
    return state.get("start") if current is None and "target" in state else current


def score_series(changes: Iterable[Change], graph: Graph, board: Scoreboard) -> Series:
    """Score points per key result and objective id, oldest first: one per commit that
    changed it or what it rolls up (the score after the commit)."""
    ordered = sorted(changes, key=lambda c: c.commit.when)  # stable: a commit stays together
    tree = _Tree(board)
    scores = tree.scores
    first: dict[str, float | None] = {}
    for change in ordered:
        if change.after is not None and change.id not in first:
            first[change.id] = change.score
    began = []
    for ident, score in first.items():  # every key result as it began, before replaying
        node = graph.by_id.get(ident)
        if isinstance(node, KeyResultNode) and board.by_node[node].kind != "rollup":
            scores[node] = score
            began.append(node)
    tree.rescore_above(began)
    series: Series = {}
    for _, done in groupby(ordered, key=lambda c: id(c.commit)):  # commit by commit
        shown: dict[Node | str, float | None] = {}  # what moves, and scores of gone ids
        moved: list[KeyResultNode] = []
        for change in done:
            when = change.commit.when
            if change.after is None:
                continue
            node = graph.by_id.get(change.id)
            if not isinstance(node, KeyResultNode):  # not, or no longer, a key result
                shown[change.id] = change.score
                continue
            # A rollup has no value of its own: a change to it (its first commit, a new
            # title) is a point at what its children add up to then, not a gap.
            if board.by_node[node].kind != "rollup" and scores[node] != change.score:
                scores[node] = change.score
                moved.append(node)
            shown[node] = None
            shown.update(dict.fromkeys(tree.chain(node)))
        tree.rescore_above(moved)  # each node above them once, deepest first
        for key, gone in shown.items():
            if isinstance(key, str):
                series.setdefault(key, []).append((when, gone))
            else:
                series.setdefault(key.id, []).append((when, scores[key]))
    return series


class _Tree:
    """Scores as they stand during the replay, with what each node's score moves and is
    made of worked out once per node."""

    def __init__(self, board: Scoreboard) -> None:
        self.board = board
        self.scores: dict[Node, float | None] = {n: item.score for n, item in board.by_node.items()}
        self._chains: dict[Node, list[Node]] = {}
        self._parts: dict[Node, list[tuple[float, Node]]] = {}

    def chain(self, node: Node) -> list[Node]:
        """What `node`'s score moves, nearest first: up to a measured key result, which
        shows its children but is not moved by them."""
        found = self._chains.get(node)
        if found is not None:
            return found
        pending, tail = [node], []  # the key results of an objective share the walk from it
        while True:
            above = upward(pending[-1])
            if above is None or (isinstance(above, KeyResultNode) and not takes_children(above)):
                break
            if above in self._chains:
                tail = [above, *self._chains[above]]
                break
            pending.append(above)
        for step in reversed(pending):
            self._chains[step] = tail
            tail = [step, *tail]
        return self._chains[node]

    def mean(self, node: Node) -> float | None:
        parts = self._parts.get(node)
        if parts is None:
            counted = self.board.by_node
            parts = self._parts[node] = [
                (c.model.weight, c) for c in contributors(node) if counted[c].counts
            ]
        scores = self.scores
        return weighted_mean([(weight, scores[c]) for weight, c in parts])

    def rescore_above(self, nodes: list[KeyResultNode]) -> None:
        """What rolling each of `nodes` up in turn would leave, rescoring each node above
        them once, deepest first (its last rescore in turn saw every part below it final)."""
        if len(nodes) == 1:  # a check-in: its chain is already nearest, so deepest, first
            for above in self.chain(nodes[0]):
                self.scores[above] = self.mean(above)
            return
        depth: dict[Node, int] = {}
        for node in nodes:
            chain = self.chain(node)
            for n, above in enumerate(chain):
                depth[above] = max(depth.get(above, 0), len(chain) - n)
        for above in sorted(depth, key=depth.__getitem__, reverse=True):
            self.scores[above] = self.mean(above)
