"""`okr score` as tables: one per team and cycle, objectives with their key results."""

from __future__ import annotations

import sys
from typing import IO, Any

from okrcli.graph import ObjectiveNode
from okrcli.messages import printable
from okrcli.render import score_parts as parts
from okrcli.render.console import console, wants_colour
from okrcli.score import ItemScore, Scoreboard, Selection

WIDE = 110  # from this many columns, also show values and owners


def render(board: Scoreboard, selection: Selection, stream: IO[str] | None = None) -> None:
    stream = stream or sys.stdout
    width = console(stream).width if wants_colour(stream) else parts.PLAIN_WIDTH
    wide = width >= WIDE
    groups = [
        (f"{printable(team)} · {printable(cycle)}", [_rows(board, o, wide) for o in objectives])
        for cycle, team, objectives in parts.groups(selection)
    ]
    columns = _COLUMNS if wide else [c for c in _COLUMNS if c[0] not in _WIDE_ONLY]
    widths = [len(name) for name, _ in columns]
    for _, blocks in groups:
        for rows in blocks:
            for row in rows:
                widths = [max(w, cell.cell_len) for w, cell in zip(widths, row, strict=True)]
    title = columns.index(("Title", "left"))
    others = sum(widths) - widths[title] + 2 * len(columns)  # a pad and a rule per column
    widths[title] = max(16, min(widths[title], width - others))
    tables = [_table(name, blocks, columns, widths) for name, blocks in groups]
    parts.show(board, selection, tables, stream)


_COLUMNS = [  # name, justify
    ("ID", "left"),
    ("Title", "left"),
    ("Now → target", "left"),
    ("Progress", "left"),
    ("Score", "right"),
    ("Conf", "right"),
    ("Status", "left"),
    ("Owner", "left"),
]
_WIDE_ONLY = {"Now → target", "Owner"}


def _table(title: str, blocks: list[list[list[Any]]], columns: list[Any], widths: list[int]) -> Any:
    """One team's table. All get the same column widths, so they line up; only titles give
    way to a narrow terminal (they end in … when cut)."""
    from rich import box
    from rich.table import Table

    table = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        padding=(0, 1, 0, 0),
        pad_edge=False,
    )
    for (name, justify), width in zip(columns, widths, strict=True):
        table.add_column(name, justify=justify, no_wrap=True, width=width)
    for rows in blocks:
        for row in rows:
            table.add_row(*row)
        table.add_section()
    return table


def _rows(board: Scoreboard, objective: ObjectiveNode, wide: bool) -> list[list[Any]]:
    """The objective's row, then one row per key result."""
    return [_cells(board, board[objective], wide, objective=True)] + [
        _cells(board, board[kr], wide) for kr in objective.key_results
    ]


def _cells(board: Scoreboard, item: ItemScore, wide: bool, objective: bool = False) -> list[Any]:
    from rich.text import Text

    node = item.node
    colour = parts.score_style(item, board)
    style = ("bold" if objective else "") + (" strike" if item.dropped else "")
    title = Text(printable(node.title), style=style, no_wrap=True, overflow="ellipsis")
    if node.model.weight == 0:
        title.append(" (weight 0)", style="dim")
    if item.dropped:
        title.append(f" ({printable(parts.dropped_note(item))})", style="dim")
    elif objective and (behind := parts.behind_text(board, node)):
        title.append(f" ({behind})", style="dim")
    ident = Text(node.id if objective else f"  {node.id}", style="bold" if objective else "")
    cells: list[Any] = [ident, title]
    if wide:
        value = "" if objective else parts.value_text(item)
        if item.raw is not None and item.raw != item.score and not objective:
            value += f" (raw {item.raw:.2f})"
        cells.append(Text(value, style="dim" if objective else ""))
    cells += [
        Text(parts.bar(item.score), style=colour),
        Text(parts.graded_text(item), style=colour + (" bold" if objective else "")),
        Text(parts.confidence_text(item)),
        Text(parts.status_text(item), style=parts.status_style(item)),
    ]
    if wide:
        cells.append(Text(printable(getattr(node, "owner", None) or ""), style="dim"))
    return cells
