"""`okrs/**/*.yaml`-style globs over posix paths, in time linear in the path.

A glob is matched name by name: a `**` part spans any number of folders (none included),
any other part matches one name, where `*` is any run of characters, `?` one character and
`[...]` a class (`[!...]` negated). `**` inside a name is a plain `*`, as in .gitignore.

Globs come from okr.toml, which a pull request can change, and paths from its files: a
regular expression of the whole glob backtracks (`*a*a*a*a*b` against a long name takes
minutes), so each name's pattern takes the shortest run for each `*` and keeps it (an
atomic group, written as a lookahead and a backreference), and the folders are matched by
walking the parts once.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Glob:
    parts: tuple[re.Pattern[str] | None, ...]  # None: `**`
    whole: re.Pattern[str] | None  # one expression for the path, with at most one `**`

    def fullmatch(self, path: str) -> bool:
        """Whether `path` matches: the parts reachable after each name, `**` consumed freely
        (with one `**`, a single expression does the same: it can only try each folder)."""
        if self.whole is not None:
            return self.whole.fullmatch(path) is not None
        parts, at = self.parts, self._closure({0})
        for name in path.split("/"):
            step = set()
            for index in at:
                if index == len(parts):
                    continue  # every part used, and a name left
                part = parts[index]
                if part is None:
                    step.add(index)
                elif part.fullmatch(name):
                    step.add(index + 1)
            if not step:
                return False
            at = self._closure(step)
        return len(parts) in at

    def _closure(self, at: set[int]) -> set[int]:
        """`at` with every `**` skipped too (it may span no folder)."""
        for index in sorted(at):
            while index < len(self.parts) and self.parts[index] is None:
                index += 1
                at.add(index)
        return at


# Folders never searched for OKR files (version control, dependencies, caches).
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "__pycache__", ".okr_cache"}


@functools.cache
def compile_glob(pattern: str) -> Glob:
    """The glob `pattern`; re.error for a bad class (`[z-a]`, `[]`) or an unclosed one."""
    names: list[str | None] = []  # None: `**`
    groups = itertools.count(1)  # numbers the atomic groups across the whole path
    for name in pattern.split("/"):
        if name != "**":
            names.append(_name_pattern(name, groups))
        elif not names or names[-1] is not None:  # `**/**` is one `**`
            names.append(None)
    parts = tuple(None if n is None else re.compile(n, re.DOTALL) for n in names)
    whole = re.compile(_path_pattern(names), re.DOTALL) if names.count(None) <= 1 else None
    return Glob(parts, whole)


def _path_pattern(names: list[str | None]) -> str:
    out = ""
    for index, name in enumerate(names):
        last = index == len(names) - 1
        if name is not None:
            out += name if last else name + "/"
        elif last:  # a final `**`: the folder itself or anything in it
            out = out[:-1] + "(?:/.*)?" if out else ".*"
        else:
            out += "(?:[^/]*/)*"
    return out


def _name_pattern(name: str, groups: Iterator[int]) -> str:
    """One name's glob as a regular expression that cannot backtrack (see the module)."""
    tokens: list[str | None] = []  # None: `*`
    i = 0
    while i < len(name):
        if name[i] == "*":
            if not tokens or tokens[-1] is not None:
                tokens.append(None)
            i += 1
        elif name[i] == "[":
            klass, i = _class(name, i)
            tokens.append(klass)
        else:
            tokens.append("[^/]" if name[i] == "?" else re.escape(name[i]))
            i += 1
    out: list[str] = []
    i = 0
    while i < len(tokens) and tokens[i] is not None:  # the fixed start
        out.append(tokens[i] or "")
        i += 1
    while i < len(tokens):
        i += 1  # a `*`, then the fixed stretch up to the next
        fixed = ""
        while i < len(tokens) and tokens[i] is not None:
            fixed += tokens[i] or ""
            i += 1
        if i == len(tokens):  # the last `*`: anything, then the fixed end
            out.append("[^/]*" + fixed)
        else:
            group = next(groups)
            out.append(f"(?=(?P<g{group}>[^/]*?{fixed}))(?P=g{group})")
    return "".join(out)


def _class(name: str, start: int) -> tuple[str, int]:
    """`[...]` at `start` as a regular-expression class, and where it ends; a `[` that never
    closes is a plain character. `]` first in the class is one of its characters."""
    i = start + 1
    negate = i < len(name) and name[i] in "!^"
    i += negate
    first = i
    while i < len(name) and (name[i] != "]" or i == first):
        i += 1
    if i >= len(name):
        return re.escape("["), start + 1
    body = name[first:i]
    chars = "".join("-" if c == "-" and 0 < k < len(body) - 1 else re.escape(c)
                    for k, c in enumerate(body))  # fmt: skip
    return f"[^/{chars}]" if negate else f"[{chars}]", i + 1


def matches(path: str, patterns: tuple[str, ...] | list[str]) -> bool:
    return bool(matcher(tuple(patterns))(path))


@functools.cache
def matcher(patterns: tuple[str, ...]) -> Callable[[str], object]:
    """Whether a path matches one of `patterns` (truthy when it does), compiled once for a
    walk that asks it of every file: a single glob of one `**` at most is its expression's
    own `fullmatch`, which `filter` calls without a Python frame per path."""
    globs = [compile_glob(p) for p in patterns]
    if len(globs) == 1 and globs[0].whole is not None:
        return globs[0].whole.fullmatch
    return lambda path: any(glob.fullmatch(path) for glob in globs)


def literal_prefix(pattern: str) -> str:
    """The folder part before the first wildcard: where a walk for `pattern` starts."""
    head = re.split(r"[*?\[]", pattern, maxsplit=1)[0]
    return head.rsplit("/", 1)[0] if "/" in head else ""
