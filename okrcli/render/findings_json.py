"""`okr check --format json`: one object, `"version": 1`."""

from __future__ import annotations

from collections.abc import Sequence

from okrcli.findings import Finding
from okrcli.render.jsonout import dumps


def render(findings: Sequence[Finding], files: int) -> str:
    errors = sum(f.level == "error" for f in findings)
    return dumps(
        {
            "version": 1,
            "findings": [f.as_dict() for f in findings],
            "summary": {"files": files, "errors": errors, "warnings": len(findings) - errors},
        },
    )
