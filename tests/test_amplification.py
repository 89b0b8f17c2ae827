"""Small files that describe huge ones: aliases of big scalars, big blobs in history. The gate
refuses them with a finding, and no command's memory or output grows with what they
describe."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import commit_all, git, init_repo, write

VALID = """\
team: web
cycle: 2026-Q4
owner: ann
objectives:
  - id: WEB-1
    title: Faster pages
    key_results:
      - {id: WEB-1.1, title: Load time, start: 4, target: 2, current: 3, unit: s}
      - {id: WEB-1.2, title: Audit score, start: 60, target: 90, current: 70, unit: points}
"""
COMMANDS = [  # the views that printed gigabytes or ran out of memory
    ("check", "--at", "HEAD"),
    ("score", "--format", "json"),
    ("tree",),
    ("review", "2026-Q4", "--format", "markdown"),
    ("diff", "HEAD~1", "HEAD", "--format", "markdown"),
]
MAX_OUTPUT = 64 * 1024  # what any of these commands prints about two small files
MAX_RSS_MB = 400


def _okr(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in its own process; a hang would be caught by the timeout, not waited out."""
    command = [sys.executable, "-m", "okrcli", *args, "--root", str(root)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _bomb(tmp_path: Path, text: str) -> Path:
    root = init_repo(tmp_path / "repo")
    write(root / "okr.toml", 'ignore = ["OKR208"]\n')
    write(root / "okrs/2026-Q4/web.yaml", VALID)
    commit_all(root, "plan", "2026-10-01T09:00:00+00:00")
    write(root / "okrs/2026-Q4/ops.yaml", text)
    commit_all(root, "ops", "2026-10-20T09:00:00+00:00")
    return root


def _titles_aliasing(anchor: str, count: int) -> str:
    items = "".join(f"      - {{id: OPS-1.{i}, title: *t, done: false}}\n" for i in range(count))
    return (
        f"team: ops\ncycle: 2026-Q4\nowner: &t {anchor}\nobjectives:\n"
        f"  - id: OPS-1\n    title: Quiet nights\n    key_results:\n{items}"
    )


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(_titles_aliasing("x" * 1_000_000, 3_000), id="3000 aliases of 1 MB"),
        pytest.param(
            "team: ops\ncycle: 2026-Q4\nobjectives:\n  - id: &i " + "I" * 4_000_000 + "\n"
            "    title: t\n    key_results: ["
            + ", ".join(["{id: *i, title: t, done: false}"] * 40)
            + "]\n",
            id="4 MB id aliased",
        ),
    ],
)
def test_alias_expansion_is_bounded_in_text_not_only_in_count(tmp_path: Path, text: str) -> None:
    root = _bomb(tmp_path, text)
    assert (root / "okrs/2026-Q4/ops.yaml").stat().st_size < 4_200_000
    check = _okr(root, "check")
    assert check.returncode == 1, check.stderr
    assert "okrs/2026-Q4/ops.yaml:" in check.stdout
    assert "OKR001 aliases expand to more than 4 MiB of text (an alias bomb?)" in check.stdout
    for command in COMMANDS:
        done = _okr(root, *command)
        assert done.returncode in (0, 1), (command, done.stderr)
        assert "internal error" not in done.stderr
        assert len(done.stdout) + len(done.stderr) < MAX_OUTPUT, command
    assert _peak_rss_mb() < MAX_RSS_MB


def test_a_big_compressible_blob_in_history_is_skipped_and_said(tmp_path: Path) -> None:
    """A 6 MiB version of a file, committed and then replaced: 6 KB in `.git`, and read
    whole by the history walk behind OKR207/208 before it was bounded."""
    root = init_repo(tmp_path / "repo")
    write(root / "okr.toml", "")
    write(root / "okrs/2026-Q4/web.yaml", VALID + "#" + "x" * (6 * 1024 * 1024) + "\n")
    commit_all(root, "huge", "2026-10-01T09:00:00+00:00")
    write(root / "okrs/2026-Q4/web.yaml", VALID)
    commit_all(root, "plan", "2026-10-02T09:00:00+00:00")
    assert int(git(root, "count-objects", "-v").split("size: ")[1].split()[0]) < 100  # KiB
    check = _okr(root, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "okr: note: 1 version of okrs/2026-Q4/web.yaml in history is over 4 MiB" in (
        check.stderr
    )
    for command in COMMANDS[1:]:
        done = _okr(root, *command)
        assert "internal error" not in done.stderr, command
    assert _peak_rss_mb() < MAX_RSS_MB
