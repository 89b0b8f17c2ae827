"""`okr log --format json`: one object, `"version": 1`, check-ins newest first."""

from __future__ import annotations

import json
from datetime import datetime

from okrcli.history.log import Log, Row
from okrcli.history.replan import Replan
from okrcli.score import rounded


def _row(row: Row) -> dict[str, object]:
    change = row.change
    return {
        "date": change.commit.when.isoformat(),
        "commit": change.commit.sha,
        "author": change.commit.author,
        "email": change.commit.email,
        "id": change.id,
        "path": change.path,
        "old": row.old if change.before is not None else None,
        "new": row.new,
        "score": rounded(row.score),
        "confidence": change.confidence,
        "note": change.note,
    }


def _replan(replan: Replan) -> dict[str, object]:
    return {
        "date": replan.when.isoformat(),
        "commit": replan.sha,
        "author": replan.author,
        "id": replan.id,
        "objective": replan.objective,
        "path": replan.path,
        "what": replan.what,
        "old": replan.old,
        "new": replan.new,
        "reason": replan.reason,
    }


def render(log: Log) -> str:
    dates: dict[datetime, str] = {}  # a commit's date appears in every series it moved

    def shown(when: datetime) -> str:
        text = dates.get(when)
        if text is None:
            text = dates[when] = when.isoformat()
        return text

    return json.dumps(
        {
            "version": 1,
            "id": log.ident,
            "since": None if log.since is None else log.since.isoformat(),
            "checkins": [_row(r) for r in log.rows],
            "replans": [_replan(r) for r in log.replans],
            "series": {
                ident: [{"date": shown(when), "score": rounded(s)} for when, s in points]
                for ident, points in log.series.items()
            },
        },
        ensure_ascii=False,  # one line, unindented: a long history is megabytes of it
    )
