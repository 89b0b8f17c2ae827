"""`okr checkin` on real repositories: the commit, its message, and every refusal."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.conftest import Okr, commit_all, git, init_repo, write

PLATFORM = """\
# Platform, Q4
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
        current: 97.1   # from the dashboard
        unit: "%"
        confidence: 7
      - id: PLAT-1.2
        title: Canary analysis on every service
        done: false
      - id: PLAT-1.3
        title: Build pipelines migrated
        milestones:
          - {title: api, done: true}
          - {title: web, done: false}
      - id: PLAT-1.4
        title: Services aligned
        rollup: true
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    init_repo(tmp_path)
    write(tmp_path / "okrs" / "2026-Q4" / "platform.yaml", PLATFORM)
    write(tmp_path / "notes.txt", "unrelated\n")
    commit_all(tmp_path, "OKRs", "2026-10-01T09:00:00+00:00")
    return tmp_path


def _file(repo: Path) -> Path:
    return repo / "okrs" / "2026-Q4" / "platform.yaml"


def test_checkin_commits_the_value_with_message_and_trailers(repo: Path, okr: Okr) -> None:
    result = okr("checkin", "PLAT-1.1", "98", "--confidence", "8", "-m", "canaries", cwd=repo)
    assert result.code == 0, result.err
    assert result.out.startswith("PLAT-1.1: 97.1 → 98 (score 0.80); committed ")
    message = git(repo, "log", "-1", "--format=%B")
    assert message == (
        "checkin PLAT-1.1: 97.1 → 98\n\ncanaries\n\n"
        "OKR-Id: PLAT-1.1\nOKR-Value: 98\nOKR-Confidence: 8\n\n"
    )
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [
        "okrs/2026-Q4/platform.yaml"
    ]
    text = _file(repo).read_text()
    assert "        current: 98   # from the dashboard\n" in text
    assert "        confidence: 8\n" in text


def test_only_that_file_is_committed(repo: Path, okr: Okr) -> None:
    write(repo / "notes.txt", "changed and staged\n")
    git(repo, "add", "notes.txt")
    write(repo / "other.txt", "untracked\n")
    assert okr("checkin", "PLAT-1.1", "98", cwd=repo).code == 0
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [
        "okrs/2026-Q4/platform.yaml"
    ]
    status = git(repo, "status", "--porcelain").splitlines()
    assert sorted(status) == ["?? other.txt", "M  notes.txt"]


def test_milestone_and_checklist(repo: Path, okr: Okr) -> None:
    assert okr("checkin", "PLAT-1.2", "done", cwd=repo).code == 0
    assert git(repo, "log", "-1", "--format=%s") == "checkin PLAT-1.2: not done → done\n"
    result = okr("checkin", "PLAT-1.3", "--done", "web", cwd=repo)
    assert result.code == 0, result.err
    assert git(repo, "log", "-1", "--format=%s") == "checkin PLAT-1.3: 1/2 → 2/2 (web: done)\n"
    assert "- {title: web, done: true}" in _file(repo).read_text()


def test_a_key_added_after_a_block_list_lands_in_its_own_item(repo: Path, okr: Okr) -> None:
    """A checklist's list ends where the next item's line starts: `confidence` goes above it."""
    result = okr("checkin", "PLAT-1.3", "--confidence", "6", cwd=repo)
    assert result.code == 0, result.err
    expected = PLATFORM.replace(
        "          - {title: web, done: false}\n",
        "          - {title: web, done: false}\n        confidence: 6\n",
    )
    assert _file(repo).read_text() == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["PLAT-1.1", "lots"], "PLAT-1.1 is a metric: the value must be a number, not `lots`"),
        (["PLAT-1.1", "nan"], "must be a number, not `nan`"),
        (["PLAT-1.2", "7"], "PLAT-1.2 is a milestone: the value is `done` or `undone`, not `7`"),
        (["PLAT-1.3", "1"], "PLAT-1.3 is a checklist: use --done TITLE or --undone TITLE"),
        (["PLAT-1.3", "--done", "wbe"], "no milestone `wbe` (did you mean `web`?)"),
        (["PLAT-1.4", "3"], "PLAT-1.4 is a rollup"),
        (["PLAT-1", "3"], "`PLAT-1` is an objective: give it --status, --confidence or a note"),
        (["PLAT-1.9", "3"], "no key result `PLAT-1.9` (did you mean"),
        (["PLAT-1.1", "98", "--confidence", "11"], "--confidence must be from 0 to 10"),
        (["PLAT-1.1", "98", "--status", "late"], "--status must be one of"),
        (["PLAT-1.1", "97.1"], "nothing to check in: PLAT-1.1 is already 97.1 (add -m NOTE"),
        (["PLAT-1.1", "--bogus"], "no such option: --bogus"),
        (["PLAT-1.1", "1", "2"], "one ID and one VALUE, not 3 words"),
        (["PLAT-1.1=1", "PLAT-1.1=2"], "`PLAT-1.1` is named twice"),
        (["PLAT-1.1=1", "PLAT-1.2"], "`PLAT-1.2` is not an ID=VALUE pair"),
        (["PLAT-1.1", "98", "--team", "platform"], "--from FILE or --team T, one of them"),
    ],
)
def test_wrong_values_are_refused_in_one_sentence(
    repo: Path, okr: Okr, args: list[str], message: str
) -> None:
    before = _file(repo).read_bytes()
    result = okr("checkin", *args, cwd=repo)
    assert result.code == 2
    assert message in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert _file(repo).read_bytes() == before
    assert git(repo, "rev-list", "--count", "HEAD") == "1\n"


def test_uncommitted_changes_in_the_file_are_refused(repo: Path, okr: Okr) -> None:
    path = _file(repo)
    path.write_text(path.read_text().replace("Deploys are boring", "Deploys are dull"))
    result = okr("checkin", "PLAT-1.1", "98", cwd=repo)
    assert result.code == 2
    assert "okrs/2026-Q4/platform.yaml has uncommitted changes" in result.err
    assert "Deploys are dull" in path.read_text() and "current: 97.1" in path.read_text()
    # --no-commit is for exactly this: several edits, one commit of your own
    assert okr("checkin", "PLAT-1.1", "98", "--no-commit", cwd=repo).code == 0
    assert "current: 98 " in path.read_text() and "Deploys are dull" in path.read_text()


def test_no_git_identity_says_how_to_set_it(
    tmp_path: Path, okr: Okr, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "r"
    init_repo(repo)
    write(_file(repo), PLATFORM)
    commit_all(repo, "OKRs", "2026-10-01T09:00:00+00:00")
    git(repo, "config", "--unset", "user.name")
    git(repo, "config", "--unset", "user.email")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-such-gitconfig"))
    for name in ("AUTHOR", "COMMITTER"):
        monkeypatch.delenv(f"GIT_{name}_NAME", raising=False)
        monkeypatch.delenv(f"GIT_{name}_EMAIL", raising=False)
    monkeypatch.delenv("EMAIL", raising=False)
    before = _file(repo).read_bytes()
    result = okr("checkin", "PLAT-1.1", "98", cwd=repo)
    assert result.code == 2
    assert "git config user.name" in result.err and "git config user.email" in result.err
    assert _file(repo).read_bytes() == before


def test_a_hook_that_rejects_the_commit_leaves_the_file_as_it_was(repo: Path, okr: Okr) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'numbers look wrong' >&2\nexit 1\n")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    before = _file(repo).read_bytes()
    result = okr("checkin", "PLAT-1.1", "98", cwd=repo)
    assert result.code == 2
    assert "numbers look wrong" in result.err and "restored" in result.err
    assert _file(repo).read_bytes() == before
    assert git(repo, "status", "--porcelain") == ""


def test_hooks_run(repo: Path, okr: Okr) -> None:
    hook = repo / ".git" / "hooks" / "commit-msg"
    hook.write_text('#!/bin/sh\necho "Reviewed-by: hook" >> "$1"\n')
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    assert okr("checkin", "PLAT-1.1", "98", cwd=repo).code == 0
    assert "Reviewed-by: hook" in git(repo, "log", "-1", "--format=%B")


def test_mid_merge_is_refused(repo: Path, okr: Okr) -> None:
    git(repo, "rev-parse", "HEAD")
    (repo / ".git" / "MERGE_HEAD").write_text(git(repo, "rev-parse", "HEAD"))
    result = okr("checkin", "PLAT-1.1", "98", cwd=repo)
    assert result.code == 2 and "in the middle of a merge" in result.err


def test_no_commit_works_outside_git(tmp_path: Path, okr: Okr) -> None:
    write(_file(tmp_path), PLATFORM)
    write(tmp_path / "okr.toml", "")
    result = okr("checkin", "PLAT-1.1", "98", "--root", tmp_path)
    assert result.code == 2 and "not in a git repository" in result.err
    result = okr("checkin", "PLAT-1.1", "98", "--no-commit", "--root", tmp_path)
    assert result.code == 0, result.err
    assert "edited, not committed" in result.out
    assert not list(_file(tmp_path).parent.glob(".*.tmp"))


def test_read_only_file_is_refused(repo: Path, okr: Okr) -> None:
    _file(repo).chmod(0o444)
    result = okr("checkin", "PLAT-1.1", "98", cwd=repo)
    assert result.code == 2 and "read-only" in result.err


def test_a_commit_on_a_detached_head_says_so(repo: Path, okr: Okr) -> None:
    git(repo, "checkout", "-q", "--detach", "HEAD")
    result = okr("checkin", "PLAT-1.1", "98", cwd=repo)
    assert result.code == 0, result.err
    assert "on a detached HEAD (no branch): `git switch -c NAME` keeps it" in result.out


def test_a_manual_status_expires_at_the_next_check_in_that_does_not_restate_it(
    repo: Path, okr: Okr
) -> None:
    assert okr("checkin", "PLAT-1.1", "97.5", "--status", "at_risk", cwd=repo).code == 0
    assert "        status: at_risk\n" in _file(repo).read_text()
    assert okr("checkin", "PLAT-1.1", "97.8", "--status", "at_risk", cwd=repo).code == 0
    assert "        status: at_risk\n" in _file(repo).read_text()  # restated: it stays
    before = _file(repo).read_text()
    assert okr("checkin", "PLAT-1.1", "98", cwd=repo).code == 0
    after = _file(repo).read_text()
    assert "status:" not in after
    expected = before.replace("        status: at_risk\n", "").replace("97.8   #", "98   #")
    assert after == expected  # the status line goes, every other byte stays


def test_status_clear_removes_it_and_objectives_take_a_status(repo: Path, okr: Okr) -> None:
    result = okr("checkin", "PLAT-1", "--status", "off_track", "-m", "hiring slipped", cwd=repo)
    assert result.code == 0, result.err
    assert result.out.startswith("PLAT-1: — → off_track; committed ")
    assert "    title: Deploys are boring\n    status: off_track\n" in _file(repo).read_text()
    message = git(repo, "log", "-1", "--format=%B")
    assert message == (
        "checkin PLAT-1: — → off_track\n\nhiring slipped\n\n"
        "OKR-Id: PLAT-1\nOKR-Status: off_track\n\n"
    )
    assert okr("checkin", "PLAT-1", "--status", "clear", cwd=repo).code == 0
    assert "status:" not in _file(repo).read_text()
    assert _file(repo).read_text() == PLATFORM


def test_an_unchanged_value_with_a_note_is_an_empty_commit_with_the_trailers(
    repo: Path, okr: Okr
) -> None:
    before = _file(repo).read_bytes()
    result = okr("checkin", "PLAT-1.1", "97.1", "-m", "flat: the vendor slipped", cwd=repo)
    assert result.code == 0, result.err
    assert _file(repo).read_bytes() == before
    assert git(repo, "show", "--name-only", "--format=", "HEAD").strip() == ""
    assert git(repo, "log", "-1", "--format=%B") == (
        "checkin PLAT-1.1: 97.1 → 97.1\n\nflat: the vendor slipped\n\n"
        "OKR-Id: PLAT-1.1\nOKR-Value: 97.1\n\n"
    )


def test_a_dropped_item_stays_dropped(repo: Path, okr: Okr) -> None:
    path = _file(repo)
    dropped = "        confidence: 7\n        status: dropped\n"
    path.write_text(path.read_text().replace("        confidence: 7\n", dropped))
    git(repo, "commit", "-qam", "Drop PLAT-1.1")
    result = okr("checkin", "PLAT-1.1", "98", "-m", "measured once more", cwd=repo)
    assert result.code == 0, result.err
    assert "        current: 98   # from the dashboard\n" in path.read_text()
    assert "        status: dropped\n" in path.read_text()  # a check-in never revives it
    result = okr("checkin", "PLAT-1.1", "99", "--status", "on_track", cwd=repo)
    assert result.code == 2 and "`PLAT-1.1` is dropped; a check-in keeps it dropped" in result.err
