"""`okr diff --format json`: one object, `"version": 1`."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from okrcli.history.diff import Moved, OkrDiff
from okrcli.render.jsonout import dumps
from okrcli.score import rounded


def _move(move: Moved) -> dict[str, Any]:
    item = move.item
    found = {"id": item.id, "kind": item.kind, "path": item.path, "line": item.line,
             "what": move.what, "old": move.old, "new": move.new}  # fmt: skip
    if move.what == "score":
        found["old"], found["new"] = rounded(move.old), rounded(move.new)
    return found


def render(diff: OkrDiff) -> str:
    return dumps(
        {
            "version": 1,
            "base": diff.base,
            "head": diff.head,
            "at": diff.today.isoformat(),
            "added": [asdict(i) for i in diff.added],
            "removed": [asdict(i) for i in diff.removed],
            "retargeted": [_move(m) for m in diff.retargeted],
            "reparented": [_move(m) for m in diff.reparented],
            "checkins": [_move(m) for m in diff.checkins],
            "scores": [_move(m) for m in diff.scores],
            "renamed": [_move(m) for m in diff.renamed],
            "changed": [_move(m) for m in diff.changed],
            "replans": [_move(m) for m in diff.replans],
        }
    )
