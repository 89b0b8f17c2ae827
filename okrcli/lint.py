"""Runs the selected rules and drops what configuration or comments silence."""

from __future__ import annotations

from collections.abc import Iterable

from okrcli.config import Config
from okrcli.findings import Finding
from okrcli.globs import matches
from okrcli.load import PARSE_CODE
from okrcli.repo import Repo


def _hits(code: str, selectors: Iterable[str]) -> bool:
    return any(s == "ALL" or code.startswith(s) for s in selectors)


def selected_codes(config: Config) -> list[str]:
    """Rule codes that run: select + extend-select − ignore; OKR001 always runs."""
    from okrcli.rules import CODES

    chosen = [*config.select, *config.extend_select]
    return [
        code
        for code in CODES
        if code == PARSE_CODE or (_hits(code, chosen) and not _hits(code, config.ignore))
    ]


def _silenced(
    finding: Finding, repo: Repo, by_rel: dict[str, dict[int, frozenset[str] | None]]
) -> bool:
    if finding.code == PARSE_CODE:
        return False
    for pattern, codes in repo.config.per_file_ignores.items():
        if matches(finding.path, (pattern,)) and _hits(finding.code, codes):
            return True
    on_line = by_rel.get(finding.path, {})
    if finding.line not in on_line:
        return False
    silenced = on_line[finding.line]
    return silenced is None or _hits(finding.code, silenced)


def lint(repo: Repo, only: Iterable[str] | None = None) -> list[Finding]:
    """Every finding in `repo` (or in the files and folders `only` names), sorted."""
    from okrcli.rules import RULES

    by_rel = {source.rel: source.suppressions for source in repo.files}
    found: set[Finding] = set()
    for code in selected_codes(repo.config):
        found.update(RULES[code].check(repo))
    kept = (f for f in found if not _silenced(f, repo, by_rel))
    if only is not None:
        wanted = list(only)
        kept = (f for f in kept if any(within(f.path, w) for w in wanted))
    return sorted(kept)


def within(path: str, wanted: str) -> bool:
    """Whether `path` is the file `wanted` or lies in the folder `wanted` (root-relative)."""
    return wanted in ("", ".") or path == wanted or path.startswith(wanted.rstrip("/") + "/")


def exit_status(findings: Iterable[Finding], strict: bool) -> int:
    """1 for any error (or any warning with `strict`), else 0."""
    return int(any(f.level == "error" or strict for f in findings))
