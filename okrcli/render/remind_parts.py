"""What the text and markdown reminders share: why a key result is listed, in words."""

from __future__ import annotations

from okrcli.remind import Reminder

_WORDS = {"at_risk": "at risk", "off_track": "off track", "no_confidence": "no confidence given"}


def why(reminder: Reminder) -> str:
    said = []
    for reason in reminder.reasons:
        if reason == "stale":
            said.append(f"no check-in for {reminder.stale_days} days")
        else:
            said.append(_WORDS[reason])
    return ", ".join(said)
