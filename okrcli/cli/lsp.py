"""`okr lsp`: a language server for editors, over stdio."""

from __future__ import annotations

from okrcli.cli import app


@app.command()
def lsp() -> None:
    """Run the language server on stdin/stdout: findings as you type, hover, go to definition,
    completion of ids in `parent:`, and a quick fix to ignore a finding (docs/editors.md)."""
    from okrcli.lsp import serve

    serve()
