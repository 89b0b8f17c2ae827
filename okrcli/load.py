"""One file's bytes → its model, the position of every key, and its OKR001 findings."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from okrcli.cache import Store, key
from okrcli.findings import Finding
from okrcli.yamlread import Loc, Pos, YamlDoc, YamlProblem, parse

PARSE_CODE = "OKR001"
MAX_PROBLEMS_PER_FILE = 20

_SUPPRESS = re.compile(r"#\s*okr:\s*ignore(?:\[([^\]]*)\])?(?![\w\[-])")


@dataclass(frozen=True)
class Suppression:
    """A `# okr: ignore[…]` comment: the codes as written (None: every code) and its column."""

    col: int
    codes: tuple[str, ...] | None


@dataclass
class SourceFile:
    """A loaded OKR file. `doc` is None when it could not be read or validated.

    Loading keeps the position of list items only (objectives, key results, …): recording
    every key would cost a third of the parse and most of the memory, and only findings
    need them, so `positions` parses `raw` again the first time one asks.
    """

    rel: str
    doc: Any  # okrcli.model.OkrFile | None; typed loosely so pydantic loads lazily
    item_positions: dict[Loc, Pos] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)
    suppressions: dict[int, Suppression] = field(default_factory=dict)
    raw: bytes | None = field(default=None, repr=False)
    _every_key: dict[Loc, Pos] | None = field(default=None, init=False, repr=False)

    @property
    def positions(self) -> dict[Loc, Pos]:
        """The position of every key and item."""
        if self._every_key is None:
            self._every_key = self.item_positions
            if self.raw is not None:
                with contextlib.suppress(YamlProblem):  # it parsed once: it parses again
                    self._every_key = parse(self.raw).positions
            self.raw = None
        return self._every_key

    def pos(self, loc: Loc) -> Pos:
        """The position of `loc`, or of its nearest enclosing key or item."""
        if loc in self.item_positions:
            return self.item_positions[loc]
        positions = self.positions
        while loc not in positions and loc:
            loc = loc[:-1]
        return positions.get(loc, (1, 1))

    def finding(self, loc: Loc, code: str, message: str, level: str = "error") -> Finding:
        line, col = self.pos(loc)
        return Finding(self.rel, line, col, code, message, level)  # type: ignore[arg-type]


def suppressions(text: str) -> dict[int, Suppression]:
    """`# okr: ignore[CODE, …]` and bare `# okr: ignore` comments, by line."""
    found: dict[int, Suppression] = {}
    if "okr:" not in text:
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        if "okr:" in line and (m := _SUPPRESS.search(line)):
            codes = None if m[1] is None else tuple(c.strip() for c in m[1].split(",") if c.strip())
            found[number] = Suppression(m.start() + 1, codes)
    return found


def read_yaml(raw: bytes, cache: Store | None = None) -> tuple[Any, dict[Loc, Pos]]:
    """The data and item positions of a file's bytes, from `cache` when it has seen them."""
    entry_key = key(raw) if cache is not None else b""
    entry = cache.get(entry_key) if cache is not None else None
    if not (isinstance(entry, tuple) and len(entry) in (2, 3)):
        try:
            entry = cache_entry(parse(raw, every_key=False))
        except YamlProblem as problem:
            entry = cache_entry(problem)
        if cache is not None:
            cache.put(entry_key, entry)
    if len(entry) == 3:
        raise YamlProblem(*entry)
    return entry


def cache_entry(parsed: YamlDoc | YamlProblem) -> tuple[Any, ...]:
    """What the parse cache keeps of a file: its data and the positions of list items (from
    a parse of every key too), or where and why it does not parse."""
    if isinstance(parsed, YamlProblem):
        return parsed.line, parsed.col, parsed.message
    items = {loc: pos for loc, pos in parsed.positions.items() if not loc or type(loc[-1]) is int}
    return parsed.data, items


def remember(root: Path, entries: dict[bytes, bytes]) -> None:
    """Add parses made elsewhere (the history walk reads each file's newest version in
    full), as marshalled `cache_entry`s by the key of their bytes, to the parse cache for
    the loader to find."""
    store = Store(root, "load")
    for entry_key, entry in entries.items():
        store.put_marshalled(entry_key, entry)
    store.save(prune=False)


def load_source(rel: str, raw: bytes, cache: Store | None = None) -> SourceFile:
    """Parse and validate one file; never raises for anything in the bytes."""
    try:
        data, item_positions = read_yaml(raw, cache)
    except YamlProblem as problem:
        return _unparsed(rel, raw, problem)
    return _validated(rel, raw, data, item_positions)


def load_parsed(rel: str, raw: bytes, parsed: YamlDoc | YamlProblem) -> SourceFile:
    """`load_source` of a parse made elsewhere: `okr checkin` composes a file once for its
    graph and its edit."""
    if isinstance(parsed, YamlProblem):
        return _unparsed(rel, raw, parsed)
    return _validated(rel, raw, *cache_entry(parsed))


def _unparsed(rel: str, raw: bytes, problem: YamlProblem) -> SourceFile:
    finding = Finding(rel, problem.line, problem.col, PARSE_CODE, problem.message)
    return SourceFile(rel, None, problems=[finding], raw=raw)


def _validated(rel: str, raw: bytes, data: Any, item_positions: dict[Loc, Pos]) -> SourceFile:
    source = SourceFile(rel, None, item_positions, raw=raw)
    if b"okr:" in raw:
        source.suppressions = suppressions(raw.decode("utf-8-sig"))
    if not isinstance(data, dict):
        what = "empty" if data is None else "a list" if isinstance(data, list) else "one value"
        source.problems.append(
            source.finding(
                (),
                PARSE_CODE,
                f"file is {what}; an OKR file is a mapping with `team`, `cycle` and `objectives`",
            )
        )
        return source
    from pydantic import ValidationError

    from okrcli.model import OkrFile

    try:
        source.doc = OkrFile.model_validate(data)
    except ValidationError as error:
        source.problems.extend(_schema_findings(source, data, error))
    return source


def _schema_findings(source: SourceFile, data: Any, error: Any) -> list[Finding]:
    from okrcli.messages import describe
    from okrcli.model import MODELS, OkrFile

    findings: list[Finding] = []
    seen: set[Loc] = set()
    for item in error.errors(include_url=False):
        loc = _data_loc(data, item["loc"])
        if loc in seen:  # one finding per key: a union reports each of its members
            continue
        seen.add(loc)
        containers = [part for part in loc[:-1] if part in MODELS]
        model = MODELS[containers[-1]] if containers else OkrFile
        message = describe(item, str(loc[-1]) if loc else "file", model.model_fields)
        at = loc[:-1] if item["type"] == "missing" else loc
        findings.append(source.finding(at, PARSE_CODE, f"{_owner_label(data, loc)}{message}"))
        if len(findings) >= MAX_PROBLEMS_PER_FILE:
            break
    return findings


def _data_loc(data: Any, loc: tuple[Any, ...]) -> Loc:
    """The part of pydantic's `loc` that names keys and items in the data."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict):
            out.append(part)
            if part not in node:
                break
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        else:
            break
    return tuple(out)


_LABELS = {"objectives": "objective", "key_results": "key result",
           "milestones": "milestone", "initiatives": "initiative"}  # fmt: skip


def _owner_label(data: Any, loc: Loc) -> str:
    """`key result PLAT-1.2: ` for the innermost item with an id holding `loc`."""
    node, label = data, ""
    for index, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            kind = _LABELS.get(str(loc[index - 1]), "item") if index else "item"
            ident = node.get("id") if isinstance(node, dict) else None
            title = node.get("title") if isinstance(node, dict) else None
            if index + 1 < len(loc) or kind != "item":
                named = ident if ident is not None else title
                label = f"{kind} `{named}`: " if named is not None else f"{kind} {part + 1}: "
        else:
            break
    return label
