"""`okr diff --format markdown`: a pull-request comment."""

from __future__ import annotations

from okrcli.history.diff import Item, OkrDiff
from okrcli.messages import markdown
from okrcli.render.diff_parts import (
    REPLANS,
    SECTIONS,
    added_text,
    delta,
    move_text,
    replan_text,
    score_move,
)


def render(diff: OkrDiff) -> str:
    out = [f"### OKR changes: `{diff.base}` → `{diff.head}`", ""]
    if diff.empty:
        return "\n".join([*out, "No changes to objectives or key results.", ""])
    rows: list[tuple[str, Item, str]] = [("added", i, added_text(i)) for i in diff.added]
    rows += [("removed", i, i.title) for i in diff.removed]
    for attribute, title in SECTIONS:
        rows += [(title.lower(), m.item, move_text(m)) for m in getattr(diff, attribute)]
    if rows:
        out += ["| change | id | kind | detail |", "|---|---|---|---|"]
        out += [
            f"| {what} | `{i.id}` | {i.kind} | {markdown(detail)} |" for what, i, detail in rows
        ]
        out.append("")
    if diff.replans:
        out += [f"**{REPLANS}**", ""]
        out += [f"- `{m.item.id}` ({markdown(m.item.title)}): {markdown(replan_text(m))}"
                for m in diff.replans]  # fmt: skip
        out.append("")
    if diff.scores:
        out += [f"**Scores** (as of {diff.today})", "", "| id | title | score | Δ |",
                "|---|---|---|---|"]  # fmt: skip
        out += [f"| `{m.item.id}` | {markdown(m.item.title)} | {score_move(m)} | {delta(m)} |"
                for m in diff.scores]  # fmt: skip
        out.append("")
    return "\n".join(out)
