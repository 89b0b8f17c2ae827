"""Pydantic's validation errors, rewritten as sentences a person can act on."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any


def suggest(word: str, choices: Iterable[str]) -> str:
    """` (did you mean `x`?)` for the nearest choice, or nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def show(value: Any) -> str:
    """A short rendering of a user's value for a message."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return f"`{text[:40]}…`" if len(text) > 40 else f"`{text}`"


_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "bool_type": "`true` or `false`",
    "bool_parsing": "`true` or `false`",
    "list_type": "a list",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
    "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
}


def describe(error: dict[str, Any], field: str, allowed: Iterable[str]) -> str:
    """One sentence for one pydantic error on `field` (the last key of its location)."""
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return f"unknown key `{field}`{suggest(field, allowed)}"
    if kind == "missing":
        return f"`{field}` is required"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "`")
        hint = suggest(str(value), re.findall(r"`([^`]*)`", expected))
        return f"`{field}` must be one of {expected}, not {show(value)}{hint}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bounds = {
            "greater_than_equal": "at least",
            "less_than_equal": "at most",
            "greater_than": "more than",
            "less_than": "less than",
        }
        limit = next(iter(ctx.values()), "")
        return f"`{field}` must be {bounds[kind]} {limit}, not {show(value)}"
    if kind == "string_pattern_mismatch":
        return f"`{field}` may hold only letters, digits, `.`, `-` and `_`, not {show(value)}"
    if kind == "string_too_short":
        return f"`{field}` must not be empty"
    if kind in _EXPECTED:
        return f"`{field}` must be {_EXPECTED[kind]}, not {show(value)}"
    if kind == "value_error":
        return f"`{field}` {ctx.get('error', error.get('msg', ''))}"
    return f"`{field}`: {str(error.get('msg', kind)).lower()}"


# Control characters quoted from a file or a commit message could forge finding lines or
# drive the terminal; bidi controls reorder what a reader sees (U+202E shows `gpj.exe` as
# `exe.jpg`); noncharacters and lone surrogates (undecodable bytes of a file name) are not
# allowed in XML, so one of them would make a whole JUnit report unreadable.
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]"
)


def printable(text: str) -> str:
    """`text` with control characters shown escaped (`\\x1b`, `\\u202e`): it cannot start a
    line of its own, drive the terminal, reorder the line or break an XML document."""
    return _CONTROL.sub(lambda m: repr(m[0])[1:-1], text) if _CONTROL.search(text) else text


# What GitHub's markdown renderer reads as markup inside a line: emphasis, code, links and
# images, tables, strikethrough, HTML tags and entities.
_MARKDOWN = re.compile(r"[\\`*_\[\]|~!#]")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# What GitHub links by itself in plain text: URLs (`https://…`, `www.…`), e-mail addresses
# and `@mentions` (at any `@`), issue references (`#` and a digit). It finds mentions and
# references after the markdown is read, so a backslash or a character reference (`&#64;`)
# does not stop them; a zero-width space after the `@`, the `#`, the scheme's `:` or the
# `www` does, and the text reads the same.
_AUTOLINK = re.compile(r"@|#(?=[0-9])|:(?=//)|(?<![0-9A-Za-z])(?i:www)(?=\.)")
_BREAK = "&#8203;"


def markdown(text: str, *, mention: bool = False) -> str:
    """`text` shown literally by GitHub's markdown in a table cell, heading or paragraph:
    one line, no markup, no HTML, no control characters, no link, no mention, no issue
    reference. `mention=True` keeps an `@handle` a mention (okr.toml's `[owners]`)."""
    flat = printable(" ".join(text.splitlines()) if "\n" in text or "\r" in text else text)
    flat = _MARKDOWN.sub(lambda m: "\\" + m[0], flat)
    flat = re.sub("[&<>]", lambda m: _HTML[m[0]], flat)
    return _AUTOLINK.sub(lambda m: m[0] if mention and m[0] == "@" else m[0] + _BREAK, flat)
