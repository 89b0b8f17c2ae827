"""`okr tree` and `okr score --format tree`: the alignment tree with a score on every node."""

from __future__ import annotations

import sys
from typing import IO, Any

from okrcli.graph import KeyResultNode, Node, ObjectiveNode
from okrcli.messages import printable
from okrcli.render import score_parts as parts
from okrcli.render.console import console, wants_colour
from okrcli.render.score_table import WIDE
from okrcli.score import ItemScore, Scoreboard, Selection

_GUIDE = 4  # columns each level of the tree indents by
_RIGHT = 34  # bar, score, confidence and status, with the gaps between them


def render(board: Scoreboard, selection: Selection, stream: IO[str] | None = None) -> None:
    """Objectives with their key results, and what aligns to each under it.

    In a terminal the scores line up on the right and titles end in … when they do not
    fit; from 110 columns, values, teams and cycles are shown too. Piped: one line per node.
    """
    from rich.tree import Tree

    stream = stream or sys.stdout
    colour = wants_colour(stream)
    width = console(stream).width if colour else parts.PLAIN_WIDTH
    wide = width >= WIDE
    top = selection.root
    starts: list[Node] = [top] if isinstance(top, KeyResultNode) else list(selection.roots())
    trees: list[Any] = []
    needed = 0
    for start in starts:
        title = _title(board[start], selection, wide, top=True)
        tree = Tree(_label(board[start], title, colour), guide_style="dim")
        needed = max(needed, title.cell_len)
        stack: list[tuple[Node, Any, int]] = [(start, tree, 1)]
        while stack:
            node, branch, depth = stack.pop()
            below: list[Node] = list(node.key_results) if isinstance(node, ObjectiveNode) else []
            below += [child for child in node.children if child in selection]
            added = []
            for child in below:
                title = _title(board[child], selection, wide)
                needed = max(needed, depth * _GUIDE + title.cell_len)
                added.append((child, branch.add(_label(board[child], title, colour)), depth + 1))
            stack.extend(reversed(added))
        trees.append(tree)
    parts.show(board, selection, trees, stream, width=min(width, needed + _RIGHT))


def _title(item: ItemScore, selection: Selection, wide: bool, top: bool = False) -> Any:
    """ID and title; when there is room, where it sits and what it stands at."""
    from rich.text import Text

    node = item.node
    style = "bold" if isinstance(node, ObjectiveNode) else ""
    title = Text.assemble((node.id, style or "cyan"), " ", (printable(node.title), style))
    title.no_wrap, title.overflow = True, "ellipsis"
    if not wide:
        return title
    if isinstance(node, ObjectiveNode):
        if top or len(selection.cycles) > 1:
            title.append(f"  {node.team} · {parts.cycle_name(node)}", style="dim")
        if top and node.parent is not None:
            title.append(f"  ↑ {node.parent.id}", style="dim")
    else:
        title.append(f"  {parts.value_text(item)}", style="dim")
    if not item.counts:
        title.append("  (not counted)", style="dim")
    return title


def _label(item: ItemScore, title: Any, colour: bool) -> Any:
    """The title, then bar, score, confidence and status (lined up on the right in colour)."""
    from rich.table import Table
    from rich.text import Text

    grade = parts.grade(item.score)
    bold = " bold" if isinstance(item.node, ObjectiveNode) else ""
    right = [
        Text(parts.bar(item.score), style=grade),
        Text(parts.score_text(item.score), style=grade + bold),
        Text(f"conf {parts.confidence_text(item)}" if item.confidence is not None else ""),
        Text(parts.status_text(item), style=parts.status_style(item)),
    ]
    if not colour:
        return Text("  ").join([title, *(cell for cell in right if cell.plain)])
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(ratio=1)
    for width, justify in ((10, "left"), (4, "right"), (7, "right"), (10, "left")):
        grid.add_column(justify=justify, no_wrap=True, width=width)  # type: ignore[arg-type]
    grid.add_row(title, *right)
    return grid
