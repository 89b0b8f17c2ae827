"""Each rule fires on its `bad` fixture, stays quiet on its `good` one; `okr rule` explains it."""

from __future__ import annotations

import re

import pytest

from okrcli.rules import RULES
from tests.conftest import FIXTURES, Okr

RULE_FIXTURES = FIXTURES / "rules"
# Rules that read git history are tested on real repositories in their own test modules.
HISTORY_RULES = {"OKR207", "OKR208"}
FILE_RULES = sorted(set(RULES) - HISTORY_RULES)
LINE = re.compile(r"^(?P<path>[\w./-]+\.yaml):(?P<line>\d+):(?P<col>\d+): (?P<code>OKR\d{3}) .+$")


def test_every_file_rule_has_fixtures() -> None:
    assert sorted(p.name for p in RULE_FIXTURES.iterdir()) == FILE_RULES


@pytest.mark.parametrize("code", FILE_RULES)
def test_rule_fires_on_bad_fixture(code: str, okr: Okr) -> None:
    result = okr("check", "--root", RULE_FIXTURES / code / "bad", "--strict")
    lines = result.out.splitlines()
    findings = [m for m in map(LINE.match, lines[:-1]) if m]
    assert len(findings) == len(lines) - 1, result.out  # every line but the summary is a finding
    assert code in {m["code"] for m in findings}, result.out
    assert result.code == 1
    assert result.err == ""


@pytest.mark.parametrize("code", FILE_RULES)
def test_rule_quiet_on_good_fixture(code: str, okr: Okr) -> None:
    result = okr("check", "--root", RULE_FIXTURES / code / "good", "--strict")
    assert result.code == 0, result.out
    assert result.out.startswith("All checks passed")


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_command_explains_every_code(code: str, okr: Okr) -> None:
    result = okr("rule", code.lower())
    assert result.code == 0
    for heading in ("What it does", "Why is this bad?", "Example", "Use instead"):
        assert heading in result.out
    assert code in result.out


def test_rule_without_code_lists_all(okr: Okr) -> None:
    result = okr("rule")
    assert [line.split()[0] for line in result.out.splitlines()] == list(RULES)


def test_unknown_rule_is_one_sentence(okr: Okr) -> None:
    result = okr("rule", "OKR10")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "no rule OKR10" in result.err


def test_warning_only_exits_zero_without_strict(okr: Okr) -> None:
    result = okr("check", "--root", RULE_FIXTURES / "OKR103" / "bad")
    assert result.code == 0
    assert "OKR103 metric `PLAT-1.1` has no `unit`" in result.out


def test_finding_points_at_the_offending_key(okr: Okr) -> None:
    result = okr("check", "--root", RULE_FIXTURES / "OKR003" / "bad")
    assert (
        "okrs/2026-Q4/platform.yaml:7:5: OKR003 objective `PLAT-1`: parent `ACME-9` names no "
        "objective or key result (did you mean `ACME-1`?)"
    ) in result.out.splitlines()


def test_loop_names_every_id_on_it(okr: Okr) -> None:
    result = okr("check", "--root", RULE_FIXTURES / "OKR004" / "bad")
    assert "OKR004 alignment loop: PLAT-2 → PLAT-3 → PLAT-2" in result.out


@pytest.mark.parametrize(
    ("title", "verb"),
    [
        ("Launch the new onboarding", "Launch"),
        ("Launched canary analysis", "Launched"),
        ("Migrating the build pipelines", "Migrating"),
        ("Completed SOC 2 audit", "Completed"),
        ("Builds use the shared cache", None),
        ("SOC 2 Type II report issued", None),
    ],
)
def test_activity_verbs(title: str, verb: str | None) -> None:
    from okrcli.rules.okr204_activity import activity

    assert activity(title) == verb
