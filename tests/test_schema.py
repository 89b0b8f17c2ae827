"""`okr schema` is the published schema, and the schema agrees with `okr check` on real files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from okrcli.yamlread import parse
from tests.conftest import EXAMPLE, FIXTURES, ROOT, Okr

SCHEMA_FILE = ROOT / "schemas" / "okr-file.schema.json"
BROKEN = sorted((FIXTURES / "schema-broken").glob("*.yaml"))
EXAMPLES = sorted(EXAMPLE.glob("okrs/**/*.yaml"))


def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _data(path: Path) -> object:
    return parse(path.read_bytes()).data


def test_okr_schema_prints_the_published_file(okr: Okr) -> None:
    result = okr("schema")
    assert result.code == 0
    assert result.out == SCHEMA_FILE.read_text(encoding="utf-8")


def test_examples_exist() -> None:
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(EXAMPLE)))
def test_schema_accepts_example(path: Path) -> None:
    _validator().validate(_data(path))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(EXAMPLE)))
def test_example_names_the_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    assert (path.parent / first.split("$schema=")[1]).resolve() == SCHEMA_FILE


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_schema_and_check_both_reject_broken_fixture(path: Path, tmp_path: Path, okr: Okr) -> None:
    assert list(_validator().iter_errors(_data(path))), "the schema accepted it"
    team = tmp_path / "okrs" / "2026-Q4" / "platform.yaml"
    team.parent.mkdir(parents=True)
    team.write_bytes(path.read_bytes())
    (tmp_path / "okr.toml").write_text("")
    result = okr("check", "--root", tmp_path)
    assert result.code == 1
    assert "OKR001" in result.out
