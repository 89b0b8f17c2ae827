"""The one "today" of a run: the machine's date unless `--today` or `OKR_TODAY` sets it.

Pinning the day makes a run reproducible (CI, docs, tests): every judgement that depends
on the calendar (pace, status, staleness, the default cycle, `okr new`) asks here.
"""

from __future__ import annotations

import os
from datetime import date

from okrcli.cycles import YEARS, in_range
from okrcli.errors import OkrError

ENV = "OKR_TODAY"
_pinned: date | None = None


def parse_day(text: str, source: str) -> date:
    """A YYYY-MM-DD day, or one sentence naming where the bad value came from."""
    try:
        if len(text) != 10 or not text.isascii():
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise OkrError(f"{source} must be a date as YYYY-MM-DD, not {text!r}") from None
    return checked(day, text, source)


def checked(day: date, text: str, source: str) -> date:
    """`day` (read from `text`, given as `source`) if okr works in its year, else one
    sentence: every date a user gives (`--today`, `--at`, `--since`) goes through here."""
    if not in_range(day):
        raise OkrError(f"{source} must be a date in the {YEARS}, not {text!r}")
    return day


def pin(day: date | None) -> None:
    """Fix today for the rest of this process (the `--today` option); None unpins."""
    global _pinned
    _pinned = day


def today() -> date:
    """`--today`, else `OKR_TODAY`, else the machine's local date."""
    if _pinned is not None:
        return _pinned
    text = os.environ.get(ENV, "").strip()
    return parse_day(text, ENV) if text else date.today()
