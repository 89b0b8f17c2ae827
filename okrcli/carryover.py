"""`okr new --carry-over`: the unfinished key results of a team's closing cycle, as YAML to
append to the new cycle's file.

Each objective that still has unfinished key results comes along with them (and only them),
under fresh ids with the team's prefix; a metric starts where it stood, and every carried
item notes where it came from, so the new file reads on its own and the old one stays as
it was for the review.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from okrcli.yamltext import yaml_string

if TYPE_CHECKING:
    from okrcli.cycles import Cycle
    from okrcli.graph import Graph, KeyResultNode, Node, ObjectiveNode
    from okrcli.score import Scoreboard


def closing_objectives(graph: Graph, team: str, cycle: Cycle) -> list[ObjectiveNode]:
    """The team's objectives in the cycle it closes before `cycle`: of the cycles that end
    before `cycle` begins, the latest to end (the shortest one, when a year ends with it)."""
    earlier = [
        o
        for o in graph.objectives
        if o.team == team and o.cycle is not None and o.cycle.end < cycle.start
    ]
    if not earlier:
        return []
    last = max(earlier, key=lambda o: (o.cycle.end, -o.cycle.days) if o.cycle else ())
    return [o for o in earlier if o.cycle == last.cycle]


def unfinished(board: Scoreboard, objective: ObjectiveNode) -> list[KeyResultNode]:
    """Key results below a full score; rollups stay behind (their objectives carry on), and
    so do dropped ones (someone decided against them)."""
    return [
        kr
        for kr in objective.key_results
        if kr.kind not in (None, "rollup")
        and kr.key_result.status != "dropped"
        and (board[kr].score or 0.0) < 1.0
    ]


def carried_yaml(
    objective: ObjectiveNode, key_results: list[KeyResultNode], new_id: str, cycle: Cycle
) -> str:
    """One objective item of an `objectives:` list, holding the carried key results."""
    model = objective.objective
    old = objective.cycle.name if objective.cycle else str(objective.file.doc.cycle)
    lines = [
        f"  - id: {new_id}",
        f"    title: {yaml_string(model.title)}",
        f"    type: {model.type}",
    ]
    if model.owner:
        lines.append(f"    owner: {yaml_string(model.owner)}")
    parent = objective.parent
    if parent is not None and _holds(parent, cycle):
        lines.append(f"    parent: {parent.id}")
    lines.append(f"    notes: {yaml_string(f'Carried over from {objective.id} ({old}).')}")
    lines.append("    key_results:")
    for n, kr in enumerate(key_results, 1):
        lines.extend(_key_result(kr, f"{new_id}.{n}", old))
    return "\n".join(lines) + "\n"


def _holds(parent: Node, cycle: Cycle) -> bool:
    """Whether `parent` (an objective or key result) sits in a cycle holding `cycle`, so
    the carried objective may stay aligned to it (else OKR206)."""
    from okrcli.graph import KeyResultNode

    holder = parent.objective if isinstance(parent, KeyResultNode) else parent
    found = getattr(holder, "cycle", None)
    return found is not None and bool(found.contains(cycle))


def _key_result(kr: KeyResultNode, new_id: str, old_cycle: str) -> Iterator[str]:
    from okrcli.checkin import show

    model = kr.key_result
    pad = "        "
    yield f"      - id: {new_id}"
    yield f"{pad}title: {yaml_string(model.title)}"
    if model.owner:
        yield f"{pad}owner: {yaml_string(model.owner)}"
    if kr.kind == "metric":
        last = model.current if model.current is not None else model.start
        yield f"{pad}start: {show(last)}"
        yield f"{pad}target: {show(model.target)}"
        where = f", where it reached {show(last)} (target {show(model.target)})"
    elif kr.kind == "threshold":
        bound = "above" if model.above is not None else "below"
        yield f"{pad}{bound}: {show(getattr(model, bound))}"
        if model.current is not None:
            yield f"{pad}current: {show(model.current)}"
        where = ""
    elif kr.kind == "checklist":
        yield f"{pad}milestones:"
        for item in model.milestones or []:
            weight = "" if item.weight == 1 else f", weight: {show(item.weight)}"
            done = "true" if item.done else "false"
            yield f"{pad}  - {{title: {yaml_string(item.title)}, done: {done}{weight}}}"
        where = ""
    else:  # milestone
        yield f"{pad}done: false"
        where = ""
    if model.unit:
        yield f"{pad}unit: {yaml_string(model.unit)}"
    yield f"{pad}notes: {yaml_string(f'Carried over from {kr.id} ({old_cycle}){where}.')}"
