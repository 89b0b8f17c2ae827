"""`okr remind`: a digest per owner of what to check in, for a scheduled CI job."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from okrcli.cli import app
from okrcli.cli.options import Owners, Root, Teams, focus_of


class RemindFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command()
def remind(
    output: Annotated[
        RemindFormat, typer.Option("--format", help="Output format.")
    ] = RemindFormat.text,
    team: Teams = None,
    owner: Owners = None,
    root: Root = None,
) -> None:
    """Stale, at-risk and off-track key results, and check-ins without a confidence, per owner."""
    from okrcli.config import load_config
    from okrcli.remind import digests
    from okrcli.repo import load_repo

    repo = load_repo(load_config(root))
    found = digests(repo, focus_of(repo, team, owner))
    if output is RemindFormat.json:
        from okrcli.render import remind_json

        typer.echo(remind_json.render(found, repo.today))
    elif output is RemindFormat.markdown:
        from okrcli.render import remind_markdown

        typer.echo(remind_markdown.render(found), nl=False)
    else:
        from okrcli.render import remind_text

        typer.echo(remind_text.render(found), nl=False)
