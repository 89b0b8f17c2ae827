"""`okr diff [BASE] [HEAD]`: what a change does to the OKRs, e.g. for a PR comment."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from okrcli.cli import app
from okrcli.cli.options import Root


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command()
def diff(
    base: Annotated[
        str | None,
        typer.Argument(help="Revision to compare from (default: merge base with main)."),
    ] = None,
    head: Annotated[
        str | None, typer.Argument(help="Revision to compare to (default: the work tree).")
    ] = None,
    output: Annotated[DiffFormat, typer.Option("--format", help="Output format.")] = (
        DiffFormat.text
    ),
    root: Root = None,
) -> None:
    """Objectives and key results added, removed, re-targeted, re-parented; score changes."""
    from okrcli import clock
    from okrcli.config import load_config
    from okrcli.history.diff import default_base, diff_repos
    from okrcli.repo import load_repo

    config = load_config(root)
    base_rev, base_label = default_base(config.root) if base is None else (base, base)
    before = load_repo(config, at=base_rev, at_given_as="BASE")
    after = load_repo(config, at=head, at_given_as="HEAD") if head else load_repo(config)
    result = diff_repos(before, after, base_label, head or "work tree", clock.today())
    if output is DiffFormat.json:
        from okrcli.render import diff_json

        typer.echo(diff_json.render(result))
    elif output is DiffFormat.markdown:
        from okrcli.render import diff_markdown

        typer.echo(diff_markdown.render(result), nl=False)
    else:
        from okrcli.render import diff_text

        diff_text.render(result)
