"""`okr tree` and `okr score --format tree`: the alignment tree with a score on every node."""

from __future__ import annotations

import sys
from typing import IO, Any

from okrcli.graph import KeyResultNode, Node, ObjectiveNode
from okrcli.render import score_parts as parts
from okrcli.render.console import wants_colour
from okrcli.score import ItemScore, Scoreboard, Selection


def render(board: Scoreboard, selection: Selection, stream: IO[str] | None = None) -> None:
    from rich.tree import Tree

    stream = stream or sys.stdout
    colour = wants_colour(stream)
    top = selection.root
    starts: list[Node] = [top] if isinstance(top, KeyResultNode) else list(selection.roots())
    trees: list[Any] = []
    for start in starts:
        tree = Tree(_label(board[start], colour, selection, top=True), guide_style="dim")
        stack: list[tuple[Node, Any]] = [(start, tree)]
        while stack:
            node, branch = stack.pop()
            below: list[Node] = list(node.key_results) if isinstance(node, ObjectiveNode) else []
            below += [child for child in node.children if child in selection]
            added = [(n, branch.add(_label(board[n], colour, selection))) for n in below]
            stack.extend(reversed(added))
        trees.append(tree)
    parts.show(board, selection, trees, stream)


def _label(item: ItemScore, colour: bool, selection: Selection, top: bool = False) -> Any:
    """ID, title and, lined up on the right in a terminal, bar, score, confidence, status."""
    from rich.table import Table
    from rich.text import Text

    node = item.node
    is_objective = isinstance(node, ObjectiveNode)
    style = "bold" if is_objective else ""
    title = Text.assemble((node.id, style or "cyan"), " ", (node.title, style))
    if isinstance(node, ObjectiveNode):
        if node.cycle is not None and (top or len(selection.cycles) > 1):
            title.append(f"  {node.team} · {node.cycle.name}", style="dim")
        if top and node.parent is not None:
            title.append(f"  ↑ {node.parent.id}", style="dim")
    else:
        title.append(f"  {parts.value_text(item)}", style="dim")
    if not item.counts:
        title.append("  (not counted)", style="dim")
    grade = parts.grade(item.score)
    right = [
        Text(parts.bar(item.score), style=grade),
        Text(parts.score_text(item.score), style=grade + (" bold" if is_objective else "")),
        Text(f"c{parts.confidence_text(item)}" if item.confidence is not None else "", style="dim"),
        Text(parts.status_text(item), style=parts.status_style(item)),
    ]
    if not colour:
        return Text("  ").join([title, *(cell for cell in right if cell.plain)])
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(ratio=1)
    grid.add_column(no_wrap=True)
    grid.add_column(justify="right", no_wrap=True, width=4)
    grid.add_column(justify="right", no_wrap=True, width=3)
    grid.add_column(no_wrap=True, width=9)
    grid.add_row(title, *right)
    return grid
