"""The incremental engine of `okr check`: after any sequence of edits, the same findings as a
cold run, finding for finding."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from okrcli import clock
from okrcli.config import load_config
from okrcli.findings import Finding
from okrcli.incremental import RACY_NS, check, checked_findings
from tests.conftest import Okr, git, init_repo, write

TEAMS = ("alpha", "beta", "gamma", "delta")
CYCLES = ("2026-Q4", "2026-Q3", "2026", "2026-Q9")  # the last one is no cycle: OKR001


def _team_file(team: str, cycle: str, parent: str | None, krs: int = 2) -> str:
    """A team file whose objective aligns to `parent`; ids are the team's name."""
    lines = [f"team: {team}", f"cycle: {cycle}", "owner: dana", "objectives:"]
    lines += [f"  - id: {team.upper()}-1", f"    title: {team} is calm"]
    if parent is not None:
        lines.append(f"    parent: {parent}")
    lines.append("    key_results:")
    for n in range(1, krs + 1):
        lines += [
            f"      - id: {team.upper()}-1.{n}",
            f"        title: Pages per week, {n}",
            "        start: 10",
            "        target: 2",
            "        current: 6",
            "        unit: pages",
        ]
    return "\n".join(lines) + "\n"


def _start(root: Path) -> None:
    write(root / "okr.toml", "")
    write(root / "okrs/2026/company.yaml", _team_file("company", "2026", None, krs=3))
    for team in TEAMS[:3]:
        write(root / f"okrs/2026-Q4/{team}.yaml", _team_file(team, "2026-Q4", "COMPANY-1.1"))


def _files(root: Path) -> list[Path]:
    return sorted((root / "okrs").rglob("*.yaml"))


# An edit: (what, which file, a choice); each is applied to whatever the repository holds.
EDITS = st.tuples(
    st.sampled_from(
        [
            "value",
            "parent",
            "id",
            "cycle",
            "add",
            "delete",
            "shift",
            "ignore",
            "unit",
            "break",
            "grow",
        ]
    ),
    st.integers(0, 10),
    st.integers(0, 10),
)


def _apply(root: Path, edit: tuple[str, int, int]) -> None:
    what, which, choice = edit
    files = _files(root)
    if what == "add" or not files:
        team = TEAMS[choice % len(TEAMS)]
        cycle = CYCLES[which % 3]
        parent = ["COMPANY-1", "COMPANY-1.2", "ALPHA-1.1", "NOBODY-1"][choice % 4]
        write(root / f"okrs/{cycle}/{team}.yaml", _team_file(team, cycle, parent))
        return
    path = files[which % len(files)]
    text = path.read_text(encoding="utf-8")
    if what == "delete":
        path.unlink()
        return
    lines = text.splitlines()
    if what == "value":
        text = text.replace("current: 6", f"current: {choice}", 1)
    elif what == "parent":
        new = ["COMPANY-1", "COMPANY-1.1", "BETA-1", "GAMMA-1.2", "NOBODY-1"][choice % 5]
        if "    parent: " in text:
            text = "\n".join(
                f"    parent: {new}" if line.startswith("    parent: ") else line for line in lines
            )
        else:
            text = text.replace("    key_results:", f"    parent: {new}\n    key_results:", 1)
    elif what == "id":  # rename an objective, onto another team's id now and then
        new = ["ALPHA-1", "BETA-7", "COMPANY-1", "DELTA-3"][choice % 4]
        text = "\n".join(
            f"  - id: {new}" if line.startswith("  - id: ") else line for line in lines
        )
    elif what == "cycle":
        text = "\n".join(
            f"cycle: {CYCLES[choice % len(CYCLES)]}" if line.startswith("cycle: ") else line
            for line in lines
        )
    elif what == "shift":  # a comment line moves everything below it
        lines.insert(min(choice, len(lines)), "# a note")
        text = "\n".join(lines)
    elif what == "ignore":
        code = ["OKR003", "OKR002", "OKR103", "OKR206"][choice % 4]
        index = next((i for i, line in enumerate(lines) if "parent:" in line), 0)
        lines[index] += f"  # okr: ignore[{code}]"
        text = "\n".join(lines)
    elif what == "unit":
        text = text.replace("        unit: pages\n", "", 1)
    elif what == "grow":  # more objectives: a team past five in a cycle is OKR202
        team = text.split("team: ", 1)[1].split("\n", 1)[0].upper()
        more = [
            f"  - id: {team}-{n}\n    title: more, {n}\n    key_results: []"
            for n in range(2, 2 + choice)
        ]
        text = text.rstrip("\n") + "\n" + "\n".join(more)
    elif what == "break":
        text = text.replace("target: 2", "target: [2" if choice % 2 else "taget: 2", 1)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def _run(root: Path, *, cache: bool) -> tuple[list[str], list[Finding]]:
    config = load_config(root)
    if cache:  # the engine serves this repository: no rule it cannot serve is selected
        done = check(config)
        assert done is not None
        return done
    return checked_findings(config, only=None, extra=[], at=None, since=None, cache=False)


@pytest.fixture(autouse=True)
def _today() -> object:
    clock.pin(date(2026, 11, 20))
    yield
    clock.pin(None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EDITS, min_size=1, max_size=8))
def test_incremental_equals_cold_after_any_edits(edits: list[tuple[str, int, int]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _start(root)
        assert _run(root, cache=True) == _run(root, cache=False)
        for edit in edits:
            _apply(root, edit)
            assert _run(root, cache=True) == _run(root, cache=False), edit
        shutil.rmtree(root / ".okr_cache")
        assert _run(root, cache=True) == _run(root, cache=False)


# In git: history rules too. Commits that replan (a target moved; with an `OKR-Replan:`
# trailer or without), that remove a key result or only check in, then work-tree edits.
GIT_EDITS = st.one_of(
    EDITS,
    st.tuples(
        st.sampled_from(["replan", "agreed", "remove", "commit", "checkin", "amend", "twice"]),
        st.integers(0, 10),
        st.integers(0, 10),
    ),
)
COMMIT_DAYS = ("2026-10-25T10:00:00", "2026-11-02T10:00:00", "2026-11-10T10:00:00")


def _apply_in_git(root: Path, edit: tuple[str, int, int], commits: list[str]) -> None:
    what, which, choice = edit
    files = _files(root)
    if what == "twice":  # two commits, and no check between them
        _apply(root, ("value", which, choice))
        _apply_in_git(root, ("commit", which, choice), commits)
        _apply(root, ("value", which + 1, choice + 1))
        what = "commit"
    if what not in ("replan", "agreed", "remove", "commit", "checkin", "amend"):
        _apply(root, edit)
        return
    if files and what == "checkin":  # `okr checkin` of an unchanged value: no byte changes
        ids = re.findall(r"- id: (\S+)", files[which % len(files)].read_text())
        day = COMMIT_DAYS[len(commits) % len(COMMIT_DAYS)]
        note = ["-m", f"OKR-Id: {ids[-1]}"] if ids else []
        git(root, "commit", "-q", "--allow-empty", "-m", "check-in", *note, date=day)
        commits.append(day)
        return
    if what == "amend":
        git(root, "add", "-A")
        git(root, "commit", "-q", "--amend", "--allow-empty", "-m", "amended", date=COMMIT_DAYS[0])
        return
    if files and what in ("replan", "agreed"):
        path = files[which % len(files)]
        path.write_text(path.read_text().replace("target: 2", f"target: {choice + 3}", 1))
    elif files and what == "remove":  # the last key result of a file that has two
        path = files[which % len(files)]
        text = path.read_text()
        if text.count("      - id: ") > 1:
            path.write_text(text[: text.rfind("      - id: ")])
    day = COMMIT_DAYS[len(commits) % len(COMMIT_DAYS)]
    trailer = ["-m", "OKR-Replan: agreed"] if what == "agreed" else []
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", what, *trailer, date=day)
    commits.append(day)


def _check_in_git(root: Path, *, cache: bool) -> tuple[list[str], list[Finding]]:
    config = load_config(root)
    return checked_findings(config, only=None, extra=[], at=None, since=None, cache=cache)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(GIT_EDITS, min_size=1, max_size=8))
# a file with a replan in it, edited; a key result removed, then its file edited
@example([("replan", 1, 0), ("value", 1, 3)])
@example([("remove", 2, 0), ("shift", 2, 1), ("agreed", 2, 4), ("value", 2, 5)])
def test_incremental_equals_cold_in_git_with_history_rules(
    edits: list[tuple[str, int, int]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = init_repo(Path(folder))
        _start(root)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "plan", date="2026-10-01T09:00:00")
        commits: list[str] = []
        assert _check_in_git(root, cache=True) == _check_in_git(root, cache=False)
        for edit in edits:
            _apply_in_git(root, edit, commits)
            assert _check_in_git(root, cache=True) == _check_in_git(root, cache=False), edit


def test_the_engine_serves_history_rules_in_git(tmp_path: Path) -> None:
    """In git, OKR207 and OKR208 are answered per file, against the history at HEAD: after
    an edit of one value only that file is checked again, and the findings are a cold run's."""
    _start(tmp_path)
    init_repo(tmp_path)
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "plan", date="2026-10-01T09:00:00")
    alpha = tmp_path / "okrs/2026-Q4/alpha.yaml"
    alpha.write_text(alpha.read_text().replace("target: 2", "target: 1", 1))
    git(tmp_path, "commit", "-qam", "lower the bar", date="2026-10-25T10:00:00")
    first = check(load_config(tmp_path))
    assert first is not None
    codes = {(f.path, f.code) for f in first[1]}
    assert ("okrs/2026-Q4/alpha.yaml", "OKR207") in codes
    assert ("okrs/2026-Q4/beta.yaml", "OKR208") in codes
    beta = tmp_path / "okrs/2026-Q4/beta.yaml"
    beta.write_text(beta.read_text().replace("current: 6", "current: 5", 1))
    again = check(load_config(tmp_path))
    assert again == _check_in_git(tmp_path, cache=False)
    assert again is not None
    # a value waiting to be committed is a check-in: beta's first key result is not stale
    stale = {f.message.split("`")[1] for f in again[1] if f.code == "OKR208"}
    assert "BETA-1.1" not in stale
    assert "BETA-1.2" in stale
    # the file a replan is reported in, edited: checked on its own, the replan still in it
    alpha.write_text(alpha.read_text().replace("current: 6", "current: 4"))
    last = check(load_config(tmp_path))
    assert last == _check_in_git(tmp_path, cache=False)
    assert last is not None
    assert ("okrs/2026-Q4/alpha.yaml", "OKR207") in {(f.path, f.code) for f in last[1]}


def test_a_commit_to_a_key_result_the_work_tree_moved_elsewhere_checks_its_new_file(
    tmp_path: Path,
) -> None:
    """A commit's changes name the files they were made in; a key result the work tree
    holds in another file (moved, not committed) is found there, and that file checked
    against its new course."""
    _start(tmp_path)
    init_repo(tmp_path)
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "plan", date="2026-10-01T09:00:00")
    alpha, beta = tmp_path / "okrs/2026-Q4/alpha.yaml", tmp_path / "okrs/2026-Q4/beta.yaml"
    committed = alpha.read_text()
    assert _check_in_git(tmp_path, cache=True) == _check_in_git(tmp_path, cache=False)
    moving = committed[committed.index("      - id: ALPHA-1.2") :]
    alpha.write_text(committed.replace(moving, ""))
    beta.write_text(beta.read_text() + moving)
    assert _check_in_git(tmp_path, cache=True) == _check_in_git(tmp_path, cache=False)
    # a check-in of ALPHA-1.2 in alpha.yaml, committed from the index alone
    checked_in = moving.replace("current: 6", "current: 5")
    staged = tmp_path / ".git" / "staged.yaml"
    staged.write_text(committed.replace(moving, checked_in))
    blob = git(tmp_path, "hash-object", "-w", str(staged))
    git(tmp_path, "update-index", "--cacheinfo", f"100644,{blob.strip()},okrs/2026-Q4/alpha.yaml")
    git(tmp_path, "commit", "-q", "-m", "check-in", date="2026-11-20T09:00:00")
    warm = _check_in_git(tmp_path, cache=True)
    assert warm == _check_in_git(tmp_path, cache=False)
    stale = {(f.path, f.message.split("`")[1]) for f in warm[1] if f.code == "OKR208"}
    assert ("okrs/2026-Q4/beta.yaml", "ALPHA-1.2") not in stale
    assert ("okrs/2026-Q4/beta.yaml", "BETA-1.2") in stale


def test_repeated_ids_in_git_make_the_run_a_full_one(tmp_path: Path) -> None:
    """With an id in two files the graph keeps one of them; which file a replan is reported
    in is then not known from the index, and the whole repository is checked."""
    _start(tmp_path)
    init_repo(tmp_path)
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "plan", date="2026-10-01T09:00:00")
    beta = tmp_path / "okrs/2026-Q4/beta.yaml"
    beta.write_text(beta.read_text().replace("BETA-1.2", "ALPHA-1.2"))
    assert _check_in_git(tmp_path, cache=True) == _check_in_git(tmp_path, cache=False)
    assert _check_in_git(tmp_path, cache=True) == _check_in_git(tmp_path, cache=False)


def test_check_uses_the_engine_and_no_cache_skips_it(okr: Okr, tmp_path: Path) -> None:
    _start(tmp_path)
    assert okr("check", "--root", tmp_path).code == 0
    assert (tmp_path / ".okr_cache/check.marshal").is_file()
    (tmp_path / ".okr_cache/check.marshal").unlink()
    assert okr("check", "--root", tmp_path, "--no-cache").code == 0
    assert not (tmp_path / ".okr_cache/check.marshal").exists()


def test_an_edit_that_keeps_size_and_time_is_still_seen(tmp_path: Path) -> None:
    """Unchanged files are known by size, times and inode (as git's index knows them) once
    they are older than the clock's granularity; an edit of the same size with its old
    modification time put back still changes the file's change time, and is read."""
    _start(tmp_path)
    time.sleep(RACY_NS / 1e9 + 0.1)  # every file now old enough to be known by its stat
    assert _run(tmp_path, cache=True) == _run(tmp_path, cache=False)
    alpha = tmp_path / "okrs/2026-Q4/alpha.yaml"
    before = alpha.stat()
    alpha.write_text(alpha.read_text().replace("parent: COMPANY-1.1", "parent: COMPANY-9.9"))
    os.utime(alpha, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert alpha.stat().st_size == before.st_size
    incremental, cold = _run(tmp_path, cache=True), _run(tmp_path, cache=False)
    assert incremental == cold
    assert [f.code for f in cold[1]] == ["OKR003"]


def test_unsaved_buffers_stand_in_for_files_and_are_never_taken_for_them(tmp_path: Path) -> None:
    """An editor's buffer is checked in place of its file (the language server), and what a
    run learnt of the buffer is never served for the file on disk."""
    _start(tmp_path)
    time.sleep(RACY_NS / 1e9 + 0.1)  # files old enough to be known by their stat
    config = load_config(tmp_path)
    assert check(config) == _run(tmp_path, cache=False)
    alpha = "okrs/2026-Q4/alpha.yaml"
    typed = (tmp_path / alpha).read_bytes().replace(b"COMPANY-1.1", b"COMPANY-9")
    done = check(config, [alpha], [alpha], {alpha: typed})
    assert done is not None
    assert [(f.path, f.code) for f in done[1]] == [(alpha, "OKR003")]
    assert check(config) == _run(tmp_path, cache=False)  # the file on disk: no finding
    new = "okrs/2026-Q4/delta.yaml"  # a buffer not saved yet
    buffer = _team_file("delta", "2026-Q4", "ALPHA-1").encode()
    done = check(config, [new], [new], {new: buffer})
    assert done is not None
    assert new in done[0]
    assert done[1] == []
