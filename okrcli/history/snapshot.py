"""One version of an OKR file as the history needs it: every key result's keys.

Parsing is the expensive part of reading a long history, so each blob is parsed at most
once, and most are not parsed at all: a check-in changes one `key: value` line, and the
next version is derived from the previous one and the diff, without reading YAML.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from okrcli.history.records import OBJECTIVE_PLAN, State

if TYPE_CHECKING:
    from okrcli.yamlread import YamlDoc, YamlProblem

# The keys whose one-line values can be followed through diffs.
LINE_KEYS = ("current", "done", "start", "target", "above", "below", "confidence", "status")
_DROP = ("initiatives", "notes")  # long text that no history view shows

# `  key: value  # comment` with a value simple enough to read without a YAML parser.
_LINE = re.compile(
    r"(?P<head> *(?:- +)?)(?P<key>[A-Za-z_]+): +(?P<value>[^\s#'\"&*!|>{}\[\],%@`][^#]*?)"
    r"(?P<tail>[ \t]+#.*)?\r?"
)
_SIMPLE = re.compile(
    r"(?P<int>[-+]?[0-9]+)|(?P<float>[-+]?[0-9]*\.[0-9]+(?:[eE][-+]?[0-9]+)?)|(?P<word>[a-z_]+)"
)
_UNSURE = object()
_ODD_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")

Path = tuple[str | int, ...]  # where a value sits inside a key result's state


@dataclass(slots=True)
class Snapshot:
    """Key results by id; `lines` maps a line number to the one value written on it."""

    krs: dict[str, State]
    lines: dict[int, tuple[str, Path]] = field(default_factory=dict)
    broken: bool = False  # not a readable OKR file: its key results are unknown, not gone


def _plain(text: str) -> Any:
    """The value of a plain scalar when it is certainly a number, a bool or a word."""
    m = _SIMPLE.fullmatch(text)
    if m is None:
        return _UNSURE
    if m["int"]:
        return int(text)
    if m["float"]:
        return float(text)
    return {"true": True, "false": False, "null": None}.get(text, text)


def parse_blob(raw: bytes, keep: Callable[[YamlDoc | YamlProblem], None] | None = None) -> Snapshot:
    """Read one version in full (the slow path); `keep` is handed the parse, or why not."""
    from okrcli.yamlread import YamlProblem, parse

    try:
        doc = parse(raw)
    except YamlProblem as problem:
        if keep is not None:
            keep(problem)
        return Snapshot({}, broken=True)
    if keep is not None:
        keep(doc)
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("objectives"), list):
        return Snapshot({}, broken=True)
    per_line = Counter(line for line, _ in doc.positions.values())
    # git numbers lines by "\n" alone; YAML also breaks lines at a lone "\r" (and more):
    # such a file is always read in full.
    odd = not doc.text.isascii() or "\r" in doc.text  # a quick look before the pattern
    text_lines = [] if odd and _ODD_BREAKS.search(doc.text) else doc.text.split("\n")
    snapshot = Snapshot({})
    for i, objective in enumerate(data["objectives"]):
        if not isinstance(objective, dict) or not isinstance(objective.get("key_results"), list):
            continue
        plan = {key: objective.get(key) for key in ("type", "weight", "status")}
        for j, kr in enumerate(objective["key_results"]):
            if not isinstance(kr, dict) or not isinstance(kr.get("id"), (str, int)):
                continue
            ident = str(kr["id"])
            state = {k: v for k, v in kr.items() if k not in _DROP}
            state["objective"] = str(objective.get("id"))
            state[OBJECTIVE_PLAN] = plan
            snapshot.krs.setdefault(ident, state)
            loc = ("objectives", i, "key_results", j)
            for path in _value_paths(kr):
                line = doc.positions.get(loc + path, (0, 0))[0]
                if not 0 < line <= len(text_lines) or per_line[line] != 1:
                    continue
                if _reads_back(text_lines[line - 1], path, kr):
                    snapshot.lines[line] = (ident, path)
    return snapshot


def _value_paths(kr: dict[str, Any]) -> list[Path]:
    paths: list[Path] = [(key,) for key in LINE_KEYS if key in kr]
    items = kr.get("milestones")
    if isinstance(items, list):
        paths += [("milestones", n, "done") for n, m in enumerate(items) if isinstance(m, dict)]
    return paths


def _get(state: State, path: Path) -> Any:
    value: Any = state
    for part in path:
        value = value[part]
    return value


def _reads_back(line: str, path: Path, kr: dict[str, Any]) -> bool:
    """Whether `line` holds exactly this value, in a form the fast path can follow."""
    m = _LINE.fullmatch(line)
    if m is None or m["key"] != path[-1]:
        return False
    value = _plain(m["value"])
    old = _get(kr, path)
    return value is not _UNSURE and value == old and type(value) is type(old)


def derive(
    old: Snapshot, hunks: Sequence[tuple[int, int, int, int, list[str], list[str]]]
) -> tuple[Snapshot, set[str]] | None:
    """The next version from the previous one and a diff that only changes values in place,
    and the ids of the key results it changed.

    None when the diff does anything else (then the new version is parsed in full).
    """
    if old.broken:
        return None
    updates: list[tuple[str, Path, Any]] = []
    for old_start, old_count, new_start, new_count, removed, added in hunks:
        if old_start != new_start or old_count != new_count or len(removed) != len(added):
            return None
        for number, (minus, plus) in enumerate(zip(removed, added, strict=True), old_start):
            target = old.lines.get(number)
            if target is None:
                return None
            a, b = _LINE.fullmatch(minus), _LINE.fullmatch(plus)
            if a is None or b is None or (a["head"], a["key"]) != (b["head"], b["key"]):
                return None
            value = _plain(b["value"])
            if value is _UNSURE or a["key"] != target[1][-1]:
                return None
            updates.append((*target, value))
    krs = dict(old.krs)
    for ident, path, value in updates:
        state = krs[ident] = dict(krs[ident])
        if path[0] == "milestones":
            items = state["milestones"] = list(state["milestones"])
            items[int(path[1])] = {**items[int(path[1])], "done": value}
        else:
            state[str(path[0])] = value
    return Snapshot(krs, old.lines), {ident for ident, _, _ in updates}
