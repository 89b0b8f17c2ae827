"""`okr check --format json`: one object, `"version": 1`."""

from __future__ import annotations

import json
from collections.abc import Sequence

from okrcli.findings import Finding


def render(findings: Sequence[Finding], files: int) -> str:
    errors = sum(f.level == "error" for f in findings)
    return json.dumps(
        {
            "version": 1,
            "findings": [f.as_dict() for f in findings],
            "summary": {"files": files, "errors": errors, "warnings": len(findings) - errors},
        },
        indent=2,
        ensure_ascii=False,
    )
