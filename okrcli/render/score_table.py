"""`okr score` as tables: one per team and cycle, objectives with their key results."""

from __future__ import annotations

import sys
from typing import IO, Any

from okrcli import collector
from okrcli.graph import ObjectiveNode
from okrcli.messages import printable
from okrcli.render import score_parts as parts
from okrcli.render.console import console, wants_colour
from okrcli.score import ItemScore, Scoreboard, Selection

WIDE = 110  # from this many columns, also show values and owners

# A cell: its base style and its pieces, (text, style). Made once, then drawn by rich in a
# terminal or written as plain text when piped.
Cell = tuple[str, list[tuple[str, str]]]
Group = tuple[str, list[list[list[Cell]]]]  # table title, objectives' blocks of rows


def render(board: Scoreboard, selection: Selection, stream: IO[str] | None = None) -> None:
    """Header, one table per team and cycle, footer. Piped (or with NO_COLOR) the lines are
    written directly, byte for byte what rich would print: rich's table took 2.6 ms a row.
    Every row's cells live until the widths are known, so the collector is paused while
    they are made: it walked them again and again, nearly half the time of 90,000 rows."""
    stream = stream or sys.stdout
    colour = wants_colour(stream)
    width = console(stream).width if colour else parts.PLAIN_WIDTH
    wide = width >= WIDE
    with collector.paused():
        groups: list[Group] = [
            (f"{printable(team)} · {printable(cycle)}", [_rows(board, o, wide) for o in objectives])
            for cycle, team, objectives in parts.groups(selection)
        ]
        columns = _COLUMNS if wide else [c for c in _COLUMNS if c[0] not in _WIDE_ONLY]
        widths = _widths(groups, columns, width)
        if not colour and _plain_fits(groups, columns, widths, stream):
            _write_plain(board, selection, groups, columns, widths, stream)
            return
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


def _plain(cell: Cell) -> str:
    return "".join(text for text, _ in cell[1])


def _widths(groups: list[Group], columns: list[tuple[str, str]], width: int) -> list[int]:
    """Column widths shared by every table, so they line up; only titles give way to a
    narrow terminal (they end in … when cut)."""
    from rich.cells import cell_len

    widths = [len(name) for name, _ in columns]
    for _, blocks in groups:
        for rows in blocks:
            for row in rows:
                widths = [max(w, cell_len(_plain(c))) for w, c in zip(widths, row, strict=True)]
    title = columns.index(("Title", "left"))
    others = sum(widths) - widths[title] + 2 * len(columns)  # a pad and a rule per column
    widths[title] = max(16, min(widths[title], width - others))
    return widths


def _plain_fits(
    groups: list[Group], columns: list[tuple[str, str]], widths: list[int], stream: IO[str]
) -> bool:
    """Whether the plain lines are what rich prints: nothing cut or wrapped, no `[` in a
    table title (rich reads it as markup) and a UTF stream (rich draws ASCII boxes
    otherwise). Else rich draws them, rarely and slowly."""
    from rich.cells import cell_len

    encoding = (getattr(stream, "encoding", None) or "utf-8").lower()
    table = sum(widths) + 2 * len(columns)
    title = columns.index(("Title", "left"))
    return (
        encoding.startswith("utf")
        and table <= parts.PLAIN_WIDTH
        and all(cell_len(name) <= table and "[" not in name for name, _ in groups)
        and all(
            cell_len(_plain(row[title])) <= widths[title]
            for _, blocks in groups
            for rows in blocks
            for row in rows
        )
    )


def _write_plain(
    board: Scoreboard,
    selection: Selection,
    groups: list[Group],
    columns: list[tuple[str, str]],
    widths: list[int],
    stream: IO[str],
) -> None:
    """The tables as rich's SIMPLE_HEAD box draws them without colour, one line at a time:
    a title, a blank top edge, the column names, a rule, the rows with a blank line between
    objectives, a blank bottom edge."""
    from rich.cells import cell_len

    right = [justify == "right" for _, justify in columns]

    def line(texts: list[str]) -> str:
        padded = [
            " " * (w - cell_len(t.rstrip())) + t.rstrip() if r else t + " " * (w - cell_len(t))
            for t, w, r in zip(texts, widths, right, strict=True)
        ]
        return f" {'  '.join(padded)}"

    title, cycles = parts.header(board, selection)
    _write([title, *(f"  {cycle}" for cycle in cycles)], stream)
    head = [line([name for name, _ in columns]), " " + "─" * (sum(widths) + 2 * len(columns) - 2)]
    for name, blocks in groups:
        out = [name, "", *head]
        for n, rows in enumerate(blocks):
            out += [""] * (n > 0) + [line([_plain(cell) for cell in row]) for row in rows]
        _write([*out, ""], stream)
    _write(list(parts.footer(board, selection)), stream)


def _write(lines: list[str], stream: IO[str]) -> None:
    """Lines as `score_parts.show` leaves rich's: each split where Python splits lines, with
    no trailing spaces."""
    stream.write("".join(f"{part.rstrip()}\n" for text in lines for part in _split(text)))


def _split(text: str) -> list[str]:
    return text.splitlines() if text else [""]


def _table(
    title: str, blocks: list[list[list[Cell]]], columns: list[Any], widths: list[int]
) -> Any:
    """One team's table, drawn by rich."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

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
    title_at = columns.index(("Title", "left"))
    for rows in blocks:
        for row in rows:
            texts = []
            for n, (style, pieces) in enumerate(row):
                text = (
                    Text(style=style, no_wrap=True, overflow="ellipsis")
                    if n == title_at
                    else Text(style=style)
                )
                for piece, piece_style in pieces:
                    text.append(piece, style=piece_style or None)
                texts.append(text)
            table.add_row(*texts)
        table.add_section()
    return table


def _rows(board: Scoreboard, objective: ObjectiveNode, wide: bool) -> list[list[Cell]]:
    """The objective's row, then one row per key result."""
    return [_cells(board, board[objective], wide, objective=True)] + [
        _cells(board, board[kr], wide) for kr in objective.key_results
    ]


def _cells(board: Scoreboard, item: ItemScore, wide: bool, objective: bool = False) -> list[Cell]:
    node = item.node
    colour = parts.score_style(item, board)
    style = ("bold" if objective else "") + (" strike" if item.dropped else "")
    title = [(printable(node.title), "")]
    if node.model.weight == 0:
        title.append((" (weight 0)", "dim"))
    if item.dropped:
        title.append((f" ({printable(parts.dropped_note(item))})", "dim"))
    elif objective and (behind := parts.behind_text(board, node)):
        title.append((f" ({behind})", "dim"))
    ident = node.id if objective else f"  {node.id}"
    cells: list[Cell] = [("bold" if objective else "", [(ident, "")]), (style, title)]
    if wide:
        value = "" if objective else parts.value_text(item)
        if item.raw is not None and item.raw != item.score and not objective:
            value += f" (raw {item.raw:.2f})"
        cells.append(("dim" if objective else "", [(value, "")]))
    cells += [
        (colour, [(parts.bar(item.score), "")]),
        (colour + (" bold" if objective else ""), [(parts.graded_text(item), "")]),
        ("", [(parts.confidence_text(item), "")]),
        (parts.status_style(item), [(parts.status_text(item), "")]),
    ]
    if wide:
        cells.append(("dim", [(printable(getattr(node, "owner", None) or ""), "")]))
    return cells
