"""`okr remind`: a digest per owner, for a terminal or a log."""

from __future__ import annotations

from okrcli.messages import printable
from okrcli.remind import Digest
from okrcli.render.remind_parts import why


def render(digests: list[Digest]) -> str:
    if not digests:
        return "Nothing to remind anyone of: every key result is current and on track.\n"
    out = []
    for digest in digests:
        count = len(digest.reminders)
        out.append(f"{printable(digest.handle)} ({count} key result{'s' * (count != 1)})")
        for reminder in digest.reminders:
            kr = reminder.kr
            out.append(f"  {kr.id}  {printable(kr.title)}: {why(reminder)}")
            out.append(f"    {printable(reminder.command)}")
        out.append("")
    return "\n".join(out)
