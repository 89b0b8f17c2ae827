"""`okr review` in a terminal: a table per section; plain, unwrapped lines when piped."""

from __future__ import annotations

import sys
from typing import IO, Any

from okrcli.messages import printable
from okrcli.render import review_parts as parts
from okrcli.render.console import console, wants_colour
from okrcli.render.score_parts import PLAIN_WIDTH
from okrcli.review import Review


def render(review: Review, stream: IO[str] | None = None) -> None:
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    stream = stream or sys.stdout
    body: list[Any] = [Text(parts.header(review), style="bold")]
    for section in parts.sections(review):
        body += [
            Text(""),
            Text(section.title, style="bold underline"),
            Text(section.note, style="dim"),
        ]
        if not section.rows:
            body.append(Text(section.empty, style="dim"))
            continue
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for column in section.columns:
            wide = column in {"Title", "Objective", "Key result", "Note"}
            table.add_column(column, ratio=1 if wide else None, no_wrap=not wide)
        for index, row in enumerate(section.rows):
            colour = section.colours[index] if section.colours else "dim"
            table.add_row(
                *(
                    _cell(column, text, colour)
                    for column, text in zip(section.columns, row, strict=True)
                )
            )
        body.append(table)
    body += [Text(line, style="yellow") for line in parts.remarks(review)]
    out = console(stream)
    if wants_colour(stream):
        out.print(Group(*body))
        return
    out.width = PLAIN_WIDTH
    with out.capture() as capture:
        out.print(Group(*body))
    stream.write("\n".join(line.rstrip() for line in capture.get().splitlines()) + "\n")


_VERDICT_STYLE = {"achieved": "green", "missed": "red", "achieved so far": "green",
                  "not met yet": "yellow"}  # fmt: skip


def _cell(column: str, text: str, colour: str) -> Any:
    """Scores in `colour` (their row's), verdicts in theirs (words carry the meaning too); a
    user's text as Text, so `[...]` in a title is not rich markup, and control characters
    escaped, so it cannot drive the terminal."""
    from rich.text import Text

    if column == "Score":
        return Text(text, style=colour)
    if column == "Verdict":
        return Text(text, style=_VERDICT_STYLE.get(text, "dim"))
    return Text(printable(text))
