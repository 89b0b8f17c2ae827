"""Change values in an OKR file without touching any other byte of it.

libyaml's composer (the loader's, okrcli/yamlread.py) finds where each value is written; we
splice the new value into the original text at exactly that span (or add one line, or
one `key: value` inside a flow mapping, for a key that is not there yet). Comments, key
order, quoting, blank lines, indentation, `null`s and line endings stay as they were.
The result is parsed again and must differ from the original in the edited values only;
that parse is the caller's too, and the original's composition can be the loader's
(`composed`, `rewrite`, `verify`), so a check-in composes each version of a file once.
"""

from __future__ import annotations

import codecs
import contextlib
import copy
import os
import re
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from okrcli.errors import OkrError
from okrcli.yamlread import Loc, YamlDoc, YamlProblem, built, compose, decode, parse

_PROPERTIES = re.compile(r"(?:[&!][^\s]*\s+)*")  # an anchor or tag before a scalar


@dataclass(frozen=True)
class Change:
    """Set the value at `loc` (a path of keys and indexes) to `value`; `None` removes the key.

    A missing key is added after the last of `after` present in its mapping (else last).
    A removed key takes its whole line with it (its `, key: value` in a flow mapping).
    """

    loc: Loc
    value: bool | int | float | str | None
    after: tuple[str, ...] = ()


def render(value: bool | int | float | str | None) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return "null" if value is None else value


@dataclass(frozen=True)
class Original:
    """A file as read for an edit, composed once: its bytes, libyaml's nodes of its text
    (where each value is written) and its document (what the edited file must read as, but
    for the changed values). `okr checkin` builds its graph from the same composition."""

    raw: bytes
    root: Any
    doc: YamlDoc  # its text (decoded, without a byte-order mark) and data


def composed(raw: bytes) -> Original:
    """`raw` composed for an edit, with libyaml's composer (the loader's: ruamel.yaml's
    pure-Python one took a minute on a file of 10,000 key results); a YamlProblem if it
    is not a file okr reads."""
    text = decode(raw)
    root = compose(text)
    return Original(raw, root, built(text, root, every_key=False))


def read(raw: bytes, where: str = "the file") -> Original:
    """`composed`, or the OkrError saying why the file cannot be edited."""
    try:
        return composed(raw)
    except YamlProblem as problem:
        raise OkrError(
            f"{where} is not valid YAML; run `okr check` (line {problem.line}, column "
            f"{problem.col}: {problem.message})"
        ) from None


def apply(raw: bytes, changes: Sequence[Change], where: str = "the file") -> bytes:
    """`raw` with every change made; refuses (OkrError) rather than alter anything else."""
    original = read(raw, where)
    after = rewrite(original, changes, where)
    verify(original.doc.data, after, changes, where)
    return after


def rewrite(original: Original, changes: Sequence[Change], where: str = "the file") -> bytes:
    """The original's bytes with every change spliced in; `verify` them next. Apart, so
    that a caller can let the original's nodes go before the new bytes are parsed: on a
    large file they are most of the memory."""
    bom = codecs.BOM_UTF8 if original.raw.startswith(codecs.BOM_UTF8) else b""
    text = original.doc.text
    eol = "\r\n" if "\r\n" in text else "\r" if "\r" in text else "\n"
    splices: list[tuple[int, int, int, str]] = []  # start, end, order, new text
    for order, change in enumerate(changes):
        start, end, new = _splice(text, original.root, change, eol, where)
        splices.append((start, end, order, new))
    pieces: list[str] = []
    done = 0  # joined once: a batch of edits to a large file copies it once
    for start, end, _, new in sorted(splices):
        pieces += (text[done:start], new)
        done = end
    pieces.append(text[done:])
    return bom + "".join(pieces).encode("utf-8")


def _lookup(node: Any, loc: Loc) -> tuple[Any, Any]:
    """The mapping holding the last key of `loc`, and that key's (key, value) nodes or None."""
    for part in loc[:-1]:
        if isinstance(part, int):
            node = node.value[part]
        else:
            node = next(v for k, v in node.value if k.value == part)
    pair = next(((k, v) for k, v in node.value if k.value == loc[-1]), None)
    return node, pair


def _splice(text: str, root: Any, change: Change, eol: str, where: str) -> tuple[int, int, str]:
    mapping, pair = _lookup(root, change.loc)
    key = str(change.loc[-1])
    if change.value is None:
        if pair is None:
            raise OkrError(f"{where}: there is no `{key}` to remove")
        return _removal(text, mapping, pair, where)
    if pair is None:
        return _insertion(text, mapping, key, render(change.value), change.after, eol)
    key_node, value = pair
    if value.id != "scalar" or value.style in ("|", ">"):
        raise OkrError(f"{where}: `{key}` is not written as a single value; edit it by hand")
    start, end = value.start_mark.index, value.end_mark.index
    if start == end:  # `key:` with nothing after it
        colon = text.index(":", key_node.end_mark.index) + 1
        return colon, colon, " " + render(change.value)
    properties = _PROPERTIES.match(text, start, end)
    assert properties is not None  # the pattern matches the empty string
    start = properties.end()
    quote = value.style if value.style in ("'", '"') else ""
    new = render(change.value)
    return (
        start,
        end,
        f"{quote}{new}{quote}" if quote and not isinstance(change.value, bool) else new,
    )


def _insertion(
    text: str, mapping: Any, key: str, new: str, after: tuple[str, ...], eol: str
) -> tuple[int, int, str]:
    pairs = mapping.value
    present = [pair for pair in pairs if pair[0].value in after]
    _, anchor = present[-1] if present else pairs[-1]
    if mapping.flow_style:
        end = anchor.end_mark.index
        return end, end, f", {key}: {new}"
    end = anchor.end_mark.index
    line_start = text.rfind(eol[-1], 0, end) + 1
    if end == len(text):
        prefix, at = ("" if text.endswith(eol[-1]) else eol), end
    elif not text[line_start:end].strip():  # a block list ends where the next line's item starts
        prefix, at = "", line_start
    else:
        newline = text.find(eol, end)
        prefix, at = ("", newline + len(eol)) if newline >= 0 else (eol, len(text))
    indent = " " * pairs[0][0].start_mark.column
    return at, at, f"{prefix}{indent}{key}: {new}{eol}"


def _removal(text: str, mapping: Any, pair: tuple[Any, Any], where: str) -> tuple[int, int, str]:
    """The span of `key: value` to cut: its line in a block mapping, `, key: value` in a flow
    one. A key that shares its line with another key (`- id: X` style) is left to the user."""
    key_node, value = pair
    index = next(n for n, (k, _) in enumerate(mapping.value) if k is key_node)
    if mapping.flow_style:
        if index == 0:
            raise OkrError(f"{where}: `{key_node.value}` opens its mapping; remove it by hand")
        return mapping.value[index - 1][1].end_mark.index, value.end_mark.index, ""
    start = key_node.start_mark.index
    line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    newline = re.compile(r"[ \t]*(#[^\r\n]*)?(\r\n|\r|\n|$)").match(text, value.end_mark.index)
    if text[line_start:start].strip() or newline is None or value.id != "scalar":
        raise OkrError(
            f"{where}: `{key_node.value}` does not sit on a line of its own; remove it by hand"
        )
    return line_start, newline.end(), ""


def verify(before: Any, after: bytes, changes: Sequence[Change], where: str) -> YamlDoc:
    """The edited file must read as the original (`before`, its data) with exactly the
    intended values changed; its parse (once: the caller validates the same)."""
    try:
        parsed = parse(after, every_key=False)
    except YamlProblem:
        parsed = None
    if parsed is None or parsed.data != _expected(before, changes):
        raise OkrError(
            f"{where}: cannot change only the value in place (is it an anchor, alias or "
            "unusual YAML?); edit it by hand"
        )
    return parsed


def _expected(before: Any, changes: Sequence[Change]) -> Any:
    """`before` as the changes should leave it. Only the mappings and lists on the changes'
    paths are copied: `before` itself is left as it was, and a large file is not copied."""
    expected = copy.copy(before)
    for change in changes:
        holder = expected
        for part in change.loc[:-1]:
            holder[part] = copy.copy(holder[part])
            holder = holder[part]
        old = holder.get(change.loc[-1])
        if change.value is None:
            holder.pop(change.loc[-1], None)
        else:
            holder[change.loc[-1]] = render(change.value) if isinstance(old, str) else change.value
    return expected


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` all at once: a crash leaves the old file or the new one."""
    target = path.resolve()
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o644
    if not mode & 0o222 or not os.access(target.parent, os.W_OK):
        raise OkrError(f"{path} is read-only; make it writable to check in")
    try:
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise OkrError(f"cannot write next to {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):  # a folder that refused the rename may refuse this
            Path(temp).unlink(missing_ok=True)
        raise OkrError(f"cannot write {path}: {exc.strerror or exc}") from None
