"""Broken or unusual git repositories: commands that read history say what is wrong in one
sentence (exit 2), and commands that only read files keep working where they can."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Okr, Result, commit_all, git, init_repo, write
from tests.test_hostile_yaml import VALID

TEAM = "okrs/2026-Q4/platform.yaml"
SHALLOW = (
    "this is a shallow clone, so its history is incomplete: run `git fetch --unshallow` "
    "(in GitHub Actions, check out with `fetch-depth: 0`)"
)


def _history(root: Path) -> Path:
    """Three commits: the file on 2026-10-01, check-ins on 2026-10-15 and 2026-11-01."""
    init_repo(root)
    write(root / "okr.toml", "")
    text = VALID.replace("        target: 99.5\n", "        target: 99.5\n        current: 93\n")
    write(root / TEAM, text)
    commit_all(root, "OKRs for the quarter", "2026-10-01T09:00:00+00:00")
    for day, value in (("2026-10-15", "95"), ("2026-11-01", "97")):
        text = text.replace("current: 93", f"current: {value}").replace(
            "current: 95", f"current: {value}"
        )
        write(root / TEAM, text)
        commit_all(root, f"checkin PLAT-1.1: {value}", f"{day}T09:00:00+00:00")
    return root


@pytest.fixture
def history(tmp_path: Path) -> Path:
    return _history(tmp_path / "repo")


def _one_sentence(result: Result, *parts: str) -> str:
    """The error okr printed: exit 2, one line, containing every one of `parts`."""
    assert result.code == 2, result
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("okr: error: "), result.err
    for part in parts:
        assert part in lines[0], lines[0]
    return lines[0]


def test_history_reads_well_when_nothing_is_wrong(history: Path, okr: Okr) -> None:
    """The baseline for the faults below: the same commands on a whole repository."""
    assert okr("check", "--root", history, "--at", "HEAD~2").code == 0
    assert okr("check", "--root", history, "--at", "2026-10-02").code == 0
    log = okr("log", "--root", history)
    assert log.code == 0
    assert "93 → 95" in log.out and "95 → 97" in log.out


def test_not_a_repository(tmp_path: Path, okr: Okr) -> None:
    root = tmp_path / "plain"
    write(root / "okr.toml", "")
    write(root / TEAM, VALID)
    not_git = f"{root} is not in a git repository (run `git init`)"

    _one_sentence(okr("check", "--root", root, "--at", "HEAD"), not_git)
    _one_sentence(okr("log", "--root", root), not_git)
    # A date needs no history outside git: the files as they are, judged on that day.
    assert okr("check", "--root", root, "--at", "2026-10-02").code == 0
    assert okr("check", "--root", root).code == 0


def test_shallow_clone(history: Path, tmp_path: Path, okr: Okr) -> None:
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", history.as_uri(), str(clone))

    _one_sentence(okr("check", "--root", clone, "--at", "2026-10-02"), SHALLOW)
    _one_sentence(okr("check", "--root", clone, "--at", "HEAD~1"), "--at HEAD~1", SHALLOW)
    _one_sentence(okr("log", "--root", clone), SHALLOW)
    assert okr("check", "--root", clone, "--at", "HEAD").code == 0  # the one commit it has
    assert okr("check", "--root", clone).code == 0


def test_bare_repository(history: Path, tmp_path: Path, okr: Okr) -> None:
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(history), str(bare))
    says = f"{bare} is a bare git repository, with no files: run okr in a clone of it"

    for args in (["check"], ["check", "--at", "HEAD"], ["check", "--at", "2026-10-02"],
                 ["log"], ["score"]):  # fmt: skip
        _one_sentence(okr(*args, "--root", bare), says)


def _object_file(root: Path, sha: str) -> Path:
    return root / ".git" / "objects" / sha[:2] / sha[2:]


def test_missing_blob(history: Path, okr: Okr) -> None:
    blob = git(history, "rev-parse", f"HEAD~2:{TEAM}").strip()
    _object_file(history, blob).unlink()

    _one_sentence(
        okr("check", "--root", history, "--at", "HEAD~2"),
        f"git object {blob} is missing from the repository",
    )
    _one_sentence(okr("log", "--root", history), blob)
    # What does not need the lost object still works.
    assert okr("check", "--root", history, "--at", "HEAD").code == 0
    assert okr("check", "--root", history).code == 0


def test_missing_commit(history: Path, okr: Okr) -> None:
    commit = git(history, "rev-parse", "HEAD~1").strip()
    _object_file(history, commit).unlink()

    _one_sentence(okr("check", "--root", history, "--at", "HEAD~2"), "--at HEAD~2")
    _one_sentence(okr("log", "--root", history), commit)
    assert okr("check", "--root", history).code == 0


def test_corrupt_object(history: Path, okr: Okr) -> None:
    blob = git(history, "rev-parse", f"HEAD~1:{TEAM}").strip()
    path = _object_file(history, blob)
    path.chmod(0o644)
    path.write_bytes(b"not zlib at all")

    _one_sentence(okr("check", "--root", history, "--at", "HEAD~1"), blob)
    _one_sentence(okr("log", "--root", history))


def test_repository_without_commits(tmp_path: Path, okr: Okr) -> None:
    root = init_repo(tmp_path / "new")
    write(root / "okr.toml", "")
    write(root / TEAM, VALID)

    _one_sentence(
        okr("check", "--root", root, "--at", "HEAD"), "--at HEAD: the repository has no commits yet"
    )
    log = okr("log", "--root", root)
    assert (log.code, log.out) == (0, "No check-ins.\n")
    assert okr("check", "--root", root).code == 0


def test_git_not_installed(history: Path, monkeypatch: pytest.MonkeyPatch, okr: Okr) -> None:
    monkeypatch.setenv("PATH", str(history / "no-such-folder"))
    for args in (["check", "--at", "HEAD"], ["log"]):
        _one_sentence(okr(*args, "--root", history), "git is not installed or not on PATH")
    assert okr("check", "--root", history).code == 0  # the work tree needs no git


def test_repository_git_cannot_open(history: Path, okr: Okr) -> None:
    """A repository git itself refuses to open (here: the format of a future git)."""
    config = history / ".git" / "config"
    config.write_text(config.read_text() + "[core]\n\trepositoryformatversion = 99\n")

    says = f"{history}: git cannot open the repository: git rev-parse failed: Expected git repo"
    _one_sentence(okr("check", "--root", history, "--at", "HEAD"), says)
    _one_sentence(okr("log", "--root", history), says)


def test_a_walk_stopped_half_way_stops_git_and_its_reader(tmp_path: Path) -> None:
    """A walk that fails part way (a missing blob, ^C) must not hang on a git still
    writing: the read-ahead is stopped, git killed, the pipes closed."""
    from okrcli.git import PatchLog

    root = init_repo(tmp_path / "repo")
    write(root / "okrs/2026-Q4/big.yaml", "".join(f"k{n}: {n}\n" for n in range(200_000)))
    commit_all(root, "a big file", "2026-10-01T09:00:00+00:00")

    class Small(PatchLog):
        _AHEAD = 1  # the reader blocks after one chunk, and git on a full pipe

    log = Small(root, "%H", ["HEAD"], ["okrs"])
    first = next(iter(log))
    assert first
    log.close()
    assert log.process.returncode is not None and log.process.stdout.closed
    assert not log._reader.is_alive()
