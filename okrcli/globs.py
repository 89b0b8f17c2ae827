"""`okrs/**/*.yaml`-style globs as regular expressions over posix paths."""

from __future__ import annotations

import functools
import re

# Folders never searched for OKR files (version control, dependencies, caches).
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "__pycache__", ".okr_cache"}


@functools.cache
def compile_glob(pattern: str) -> re.Pattern[str]:
    """`**` spans folders, `*` and `?` stay inside one, `[...]` is a character class."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and (end := pattern.find("]", i + 1)) > i:
            out.append("[" + pattern[i + 1 : end].replace("!", "^", 1) + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


def matches(path: str, patterns: tuple[str, ...] | list[str]) -> bool:
    return any(compile_glob(p).fullmatch(path) for p in patterns)


def literal_prefix(pattern: str) -> str:
    """The folder part before the first wildcard: where a walk for `pattern` starts."""
    head = re.split(r"[*?\[]", pattern, maxsplit=1)[0]
    return head.rsplit("/", 1)[0] if "/" in head else ""
