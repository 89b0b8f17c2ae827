"""The spreadsheet round trip, export side: one CSV row per key result.

The columns are what a planning sheet holds; a few more carry what scoring and syncing need
and a sheet has no better place for (objective weight and owner, manual status, grade, a
checklist, due dates and plan waypoints, initiatives, the source).
An objective without key results is a row of its own with the key-result cells empty.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from okrcli.graph import KeyResultNode, ObjectiveNode
from okrcli.repo import Repo

COLUMNS = (
    "team",
    "cycle",
    "objective id",
    "objective title",
    "type",
    "parent",
    "owner",
    "key result id",
    "title",
    "kind",
    "start",
    "target",
    "current",
    "unit",
    "above",
    "below",
    "done",
    "confidence",
    "weight",
    "notes",
    "status",
    "grade",
    "due",
    "plan",
    "milestones",
    "initiatives",
    "source",
    "objective owner",
    "objective weight",
    "objective status",
    "objective confidence",
    "objective grade",
    "objective notes",
    "objective initiatives",
)
# A cell a spreadsheet would run as a formula starts with one of these; export puts a `'`
# before it (what spreadsheets themselves do), import takes it off.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TEXT = {"objective title", "title", "notes", "objective notes", "owner", "objective owner",
         "unit", "milestones", "initiatives", "objective initiatives", "source"}  # fmt: skip


def export_csv(repo: Repo, cycle: str | None = None) -> str:
    """Every objective (of `cycle`, or all) in file order, as CSV text with a header row;
    a cycle no objective is in is an error, as `okr score --cycle` makes it."""
    if cycle is not None:
        from okrcli.score import not_found

        known = sorted({str(o.file.doc.cycle) for o in repo.graph.objectives})
        if cycle not in known:
            raise not_found("cycle", cycle, known)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for objective in repo.graph.objectives:
        if cycle is None or str(objective.file.doc.cycle) == cycle:
            for row in _rows(objective):
                writer.writerow(_safe(column, row.get(column)) for column in COLUMNS)
    return out.getvalue()


def _rows(objective: ObjectiveNode) -> Iterator[dict[str, Any]]:
    model = objective.objective
    common = {
        "team": objective.team,
        "cycle": objective.file.doc.cycle,
        "objective id": objective.id,
        "objective title": model.title,
        "type": model.type,
        "parent": model.parent,
        "objective owner": objective.owner,
        "objective weight": model.weight,
        "objective status": model.status,
        "objective confidence": model.confidence,
        "objective grade": model.grade,
        "objective notes": model.notes,
        "objective initiatives": initiatives_text(model.initiatives),
    }
    if not objective.key_results:
        yield common
    for kr in objective.key_results:
        yield common | _key_result(kr)


def _key_result(kr: KeyResultNode) -> dict[str, Any]:
    model = kr.key_result
    row = {
        "owner": kr.owner,
        "key result id": kr.id,
        "title": model.title,
        "kind": kr.kind,
        "confidence": model.confidence,
        "weight": model.weight,
        "notes": model.notes,
        "status": model.status,
        "grade": model.grade,
        "due": model.due,
        "initiatives": initiatives_text(model.initiatives),
    }
    for key in ("start", "target", "current", "unit", "above", "below", "done"):
        row[key] = getattr(model, key)
    if model.milestones is not None:
        row["milestones"] = "\n".join(milestone_text(m) for m in model.milestones)
    if model.plan is not None:
        row["plan"] = "; ".join(f"{day}: {_plain(value)}" for day, value in model.plan.items())
    ref = model.source_ref()
    if ref is not None:
        row["source"] = ref.name if not ref.args else json.dumps(ref.model_dump())
    return row


def milestone_text(milestone: Any) -> str:
    """`[x] title`, then `(weight 2, due 2026-11-30)` with what it has: one line of the cell."""
    extra = [f"weight {_plain(milestone.weight)}"] if milestone.weight != 1 else []
    extra += [f"due {milestone.due}"] if milestone.due is not None else []
    suffix = f" ({', '.join(extra)})" if extra else ""
    return f"[{'x' if milestone.done else ' '}] {milestone.title}{suffix}"


def initiatives_text(initiatives: list[Any]) -> str | None:
    """`[doing] title (owner: ana) <https://…>`, one initiative a line of the cell."""
    lines = []
    for item in initiatives:
        owner = f" (owner: {item.owner})" if item.owner else ""
        link = f" <{item.link}>" if item.link else ""
        lines.append(f"[{item.status}] {item.title}{owner}{link}")
    return "\n".join(lines) or None


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _safe(column: str, value: Any) -> str:
    text = _plain(value)
    if column in _TEXT and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
