"""`okr score` as tables: one per team and cycle, objectives with their key results."""

from __future__ import annotations

import sys
from typing import IO, Any

from okrcli.graph import ObjectiveNode
from okrcli.render import score_parts as parts
from okrcli.render.console import console, wants_colour
from okrcli.score import ItemScore, Scoreboard, Selection

WIDE = 110  # from this many columns, also show values and owners


def render(board: Scoreboard, selection: Selection, stream: IO[str] | None = None) -> None:
    stream = stream or sys.stdout
    wide = not wants_colour(stream) or console(stream).width >= WIDE
    tables = [
        _table(board, f"{team} · {cycle}", objectives, wide)
        for cycle, team, objectives in parts.groups(selection)
    ]
    parts.show(board, selection, tables, stream)


def _table(board: Scoreboard, title: str, objectives: list[ObjectiveNode], wide: bool) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        padding=(0, 2, 0, 0),
        pad_edge=False,
    )
    table.add_column("ID", no_wrap=True)
    table.add_column("Title", min_width=16)
    if wide:
        table.add_column("Now → target", no_wrap=True)
    table.add_column("Progress", no_wrap=True)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Conf", justify="right", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    if wide:
        table.add_column("Owner", no_wrap=True)
    for objective in objectives:
        item = board[objective]
        table.add_row(*_cells(item, wide, objective=True), end_section=False)
        for kr in objective.key_results:
            table.add_row(*_cells(board[kr], wide))
        table.add_section()
    return table


def _cells(item: ItemScore, wide: bool, objective: bool = False) -> list[Any]:
    from rich.text import Text

    node = item.node
    colour = parts.grade(item.score)
    title = Text(node.title, style="bold" if objective else "", no_wrap=True, overflow="ellipsis")
    if node.model.weight == 0:
        title.append(" (weight 0)", style="dim")
    ident = Text(node.id if objective else f"  {node.id}", style="bold" if objective else "")
    cells: list[Any] = [ident, title]
    if wide:
        value = "" if objective else parts.value_text(item)
        if item.raw is not None and item.raw != item.score and not objective:
            value += f" (raw {item.raw:.2f})"
        cells.append(Text(value, style="dim" if objective else ""))
    cells += [
        Text(parts.bar(item.score), style=colour),
        Text(parts.score_text(item.score), style=colour + (" bold" if objective else "")),
        Text(parts.confidence_text(item)),
        Text(parts.status_text(item), style=parts.status_style(item)),
    ]
    if wide:
        cells.append(Text(getattr(node, "owner", None) or "", style="dim"))
    return cells
