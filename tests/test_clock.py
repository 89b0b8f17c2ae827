"""`--today` and `OKR_TODAY`: one day for the whole run, and a clear error for a bad one."""

from __future__ import annotations

import pytest

from tests.conftest import EXAMPLE, Okr


def test_today_option_sets_the_day_scores_are_judged_on(okr: Okr) -> None:
    done = okr("--today", "2026-10-15", "score", "--root", EXAMPLE, "--format", "json")
    assert done.code == 0, done.err
    assert '"at": "2026-10-15"' in done.out or '"at":"2026-10-15"' in done.out


def test_environment_variable_sets_the_day(okr: Okr, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKR_TODAY", "2026-11-02")
    done = okr("score", "--root", EXAMPLE)
    assert done.code == 0, done.err
    assert "Scores as of 2026-11-02" in done.out


def test_a_pinned_day_does_not_leak_into_the_next_run(
    okr: Okr, monkeypatch: pytest.MonkeyPatch
) -> None:
    okr("--today", "2026-10-15", "score", "--root", EXAMPLE)
    monkeypatch.setenv("OKR_TODAY", "2026-11-02")
    done = okr("score", "--root", EXAMPLE)
    assert "Scores as of 2026-11-02" in done.out


@pytest.mark.parametrize("bad", ["2026-1-15", "tomorrow", "2026-02-30", "٢٠٢٦-10-15"])
def test_a_bad_day_is_one_sentence_and_exit_2(okr: Okr, bad: str) -> None:
    done = okr("--today", bad, "score", "--root", EXAMPLE)
    assert done.code == 2
    assert done.err.startswith("okr: error: --today (or OKR_TODAY) must be a date as YYYY-MM-DD")
    assert "Traceback" not in done.err
