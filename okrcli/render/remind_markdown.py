"""`okr remind --format markdown`: for a CI job summary or an issue."""

from __future__ import annotations

import re

from okrcli.messages import markdown, printable
from okrcli.remind import Digest
from okrcli.render.remind_parts import why


def code(text: str) -> str:
    """A code span that backticks inside cannot close early: its fence is one backtick longer
    than the longest run of them in `text` (CommonMark)."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}" if longest else f"{fence}{text}{fence}"


def render(digests: list[Digest]) -> str:
    out = ["## OKR check-in reminders", ""]
    if not digests:
        return "\n".join([*out, "Every key result is current and on track.", ""])
    for digest in digests:
        handle = digest.handle != digest.owner  # from okr.toml's [owners], to ping
        out += [f"### {markdown(digest.handle, mention=handle)}", ""]
        for reminder in digest.reminders:
            kr = reminder.kr
            out.append(f"- `{kr.id}` {markdown(kr.title)}: {why(reminder)}  ")
            out.append(f"  {code(printable(reminder.command))}")
        out.append("")
    return "\n".join(out)
