"""A rule's documentation, as markdown: for `okr rule CODE` and docs/rules.md."""

from __future__ import annotations

import sys
from types import ModuleType

from okrcli.render.console import wants_colour


def markdown(module: ModuleType) -> str:
    return f"# {module.CODE}: {module.SUMMARY} ({module.LEVEL})\n\n{module.DOC}"


def render(module: ModuleType) -> None:
    text = markdown(module)
    if not wants_colour():
        sys.stdout.write(text)
        return
    from rich.markdown import Markdown

    from okrcli.render.console import console

    console().print(Markdown(text))
