"""The day the suite runs on changes nothing: okr under a moved machine clock, and the
README's claims about examples/acme on any day."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLE, Okr

FAKETIME = shutil.which("faketime")


@pytest.mark.real_clock
@pytest.mark.skipif(FAKETIME is None, reason="faketime is not installed (apt-get install faketime)")
@pytest.mark.parametrize("moment", ["2027-02-15", "2031-06-30 12:00"])
def test_okr_takes_today_from_the_machine_clock_when_not_pinned(moment: str) -> None:
    # Not OKR_TODAY, and no outer faketime's settings (when the suite itself runs under one)
    env = {k: v for k, v in os.environ.items()
           if k not in ("OKR_TODAY", "LD_PRELOAD") and not k.startswith("FAKETIME")}  # fmt: skip
    command = [sys.executable, "-m", "okrcli", "score", "--root", str(EXAMPLE), "--format", "json"]
    done = subprocess.run(
        [str(FAKETIME), moment, *command], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["at"] == moment[:10]


@pytest.mark.parametrize(
    "day", ["2026-01-01", "2026-10-05", "2026-11-24", "2026-12-20", "2027-02-15", "2031-06-30"]
)
def test_the_example_passes_with_no_findings_on_any_day(okr: Okr, day: str) -> None:
    """The README's promise, read with this repository's own history (OKR207 and OKR208)."""
    result = okr("--today", day, "check", "--strict", "--root", EXAMPLE)
    assert result.code == 0, result.out
    assert result.out.startswith("All checks passed ("), result.out
