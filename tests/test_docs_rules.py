"""docs/rules.md is rendered from the rule modules; this fails when the two drift apart."""

from __future__ import annotations

from okrcli.render.rules_md import render
from okrcli.rules import RULES
from tests.conftest import ROOT

DOCS = ROOT / "docs" / "rules.md"


def test_rules_md_is_up_to_date() -> None:
    assert DOCS.read_text(encoding="utf-8") == render(), (
        "docs/rules.md is stale: run `python -m okrcli.render.rules_md > docs/rules.md`"
    )


def test_every_rule_has_a_section_and_a_table_row() -> None:
    text = render()
    for code, module in RULES.items():
        assert f"| [{code}](#{code.lower()}) | {module.LEVEL} | {module.SUMMARY} |" in text
        assert f'<a id="{code.lower()}"></a>\n\n## {code}: {module.SUMMARY}' in text
        assert "### Use instead" in text.split(f"## {code}:")[1]


def test_headings_move_down_but_code_comments_stay() -> None:
    from okrcli.render.rules_md import _demote

    page = "## What it does\nText\n```yaml\n# okrs/2026-Q4/a.yaml\nteam: a\n```\n## Example"
    assert _demote(page) == (
        "### What it does\nText\n```yaml\n# okrs/2026-Q4/a.yaml\nteam: a\n```\n### Example"
    )
