"""Initiatives (the work meant to move a key result; tracked, never scored) in `okr score`'s
JSON, tree and markdown, one helper per shape, shared by those renderers."""

from __future__ import annotations

from typing import Any

from okrcli.messages import printable


def as_json(model: Any) -> list[dict[str, Any]]:
    """An objective's or key result's initiatives, for `okr score --format json`."""
    return [
        {"title": i.title, "owner": i.owner, "status": i.status, "link": i.link}
        for i in model.initiatives
    ]


def line(initiative: Any) -> str:
    """`initiative: Blue-green deploys (doing, carol)`, safe for a terminal."""
    owner = f", {printable(initiative.owner)}" if initiative.owner else ""
    return f"initiative: {printable(initiative.title)} ({initiative.status}{owner})"
