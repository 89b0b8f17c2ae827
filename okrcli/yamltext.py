"""YAML written as text, for the files okr makes (a new cycle's team files, carried-over
objectives): what goes in from a user's file reads back as exactly that."""

from __future__ import annotations

import json
import re


def yaml_string(value: str) -> str:
    """`value` as a YAML scalar that reads back as this very string: a plain word stays plain
    (`dana`), anything else (from a file: `a: b`, a line break, `null`) is double-quoted,
    whose escapes JSON's are a subset of."""
    if re.fullmatch(r"[A-Za-z][\w.@-]*", value) and value.lower() not in ("true", "false", "null"):
        return value
    return json.dumps(value, ensure_ascii=False)
