"""JSON for programs: one compact line when piped (written by the C encoder, several times
faster on a large organisation), indented for a person at a terminal, like `gh --json`."""

from __future__ import annotations

import json
import sys
from typing import Any


def for_a_person() -> bool:
    return sys.stdout.isatty()


def dumps(document: Any) -> str:
    return (
        json.dumps(document, indent=2, ensure_ascii=False) if for_a_person() else compact(document)
    )


def compact(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
