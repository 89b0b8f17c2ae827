"""Words every `okr diff` format shares: how a move and a score change read."""

from __future__ import annotations

from okrcli.history.diff import Moved
from okrcli.render.log_text import shown

SECTIONS = (
    ("retargeted", "Re-targeted"),
    ("reparented", "Re-parented"),
    ("checkins", "Checked in"),
)


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
