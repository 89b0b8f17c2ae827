"""`okr remind --format json`: one object, `"version": 1`, an entry per owner."""

from __future__ import annotations

from datetime import date
from typing import Any

from okrcli.remind import Digest, Reminder
from okrcli.render.jsonout import dumps
from okrcli.score import rounded


def _reminder(reminder: Reminder) -> dict[str, Any]:
    kr, item = reminder.kr, reminder.item
    return {
        "id": kr.id,
        "title": kr.title,
        "team": kr.objective.team,
        "cycle": kr.objective.cycle.name if kr.objective.cycle else None,
        "path": kr.file.rel,
        "line": kr.line,
        "reasons": reminder.reasons,
        "status": item.status,
        "score": rounded(item.score),
        "expected": rounded(item.expected),
        "days_without_checkin": reminder.stale_days,
        "last_change": reminder.last_change.isoformat() if reminder.last_change else None,
        "command": reminder.command,
    }


def render(digests: list[Digest], today: date) -> str:
    return dumps(
        {
            "version": 1,
            "at": today.isoformat(),
            "owners": [
                {
                    "owner": digest.owner,
                    "handle": digest.handle,
                    "key_results": [_reminder(r) for r in digest.reminders],
                }
                for digest in digests
            ],
        }
    )
