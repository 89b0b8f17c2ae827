"""Words every `okr diff` format shares: how a move and a score change read."""

from __future__ import annotations

from okrcli.history.diff import Item, Moved
from okrcli.render.log_text import shown

SECTIONS = (
    ("renamed", "Renamed"),
    ("retargeted", "Re-targeted"),
    ("changed", "Changed"),
    ("reparented", "Re-parented"),
    ("checkins", "Checked in"),
)
REPLANS = "Replans (after the plan lock, each needs an `OKR-Replan: <reason>` commit trailer)"


def replan_text(move: Moved) -> str:
    """`removed`, `renamed from GROW-1.2`, `target 2 → 4`, `type committed → aspirational`."""
    if move.what == "removed":
        return "removed"
    if move.what == "id":
        return f"renamed from {move.old}"
    return move_text(move)


def added_text(item: Item) -> str:
    """An added item's title, and a key result's target."""
    return f"{item.title} ({item.plan})" if item.plan else item.title


def move_text(move: Moved) -> str:
    """`target 99.5 → 98`, `parent ENG-1 → ENG-2`, `420 → 400`."""
    label = "" if move.what == "value" else f"{move.what} "
    return f"{label}{shown(move.old)} → {shown(move.new)}"


def delta(move: Moved) -> str:
    old, new = move.old, move.new
    if old is None or new is None:
        return ""
    return f"{new - old:+.3f}"


def score_move(move: Moved) -> str:
    """Three decimals, as in JSON: a change this small is still a change."""
    old, new = (("—" if s is None else f"{s:.3f}") for s in (move.old, move.new))
    return f"{old} → {new}"
