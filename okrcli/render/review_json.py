"""`okr review --format json`: one object, `"version": 1`; lists are null without history."""

from __future__ import annotations

from typing import Any

from okrcli.render.jsonout import dumps
from okrcli.review import Review
from okrcli.score import ItemScore, rounded


def _item(item: ItemScore) -> dict[str, Any]:
    return {"id": item.id, "title": item.node.title, "score": rounded(item.score)}


def _judged(item: ItemScore) -> dict[str, Any]:
    """An item of the final scores: its score, and the grade and computed score behind it."""
    return {
        **_item(item),
        "computed": rounded(item.computed),
        "grade": item.grade,
        "dropped": item.dropped,
    }


def document(review: Review) -> dict[str, Any]:
    cycle = review.cycle
    return {
        "version": 1,
        "cycle": {
            "name": cycle.name,
            "start": cycle.start.isoformat(),
            "end": cycle.end.isoformat(),
        },
        "at": review.today.isoformat(),
        "over": review.over,
        "sweet_spot": review.grading.aspirational,
        "objectives": [
            {
                **_judged(g.item),
                "team": g.item.node.file.doc.team,
                "type": g.item.node.model.type,
                "verdict": g.verdict,
                "key_results": [
                    {**_judged(kr), "kind": kr.kind, "status": kr.status} for kr in g.key_results
                ],
            }
            for g in review.objectives
        ],
        "committed_missed": [g.item.id for g in review.committed_missed],
        "aspirational": [
            {"id": g.item.id, "score": rounded(g.item.score), "verdict": g.verdict}
            for g in review.aspirational
        ],
        "early_full": None
        if review.early_full is None
        else [
            {**_item(e.item), "reached": e.reached.isoformat(), "days_left": e.days_left}
            for e in review.early_full
        ],
        "targets_moved": None
        if review.moved is None
        else [
            {
                "id": m.id,
                "date": m.day.isoformat(),
                "author": m.author,
                "field": m.what,
                "old": m.old,
                "new": m.new,
            }
            for m in review.moved
        ],
        "replans": None
        if review.replans is None
        else [
            {
                "id": r.item,
                "date": r.replan.when.date().isoformat(),
                "author": r.replan.author,
                "commit": r.replan.sha,
                "change": r.said(),
                "reason": r.replan.reason,
            }
            for r in review.replans
        ],
        "never_checked_in": None
        if review.never_checked_in is None
        else [_item(i) for i in review.never_checked_in],
        "grades_far_from_computed": [_judged(item) for item in review.disagreements],
        "dropped": [{**_item(item), "notes": item.node.model.notes} for item in review.dropped],
        "no_stretch": review.no_stretch,
        "learnings": [
            {
                "id": n.id,
                "title": n.title,
                "note": n.text,
                "date": n.day.isoformat() if n.day else None,
                "author": n.author,
            }
            for n in review.learnings
        ],
    }


def render(review: Review) -> str:
    return dumps(document(review))
