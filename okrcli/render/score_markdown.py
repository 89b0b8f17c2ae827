"""`okr score --format markdown`: tables for a pull-request comment or a wiki page."""

from __future__ import annotations

from okrcli.messages import markdown
from okrcli.render import score_parts as parts
from okrcli.score import ItemScore, Scoreboard, Selection

_DOT = {"green": "🟢", "yellow": "🟡", "red": "🔴", "dim": "⚪"}


def _row(item: ItemScore, objective: bool) -> str:
    node = item.node
    name = f"**{markdown(node.title)}**" if objective else markdown(node.title)
    if node.model.weight == 0:
        name += " _(weight 0)_"
    value = "" if objective else markdown(parts.value_text(item))
    score = f"{_DOT[parts.grade(item.score)]} {parts.score_text(item.score)}"
    ident = f"`{node.id}`" if objective else f"↳ `{node.id}`"
    status = parts.status_text(item)
    cells = [ident, name, value, score, parts.confidence_text(item), status]
    return "| " + " | ".join(cells) + " |"


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
            lines.append(_row(board[objective], objective=True))
            lines += [_row(board[kr], objective=False) for kr in objective.key_results]
        lines.append("")
    lines += [f"_{markdown(line)}_  " for line in parts.footer(board, selection)]
    return "\n".join(lines).rstrip() + "\n"
