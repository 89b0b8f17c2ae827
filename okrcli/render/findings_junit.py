"""`okr check --format junit`: JUnit XML, one test case per checked file.

Test-report viewers (GitLab, Jenkins, Azure) show a failed case per file with every
finding in it. A case fails when the file has an error (or any finding with `--strict`),
as the exit status does; a file with only warnings passes and lists them in system-out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from xml.etree import ElementTree as ET

from okrcli.findings import Finding
from okrcli.messages import printable
from okrcli.render.findings_text import summary


def render(findings: Sequence[Finding], files: Iterable[str], strict: bool = False) -> str:
    by_path: dict[str, list[Finding]] = {path: [] for path in files}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    failed = {p for p, found in by_path.items() if any(strict or f.level == "error" for f in found)}
    suite = ET.Element(
        "testsuite",
        name="okr check",
        tests=str(len(by_path)),
        failures=str(len(failed)),
        errors="0",
        skipped="0",
    )
    for path in sorted(by_path):
        shown = printable(path)  # XML 1.0 allows no control characters, even escaped
        case = ET.SubElement(suite, "testcase", classname="okr", name=shown, file=shown)
        found = by_path[path]
        if not found:
            continue
        text = "\n".join(f.as_text() for f in found)
        if path in failed:
            message = summary(found, 1)
            ET.SubElement(case, "failure", message=message, type=found[0].code).text = text
        else:
            ET.SubElement(case, "system-out").text = text
    suites = ET.Element("testsuites", name="okr", tests=suite.get("tests", "0"),
                        failures=suite.get("failures", "0"))  # fmt: skip
    suites.append(suite)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")
