"""Findings: what rules report, with the position a person can jump to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from okrcli.messages import printable

Level = Literal["error", "warning"]


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
        object.__setattr__(self, "message", printable(self.message))

    def as_text(self) -> str:
        """One line: the path (a file's name may hold anything but `/`) is escaped too."""
        return f"{printable(self.path)}:{self.line}:{self.col}: {self.code} {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "level": self.level,
            "message": self.message,
        }
