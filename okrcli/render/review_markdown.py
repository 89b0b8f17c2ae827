"""`okr review --format markdown`: for the retrospective's page or a pull request."""

from __future__ import annotations

from okrcli.messages import markdown
from okrcli.render import review_parts as parts
from okrcli.review import Review


def render(review: Review) -> str:
    lines = [f"# {markdown(parts.header(review))}", ""]
    for section in parts.sections(review):
        lines += [f"## {section.title}", "", f"_{section.note}_", ""]
        if not section.rows:
            lines += [section.empty.capitalize() + ".", ""]
            continue
        lines.append("| " + " | ".join(section.columns) + " |")
        lines.append("|" + "---|" * len(section.columns))
        for ident, *rest in section.rows:
            first = f"↳ `{ident.strip()}`" if ident.startswith(" ") else f"`{ident}`"
            lines.append("| " + " | ".join([first, *map(markdown, rest)]) + " |")
        lines.append("")
    lines += [f"**{line}**" for line in parts.remarks(review)]
    return "\n".join(lines).rstrip() + "\n"
