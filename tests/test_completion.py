"""Shell completion of ids, teams, cycles and rule codes, through the protocol a shell uses.

bash's completion script runs `okr` with `_OKR_COMPLETE=complete_bash`, the words typed so
far in COMP_WORDS and the index of the one being completed in COMP_CWORD; okr prints one
candidate a line. These tests run the installed script exactly so.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import write

OKR = Path(sys.executable).parent / "okr"
PLATFORM = """\
team: platform
cycle: 2026-Q4
owner: dana
objectives:
  - id: PLAT-1
    title: Deploys are boring and safe
    key_results:
      - {id: PLAT-1.1, title: Deploy success rate, start: 92, target: 99, unit: "%"}
      - {id: PLAT-1.2, title: p95 deploy time, start: 42, target: 15, unit: min}
  - id: PLAT-2
    title: Builds nobody waits for
    key_results:
      - {id: PLAT-2.1, title: Queue time, below: 2}
"""
PAYMENTS = """\
team: payments
cycle: "2026"
owner: omar
objectives:
  - id: PAY-1
    title: Checkout that never fails
    key_results:
      - {id: PAY-1.1, title: Checkout success, start: 97, target: 99.9, unit: "%"}
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if not OKR.exists():
        pytest.skip("the okr script is not installed next to this Python")
    write(tmp_path / "okr.toml", "[cycles]\nLaunch = { start = 2026-09-01, end = 2026-10-15 }\n")
    write(tmp_path / "okrs/2026-Q4/platform.yaml", PLATFORM)
    write(tmp_path / "okrs/2026/payments.yaml", PAYMENTS)
    return tmp_path


def tab(cwd: Path, line: str) -> list[str]:
    """What `okr` offers for the last word of `line` (empty after a trailing space)."""
    words = line.split(" ")
    env = {**os.environ, "_OKR_COMPLETE": "complete_bash", "COMP_WORDS": line,
           "COMP_CWORD": str(len(words) - 1)}  # fmt: skip
    done = subprocess.run([OKR], env=env, cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return done.stdout.split()


def test_checkin_completes_the_key_results_of_a_prefix(repo: Path) -> None:
    assert tab(repo, "okr checkin PLAT") == ["PLAT-1.1", "PLAT-1.2", "PLAT-2.1"]
    assert tab(repo, "okr checkin PA") == ["PAY-1.1"]
    assert tab(repo, "okr checkin ") == ["PAY-1.1", "PLAT-1.1", "PLAT-1.2", "PLAT-2.1"]


def test_tree_and_log_complete_objectives_too(repo: Path) -> None:
    assert tab(repo, "okr tree PLAT-") == ["PLAT-1", "PLAT-1.1", "PLAT-1.2", "PLAT-2", "PLAT-2.1"]
    assert tab(repo, "okr log PLAT-2") == ["PLAT-2", "PLAT-2.1"]


def test_teams_cycles_and_rule_codes(repo: Path) -> None:
    assert tab(repo, "okr score --team p") == ["payments", "platform"]
    assert tab(repo, "okr tree --team pl") == ["platform"]
    assert tab(repo, "okr score --cycle 2026") == ["2026", "2026-Q4"]
    assert tab(repo, "okr score --cycle L") == ["Launch"]  # declared in okr.toml
    assert tab(repo, "okr review 2026-") == ["2026-Q4"]
    assert tab(repo, "okr new pay") == ["payments"]
    codes = tab(repo, "okr rule OKR10")
    assert {"OKR101", "OKR102", "OKR103"} <= set(codes)
    assert all(code.startswith("OKR10") for code in codes)


def test_root_option_is_followed(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    assert tab(elsewhere, f"okr checkin --root {repo} PLAT-1") == ["PLAT-1.1", "PLAT-1.2"]


def _age(path: Path) -> None:
    """Date the file a minute back: one changed in the last two seconds is never cached."""
    os.utime(path, ns=(time.time_ns() - 60 * 10**9,) * 2)


def test_names_come_from_the_cache_and_never_go_stale(repo: Path) -> None:
    names = repo / ".okr_cache" / "names.marshal"
    for path in (repo / "okrs").rglob("*.yaml"):
        _age(path)
    assert tab(repo, "okr checkin PLAT-1") == ["PLAT-1.1", "PLAT-1.2"]
    written = names.stat().st_mtime_ns
    assert tab(repo, "okr checkin PLAT-1") == ["PLAT-1.1", "PLAT-1.2"]
    assert names.stat().st_mtime_ns == written  # every name found in the cache: nothing parsed
    platform = repo / "okrs/2026-Q4/platform.yaml"
    platform.write_text(PLATFORM.replace("PLAT-1.2", "PLAT-1.3"), encoding="utf-8")
    assert tab(repo, "okr checkin PLAT-1") == ["PLAT-1.1", "PLAT-1.3"]
    write(repo / "okrs/2027-Q1/platform.yaml", PLATFORM.replace("PLAT-", "P27-"))
    assert tab(repo, "okr checkin P27-2") == ["P27-2.1"]  # a new file in a new folder


def test_a_file_edited_within_the_clock_tick_is_read_again(repo: Path) -> None:
    """Two writes of the same size in one tick of the file system's clock leave the same
    time: a file that recent is never cached. (Its time is set ahead, so that a slow machine
    cannot make it old enough before the first TAB.)"""
    platform = repo / "okrs/2026-Q4/platform.yaml"
    tick = (time.time_ns() + 60 * 10**9,) * 2
    os.utime(platform, ns=tick)
    assert tab(repo, "okr checkin PLAT-1") == ["PLAT-1.1", "PLAT-1.2"]
    platform.write_text(PLATFORM.replace("PLAT-1.2", "PLAT-1.3"), encoding="utf-8")
    os.utime(platform, ns=tick)  # same size, same time
    assert tab(repo, "okr checkin PLAT-1") == ["PLAT-1.1", "PLAT-1.3"]


def test_a_broken_repository_completes_nothing_quietly(repo: Path) -> None:
    (repo / "okr.toml").write_text("paths = [\n", encoding="utf-8")
    assert tab(repo, "okr checkin PLAT") == []
    (repo / "okr.toml").write_text("", encoding="utf-8")
    (repo / "okrs/2026/payments.yaml").write_text("team: [unclosed\n", encoding="utf-8")
    assert tab(repo, "okr checkin P") == ["PLAT-1.1", "PLAT-1.2", "PLAT-2.1"]
