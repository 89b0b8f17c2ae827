"""`okr sync --format json`: one object, `"version": 1`, a row per key result."""

from __future__ import annotations

from okrcli.render.jsonout import dumps
from okrcli.sync import Update


def render(updates: list[Update], dry_run: bool, commit: str | None) -> str:
    return dumps(
        {
            "version": 1,
            "dry_run": dry_run,
            "commit": commit,
            "key_results": [
                {
                    "id": u.kr.id,
                    "source": u.source,
                    "old": u.old,
                    "new": u.new,
                    "changed": u.changed,
                    "error": u.error,
                }
                for u in updates
            ],
        }
    )
