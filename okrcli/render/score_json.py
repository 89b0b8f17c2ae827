"""`okr score --format json`: one object, `"version": 1`, shaped as SPEC "JSON output"."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

from okrcli.graph import KeyResultNode, ObjectiveNode
from okrcli.render import initiatives
from okrcli.render import score_parts as parts
from okrcli.render.jsonout import compact, dumps, for_a_person
from okrcli.score import Scoreboard, Selection, rounded

if TYPE_CHECKING:
    from okrcli.repo import Repo


def _number(value: float | None) -> float | int | None:
    """A user's number back as they wrote it: 99.5 stays 99.5, 15.0 becomes 15."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def document(
    board: Scoreboard, selection: Selection, repo: Repo, objectives: bool = True
) -> dict[str, Any]:
    """The whole document; without `objectives`, its frame with an empty list."""
    shown = selection.shown_ids()
    return {
        "version": 1,
        "at": board.today.isoformat(),
        "revision": repo.revision,
        "cycles": [cycle.name for cycle in selection.cycles],
        "objectives": [_objective(board, o) for o in selection.objectives] if objectives else [],
        "skipped": [
            {"id": key, "reason": reason} for key, reason in board.skipped.items() if key in shown
        ],
        "unread": [s.problems[0].as_dict() for s in repo.files if s.doc is None and s.problems],
    }


def render(board: Scoreboard, selection: Selection, repo: Repo) -> str:
    return dumps(document(board, selection, repo))


def write(board: Scoreboard, selection: Selection, repo: Repo, out: IO[str]) -> None:
    """The document, piped one objective at a time: a 200k-key-result organisation's
    document is never held whole (it would cost as much memory again as the scores)."""
    if for_a_person():
        out.write(render(board, selection, repo) + "\n")
        return
    # In compact JSON this text can only be the key itself: inside a string `"` is escaped.
    before, after = compact(document(board, selection, repo, objectives=False)).split(
        '"objectives":[]', 1
    )
    out.write(before + '"objectives":[')
    for index, objective in enumerate(selection.objectives):
        out.write(("," if index else "") + compact(_objective(board, objective)))
    out.write("]" + after + "\n")


def _objective(board: Scoreboard, node: ObjectiveNode) -> dict[str, Any]:
    item = board[node]
    model = node.objective
    return {
        "id": node.id,
        "title": node.title,
        "team": node.team,
        "cycle": parts.cycle_name(node),
        "type": model.type,
        "parent": model.parent,
        "weight": _number(model.weight),
        "counts": item.counts,
        "owner": node.owner,
        "score": rounded(item.score),
        "computed": rounded(item.computed),
        "grade": item.grade,
        "dropped": item.dropped,
        "status": item.status,
        "manual_status": item.manual,
        "contributors": parts.part_statuses(board, node),
        "expected": rounded(item.expected),
        "gap": rounded(item.gap),
        "judgement": item.judgement,
        "confidence": _number(model.confidence),
        "path": node.file.rel,
        "line": node.line,
        "key_results": [_key_result(board, kr) for kr in node.key_results],
        "initiatives": initiatives.as_json(model),
        "children": [child.id for child in node.children],
    }


def _key_result(board: Scoreboard, node: KeyResultNode) -> dict[str, Any]:
    item = board[node]
    model = node.key_result
    found: dict[str, Any] = {
        "id": node.id,
        "title": node.title,
        "kind": item.kind,
        "weight": _number(model.weight),
        "owner": node.owner,
        "score": rounded(item.score),
        "raw": rounded(item.raw),
        "computed": rounded(item.computed),
        "grade": item.grade,
        "measured": item.measured,
        "dropped": item.dropped,
        "status": item.status,
        "manual_status": item.manual,
        "expected": rounded(item.expected),
        "confidence": _number(model.confidence),
    }
    if item.kind == "metric":
        current = model.start if model.current is None else model.current
        found |= {"start": _number(model.start), "target": _number(model.target),
                  "current": _number(current), "unit": model.unit}  # fmt: skip
    elif item.kind == "milestone":
        found["done"] = model.done
    elif item.kind == "checklist":
        found["milestones"] = [
            {"title": m.title, "done": m.done, "weight": _number(m.weight)}
            for m in model.milestones
        ]
    elif item.kind == "threshold":
        found |= {"above": _number(model.above), "below": _number(model.below),
                  "current": _number(model.current), "unit": model.unit}  # fmt: skip
    found["initiatives"] = initiatives.as_json(model)
    found["children"] = [child.id for child in node.children]
    found["line"] = node.line
    return found
