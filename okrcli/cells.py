"""Cells as spreadsheets and scripts write them: numbers such as "45%", "1 234,5" or
"97.1", and `;`, `,` or tab between cells."""

from __future__ import annotations

import re

_SPACES = re.compile(r"[\s\u00a0\u202f']")  # thousands separators people type
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def parse_number(text: str, thousands_comma: bool = False) -> int | float | None:
    """The number `text` spells (an int stays an int), or None.

    A comma is a decimal comma when the text has no point ("97,5"), and separates
    thousands before a point ("1,234.5"). With `thousands_comma` (a `,`-separated sheet,
    where a decimal comma would have needed quotes), commas between groups of three digits
    separate thousands ("1,234"). A trailing "%" is dropped: the unit lives in the key
    result, so "45%" is 45. May return nan or inf: the caller decides, with its own
    wording, that these are not numbers.
    """
    cleaned = _SPACES.sub("", text.strip())
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    if thousands_comma and _THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    if "," in cleaned:
        cleaned = cleaned.replace(",", "") if "." in cleaned else cleaned.replace(",", ".")
    if not cleaned:
        return None
    try:
        return int(cleaned)
    except ValueError:
        pass
    try:
        return float(cleaned)
    except ValueError:
        return None


def delimiter(header: str) -> str:
    """The separator of a CSV file from its first line: the one it holds most of (a
    spreadsheet in a decimal-comma locale saves `;`); `,` when there is none."""
    return max((",", ";", "\t"), key=header.count)
