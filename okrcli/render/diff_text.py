"""`okr diff` as text: sections of added, removed, re-targeted, re-parented, scores."""

from __future__ import annotations

import sys
from typing import IO

from okrcli.history.diff import OkrDiff
from okrcli.messages import printable
from okrcli.render.console import wants_colour
from okrcli.render.diff_parts import (
    REPLANS,
    SECTIONS,
    added_text,
    delta,
    move_text,
    replan_text,
    score_move,
)


def lines(diff: OkrDiff) -> list[str]:
    out = [f"okr diff {diff.base} → {diff.head} (scores as of {diff.today})", ""]
    if diff.empty:
        return [*out, "No changes to objectives or key results."]
    moves = [*diff.retargeted, *diff.reparented, *diff.checkins, *diff.scores, *diff.renamed,
             *diff.changed]  # fmt: skip
    width = max(len(i.id) for i in [*diff.added, *diff.removed, *(m.item for m in moves)])
    for sign, title, items in (("+", "Added", diff.added), ("-", "Removed", diff.removed)):
        if items:
            out.append(f"{title} ({len(items)}):")
            out += [f"  {sign} {i.id.ljust(width)}  {i.kind:<10}  {printable(added_text(i))}"
                    for i in items]  # fmt: skip
    for attribute, title in SECTIONS:
        moves = getattr(diff, attribute)
        if moves:
            out.append(f"{title} ({len(moves)}):")
            out += [f"    {m.item.id.ljust(width)}  {move_text(m)}" for m in moves]
    if diff.replans:
        out.append(f"{REPLANS.replace('`', '')} ({len(diff.replans)}):")
        out += [f"  ! {m.item.id.ljust(width)}  {printable(replan_text(m))}" for m in diff.replans]
    if diff.scores:
        out.append(f"Scores ({len(diff.scores)}):")
        out += [f"    {m.item.id.ljust(width)}  {score_move(m)}  {delta(m)}".rstrip()
                for m in diff.scores]  # fmt: skip
    return out


def render(diff: OkrDiff, stream: IO[str] | None = None) -> None:
    stream = stream or sys.stdout
    text = "\n".join(lines(diff)) + "\n"
    if not wants_colour(stream):
        stream.write(text)
        return
    from rich.text import Text

    from okrcli.render.console import console

    styled = Text()
    for line in text.splitlines(keepends=True):
        style = "green" if line.startswith("  +") else "red" if line.startswith("  -") else ""
        styled.append(line, style="bold" if line[:1].isalpha() else style)
    console(stream).print(styled, end="")
