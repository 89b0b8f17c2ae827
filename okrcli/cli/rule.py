"""`okr rule [CODE]`: what a rule checks, why, and a bad and a good example."""

from __future__ import annotations

from typing import Annotated

import typer

from okrcli.cli import app
from okrcli.cli.options import complete_rule


@app.command()
def rule(
    code: Annotated[
        str | None, typer.Argument(help="A rule code, e.g. OKR101.", autocompletion=complete_rule)
    ] = None,
) -> None:
    """Explain a rule, or list them all."""
    from okrcli.errors import OkrError
    from okrcli.messages import suggest
    from okrcli.rules import RULES

    if code is None:
        for module in RULES.values():
            typer.echo(f"{module.CODE}  {module.LEVEL:<7}  {module.SUMMARY}")
        return
    chosen = RULES.get(code.upper())
    if chosen is None:
        raise OkrError(f"no rule {code}{suggest(code.upper(), RULES)}; `okr rule` lists them")
    from okrcli.render.rule_doc import render

    render(chosen)
