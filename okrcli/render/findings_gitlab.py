"""`okr check --format gitlab`: GitLab Code Quality JSON, for `artifacts:reports:codequality`.

GitLab compares fingerprints between the base and the merge request to show new and fixed
findings, so a fingerprint leaves out the line number: moving an objective is no new issue.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence

from okrcli.findings import Finding
from okrcli.render.jsonout import dumps

SEVERITY = {"error": "major", "warning": "minor"}


def fingerprint(finding: Finding, occurrence: int) -> str:
    """Stable across line moves; `occurrence` tells identical findings in one file apart."""
    key = "\0".join((finding.code, finding.path, finding.message, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def render(findings: Sequence[Finding]) -> str:
    seen: Counter[tuple[str, str, str]] = Counter()
    issues = []
    for f in findings:
        seen[f.code, f.path, f.message] += 1
        issues.append(
            {
                "type": "issue",
                "description": f"{f.code} {f.message}",
                "check_name": f.code,
                "fingerprint": fingerprint(f, seen[f.code, f.path, f.message]),
                "severity": SEVERITY[f.level],
                "location": {"path": f.path, "lines": {"begin": f.line}},
            }
        )
    return dumps(issues)
