"""Bytes → plain data with the line and column of every key and item.

Safe by construction: PyYAML only composes nodes (with libyaml, in C, where installed:
about five times faster than ruamel.yaml's composer); we build the data ourselves with the
YAML 1.2 core schema, so no tag can run code, duplicate keys are caught, and alias
expansion is bounded. `okr checkin` splices its edits at the offsets these nodes carry.
"""

from __future__ import annotations

import codecs
import functools
import math
import re
import sys
from dataclasses import dataclass
from typing import Any

MAX_BYTES = 4 * 1024 * 1024
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
MAX_DEPTH = 64
MAX_ALIAS_NODES = 10_000
# What aliases may add to a file, in characters of text: as much as a file may hold itself.
# Counting nodes alone let 3,000 aliases of a 1 MB scalar through as 3 GB of output.
MAX_ALIAS_CHARS = MAX_BYTES

Loc = tuple[str | int, ...]
Pos = tuple[int, int]

_CORE = "tag:yaml.org,2002:"
_WORDS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False,
          "~": None, "null": None, "Null": None, "NULL": None, "": None}  # fmt: skip
_NUMBER_START = frozenset("0123456789+-.")
# Bounded: Python will not convert longer digit strings, and no target needs them.
_INT = re.compile(r"[-+]?[0-9]{1,4300}")
_OCT = re.compile(r"0o[0-7]{1,1000}")
_HEX = re.compile(r"0x[0-9a-fA-F]{1,1000}")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")
_CONFLICT = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(?: |$)", re.MULTILINE)
_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)


class YamlProblem(Exception):
    """Why a file cannot be read, at a 1-based line and column."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


@dataclass
class YamlDoc:
    data: Any
    positions: dict[Loc, Pos]
    text: str


def _position(text: str | bytes, offset: int) -> Pos:
    newline = "\n" if isinstance(text, str) else b"\n"
    line_start = text.rfind(newline, 0, offset) + 1  # type: ignore[arg-type]
    return text.count(newline, 0, offset) + 1, offset - line_start + 1  # type: ignore[arg-type]


def check_size(size: int) -> None:
    """Refuse a file over MAX_BYTES (callers check before reading it whole)."""
    if size > MAX_BYTES:
        raise YamlProblem(1, 1, too_big(size))


def too_big(size: int) -> str:
    return f"file is {size / 1048576:.1f} MiB; okr reads files up to 4 MiB"


def decode(raw: bytes) -> str:
    """UTF-8 text (a BOM is allowed), or a YamlProblem naming the first bad byte."""
    check_size(len(raw))
    for bom, name in _WIDE_BOMS:
        if raw.startswith(bom):
            raise YamlProblem(1, 1, f"file is encoded as {name}; save it as UTF-8")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position(raw, exc.start)
        raise YamlProblem(
            line, col, f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8"
        ) from None
    nul = text.find("\0")
    if nul >= 0:
        raise YamlProblem(*_position(text, nul), "NUL byte in the file; it is not a text file")
    if _has_conflict_marker(text) and (m := _CONFLICT.search(text)):
        raise YamlProblem(
            *_position(text, m.start()),
            f"merge-conflict marker `{m[1]}`: resolve the conflict and remove the markers",
        )
    if "\t" in text and (m := _TAB_INDENT.search(text)):
        line, col = _position(text, m.end() - 1)
        raise YamlProblem(line, col, "tab in indentation; YAML indents with spaces only")
    return text


def _has_conflict_marker(text: str) -> bool:
    """A quick look first: a substring test is far faster than a line-anchored pattern."""
    return any(marker in text for marker in ("<<<<<<<", "=======", ">>>>>>>", "|||||||"))


def parse(raw: bytes, *, every_key: bool = True) -> YamlDoc:
    """Parse one YAML document; every failure is a YamlProblem with a position.

    With `every_key=False` only the items of lists get a position (objectives, key results):
    recording every key costs time and most of the memory, and only findings need them.
    """
    text = decode(raw)
    return built(text, compose(text), every_key=every_key)


def built(text: str, node: Any, *, every_key: bool = True) -> YamlDoc:
    """The document of `text` from its composed nodes (`compose`), typed and bounded as
    `parse` does it: for a caller that keeps the nodes too (`okr checkin` edits at their
    offsets), so that one composition serves both."""
    positions: dict[Loc, Pos] = {(): (1, 1)}
    if node is None:
        return YamlDoc(None, positions, text)
    builder = _Builder(positions, every_key)
    return YamlDoc(builder.build(node, (), 0), positions, text)


def compose(text: str) -> Any:
    """libyaml's nodes of one document, with character offsets; a YamlProblem if not YAML."""
    from yaml import MarkedYAMLError, YAMLError

    composer = _composer()(text)
    try:
        return composer.get_single_node()
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "not valid YAML"
        raise YamlProblem(line, col, f"not valid YAML: {problem}") from None
    except YAMLError as exc:
        raise YamlProblem(1, 1, f"not valid YAML: {exc}") from None
    except RecursionError:
        raise YamlProblem(1, 1, "not valid here: nesting is too deep") from None
    finally:
        composer.dispose()


@functools.cache
def _composer() -> type:
    """libyaml's composer (PyYAML's C extension where installed), with untyped scalars."""
    import yaml
    from yaml.nodes import ScalarNode, SequenceNode

    class TagKeeper(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        """Leaves plain scalars untyped ("?"); `_Builder` types them by YAML 1.2 rules."""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            if kind is ScalarNode:
                return "?" if implicit[0] else _CORE + "str"
            return _CORE + ("seq" if kind is SequenceNode else "map")

        def descend_resolver(self, *args: Any) -> None:
            pass

        def ascend_resolver(self, *args: Any) -> None:
            pass

    return TagKeeper


def _pos(node: Any) -> Pos:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


_SEQ, _MAP, _STR = _CORE + "seq", _CORE + "map", _CORE + "str"


class _Builder:
    def __init__(self, positions: dict[Loc, Pos], every_key: bool = True) -> None:
        self.positions = positions
        self.every_key = every_key
        self.seen: set[int] = set()
        self.alias_budget = MAX_ALIAS_NODES
        self.alias_chars = MAX_ALIAS_CHARS

    def visit(self, node: Any, depth: int) -> bool:
        """Count a node; a node seen before is an alias (True), and aliases have a budget of
        values and of text."""
        repeat = id(node) in self.seen
        if repeat:
            self.alias_budget -= 1
            if self.alias_budget < 0:
                raise YamlProblem(*_pos(node), "aliases expand to too many values (an alias bomb?)")
            if node.id == "scalar":
                self.charge(node, len(node.value))
        else:
            self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise YamlProblem(*_pos(node), f"nesting is deeper than {MAX_DEPTH} levels")
        return repeat

    def charge(self, node: Any, chars: int) -> None:
        """Count text an alias repeats against the budget."""
        self.alias_chars -= chars
        if self.alias_chars < 0:
            raise YamlProblem(
                *_pos(node),
                f"aliases expand to more than {MAX_ALIAS_CHARS // 1048576} MiB of text "
                "(an alias bomb?)",
            )

    def build(self, node: Any, loc: Loc, depth: int) -> Any:
        repeat = self.visit(node, depth)
        kind = node.id
        if kind == "scalar":
            return self.scalar(node)
        if kind == "sequence":
            self.expect_tag(node, _SEQ)
            items = []
            for index, item in enumerate(node.value):
                here = loc + (index,)
                self.positions[here] = _pos(item)
                items.append(self.build(item, here, depth + 1))
            return items
        self.expect_tag(node, _MAP)
        if repeat:  # an alias of a mapping repeats its keys too
            self.charge(node, sum(len(k.value) for k, _ in node.value if k.id == "scalar"))
        mapping: dict[Any, Any] = {}
        first: dict[Any, Any] = {}
        seen = self.seen
        for key_node, value_node in node.value:
            if key_node.id != "scalar":
                raise YamlProblem(
                    *_pos(key_node), "a key must be plain text, not a list or mapping"
                )
            key = self.scalar(key_node)
            if type(key) is str:  # one copy of `title`, not one per key result
                key = sys.intern(key)
            if key == "<<" and key_node.tag == "?":
                raise YamlProblem(*_pos(key_node), "merge keys (`<<`) are not part of YAML 1.2")
            if key in first:
                raise YamlProblem(
                    *_pos(key_node),
                    f"duplicate key `{key}` (first at line {first[key].start_mark.line + 1})",
                )
            first[key] = key_node
            here = loc + (key,)
            if self.every_key:
                self.positions[here] = _pos(key_node)
            if value_node.id == "scalar" and depth < MAX_DEPTH:  # the common case, inline
                if id(value_node) in seen:
                    self.visit(value_node, depth + 1)  # an alias: count it against the budget
                seen.add(id(value_node))
                mapping[key] = self.scalar(value_node)
            else:
                mapping[key] = self.build(value_node, here, depth + 1)
        return mapping

    @staticmethod
    def expect_tag(node: Any, tag: str) -> None:
        if node.tag != tag:
            raise YamlProblem(*_pos(node), f"tag `{_tag_name(node.tag)}` is not allowed here")

    @staticmethod
    def scalar(node: Any) -> Any:
        tag, value = node.tag, node.value
        if tag == "?":
            return _resolve_plain(value)
        if tag == _STR or tag == "!":
            return value
        typed = _resolve_plain(value)
        expected = {"int": int, "float": float, "bool": bool, "null": type(None)}
        want = expected.get(tag[len(_CORE) :]) if tag.startswith(_CORE) else None
        if want is None:
            raise YamlProblem(
                *_pos(node),
                f"tag `{_tag_name(tag)}` is not allowed: okr files are plain YAML 1.2 "
                "without custom tags",
            )
        if want is float and type(typed) is int:
            return float(typed)
        if type(typed) is not want:
            raise YamlProblem(*_pos(node), f"`{value}` is not a valid `{_tag_name(tag)}`")
        return typed


def _resolve_plain(value: str) -> Any:
    """YAML 1.2 core schema: what a plain scalar means."""
    if value[:1] not in _NUMBER_START:  # most scalars are words: skip the patterns
        return _WORDS.get(value, value)
    if _INT.fullmatch(value):
        return int(value)
    if _OCT.fullmatch(value):
        return int(value[2:], 8)
    if _HEX.fullmatch(value):
        return int(value[2:], 16)
    if _FLOAT.fullmatch(value):
        return float(value)
    if _INF.fullmatch(value):
        return -math.inf if value.startswith("-") else math.inf
    if _NAN.fullmatch(value):
        return math.nan
    return value
