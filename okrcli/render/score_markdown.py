"""`okr score --format markdown`: tables for a pull-request comment or a wiki page."""

from __future__ import annotations

from typing import Any

from okrcli.messages import markdown
from okrcli.render import score_parts as parts
from okrcli.score import ItemScore, Scoreboard, Selection

_DOT = {"green": "🟢", "yellow": "🟡", "red": "🔴", "dim": "⚪"}


def _row(board: Scoreboard, item: ItemScore, objective: bool) -> str:
    node = item.node
    name = f"**{markdown(node.title)}**" if objective else markdown(node.title)
    if item.dropped:
        name = f"~~{name}~~ _({markdown(parts.dropped_note(item))})_"
    if node.model.weight == 0:
        name += " _(weight 0)_"
    value = "" if objective else markdown(parts.value_text(item))
    score = f"{_DOT[parts.score_style(item, board)]} {parts.graded_text(item)}"
    ident = f"`{node.id}`" if objective else f"↳ `{node.id}`"
    status = markdown(parts.status_line(board, item))
    cells = [ident, name, value, score, parts.confidence_text(item), status]
    return "| " + " | ".join(cells) + " |"


def _initiative_rows(model: Any) -> list[str]:
    """A row per initiative under its objective or key result: tracked, never scored."""
    return [
        f"| | ↳ _initiative:_ {markdown(i.title)}{f' ({markdown(i.owner)})' if i.owner else ''} "
        f"| | | | {i.status} |"
        for i in model.initiatives
    ]


def render(board: Scoreboard, selection: Selection) -> str:
    title, cycles = parts.header(board, selection)
    lines = [f"**{title}**", "", *(f"- {line}" for line in cycles), ""]
    for cycle, team, objectives in parts.groups(selection):
        lines += [
            f"### {markdown(team)} · {markdown(cycle)}",
            "",
            "| ID | Objective / key result | Now → target | Score | Conf | Status |",
            "|---|---|---|---:|---:|---|",
        ]
        for objective in objectives:
            lines.append(_row(board, board[objective], objective=True))
            lines += _initiative_rows(objective.objective)
            for kr in objective.key_results:
                lines += [_row(board, board[kr], objective=False), *_initiative_rows(kr.key_result)]
        lines.append("")
    lines += [f"_{markdown(line)}_  " for line in parts.footer(board, selection)]
    return "\n".join(lines).rstrip() + "\n"
