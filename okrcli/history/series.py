"""Scores over time: each key result's from its own history, each objective's rolled up.

Objectives are scored with today's alignment (the graph as loaded) and the values each
key result had at every moment: the same weighted means as `okrcli.score`, updated along
the path from a changed key result to its roots, so a long history costs one short walk
up the tree per check-in rather than a whole rescoring.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from okrcli.graph import Graph, KeyResultNode, Node, ObjectiveNode
from okrcli.history.records import Change, State
from okrcli.score import (
    Scoreboard,
    clamp,
    contributors,
    key_result_raw,
    takes_children,
    weighted_mean,
)

Series = dict[str, list[tuple[datetime, float | None]]]


def state_score(state: State) -> float | None:
    """The score of a key result as one version of its file wrote it."""
    from pydantic import ValidationError

    from okrcli.model import KeyResult

    try:
        model = KeyResult.model_validate({k: v for k, v in state.items() if k != "objective"})
    except ValidationError:
        return None
    raw = key_result_raw(model)
    return None if raw is None else clamp(raw)


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


def score_series(
    changes: Iterable[Change],
    graph: Graph,
    board: Scoreboard,
    score_of: Callable[[State], float | None] = state_score,
) -> Series:
    """Score points per key result and objective id, oldest first, one per change."""
    ordered = sorted(changes, key=lambda c: c.commit.when)
    scores: dict[Node, float | None] = {node: item.score for node, item in board.by_node.items()}
    first: dict[str, float | None] = {}
    for change in ordered:
        if change.after is not None and change.id not in first:
            first[change.id] = score_of(change.after)
    for ident, score in first.items():  # every key result as it began, before replaying
        node = graph.by_id.get(ident)
        if isinstance(node, KeyResultNode) and board.by_node[node].kind != "rollup":
            scores[node] = score
            _roll_up(node, scores, board, None, None)
    series: Series = {}
    for change in ordered:
        if change.after is None:
            continue
        node = graph.by_id.get(change.id)
        if isinstance(node, KeyResultNode) and board.by_node[node].kind == "rollup":
            # No value of its own: a change to it (its first commit, a new title) is a
            # point at what its children add up to then, not a gap.
            series.setdefault(change.id, []).append((change.commit.when, scores[node]))
            continue
        score = score_of(change.after)
        series.setdefault(change.id, []).append((change.commit.when, score))
        if isinstance(node, KeyResultNode):
            scores[node] = score
            _roll_up(node, scores, board, series, change.commit.when)
    return series


def _roll_up(
    node: Node,
    scores: dict[Node, float | None],
    board: Scoreboard,
    series: Series | None,
    when: datetime | None,
) -> None:
    """Rescore everything above `node` that its score moves, recording their points."""
    above = _up(node)
    while above is not None:
        if isinstance(above, KeyResultNode) and not takes_children(above):
            return  # a measured key result shows its children but is not moved by them
        parts = [c for c in contributors(above) if board.by_node[c].counts]
        scores[above] = weighted_mean((c.model.weight, scores[c]) for c in parts)
        if series is not None and when is not None:
            series.setdefault(above.id, []).append((when, scores[above]))
        above = _up(above)


def _up(node: Node) -> Node | None:
    """What `node` counts towards: a key result's objective, an objective's parent."""
    if isinstance(node, KeyResultNode):
        return node.parent_objective
    assert isinstance(node, ObjectiveNode)
    return node.parent
