"""`okr check --format github`: GitHub Actions workflow commands, one annotation a finding.

GitHub turns `::error file=…,line=…,col=…,title=…::message` lines in a job's log into
annotations on the pull request's diff. Values are percent-escaped as the runner expects.
"""

from __future__ import annotations

from collections.abc import Sequence

from okrcli.findings import Finding
from okrcli.render.findings_text import summary


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    """One workflow command; `::warning` for warnings, `::error` for errors."""
    props = ",".join(
        f"{key}={_property(str(value))}"
        for key, value in (
            ("file", finding.path),
            ("line", finding.line),
            ("col", finding.col),
            ("title", finding.code),
        )
    )
    return f"::{finding.level} {props}::{_data(f'{finding.code} {finding.message}')}"


def render(findings: Sequence[Finding], files: int) -> str:
    """Every annotation, then the usual summary as a plain log line."""
    return "\n".join([*(annotation(f) for f in findings), summary(findings, files)])
