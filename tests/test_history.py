"""The history engine on real repositories with dated commits."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from okrcli.history import History, read_history, store
from okrcli.history.store import Stored
from okrcli.history.walk import Walker
from okrcli.yamlread import parse
from tests.conftest import Okr, Result, commit_all, git, init_repo, write

PATHS = ("okrs/**/*.yaml",)

PLATFORM = """\
team: platform
cycle: 2026-Q4
objectives:
  - id: PLAT-1
    title: Deploys are boring
    key_results:
      - id: PLAT-1.1
        title: Deploy success rate
        start: 90
        target: 100
        current: 92
        unit: "%"
      - id: PLAT-1.2
        title: Canary analysis on every service
        done: false
"""


def _checkin_by_hand(repo: Path, old: str, new: str, message: str, date: str) -> str:
    path = repo / "okrs" / "2026-Q4" / "platform.yaml"
    path.write_text(path.read_text().replace(old, new, 1))
    return commit_all(repo, message, date)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    init_repo(tmp_path)
    write(tmp_path / "okrs" / "2026-Q4" / "platform.yaml", PLATFORM)
    commit_all(tmp_path, "Q4 OKRs", "2026-10-01T09:00:00+00:00")
    _checkin_by_hand(
        tmp_path, "current: 92", "current: 94", "Weekly numbers", "2026-10-08T09:00:00"
    )
    return tmp_path


def _okr_checkin(
    okr: Okr, monkeypatch: pytest.MonkeyPatch, repo: Path, date: str, *args: str
) -> Result:
    monkeypatch.setenv("GIT_AUTHOR_DATE", date)
    monkeypatch.setenv("GIT_COMMITTER_DATE", date)
    result = okr("checkin", *args, "--root", repo)
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    assert result.code == 0, result.err
    return result


def test_log_lists_checkins_with_values_scores_and_notes(
    repo: Path, okr: Okr, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("PLAT-1.1", "96", "--confidence", "6", "-m", "canaries helped")
    _okr_checkin(okr, monkeypatch, repo, "2026-10-15T09:00:00+00:00", *args)
    _okr_checkin(okr, monkeypatch, repo, "2026-10-16T09:00:00+00:00", "PLAT-1.2", "done")
    result = okr("log", "PLAT-1.1", "--format", "json", "--root", repo)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["version"] == 1
    rows = [(r["date"][:10], r["old"], r["new"], r["score"], r["confidence"], r["note"])
            for r in data["checkins"]]  # fmt: skip
    assert rows == [
        ("2026-10-15", 94, 96, 0.6, 6.0, "canaries helped"),
        ("2026-10-08", 92, 94, 0.4, None, "Weekly numbers"),
        ("2026-10-01", None, 92, 0.2, None, "Q4 OKRs"),
    ]
    assert [p["score"] for p in data["series"]["PLAT-1.1"]] == [0.2, 0.4, 0.6]
    # the objective rolls up both key results after each commit: (0.6 + 1) / 2 at the end;
    # the first commit, which added both, is one point
    objective = json.loads(okr("log", "PLAT-1", "--format", "json", "--root", repo).out)
    assert [p["score"] for p in objective["series"]["PLAT-1"]] == [0.1, 0.2, 0.3, 0.8]
    assert {r["id"] for r in objective["checkins"]} == {"PLAT-1.1", "PLAT-1.2"}

    text = okr("log", "--root", repo).out.splitlines()
    assert text[0].split() == ["2026-10-16", "Test", "Author", "PLAT-1.2", "not", "done", "→",
                               "done", "1.00"]  # fmt: skip
    assert "PLAT-1.1" in text[1] and "94 → 96" in text[1] and "conf 6" in text[1]
    assert text[1].endswith("canaries helped")
    spark = next(line for line in text if line.strip().startswith("PLAT-1.1 "))
    assert spark.split()[1:] == ["▂▄▅", "0.20", "→", "0.60"]


def test_objective_checkins_and_grades_are_in_the_log(
    repo: Path, okr: Okr, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`okr checkin OBJ --status …` and `okr grade OBJ …` are check-ins of the objective:
    the log shows what each set, its confidence and note, and a grade as its score."""
    args = ("PLAT-1", "--status", "at_risk", "--confidence", "4", "-m", "vendor slipped")
    _okr_checkin(okr, monkeypatch, repo, "2026-10-20T09:00:00+00:00", *args)
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-12-20T09:00:00+00:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-12-20T09:00:00+00:00")
    assert okr("grade", "PLAT-1", "0.7", "-m", "good enough", "--root", repo).code == 0
    data = json.loads(okr("log", "PLAT-1", "--format", "json", "--root", repo).out)
    rows = [(r["date"][:10], r["id"], r["old"], r["new"], r["score"], r["confidence"], r["note"])
            for r in data["checkins"] if r["id"] == "PLAT-1"]  # fmt: skip
    assert rows == [
        ("2026-12-20", "PLAT-1", None, "grade 0.7", 0.7, None, "good enough"),
        ("2026-10-20", "PLAT-1", None, "status at_risk", None, 4.0, "vendor slipped"),
    ]
    assert data["checkins"][0]["path"] == "okrs/2026-Q4/platform.yaml"
    text = okr("log", "--root", repo).out.splitlines()
    assert text[0].split()[3:] == ["PLAT-1", "—", "→", "grade", "0.7", "0.70", "good", "enough"]
    only_kr = json.loads(okr("log", "PLAT-1.1", "--format", "json", "--root", repo).out)
    assert {r["id"] for r in only_kr["checkins"]} == {"PLAT-1.1"}


def test_since_keeps_later_checkins_and_the_score_at_the_start(repo: Path, okr: Okr) -> None:
    _checkin_by_hand(repo, "current: 94", "current: 99", "More", "2026-10-20T09:00:00")
    data = json.loads(okr("log", "PLAT-1.1", "--since", "2026-10-10", "--format", "json",
                          "--root", repo).out)  # fmt: skip
    assert [r["new"] for r in data["checkins"]] == [99]
    assert [p["score"] for p in data["series"]["PLAT-1.1"]] == [0.4, 0.9]


def test_bad_arguments_are_one_sentence(repo: Path, okr: Okr) -> None:
    result = okr("log", "PLAT-1.9", "--root", repo)
    assert result.code == 2 and "no objective or key result `PLAT-1.9`" in result.err
    result = okr("log", "--since", "last week", "--root", repo)
    assert result.code == 2 and "--since last week: not a date" in result.err


def test_outside_git_and_in_a_shallow_clone_log_says_how_to_fix_it(
    repo: Path, tmp_path_factory: pytest.TempPathFactory, okr: Okr
) -> None:
    plain = tmp_path_factory.mktemp("plain")
    write(plain / "okr.toml", "")
    write(plain / "okrs" / "2026-Q4" / "platform.yaml", PLATFORM)
    result = okr("log", "--root", plain)
    assert result.code == 2 and "not in a git repository" in result.err
    shallow = tmp_path_factory.mktemp("shallow") / "clone"
    git(repo, "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow))
    result = okr("log", "--root", shallow)
    assert result.code == 2
    assert "git fetch --unshallow" in result.err and "fetch-depth: 0" in result.err
    assert result.err.count("\n") == 1
    assert okr("check", "--root", shallow).code == 0  # commands without history work as before


def test_renames_and_moves_keep_a_key_results_history(repo: Path) -> None:
    git(repo, "mv", "okrs/2026-Q4/platform.yaml", "okrs/2026-Q4/infra.yaml")
    commit_all(repo, "Rename the team", "2026-10-10T09:00:00")
    infra = repo / "okrs" / "2026-Q4" / "infra.yaml"
    body = infra.read_text()
    head, moved = body.split("      - id: PLAT-1.2\n")
    infra.write_text(head.replace("current: 94", "current: 95"))
    write(repo / "okrs" / "2026-Q4" / "mobile.yaml", "team: mobile\ncycle: 2026-Q4\nobjectives:\n"
          "  - id: MOB-1\n    title: Moved here\n    key_results:\n      - id: PLAT-1.2\n"
          + moved)  # fmt: skip
    commit_all(repo, "Move the canary key result to mobile", "2026-10-12T09:00:00")
    history = read_history(repo, PATHS, cache=False)
    kinds = [(c.id, c.before is None, c.after is None, c.is_checkin) for c in history.changes]
    assert kinds[-2:] == [("PLAT-1.1", False, False, True), ("PLAT-1.2", False, False, False)]
    moved_change = history.changes[-1]
    assert moved_change.path == "okrs/2026-Q4/mobile.yaml"
    assert moved_change.before and moved_change.after
    assert (moved_change.before["objective"], moved_change.after["objective"]) == (
        "PLAT-1",
        "MOB-1",
    )


def test_a_broken_version_does_not_look_like_key_results_removed(repo: Path) -> None:
    path = repo / "okrs" / "2026-Q4" / "platform.yaml"
    good = path.read_text()
    path.write_text(good + "  - [unclosed\n")
    commit_all(repo, "Oops", "2026-10-09T09:00:00")
    path.write_text(good.replace("current: 94", "current: 97"))
    commit_all(repo, "Fixed, and checked in", "2026-10-10T09:00:00")
    history = read_history(repo, PATHS, cache=False)
    last = [c for c in history.changes if c.commit.subject != "Q4 OKRs"]
    assert [(c.id, c.before and c.before["current"], c.after and c.after["current"])
            for c in last] == [("PLAT-1.1", 92, 94), ("PLAT-1.1", 94, 97)]  # fmt: skip


def _states_at(repo: Path, sha: str) -> dict[str, dict[str, object]]:
    """Every key result at `sha`, read in full: the independent answer."""
    found: dict[str, dict[str, object]] = {}
    for rel in git(repo, "ls-tree", "-r", "--name-only", sha, "okrs").split():
        data = parse(git(repo, "show", f"{sha}:{rel}").encode()).data
        for objective in data["objectives"]:
            for kr in objective["key_results"]:
                state = {k: v for k, v in kr.items() if k not in ("notes", "initiatives")}
                plan = {key: objective.get(key) for key in ("type", "weight", "status")}
                found[kr["id"]] = {**state, "objective": objective["id"], "objective_plan": plan}
    return found


def test_values_read_from_diffs_equal_every_version_read_in_full(tmp_path: Path) -> None:
    """A random walk of hand edits: values, comments, new key results, reordering."""
    rng = random.Random(9)
    init_repo(tmp_path)
    lines = PLATFORM.splitlines()
    path = tmp_path / "okrs" / "2026-Q4" / "platform.yaml"
    write(path, PLATFORM)
    commit_all(tmp_path, "start", "2026-10-01T00:00:00")
    for n in range(40):
        roll = rng.random()
        values = [i for i, line in enumerate(lines) if line.strip().startswith(("current", "done"))]
        if roll < 0.6:
            i = rng.choice(values)
            key = lines[i].split(":")[0]
            new = rng.choice(["true", "false"]) if "done" in key else str(rng.randint(0, 120))
            lines[i] = f"{key}: {new}" + rng.choice(["", "  # checked"])
        elif roll < 0.75:
            lines.insert(rng.randrange(3, len(lines)), "# a comment line")
        elif roll < 0.9:
            lines += [f"      - id: PLAT-1.{n + 3}", "        title: Added later",
                      "        start: 0", "        target: 10", f"        current: {n % 10}",
                      "        unit: x"]  # fmt: skip
        else:
            i = rng.choice(values)
            lines[i] = lines[i].replace(": ", ":   ", 1)  # spacing only: the same value
        write(path, "\n".join(lines) + "\n")
        git(tmp_path, "add", "-A")
        when = f"2026-10-{2 + n % 27:02d}T{n % 24:02d}:00:00"
        git(tmp_path, "commit", "-q", "--allow-empty", "-m", f"edit {n}", date=when)
    history = read_history(tmp_path, PATHS, cache=False)
    assert len(history.commits) >= 30
    state: dict[str, dict[str, object]] = {}
    for commit in history.commits:
        for change in history.changes:
            if change.commit is commit and change.after is not None:
                state[change.id] = change.after
        assert state == _states_at(tmp_path, commit.sha), commit.subject
    walker = Walker(tmp_path)  # and most versions were indeed derived, not parsed
    walker.run(["HEAD"], PATHS, None)
    assert walker.parsed < len(walker.commits) / 2


def test_cache_second_run_and_incremental_run_agree_with_a_cold_one(repo: Path) -> None:
    first = read_history(repo, PATHS)
    assert (repo / ".okr_cache").is_dir()
    again = read_history(repo, PATHS)
    assert [(c.commit.sha, c.id, c.after) for c in again.changes] == [
        (c.commit.sha, c.id, c.after) for c in first.changes
    ]
    _checkin_by_hand(
        repo, "done: false", "done: true", "Canaries everywhere", "2026-10-12T09:00:00"
    )
    warm = read_history(repo, PATHS)
    cold = read_history(repo, PATHS, cache=False)
    assert [(c.commit.sha, c.id, c.before, c.after) for c in warm.changes] == [
        (c.commit.sha, c.id, c.before, c.after) for c in cold.changes
    ]
    assert warm.changes[-1].id == "PLAT-1.2" and warm.changes[-1].is_checkin


def _changes(history: History) -> list[tuple[str, str, str, object, object, object]]:
    return [(c.commit.sha, c.id, c.path, c.before, c.after, c.score) for c in history.changes]


def _cached(repo: Path, kind: str) -> bytes:
    return (repo / ".okr_cache" / f"{kind}.marshal").read_bytes()


def test_a_commit_rewrites_only_the_tail_of_the_cache(repo: Path) -> None:
    """A walk that goes on from the cache writes what it found to the tail; the base (every
    change since the first commit) is neither rewritten nor needed to tell what changed."""
    read_history(repo, PATHS)
    base = _cached(repo, "history")
    for n, (old, new) in enumerate([("current: 94", "current: 95"), ("done: false", "done: true")]):
        _checkin_by_hand(repo, old, new, f"Check-in {n}", f"2026-10-1{n}T09:00:00")
        head = git(repo, "rev-parse", "HEAD").strip()
        warm = read_history(repo, PATHS)
        assert _changes(warm) == _changes(read_history(repo, PATHS, cache=False))
        assert warm.head == head
    assert _cached(repo, "history") == base
    stored = Stored.read(repo, PATHS)
    assert stored is not None and stored.head == head
    first = read_history(repo, PATHS, rev="HEAD~2", cache=False).head
    assert first is not None
    (repo / ".okr_cache" / "history.marshal").unlink()  # what came since needs no base
    since = stored.changes_since(first)
    assert since is not None
    assert [(c.id, c.after and c.after.get("done")) for c in since] == [
        ("PLAT-1.1", None),
        ("PLAT-1.2", True),
    ]
    assert stored.changes_since("0" * 40) is None  # not where a walk ended


def test_a_lost_base_means_the_history_is_walked_again_and_kept(repo: Path) -> None:
    read_history(repo, PATHS)
    _checkin_by_hand(repo, "current: 94", "current: 95", "More", "2026-10-10T09:00:00")
    read_history(repo, PATHS)
    base = repo / ".okr_cache" / "history.marshal"
    base.unlink()
    assert _changes(read_history(repo, PATHS)) == _changes(read_history(repo, PATHS, cache=False))
    assert base.is_file()  # the next run reads it and walks nothing


def test_a_damaged_tail_is_work_done_again(repo: Path) -> None:
    """A tail okr wrote that does not hold what it should (an older okr, a bug) is never an
    error: the history is walked again."""
    from okrcli.cache import write as write_cache

    read_history(repo, PATHS)
    stored = Stored.read(repo, PATHS)
    assert stored is not None
    write_cache(repo, "history-tail", {**stored.tail, "changes": [[1]], "ends": 3, "last": []})
    _checkin_by_hand(repo, "current: 94", "current: 95", "More", "2026-10-10T09:00:00")
    assert _changes(read_history(repo, PATHS)) == _changes(read_history(repo, PATHS, cache=False))


def test_the_tail_is_folded_into_the_base_once_it_grows(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "SLACK", 0)
    read_history(repo, PATHS)
    base = _cached(repo, "history")
    _checkin_by_hand(repo, "current: 94", "current: 95", "More", "2026-10-10T09:00:00")
    warm = read_history(repo, PATHS)
    assert _cached(repo, "history") != base
    stored = Stored.read(repo, PATHS)
    assert stored is not None and stored.tail["base"] == stored.head == warm.head
    assert stored.tail["commits"] == []
    assert _changes(read_history(repo, PATHS)) == _changes(read_history(repo, PATHS, cache=False))


def test_a_checkin_of_an_unchanged_value_after_the_cache_reads_the_last_state(
    repo: Path, okr: Okr, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`okr checkin` with a note and the same value changes no byte: the walk that goes on
    from the cache finds the key result's state in the base, and logs the check-in."""
    read_history(repo, PATHS)
    _okr_checkin(
        okr, monkeypatch, repo, "2026-10-15T09:00:00+00:00", "PLAT-1.1", "94", "-m", "Flat"
    )
    warm = read_history(repo, PATHS)
    assert _changes(warm) == _changes(read_history(repo, PATHS, cache=False))
    last = warm.changes[-1]
    assert last.id == "PLAT-1.1" and last.before == last.after and last.is_checkin


def test_an_amended_commit_is_walked_again_and_kept(repo: Path) -> None:
    read_history(repo, PATHS)
    path = repo / "okrs" / "2026-Q4" / "platform.yaml"
    path.write_text(path.read_text().replace("current: 94", "current: 93"))
    git(repo, "commit", "-q", "--amend", "-am", "Weekly numbers, fixed", date="2026-10-08T10:00:00")
    head = git(repo, "rev-parse", "HEAD").strip()
    warm = read_history(repo, PATHS)
    assert _changes(warm) == _changes(read_history(repo, PATHS, cache=False))
    stored = Stored.read(repo, PATHS)
    assert stored is not None and stored.head == head


def test_the_walk_parses_each_file_once_for_the_loader_too(repo: Path) -> None:
    """A cold walk reads each file's newest version in full; the loader finds that parse in
    its cache, the same as its own parse of the work tree would be."""
    from okrcli.cache import Store, key
    from okrcli.yamlread import parse

    read_history(repo, PATHS)
    raw = (repo / "okrs" / "2026-Q4" / "platform.yaml").read_bytes()
    entry = Store(repo, "load").get(key(raw))
    own = parse(raw, every_key=False)
    assert entry == (own.data, own.positions)


def test_courses_read_from_the_cache_equal_those_worked_out_from_the_changes(
    repo: Path,
) -> None:
    _checkin_by_hand(repo, "target: 100", "target: 99", "Be realistic", "2026-10-09T09:00:00")
    from okrcli.config import load_config
    from okrcli.history import History, repo_history
    from okrcli.repo import load_repo

    config = load_config(repo)
    assert config.paths == PATHS
    repo_history(load_repo(config, cache=True))  # fills the cache, courses in their own file
    (repo / ".okr_cache" / "history.marshal").unlink()  # so they can only come from there
    warm = repo_history(load_repo(config, cache=True))
    cold = read_history(repo, PATHS, cache=False)
    assert isinstance(warm, History)
    plat = warm.course("PLAT-1.1")
    assert plat is not None and plat.last == {"start": 90, "target": 99, "current": 94}
    assert [(r.id, r.what, r.old, r.new) for r in warm.replans()] == [
        ("PLAT-1.1", "target", 100, 99)
    ]
    assert warm.replans() == cold.replans()
    assert plat.updated is not None and plat.updated.isoformat() == "2026-10-08"
    for ident in ("PLAT-1.1", "PLAT-1.2"):
        assert warm.course(ident) == cold.course(ident)
    assert warm.course("NOPE-1") is None
    assert len(warm.changes) == len(cold.changes)  # asked for, they are walked again


def test_log_no_cache_writes_no_cache(repo: Path, okr: Okr) -> None:
    result = okr("log", "--root", repo, "--no-cache")
    assert result.code == 0, result.err
    assert "92 → 94" in result.out
    assert not (repo / ".okr_cache").exists()


def test_colour_in_a_terminal_and_notes_are_not_markup(
    repo: Path, okr: Okr, monkeypatch: pytest.MonkeyPatch
) -> None:
    _checkin_by_hand(
        repo, "current: 94", "current: 99", "[red]not markup[/]", "2026-10-09T09:00:00"
    )
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    out = okr("log", "PLAT-1.1", "--root", repo).out
    first = out.splitlines()[0]
    assert first.endswith("[red]not markup[/]")
    assert "\x1b[32m0.90" in first  # green: 0.9 ≥ 0.7


def test_commit_messages_cannot_drive_the_terminal(repo: Path, okr: Okr) -> None:
    _checkin_by_hand(repo, "current: 94", "current: 99", "\x1b[2Jwiped", "2026-10-09T09:00:00")
    out = okr("log", "PLAT-1.1", "--root", repo).out
    assert "\x1b" not in out
    assert out.splitlines()[0].endswith("\\x1b[2Jwiped")


def test_a_file_with_lone_carriage_returns_is_read_in_full(tmp_path: Path) -> None:
    init_repo(tmp_path)
    path = tmp_path / "okrs" / "2026-Q4" / "platform.yaml"
    write(path, "")
    path.write_bytes(PLATFORM.replace("\n", "\r").encode())
    commit_all(tmp_path, "Q4", "2026-10-01T09:00:00")
    path.write_bytes(PLATFORM.replace("current: 92", "current: 93").replace("\n", "\r").encode())
    sha = commit_all(tmp_path, "Check in", "2026-10-02T09:00:00")
    (change,) = [c for c in read_history(tmp_path, PATHS, cache=False).changes if c.before]
    assert (change.id, change.after) == ("PLAT-1.1", _states_at(tmp_path, sha)["PLAT-1.1"])
