"""Sources (okr.toml `[sources.NAME]`): where `okr sync` reads a key result's value.

Only okr.toml defines a source, so running one needs a change to a file a repository protects
like its CI config; a team file can only name one. This module reads and checks the
definitions; nothing here runs them (see okrcli/fetch.py, used by `okr sync` alone).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

from okrcli.errors import OkrError

KINDS = ("command", "url", "file")
_KEYS = {*KINDS, "pointer", "column", "row", "headers", "timeout"}
DEFAULT_TIMEOUT = 30.0
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Fail(Protocol):
    """okr.toml's error at the line of `key` (the first after the table `within`)."""

    def __call__(self, key: str, message: str, within: str | None = None) -> OkrError: ...


@dataclass(frozen=True)
class Source:
    """One `[sources.NAME]` table. Exactly one of `command`, `url`, `file` is set."""

    name: str
    command: tuple[str, ...] = ()
    url: str | None = None
    file: str | None = None
    pointer: str | None = None  # RFC 6901, into the JSON the source returns
    column: str | None = None  # a CSV file's column header
    row: int = -1  # a CSV data row: 1 is the first, -1 the last
    headers: tuple[tuple[str, str], ...] = ()  # (header, environment variable holding its value)
    timeout: float = DEFAULT_TIMEOUT

    @property
    def kind(self) -> str:
        return "command" if self.command else "url" if self.url else "file"

    def placeholders(self) -> set[str]:
        """The `{names}` its command, url or file take from a key result's `args`."""
        texts = [*self.command, self.url or "", self.file or ""]
        return {name for text in texts for name in PLACEHOLDER.findall(text)}


def fill(text: str, args: Mapping[str, str], escape: Callable[[str], str] = str) -> str:
    """`text` with each `{name}` replaced by `args[name]` (passed through `escape`).

    A plain substitution, not str.format: a value can never reach attributes or indexes.
    """

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in args:
            raise OkrError(f"no value for `{{{name}}}`: add it to the key result's source args")
        return escape(args[name])

    return PLACEHOLDER.sub(one, text)


def url_part(value: str) -> str:
    """An argument as it goes into a URL: every reserved character escaped."""
    return quote(value, safe="")


def check_pointer(pointer: str) -> bool:
    """Whether `pointer` is an RFC 6901 JSON pointer ("" or "/a/0/b", with ~0 and ~1 only)."""
    return pointer == "" or (
        pointer.startswith("/") and re.fullmatch(r"(?:[^~]|~[01])*", pointer) is not None
    )


def parse_sources(raw: Any, fail: Fail, prefix: str) -> dict[str, Source]:
    """`[sources]` as Source objects; one sentence at the line of the first thing wrong."""
    from okrcli.messages import suggest

    if not isinstance(raw, dict):
        raise fail("sources", f"`{prefix}sources` must be a table of `[sources.NAME]` tables")
    found = {}
    for name, spec in raw.items():
        where, table = f"source `{name}`", f"{prefix}sources.{name}"
        if not re.fullmatch(r"[\w.-]+", name):
            raise fail(table, f"{where}: a name holds only letters, digits, `.`, `-`, `_`")
        if not isinstance(spec, dict):
            raise fail(table, f"{where} must be a table (`[{prefix}sources.{name}]`)")
        for key in spec:
            if key not in _KEYS:
                raise fail(key, f"{where}: unknown key `{key}`{suggest(key, _KEYS)}", table)
        kinds = [k for k in KINDS if k in spec]
        if len(kinds) != 1:
            raise fail(table, f"{where} needs exactly one of `command`, `url` or `file`")
        found[name] = _source(name, spec, kinds[0], _prefixed(fail, where, table))
    return found


def _prefixed(fail: Fail, where: str, table: str) -> Fail:
    """`fail` for the keys of one source: its name first, the line searched from its table."""

    def fail_in(key: str, message: str, within: str | None = None) -> OkrError:
        return fail(key, f"{where}: {message}", within or table)

    return fail_in


def _source(name: str, spec: dict[str, Any], kind: str, fail: Fail) -> Source:
    pointer = spec.get("pointer")
    if pointer is not None and (not isinstance(pointer, str) or not check_pointer(pointer)):
        raise fail("pointer", '`pointer` must be a JSON pointer such as "/data/0/value"')
    if kind != "file" and ("column" in spec or "row" in spec):
        raise fail("column", "`column` and `row` are for a CSV `file`")
    if kind != "url" and "headers" in spec:
        raise fail("headers", "`headers` are for a `url`")
    timeout = spec.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= 600:
        raise fail("timeout", "`timeout` must be a number of seconds, above 0 and at most 600")
    common: dict[str, Any] = {"name": name, "pointer": pointer, "timeout": float(timeout)}
    value = spec[kind]
    if kind == "command":
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise fail(
                "command", '`command` must be a list of strings, e.g. ["./count.sh", "{team}"]'
            )
        return Source(command=tuple(value), **common)
    if kind == "url":
        if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https"):
            raise fail("url", "`url` must be an http:// or https:// address")
        headers = spec.get("headers", {})
        if not isinstance(headers, dict) or not all(
            isinstance(v, str) and ENV_NAME.fullmatch(v) for v in headers.values()
        ):
            raise fail(
                "headers",
                "`headers` maps a header to the name of an environment variable holding its "
                'value, e.g. {Authorization = "METRICS_TOKEN"}; secrets never go in files',
            )
        return Source(url=value, headers=tuple(headers.items()), **common)
    if not isinstance(value, str) or not value:
        raise fail("file", "`file` must be a path from the repository's root")
    column, row = spec.get("column"), spec.get("row", -1)
    if column is not None and not isinstance(column, str):
        raise fail("column", "`column` must be a column's header")
    if isinstance(row, bool) or not isinstance(row, int) or row == 0:
        raise fail("row", "`row` must be a data row: 1 is the first, -1 the last")
    if column is not None and pointer is not None:
        raise fail("column", "give `column` (a CSV file) or `pointer` (a JSON file), not both")
    return Source(file=value, column=column, row=row, **common)


def parse_owners(raw: Any, fail: Fail, prefix: str) -> dict[str, str]:
    """`[owners]`: an owner as written in the files → the handle reminders address."""
    if not isinstance(raw, dict) or not all(isinstance(v, str) and v for v in raw.values()):
        raise fail("owners", f'`{prefix}owners` must map owners to handles, e.g. dana = "@dana"')
    return dict(raw)
