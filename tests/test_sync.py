"""`okr sync` on real repositories: real source processes, a real local HTTP server, real
files; one commit with an `OKR-Source:` trailer per key result."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.conftest import Okr, commit_all, git, init_repo, write
from tests.localhttp import serving

PLATFORM = """\
team: platform
cycle: 2026-Q4
owner: dana
objectives:
  - id: PLAT-1
    title: Deploys are boring and safe
    key_results:
      - id: PLAT-1.1
        title: Deploy success rate   # from the deploy log
        start: 92
        target: 99
        current: 95
        unit: "%"
        source: {name: deploys, args: {service: api}}
      - id: PLAT-1.2
        title: Error-budget burn rate
        below: 1.0
        current: 0.8
        source: burn
      - id: PLAT-1.3
        title: Canary analysis on every service
        done: false
        source: canary
"""
GROWTH = """\
team: growth
cycle: 2026-Q4
owner: gus
objectives:
  - id: GROW-1
    title: Self-serve takes off
    key_results:
      - {id: GROW-1.1, title: Weekly sign-ups, start: 1200, target: 2000, current: 1300,
         unit: sign-ups, source: signups}
      - {id: GROW-1.2, title: Trial to paid, start: 3, target: 6, current: 4, unit: "%",
         source: trials}
"""


class _Api(BaseHTTPRequestHandler):
    body = b'{"data": [{"burn": 0.65}]}'

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def api() -> Iterator[str]:
    with serving(_Api) as url:
        yield url


def _settings(api: str, trials: str = "print('4,5%')") -> str:
    py = sys.executable
    return f"""\
[sources.deploys]
command = ["{py}", "scripts/deploys.py", "{{service}}"]

[sources.burn]
url = "{api}/burn"
pointer = "/data/0/burn"

[sources.canary]
file = "metrics/canary.json"
pointer = "/rolled_out"

[sources.signups]
file = "metrics/weekly.csv"
column = "signups"

[sources.trials]
command = ["{py}", "-c", "{trials}"]
timeout = 2
"""


@pytest.fixture
def repo(tmp_path: Path, api: str) -> Path:
    init_repo(tmp_path)
    write(tmp_path / "okr.toml", _settings(api))
    write(
        tmp_path / "scripts/deploys.py", "import sys\nprint(97.5 if sys.argv[1] == 'api' else 0)\n"
    )
    write(tmp_path / "metrics/canary.json", '{"rolled_out": true}')
    write(tmp_path / "metrics/weekly.csv", "week,signups\n47,1400\n48,1510\n")
    write(tmp_path / "okrs/2026-Q4/platform.yaml", PLATFORM)
    write(tmp_path / "okrs/2026-Q4/growth.yaml", GROWTH)
    commit_all(tmp_path, "Q4 plan", "2026-10-01T09:00:00+00:00")
    return tmp_path


def _read(root: Path, team: str) -> str:
    return (root / f"okrs/2026-Q4/{team}.yaml").read_text()


def test_sync_commits_every_new_value_once_with_a_source_trailer_each(repo: Path, okr: Okr) -> None:
    head = git(repo, "rev-parse", "HEAD").strip()
    result = okr("sync", "--root", repo)
    assert result.code == 0, result.err
    assert git(repo, "rev-list", "--count", f"{head}..HEAD").strip() == "1"
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [
        "okrs/2026-Q4/growth.yaml",
        "okrs/2026-Q4/platform.yaml",
    ]
    platform = _read(repo, "platform")
    assert "current: 97.5\n" in platform and "title: Deploy success rate   # from" in platform
    assert "current: 0.65\n" in platform
    assert "done: true\n" in platform
    growth = _read(repo, "growth")
    assert "current: 1510,\n" in growth
    assert "current: 4.5, unit:" in growth
    trailers = git(
        repo, "log", "-1", "--format=%(trailers:key=OKR-Id,key=OKR-Source,valueonly=false)"
    )
    pairs = [line.split(": ", 1) for line in trailers.split("\n") if line]
    assert pairs == [
        ["OKR-Id", "GROW-1.1"], ["OKR-Source", "signups"],
        ["OKR-Id", "GROW-1.2"], ["OKR-Source", "trials"],
        ["OKR-Id", "PLAT-1.1"], ["OKR-Source", "deploys"],
        ["OKR-Id", "PLAT-1.2"], ["OKR-Source", "burn"],
        ["OKR-Id", "PLAT-1.3"], ["OKR-Source", "canary"],
    ]  # fmt: skip
    assert result.out.splitlines()[-1].startswith("Synced 5 key results in commit ")
    again = okr("sync", "--root", repo)
    assert (again.code, again.out.splitlines()[-1]) == (0, "Nothing changed.")


def test_a_failing_source_leaves_its_file_untouched_and_the_others_sync(
    repo: Path, api: str, okr: Okr
) -> None:
    write(repo / "okr.toml", _settings(api, 'import sys; sys.exit(\\"token expired\\")'))
    git(repo, "commit", "-qam", "a source that fails")
    before = (repo / "okrs/2026-Q4/growth.yaml").read_bytes()
    result = okr("sync", "--root", repo, "--team", "growth")
    assert result.code == 1
    assert result.err == "okr: GROW-1.2: source `trials`: exited with status 1: token expired\n"
    assert "GROW-1.1  signups  1300 → 1510" in result.out
    assert "GROW-1.2  trials      4 → failed" in result.out
    after = _read(repo, "growth")
    assert "current: 1510,\n" in after
    assert after.replace("current: 1510", "current: 1300").encode() == before
    assert git(repo, "status", "--porcelain") == ""  # committed: GROW-1.1 only
    assert "OKR-Source: trials" not in git(repo, "log", "-1", "--format=%B")


def test_a_source_alone_in_its_file_leaves_it_byte_for_byte(repo: Path, api: str, okr: Okr) -> None:
    write(repo / "okr.toml", _settings(api, 'print(float(\\"nan\\"))'))
    git(repo, "commit", "-qam", "a source that prints nan")
    growth = (repo / "okrs/2026-Q4/growth.yaml").read_bytes()
    result = okr("sync", "--root", repo, "--only", "GROW-1.2", "--only", "PLAT-1.1")
    assert result.code == 1
    assert result.err == (
        "okr: GROW-1.2: source `trials`: returned `nan`, which is not a finite number\n"
    )
    assert (repo / "okrs/2026-Q4/growth.yaml").read_bytes() == growth
    assert "current: 97.5" in _read(repo, "platform")


def test_a_hanging_source_is_stopped_and_named(repo: Path, api: str, okr: Okr) -> None:
    write(repo / "okr.toml", _settings(api, "import time; time.sleep(30)"))
    git(repo, "commit", "-qam", "a source that hangs")
    result = okr("sync", "--root", repo, "--only", "GROW-1.2")
    assert (result.code, result.err) == (
        1,
        "okr: GROW-1.2: source `trials`: still running after 2 seconds; stopped\n",
    )


def test_dry_run_shows_old_and_new_and_writes_nothing(repo: Path, okr: Okr) -> None:
    head = git(repo, "rev-parse", "HEAD")
    result = okr("sync", "--dry-run", "--root", repo)
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "GROW-1.1  signups      1300 → 1510",
        "GROW-1.2  trials          4 → 4.5",
        "PLAT-1.1  deploys        95 → 97.5",
        "PLAT-1.2  burn          0.8 → 0.65",
        "PLAT-1.3  canary   not done → done",
        "Dry run: 5 key results would change; nothing was written.",
    ]
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain") == ""


def test_json_output(repo: Path, api: str, okr: Okr) -> None:
    write(repo / "okr.toml", _settings(api, "print(1e999)"))
    git(repo, "commit", "-qam", "a source that overflows")
    result = okr("sync", "--format", "json", "--team", "growth", "--root", repo)
    assert result.code == 1
    document = json.loads(result.out)
    assert (document["version"], document["dry_run"]) == (1, False)
    assert len(document["commit"]) == 40
    assert document["key_results"] == [
        {"id": "GROW-1.1", "source": "signups", "old": 1300, "new": 1510, "changed": True,
         "error": None},
        {"id": "GROW-1.2", "source": "trials", "old": 4, "new": None, "changed": False,
         "error": "source `trials`: returned `inf`, which is not a finite number"},
    ]  # fmt: skip


def test_no_commit_edits_the_files_only(repo: Path, okr: Okr) -> None:
    head = git(repo, "rev-parse", "HEAD")
    result = okr("sync", "--no-commit", "--only", "GROW-1.1", "--root", repo)
    assert result.code == 0, result.err
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain").split() == ["M", "okrs/2026-Q4/growth.yaml"]


def test_an_unknown_id_is_refused(repo: Path, okr: Okr) -> None:
    result = okr("sync", "--only", "ZZZ", "--root", repo)
    assert (result.code, result.err) == (2, "okr: error: --only ZZZ: no key result `ZZZ`\n")
    result = okr("sync", "--only", "PLAT-1", "--root", repo)
    assert (result.code, result.err) == (
        2,
        "okr: error: --only PLAT-1: `PLAT-1` names no `source` to sync from\n",
    )


def test_sources_that_take_a_while_show_a_bar_on_a_terminal(repo: Path, api: str) -> None:
    """On a terminal, a bar on stderr counts the sources that answered once they take more
    than half a second (piped, stderr holds only the failures: the tests above)."""
    import os
    import pty
    import subprocess

    write(repo / "okr.toml", _settings(api, "import time; time.sleep(1.5); print(5)"))
    git(repo, "commit", "-qam", "a slow source")
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "okrcli", "sync", "--dry-run", "--only", "GROW-1.2"],
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=follower,
        env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"},
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    out, _ = process.communicate(timeout=30)
    os.close(leader)
    assert process.returncode == 0
    assert b"Running sources" in shown
    assert b"Running sources" not in out and b"GROW-1.2" in out
