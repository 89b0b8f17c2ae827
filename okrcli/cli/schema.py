"""`okr schema`: the JSON Schema of an OKR file, for editors."""

from __future__ import annotations

from okrcli.cli import app


@app.command()
def schema() -> None:
    """Print the JSON Schema of an OKR file."""
    import sys

    from okrcli.schema import schema_text

    sys.stdout.write(schema_text())
