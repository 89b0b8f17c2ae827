"""`okr tree` and `okr score --format tree`: the alignment tree with a score on every node."""

from __future__ import annotations

import sys
from typing import IO, Any

from okrcli.graph import KeyResultNode, Node, ObjectiveNode
from okrcli.messages import printable
from okrcli.render import initiatives
from okrcli.render import score_parts as parts
from okrcli.render.console import console, wants_colour
from okrcli.render.score_table import WIDE
from okrcli.score import ItemScore, Scoreboard, Selection

_GUIDE = 4  # columns each level of the tree indents by
_RIGHT = 39  # bar, score, confidence and status, with the gaps between them


def render(board: Scoreboard, selection: Selection, stream: IO[str] | None = None) -> None:
    """Objectives with their key results, and what aligns to each under it.

    In a terminal the scores line up on the right and titles end in … when they do not
    fit; from 110 columns, values, teams and cycles are shown too. Piped: one line per node,
    written as it is made (the lines rich would print, without building the whole tree).
    """
    stream = stream or sys.stdout
    top = selection.root
    starts: list[Node] = [top] if isinstance(top, KeyResultNode) else list(selection.roots())
    if not wants_colour(stream):
        _write_plain(board, selection, starts, stream)
        return
    from rich.tree import Tree

    width = console(stream).width
    wide = width >= WIDE
    trees: list[Any] = []
    needed = 0
    for start in starts:
        title = _title(board, board[start], selection, wide, top=True)
        tree = Tree(_label(board, board[start], title), guide_style="dim")
        _add_initiatives(tree, start)
        needed = max(needed, title.cell_len)
        stack: list[tuple[Node, Any, int]] = [(start, tree, 1)]
        while stack:
            node, branch, depth = stack.pop()
            added = []
            for child in _below(node, selection):
                title = _title(board, board[child], selection, wide)
                needed = max(needed, depth * _GUIDE + title.cell_len)
                child_branch = branch.add(_label(board, board[child], title))
                _add_initiatives(child_branch, child)
                added.append((child, child_branch, depth + 1))
            stack.extend(reversed(added))
        trees.append(tree)
    parts.show(board, selection, trees, stream, width=min(width, needed + _RIGHT))


def _add_initiatives(branch: Any, node: Node) -> None:
    """An objective's or key result's initiatives, as leaves before what aligns below it."""
    from rich.text import Text

    for initiative in node.model.initiatives:
        branch.add(
            Text(initiatives.line(initiative), style="dim", no_wrap=True, overflow="ellipsis")
        )


def _below(node: Node, selection: Selection) -> list[Node]:
    """What the tree shows under `node`: an objective's key results, then what aligns to it."""
    below: list[Node] = list(node.key_results) if isinstance(node, ObjectiveNode) else []
    return below + [child for child in node.children if child in selection]


def _write_plain(
    board: Scoreboard, selection: Selection, starts: list[Node], stream: IO[str]
) -> None:
    """The tree as plain lines, streamed: 200k nodes through rich took minutes and 1 GB."""
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower()
    space, carry, fork, end = _GUIDES if encoding.startswith("utf") else _ASCII_GUIDES
    title, cycles = parts.header(board, selection)
    stream.write(f"{title}\n" + "".join(f"  {line}\n" for line in cycles))
    for start in starts:
        stream.write(_plain_label(board, board[start], selection, top=True) + "\n")
        below = _below(start, selection)
        _write_initiatives(start, "", bool(below), (fork, end), stream)
        pending: list[tuple[Node, str, bool]] = [
            (child, "", n == 0) for n, child in enumerate(reversed(below))
        ]  # (node, guides of its ancestors, last of its siblings), next on top
        while pending:
            node, prefix, last = pending.pop()
            line = prefix + (end if last else fork) + _plain_label(board, board[node], selection)
            stream.write(line.rstrip() + "\n")
            inner = prefix + (space if last else carry)
            children = _below(node, selection)
            _write_initiatives(node, inner, bool(children), (fork, end), stream)
            pending += [(c, inner, n == 0) for n, c in enumerate(reversed(children))]
    stream.write("".join(f"{line.rstrip()}\n" for line in parts.footer(board, selection)))


def _write_initiatives(
    node: Node, prefix: str, more: bool, guides: tuple[str, str], stream: IO[str]
) -> None:
    """Plain lines of `node`'s initiatives; `more`: its children follow them."""
    fork, end = guides
    found = node.model.initiatives
    for n, initiative in enumerate(found):
        last = n == len(found) - 1 and not more
        stream.write(f"{prefix}{end if last else fork}{initiatives.line(initiative)}\n")


_GUIDES = ("    ", "│   ", "├── ", "└── ")  # rich's tree guides: the same lines as in colour
_ASCII_GUIDES = ("    ", "|   ", "+-- ", "`-- ")


def _plain_label(
    board: Scoreboard, item: ItemScore, selection: Selection, top: bool = False
) -> str:
    title = "".join(text for text, _ in _title_parts(board, item, selection, True, top))
    return "  ".join([title, *(text for text, _ in _right(board, item) if text)])


def _title_parts(
    board: Scoreboard, item: ItemScore, selection: Selection, wide: bool, top: bool = False
) -> list[tuple[str, str]]:
    """ID and title (struck out when dropped, with why); the parts behind, the computed
    score beside a grade; when there is room, where it sits and what it stands at."""
    node = item.node
    style = "bold" if isinstance(node, ObjectiveNode) else ""
    struck = f"{style} strike" if item.dropped else style
    title = [(node.id, style or "cyan"), (" ", ""), (printable(node.title), struck)]
    if item.dropped:
        title.append((f"  ({printable(parts.dropped_note(item))})", "dim"))
    elif isinstance(node, ObjectiveNode) and (behind := parts.behind_text(board, node)):
        title.append((f"  {behind}", "dim"))
    if item.grade is not None:
        title.append((f"  graded, computed {parts.score_text(item.computed)}", "dim"))
    if not wide:
        return title
    if isinstance(node, ObjectiveNode):
        if top or len(selection.cycles) > 1:
            title.append((f"  {printable(node.team)} · {printable(parts.cycle_name(node))}", "dim"))
        if top and node.parent is not None:
            title.append((f"  ↑ {node.parent.id}", "dim"))
    else:
        title.append((f"  {parts.value_text(item)}", "dim"))
    if not item.counts:
        title.append(("  (not counted)", "dim"))
    return title


def _title(
    board: Scoreboard, item: ItemScore, selection: Selection, wide: bool, top: bool = False
) -> Any:
    from rich.text import Text

    title = Text.assemble(*_title_parts(board, item, selection, wide, top))
    title.no_wrap, title.overflow = True, "ellipsis"
    return title


def _right(board: Scoreboard, item: ItemScore) -> list[tuple[str, str]]:
    """Bar, score, confidence and status: (text, style)."""
    grade = parts.score_style(item, board)
    bold = " bold" if isinstance(item.node, ObjectiveNode) else ""
    confidence = f"conf {parts.confidence_text(item)}" if item.confidence is not None else ""
    return [(parts.bar(item.score), grade), (parts.score_text(item.score), grade + bold),
            (confidence, ""), (parts.status_text(item), parts.status_style(item))]  # fmt: skip


def _label(board: Scoreboard, item: ItemScore, title: Any) -> Any:
    """The title, then bar, score, confidence and status, lined up on the right."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(ratio=1)
    for width, justify in ((10, "left"), (4, "right"), (7, "right"), (15, "left")):
        grid.add_column(justify=justify, no_wrap=True, width=width)  # type: ignore[arg-type]
    grid.add_row(title, *(Text(text, style=style) for text, style in _right(board, item)))
    return grid
