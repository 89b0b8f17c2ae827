"""`okr score --team T` reads only the files T's scores are made of, and says what the
whole repository says (okrcli/reach.py)."""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Okr, write

CYCLES = ["2026", "2026-Q3", "2026-Q4", "2027-Q1"]
TEAMS = ["alpha", "beta", "gamma", "delta"]
# Owners as files write them: `Bob` is `@ann` in okr.toml [owners] now and then, and `Test
# Author` is the git user of tests/conftest.py's init_repo (`--owner me`).
OWNERS = ["ann", "Bob", "'@ann'", "Test Author"]


def _owner(rng: random.Random, indent: str) -> str:
    """An `owner:` line, one time in two."""
    return f"{indent}owner: {rng.choice(OWNERS)}\n" if rng.random() < 0.5 else ""


def _age(root: Path) -> None:
    """Date every file a minute back: the index never caches a file changed in the last two
    seconds (its stat could not tell the next edit from this one)."""
    back = time.time_ns() - 60 * 10**9
    for path in (root / "okrs").rglob("*.yaml"):
        os.utime(path, ns=(back, back))


def _kr(ident: str, rng: random.Random) -> str:
    kind = rng.choice(["metric", "metric", "milestone", "rollup"])
    body = {
        "metric": f"start: 0\n        target: 10\n        current: {rng.randint(0, 12)}\n"
        "        unit: x",
        "milestone": f"done: {rng.choice(['true', 'false'])}",
        "rollup": "rollup: true",
    }[kind]
    weight = rng.choice(["", "\n        weight: 0", "\n        weight: 2"])
    owner = _owner(rng, "        ")
    return f"      - id: {ident}\n        title: kr {ident}\n{owner}        {body}{weight}\n"


def _repository(root: Path, rng: random.Random) -> list[str]:
    """Several teams over nested cycles, parents anywhere (objectives, key results, missing
    ones, loops), owners at every level, now and then a duplicate id or a file that does
    not load; the ids written."""
    files: list[tuple[str, str, list[tuple[str, list[str]]]]] = []
    ids: list[str] = []
    for cycle in CYCLES:
        for team in rng.sample(TEAMS, rng.randint(1, len(TEAMS))):
            objectives = []
            for n in range(1, rng.randint(1, 3) + 1):
                ident = f"{team[:2].upper()}{cycle[-2:]}-{n}"
                if ids and rng.random() < 0.05:
                    ident = rng.choice(ids)  # a duplicate
                krs = [f"{ident}.{k}" for k in range(1, rng.randint(1, 3) + 1)]
                objectives.append((ident, krs))
                ids += [ident, *krs]
            files.append((cycle, team, objectives))
    for cycle, team, objectives in files:
        text = f"team: {team}\ncycle: '{cycle}'\n{_owner(rng, '')}objectives:\n"
        for ident, krs in objectives:
            text += f"  - id: {ident}\n    title: objective {ident}\n{_owner(rng, '    ')}"
            if rng.random() < 0.75:
                parent = rng.choice([*ids, "MISSING-1"])
                text += f"    parent: {parent}\n"
            text += f"    weight: {rng.choice([1, 1, 0, 2])}\n    key_results:\n"
            text += "".join(_kr(kr, rng) for kr in krs)
        roll = rng.random()
        if roll < 0.05:
            text = "team: [unclosed\n"
        elif roll < 0.1:
            text = text.replace("title:", "titel:", 1)  # does not match the schema
        write(root / "okrs" / cycle / f"{team}.yaml", text)
    write(root / "okr.toml", '[owners]\nBob = "@ann"\n' if rng.random() < 0.3 else "")
    return ids


def _same_either_way(okr: Okr, root: Path, *args: str) -> str:
    """The output of `okr ARGS` (subset) after checking it against a whole-repository load."""
    whole = okr(*args, "--root", root, "--no-cache")
    first = okr(*args, "--root", root)
    again = okr(*args, "--root", root)  # from the index this time
    assert (first.code, first.out, first.err) == (whole.code, whole.out, whole.err)
    assert (again.code, again.out, again.err) == (whole.code, whole.out, whole.err)
    return whole.out


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 2**32),
    command=st.sampled_from(["score", "tree"]),
    teams=st.lists(st.sampled_from([*TEAMS, "nobody"]), min_size=1, max_size=2),
    cycle=st.sampled_from([None, "all", *CYCLES, "2030"]),
    owner=st.sampled_from([None, "ann"]),
)
def test_a_team_scores_as_in_the_whole_repository(
    okr: Okr,
    tmp_path_factory: pytest.TempPathFactory,
    seed: int,
    command: str,
    teams: list[str],
    cycle: str | None,
    owner: str | None,
) -> None:
    root = tmp_path_factory.mktemp("org")
    rng = random.Random(seed)
    _repository(root, rng)
    _age(root)
    args = [command, "--format", "json"]
    for team in teams:
        args += ["--team", team]
    args += ["--cycle", cycle] if cycle else []
    args += ["--owner", owner] if owner else []
    _same_either_way(okr, root, *args)


COMPANY = """\
team: company
cycle: 2026-Q4
objectives:
  - id: CO-1
    title: Customers stay
    key_results:
      - id: CO-1.1
        title: Teams hit their goals
        rollup: true
"""
ALPHA = """\
team: alpha
cycle: 2026-Q4
objectives:
  - id: AL-1
    title: Alpha ships
    parent: CO-1.1
    key_results:
      - id: AL-1.1
        title: Deploys per week
        start: 0
        target: 10
        current: 5
        unit: deploys
"""
BETA = """\
team: beta
cycle: 2026-Q4
objectives:
  - id: BE-1
    title: Beta helps alpha ship
    parent: AL-1
    key_results:
      - id: BE-1.1
        title: Pipelines migrated
        start: 0
        target: 4
        current: 1
        unit: pipelines
"""
ZETA = """\
team: zeta
cycle: 2026-Q4
objectives:
  - id: ZE-1
    title: Zeta does its own thing
    parent: CO-1.1
    key_results:
      - id: ZE-1.1
        title: Tickets closed
        start: 0
        target: 100
        current: 40
        unit: tickets
"""


@pytest.fixture
def org(tmp_path: Path) -> Path:
    """company ← alpha ← beta, and zeta beside alpha under company."""
    for team, text in {"company": COMPANY, "alpha": ALPHA, "beta": BETA, "zeta": ZETA}.items():
        write(tmp_path / "okrs/2026-Q4" / f"{team}.yaml", text)
    write(tmp_path / "okr.toml", "")
    _age(tmp_path)
    return tmp_path


def _score(okr: Okr, root: Path, *more: str) -> str:
    done = okr("score", "--team", "alpha", "--format", "json", "--root", root, *more)
    assert done.code == 0, done.err
    return done.out


def _swap_unseen(path: Path, text: str) -> None:
    """Replace a file's bytes, keeping its size and time: only reading it can tell."""
    info = path.stat()
    raw = text.encode()
    assert len(raw) <= info.st_size
    path.write_bytes(raw + b"#" * (info.st_size - len(raw)))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def test_a_file_the_team_does_not_reach_is_not_read(okr: Okr, org: Path) -> None:
    before = _score(okr, org)
    _swap_unseen(org / "okrs/2026-Q4/zeta.yaml", "team: [unclosed\n")
    assert _score(okr, org) == before
    whole = json.loads(_score(okr, org, "--no-cache"))  # what reading it would have said
    assert [u["path"] for u in whole["unread"]] == ["okrs/2026-Q4/zeta.yaml"]


def test_an_edit_far_from_the_team_changes_nothing(okr: Okr, org: Path) -> None:
    before = _score(okr, org)
    zeta = org / "okrs/2026-Q4/zeta.yaml"
    zeta.write_text(ZETA.replace("current: 40", "current: 90"), encoding="utf-8")
    assert _score(okr, org) == before == _score(okr, org, "--no-cache")


def test_a_far_file_aligned_below_the_team_is_read_from_then_on(okr: Okr, org: Path) -> None:
    before = json.loads(_score(okr, org))
    assert before["objectives"][0]["children"] == ["BE-1"]
    zeta = org / "okrs/2026-Q4/zeta.yaml"
    zeta.write_text(ZETA.replace("parent: CO-1.1", "parent: AL-1.1"), encoding="utf-8")
    _age(org)  # as old as the maps of the last run: only the file's alignment tells
    after = _score(okr, org)
    assert after == _score(okr, org, "--no-cache")
    assert json.loads(after)["objectives"][0]["key_results"][0]["children"] == ["ZE-1"]


def test_parents_changed_within_the_clock_tick_are_seen(okr: Okr, org: Path) -> None:
    """A file written in the last two seconds is not known by its stat: its alignment is
    compared with the one the last run's maps were made from, every time."""
    _score(okr, org)
    zeta = org / "okrs/2026-Q4/zeta.yaml"
    for parent, children in (("CO-1.1", []), ("AL-1.1", ["ZE-1"]), ("CO-1.1", [])):
        zeta.write_text(ZETA.replace("parent: CO-1.1", f"parent: {parent}"), encoding="utf-8")
        after = _score(okr, org)
        assert after == _score(okr, org, "--no-cache")
        assert json.loads(after)["objectives"][0]["key_results"][0]["children"] == children


def test_an_edit_below_the_team_moves_its_score(okr: Okr, org: Path) -> None:
    before = json.loads(_score(okr, org))
    beta = org / "okrs/2026-Q4/beta.yaml"
    beta.write_text(BETA.replace("current: 1", "current: 4"), encoding="utf-8")
    after = _score(okr, org)
    assert after == _score(okr, org, "--no-cache")
    assert before["objectives"][0]["score"] == 0.375  # its key result 0.5, beta's 0.25
    assert json.loads(after)["objectives"][0]["score"] == 0.75


def test_an_edit_to_the_parent_changes_whether_the_team_counts(okr: Okr, org: Path) -> None:
    assert json.loads(_score(okr, org))["objectives"][0]["counts"] is True
    company = org / "okrs/2026-Q4/company.yaml"
    measured = "start: 0\n        target: 1\n        current: 0\n        unit: x"
    company.write_text(COMPANY.replace("rollup: true", measured), encoding="utf-8")
    after = _score(okr, org)
    assert after == _score(okr, org, "--no-cache")
    assert json.loads(after)["objectives"][0]["counts"] is False  # under a measured KR


def test_a_duplicate_id_on_the_way_makes_it_read_everything(okr: Okr, org: Path) -> None:
    beta = org / "okrs/2026-Q4/beta.yaml"
    beta.write_text(BETA + ZETA.split("objectives:\n")[1].replace("ZE-1", "AL-1"), "utf-8")
    _age(org)
    before = _score(okr, org)
    _swap_unseen(org / "okrs/2026-Q4/zeta.yaml", "team: [unclosed\n")
    after = json.loads(_score(okr, org))
    assert [u["path"] for u in after["unread"]] == ["okrs/2026-Q4/zeta.yaml"]
    assert after["objectives"] == json.loads(before)["objectives"]


def test_the_index_completion_made_serves_the_team_scores(okr: Okr, org: Path) -> None:
    from okrcli.names import read_names

    assert "BE-1" in read_names(org).objectives  # entries with names only, no alignment yet
    assert _score(okr, org) == _score(okr, org, "--no-cache")
    assert "BE-1" in read_names(org).objectives


def test_a_symlink_out_of_the_repository_is_reported_and_not_read(
    okr: Okr, org: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from okrcli.names import read_names

    outside = tmp_path_factory.mktemp("outside") / "secret.yaml"
    outside.write_text(ZETA.replace("ZE-", "SECRET-"), encoding="utf-8")
    (org / "okrs/2026-Q4/leak.yaml").symlink_to(outside)
    whole = _score(okr, org, "--no-cache")
    assert _score(okr, org) == _score(okr, org) == whole
    assert "SECRET" not in whole
    assert [u["path"] for u in json.loads(whole)["unread"]] == ["okrs/2026-Q4/leak.yaml"]
    assert not any(i.startswith("SECRET") for i in read_names(org).objectives)
