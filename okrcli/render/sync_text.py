"""What `okr sync` prints: old → new per key result, then what was written."""

from __future__ import annotations

from okrcli.checkin import show
from okrcli.messages import printable
from okrcli.sync import Update, Value


def _value(value: Value | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "done" if value else "not done"
    return show(value)


def render(updates: list[Update], dry_run: bool, commit: str | None) -> str:
    if not updates:
        return "No key result names a source (add `source: NAME` and okr.toml [sources]).\n"
    rows = []
    for update in updates:
        if update.error is not None:
            new = "failed"
        elif update.changed:
            new = _value(update.new)
        else:
            new = "unchanged"
        rows.append((update.kr.id, printable(update.source), _value(update.old), new))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    out = [
        f"{ident:<{widths[0]}}  {source:<{widths[1]}}  {old:>{widths[2]}} → {new}"
        for ident, source, old, new in rows
    ]
    changed = sum(u.changed for u in updates)
    noun = f"{changed} key result{'s' * (changed != 1)}"
    if dry_run:
        out.append(f"Dry run: {noun} would change; nothing was written.")
    elif not changed:
        out.append("Nothing changed.")
    elif commit:
        out.append(f"Synced {noun} in commit {commit[:10]}.")
    else:
        out.append(f"Synced {noun}; the files are edited, not committed.")
    return "\n".join(out) + "\n"
