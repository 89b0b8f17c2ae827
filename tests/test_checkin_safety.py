"""`okr checkin` never loses a value or a user's work: real faults, real processes, real git.

Each fault is caused for real, without mocks: a file-size limit that makes the write of the
temporary file fail half-way, a folder where new names can be added but none replaced or
removed, git's index lock held, two check-ins at once, a hook that rewrites the file and
then rejects the commit, a repository in the middle of a merge or a rebase.
tests/test_checkin.py covers the ordinary refusals; these are the ones where something breaks.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import GIT_ENV, ROOT, Okr, Result, commit_all, git, init_repo, write

REL = "okrs/2026-Q4/platform.yaml"
PLATFORM = """\
# Platform, Q4: values from the dashboard
team: platform
cycle: 2026-Q4
objectives:
  - id: PLAT-1
    title: Deploys are boring
    key_results:
      - id: PLAT-1.1
        title: Deploy success rate
        start: 92
        target: 99.5
        current: 97.1   # keep this comment
        unit: "%"
      - id: PLAT-1.2
        title: p95 deploy time
        start: 42
        target: 15
        current: 30
        unit: min
"""
OTHER = """\
team: data
cycle: 2026-Q4
objectives:
  - id: DATA-1
    title: Fresh data
    key_results:
      - {id: DATA-1.1, title: Freshness, start: 24, target: 1, unit: h}
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = init_repo(tmp_path / "repo")
    write(root / "okr.toml", "")
    write(root / REL, PLATFORM)
    write(root / "okrs" / "2026-Q4" / "data.yaml", OTHER)
    commit_all(root, "OKRs", "2026-10-01T09:00:00+00:00")
    return root


def _commits(root: Path) -> int:
    return int(git(root, "rev-list", "--count", "HEAD"))


def _temp_files(root: Path) -> list[str]:
    return sorted(p.name for p in (root / REL).parent.iterdir() if p.name.endswith(".tmp"))


def _one_sentence(result: Result, *parts: str) -> None:
    assert result.code == 2, result
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("okr: error: "), result.err
    assert "internal error" not in lines[0]
    for part in parts:
        assert part in lines[0], lines[0]


def _okr_process(
    root: Path, *args: str, preexec_fn: Callable[[], None] | None = None
) -> subprocess.Popen[str]:
    """`okr` in a process of its own (the fixture cannot run two at once or limit one)."""
    env = {**os.environ, **GIT_ENV, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "okrcli", *args, "--root", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=preexec_fn,
    )


def _finish(process: subprocess.Popen[str]) -> Result:
    out, err = process.communicate(timeout=120)
    return Result(process.returncode, out, err)


# A failure between writing the temporary file and renaming it over the old one.


def _file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a plain EFBIG error, not a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="POSIX file-size limits")
def test_a_write_that_fails_half_way_leaves_the_old_file(repo: Path) -> None:
    """The temporary file is created, then writing it fails (the disk is "full")."""
    before = (repo / REL).read_bytes()
    args = ["checkin", "PLAT-1.1", "98", "--no-commit"]

    result = _finish(_okr_process(repo, *args, preexec_fn=_file_size_limit(200)))

    _one_sentence(result, f"cannot write {repo / REL}: File too large")
    assert (repo / REL).read_bytes() == before
    assert _temp_files(repo) == []
    assert git(repo, "status", "--porcelain") == ""


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="POSIX file-size limits")
def test_a_git_that_cannot_write_either(repo: Path) -> None:
    """With a commit to make, git is the first to hit the limit: okr stops before the edit."""
    before = (repo / REL).read_bytes()
    args = ["checkin", "PLAT-1.1", "98"]

    result = _finish(_okr_process(repo, *args, preexec_fn=_file_size_limit(200)))

    _one_sentence(result, "git", "failed")
    assert (repo / REL).read_bytes() == before
    assert _temp_files(repo) == []
    assert _commits(repo) == 1


def _append_only(folder: Path) -> bool:
    """chattr +a: names can be added to the folder but not replaced or removed (root, ext4)."""
    chattr = shutil.which("chattr")
    if chattr is None:
        return False
    done = subprocess.run([chattr, "+a", str(folder)], capture_output=True, check=False)
    return done.returncode == 0


@pytest.fixture
def append_only(repo: Path) -> Iterator[Path]:
    folder = (repo / REL).parent
    if not _append_only(folder):
        pytest.skip("needs chattr +a (root on a filesystem with attributes)")
    yield folder
    subprocess.run(["chattr", "-a", str(folder)], check=True)


def test_a_rename_that_fails_leaves_the_old_file(repo: Path, append_only: Path, okr: Okr) -> None:
    """The temporary file is written in full, then replacing the old file is refused."""
    before = (repo / REL).read_bytes()
    result = okr("checkin", "PLAT-1.1", "98", "--root", repo)
    assert (repo / REL).read_bytes() == before
    assert _commits(repo) == 1
    _one_sentence(result, f"cannot write {repo / REL}")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_folder_is_refused_before_writing(repo: Path, okr: Okr) -> None:
    folder = (repo / REL).parent
    before = (repo / REL).read_bytes()
    folder.chmod(0o555)
    try:
        result = okr("checkin", "PLAT-1.1", "98", "--root", repo)
    finally:
        folder.chmod(0o755)
    _one_sentence(result, "read-only")
    assert (repo / REL).read_bytes() == before


def test_an_immutable_file_is_refused(repo: Path, okr: Okr) -> None:
    """Even root cannot write a file with `chattr +i`; okr says so and changes nothing."""
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(repo / REL)], check=False).returncode:
        pytest.skip("needs chattr +i (root on a filesystem with attributes)")
    before = (repo / REL).read_bytes()
    try:
        result = okr("checkin", "PLAT-1.1", "98", "--root", repo)
    finally:
        subprocess.run([chattr, "-i", str(repo / REL)], check=True)
    _one_sentence(result, f"cannot write {repo / REL}: Operation not permitted")
    assert (repo / REL).read_bytes() == before
    assert _temp_files(repo) == []


# Two writers at once.


def test_two_check_ins_on_one_file_at_once_both_land(repo: Path) -> None:
    for round_ in range(2):
        first = _okr_process(repo, "checkin", "PLAT-1.1", f"9{round_}")
        second = _okr_process(repo, "checkin", "PLAT-1.2", f"2{round_}")
        results = [_finish(first), _finish(second)]
        assert [r.code for r in results] == [0, 0], [r.err for r in results]

    text = (repo / REL).read_text()
    assert "        current: 91   # keep this comment\n" in text
    assert "        current: 21\n" in text
    assert _commits(repo) == 5
    for sha in git(repo, "rev-list", "HEAD~4..HEAD").split():
        assert git(repo, "show", "--name-only", "--format=", sha).split() == [REL]
    assert git(repo, "status", "--porcelain") == ""


def test_the_same_check_in_twice_at_once_lands_once(repo: Path) -> None:
    processes = [_okr_process(repo, "checkin", "PLAT-1.1", "98") for _ in range(2)]
    results = sorted((_finish(p) for p in processes), key=lambda r: r.code)

    assert [r.code for r in results] == [0, 2]
    _one_sentence(results[1], "nothing to check in: PLAT-1.1 is already 98")
    assert _commits(repo) == 2


def test_git_index_lock_held_by_another_git(repo: Path, okr: Okr) -> None:
    """Another git command is running (or crashed): the edit is undone and okr says why."""
    lock = repo / ".git" / "index.lock"
    lock.write_text("")
    before = (repo / REL).read_bytes()

    result = okr("checkin", "PLAT-1.1", "98", "--root", repo)

    _one_sentence(
        result, "index.lock", "File exists", f"the check-in was undone and {REL} restored"
    )
    assert (repo / REL).read_bytes() == before
    assert _commits(repo) == 1
    lock.unlink()
    assert git(repo, "status", "--porcelain") == ""


# The rest of the user's work.


def test_other_changes_stay_as_they_were_and_out_of_the_commit(repo: Path, okr: Okr) -> None:
    data = repo / "okrs" / "2026-Q4" / "data.yaml"
    write(data, OTHER.replace("Fresh data", "Fresh data, staged"))
    git(repo, "add", str(data))
    write(data, OTHER.replace("Fresh data", "Fresh data, staged and then edited"))
    write(repo / "notes.md", "untracked\n")
    staged, unstaged = git(repo, "diff", "--cached"), git(repo, "diff")

    assert okr("checkin", "PLAT-1.1", "98", "--root", repo).code == 0

    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [REL]
    assert git(repo, "diff", "--cached") == staged
    assert git(repo, "diff") == unstaged
    assert sorted(git(repo, "status", "--porcelain").splitlines()) == [
        "?? notes.md",
        "MM okrs/2026-Q4/data.yaml",
    ]


def test_a_staged_change_to_the_same_file_is_refused(repo: Path, okr: Okr) -> None:
    write(repo / REL, PLATFORM.replace("Deploys are boring", "Deploys are dull"))
    git(repo, "add", REL)
    before = (repo / REL).read_bytes()

    result = okr("checkin", "PLAT-1.1", "98", "--root", repo)

    _one_sentence(result, f"{REL} has uncommitted changes")
    assert (repo / REL).read_bytes() == before
    assert git(repo, "diff", "--cached", "--name-only").split() == [REL]


def test_detached_head_commits_where_head_is(repo: Path, okr: Okr) -> None:
    """The check-in becomes a commit on the detached HEAD; the branch is left alone."""
    main = git(repo, "rev-parse", "main").strip()
    git(repo, "checkout", "-q", "--detach", "HEAD")

    assert okr("checkin", "PLAT-1.1", "98", "--root", repo).code == 0

    assert git(repo, "rev-parse", "HEAD~1").strip() == main
    assert git(repo, "rev-parse", "main").strip() == main
    on_branch = subprocess.run(["git", "symbolic-ref", "-q", "HEAD"], cwd=repo, check=False)
    assert on_branch.returncode == 1  # still detached
    assert git(repo, "status", "--porcelain") == ""


def test_detached_head_is_mentioned(repo: Path, okr: Okr) -> None:
    git(repo, "checkout", "-q", "--detach", "HEAD")
    result = okr("checkin", "PLAT-1.1", "98", "--root", repo)
    assert result.code == 0
    assert "detached" in (result.out + result.err).lower()


def _hook(repo: Path, name: str, script: str) -> None:
    hook = repo / ".git" / "hooks" / name
    hook.write_text("#!/bin/sh\n" + script)
    hook.chmod(0o755)


def test_a_hook_that_rewrites_the_file_then_rejects_it(repo: Path, okr: Okr) -> None:
    """The edit is undone: the file is restored byte for byte, the hook's words are shown."""
    _hook(repo, "pre-commit", f"sed -i 's/unit: min/unit: minutes/' {REL}\n"
          "echo 'fixed the units; commit again' >&2\nexit 1\n")  # fmt: skip
    before = (repo / REL).read_bytes()

    result = okr("checkin", "PLAT-1.1", "98", "--root", repo)

    _one_sentence(result, "fixed the units; commit again", f"undone and {REL} restored")
    assert (repo / REL).read_bytes() == before
    assert _commits(repo) == 1
    assert git(repo, "status", "--porcelain") == ""


def test_a_commit_msg_hook_that_rejects(repo: Path, okr: Okr) -> None:
    _hook(repo, "commit-msg", "echo 'message needs a ticket' >&2\nexit 1\n")
    before = (repo / REL).read_bytes()
    _one_sentence(okr("checkin", "PLAT-1.1", "98", "--root", repo), "message needs a ticket")
    assert (repo / REL).read_bytes() == before


# Repositories in the middle of something.


def _diverge(repo: Path) -> None:
    """`side` and `main` both change the same line of the data file."""
    data = repo / "okrs" / "2026-Q4" / "data.yaml"
    git(repo, "checkout", "-q", "-b", "side")
    write(data, OTHER.replace("Fresh data", "Fresh data (side)"))
    commit_all(repo, "side", "2026-10-02T09:00:00+00:00")
    git(repo, "checkout", "-q", "main")
    write(data, OTHER.replace("Fresh data", "Fresh data (main)"))
    commit_all(repo, "main", "2026-10-03T09:00:00+00:00")


@pytest.mark.parametrize(
    ("start", "doing"),
    [
        (["merge", "side"], "a merge"),
        (["rebase", "side"], "a rebase"),
        (["cherry-pick", "side"], "a cherry-pick"),
    ],
    ids=["merge", "rebase", "cherry-pick"],
)
def test_mid_operation_is_refused_and_nothing_changes(
    repo: Path, okr: Okr, start: list[str], doing: str
) -> None:
    _diverge(repo)
    stopped = subprocess.run(
        ["git", *start], cwd=repo, env={**os.environ, **GIT_ENV}, capture_output=True, check=False
    )
    assert stopped.returncode != 0  # stopped on the conflict
    before = (repo / REL).read_bytes()
    status = git(repo, "status", "--porcelain")
    head = git(repo, "rev-parse", "HEAD")

    result = okr("checkin", "PLAT-1.1", "98", "--root", repo)

    _one_sentence(result, f"the repository is in the middle of {doing}; finish or abort it first")
    assert (repo / REL).read_bytes() == before
    assert git(repo, "status", "--porcelain") == status
    assert git(repo, "rev-parse", "HEAD") == head
