"""Findings: what rules report, with the position a person can jump to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning"]

# Control characters quoted from a file could forge finding lines or drive the terminal.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at `path:line:col`; ordering is the order users read them in."""

    path: str
    line: int
    col: int
    code: str
    message: str
    level: Level = "error"

    def __post_init__(self) -> None:
        if _CONTROL.search(self.message):
            escaped = _CONTROL.sub(lambda m: repr(m[0])[1:-1], self.message)
            object.__setattr__(self, "message", escaped)

    def as_text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "level": self.level,
            "message": self.message,
        }
