"""`path:line:col: CODE message`, sorted, then a one-line summary."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import IO

from okrcli.findings import Finding
from okrcli.messages import printable
from okrcli.render.console import wants_colour


def summary(findings: Sequence[Finding], files: int) -> str:
    errors = sum(f.level == "error" for f in findings)
    warnings = len(findings) - errors
    if not findings:
        return f"All checks passed ({files} file{'s' * (files != 1)})."
    parts = [
        f"{n} {word}{'s' * (n != 1)}" for n, word in ((errors, "error"), (warnings, "warning")) if n
    ]
    return f"Found {' and '.join(parts)} in {files} file{'s' * (files != 1)}."


def render(findings: Sequence[Finding], files: int, stream: IO[str] | None = None) -> None:
    stream = stream or sys.stdout
    if not wants_colour(stream):
        for f in findings:
            stream.write(f.as_text() + "\n")
        stream.write(summary(findings, files) + "\n")
        return
    from rich.markup import escape

    from okrcli.render.console import console

    out = console(stream)
    for f in findings:
        colour = "red" if f.level == "error" else "yellow"
        where = f"[bold]{escape(printable(f.path))}[/]:{f.line}:{f.col}:"
        # One line per finding, however long: the terminal wraps it, and editors and
        # terminals that link `path:line:col` still see it whole.
        out.print(f"{where} [{colour} bold]{f.code}[/] {escape(f.message)}", soft_wrap=True)
    out.print(("[green]" if not findings else "[bold]") + escape(summary(findings, files)))
