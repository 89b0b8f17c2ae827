"""The published JSON Schema text; `schemas/okr-file.schema.json` is kept equal by a test."""

from __future__ import annotations

import json

SCHEMA_ID = "https://raw.githubusercontent.com/okr-cli/okr/main/schemas/okr-file.schema.json"


def schema_text() -> str:
    from okrcli.model import json_schema

    schema = {"$id": SCHEMA_ID, **json_schema()}
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
