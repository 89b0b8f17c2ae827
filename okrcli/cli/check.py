"""`okr check [PATH…]`: validate and lint; the CI gate."""

from __future__ import annotations

import sys
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from okrcli.cli import app
from okrcli.cli.options import At, NoCache, Root

if TYPE_CHECKING:
    from okrcli.findings import Finding


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    junit = "junit"
    gitlab = "gitlab"


@app.command()
def check(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders to report on (default: all).")
    ] = None,
    root: Root = None,
    output: Annotated[
        CheckFormat,
        typer.Option(
            "--format",
            help="Output format: text, json, github (workflow annotations), sarif (code "
            "scanning), junit (test reports) or gitlab (Code Quality).",
        ),
    ] = CheckFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    at: At = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="REV",
            help="Pull-request mode: only findings on what changed since REV (from where the "
            "change left it), and those the change causes elsewhere; rules that depend on "
            "today's date are left out.",
        ),
    ] = None,
    no_cache: NoCache = False,
) -> None:
    """Validate and lint the OKR files. Exit 0 clean, 1 findings, 2 could not run."""
    from okrcli.config import load_config
    from okrcli.errors import OkrError
    from okrcli.incremental import checked_findings
    from okrcli.lint import exit_status
    from okrcli.repo import relative

    config = load_config(root)
    if since is not None and at is not None:
        raise OkrError("--since and --at do not go together: --since checks the work tree")
    only = None
    if paths:
        missing = [p for p in paths if not p.exists() and at is None]
        if missing:
            raise OkrError(f"{missing[0]}: no such file or folder")
        only = [relative(config, p) for p in paths]
    extra = [rel for rel, p in zip(only or [], paths or [], strict=True) if p.is_file()]
    checked, findings = checked_findings(
        config, only=only, extra=extra, at=at, since=since, cache=not no_cache
    )
    _note_oversized()
    if output is CheckFormat.text:
        from okrcli.render import findings_text

        findings_text.render(findings, len(checked))
    else:
        from okrcli.git import folder_in_work_tree

        prefix = folder_in_work_tree(config.root)
        findings = [replace(f, path=prefix + f.path) for f in findings]
        checked = [prefix + rel for rel in checked]
        typer.echo(_rendered(output, findings, checked, strict))
    raise typer.Exit(exit_status(findings, strict))


def _note_oversized() -> None:
    """The history's notes of versions it did not read; none when no history was read (its
    module, which keeps them, was never imported: outside git, or no rule reads it)."""
    history = sys.modules.get("okrcli.history")
    for note in history.oversized_notes() if history is not None else ():
        typer.echo(f"okr: note: {note}", err=True)


def _rendered(
    output: CheckFormat, findings: list[Finding], checked: list[str], strict: bool
) -> str:
    """The findings in a machine-readable format."""
    from okrcli.render import (
        findings_github,
        findings_gitlab,
        findings_json,
        findings_junit,
        findings_sarif,
    )

    if output is CheckFormat.json:
        return findings_json.render(findings, len(checked))
    if output is CheckFormat.github:
        return findings_github.render(findings, len(checked))
    if output is CheckFormat.sarif:
        return findings_sarif.render(findings)
    if output is CheckFormat.junit:
        return findings_junit.render(findings, checked, strict)
    return findings_gitlab.render(findings)
