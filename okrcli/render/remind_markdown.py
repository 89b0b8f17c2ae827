"""`okr remind --format markdown`: for a CI job summary or an issue."""

from __future__ import annotations

from okrcli.messages import printable
from okrcli.remind import Digest
from okrcli.render.remind_parts import why

_SPECIAL = "\\`*_{}[]<>()#+-.!|~"


def escape(text: str) -> str:
    """Markdown-inert: a title cannot open a link, an image, HTML or a code span."""
    return "".join("\\" + c if c in _SPECIAL else c for c in printable(text.replace("\n", " ")))


def code(text: str) -> str:
    """A code span that a backtick inside cannot close early."""
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if "`" in text else f"{fence}{text}{fence}"


def render(digests: list[Digest]) -> str:
    out = ["## OKR check-in reminders", ""]
    if not digests:
        return "\n".join([*out, "Every key result is current and on track.", ""])
    for digest in digests:
        out += [f"### {escape(digest.handle)}", ""]
        for reminder in digest.reminders:
            kr = reminder.kr
            out.append(f"- `{kr.id}` {escape(kr.title)}: {why(reminder)}  ")
            out.append(f"  {code(printable(reminder.command))}")
        out.append("")
    return "\n".join(out)
