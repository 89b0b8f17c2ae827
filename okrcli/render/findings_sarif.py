"""`okr check --format sarif`: SARIF 2.1.0, for GitHub code scanning and other viewers.

Every rule in the registry is described in `tool.driver.rules`, with its documentation as
`help.markdown`, so a code-scanning alert explains itself; results point at their rule by
id and index. Paths stay relative to the OKR root, resolved against `%SRCROOT%`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from okrcli.findings import Finding
from okrcli.render.jsonout import dumps

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SECTION = re.compile(r"^## What it does\n(.*?)(?=^## |\Z)", re.MULTILINE | re.DOTALL)


def full_description(module: ModuleType) -> str:
    """The rule's "What it does" section, or its summary when it has none."""
    m = _SECTION.search(module.DOC)
    return " ".join(m[1].split()) if m else str(module.SUMMARY)


def rule(module: ModuleType) -> dict[str, Any]:
    from okrcli.render.rule_doc import markdown

    help_markdown = markdown(module)
    return {
        "id": module.CODE,
        "name": module.__name__.rsplit(".", 1)[-1],
        "shortDescription": {"text": module.SUMMARY},
        "fullDescription": {"text": full_description(module)},
        "help": {"text": help_markdown, "markdown": help_markdown},
        "defaultConfiguration": {"level": module.LEVEL},
        "properties": {"tags": ["okr"]},
    }


def result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    found: dict[str, Any] = {"ruleId": finding.code}
    if finding.code in index:
        found["ruleIndex"] = index[finding.code]
    found.update(
        level=finding.level,
        message={"text": finding.message},
        locations=[
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": finding.path, "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": finding.line, "startColumn": finding.col},
                }
            }
        ],
    )
    return found


def render(findings: Sequence[Finding]) -> str:
    from okrcli import __version__
    from okrcli.rules import RULES

    index = {code: i for i, code in enumerate(RULES)}
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "okr",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [rule(module) for module in RULES.values()],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [result(f, index) for f in findings],
            }
        ],
    }
    return dumps(log)
