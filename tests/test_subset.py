"""`okr tree ID`, `okr mine`, `--owner` and `okr checkin` read only the files they need, and
say what the whole repository says (okrcli/reach.py)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from okrcli.names import MOST_PARSED_ALONE
from tests.conftest import Okr, commit_all, git, init_repo, write
from tests.test_score_team import (
    ALPHA,
    BETA,
    COMPANY,
    CYCLES,
    TEAMS,
    ZETA,
    _age,
    _repository,
    _same_either_way,
    _swap_unseen,
)

FORMATS = ["json", "tree", "table", "markdown"]
OWNER_NAMES = ["ann", "bob", "me", "Test Author", "nobody"]

_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_SETTINGS
@given(
    seed=st.integers(0, 2**32),
    pick=st.integers(0, 10**6),
    output=st.sampled_from(FORMATS),
    team=st.sampled_from([None, *TEAMS, "nobody"]),
    owner=st.sampled_from([None, *OWNER_NAMES]),
)
# a key result named as a parent, whose objective's id another file repeats
@example(seed=196064, pick=92658, output="json", team=None, owner=None)
def test_a_subtree_scores_as_in_the_whole_repository(
    okr: Okr,
    tmp_path_factory: pytest.TempPathFactory,
    seed: int,
    pick: int,
    output: str,
    team: str | None,
    owner: str | None,
) -> None:
    root = init_repo(tmp_path_factory.mktemp("org"))  # `me` is its git user
    ids = _repository(root, random.Random(seed))
    _age(root)
    known = [*ids, "MISSING-1", "AL26-1.9"]  # unknown ones: the error suggests a near id
    args = ["tree", known[pick % len(known)], "--format", output]
    args += ["--team", team] if team else []
    args += ["--owner", owner] if owner else []
    _same_either_way(okr, root, *args)


@_SETTINGS
@given(
    seed=st.integers(0, 2**32),
    command=st.sampled_from(["mine", "score", "tree"]),
    owners=st.lists(st.sampled_from(OWNER_NAMES), min_size=1, max_size=2),
    team=st.sampled_from([None, *TEAMS]),
    cycle=st.sampled_from([None, "all", *CYCLES, "2030"]),
    output=st.sampled_from(FORMATS),
)
def test_an_owners_scores_are_as_in_the_whole_repository(
    okr: Okr,
    tmp_path_factory: pytest.TempPathFactory,
    seed: int,
    command: str,
    owners: list[str],
    team: str | None,
    cycle: str | None,
    output: str,
) -> None:
    root = init_repo(tmp_path_factory.mktemp("org"))
    _repository(root, random.Random(seed))
    _age(root)
    args = [command, "--format", output]
    for owner in [] if command == "mine" else owners:
        args += ["--owner", owner]
    args += ["--team", team] if team else []
    args += ["--cycle", cycle] if cycle else []
    _same_either_way(okr, root, *args)


@pytest.fixture
def org(tmp_path: Path) -> Path:
    """company ← alpha ← beta, and zeta beside alpha under company; ann owns AL-1."""
    owned = ALPHA.replace("    parent: CO-1.1\n", "    parent: CO-1.1\n    owner: ann\n")
    texts = {"company": COMPANY, "alpha": owned, "beta": BETA, "zeta": ZETA}
    for team, text in texts.items():
        write(tmp_path / "okrs/2026-Q4" / f"{team}.yaml", text)
    write(tmp_path / "okr.toml", "")
    _age(tmp_path)
    return tmp_path


def _json(okr: Okr, root: Path, *args: str) -> str:
    done = okr(*args, "--format", "json", "--root", root)
    assert done.code == 0, done.err
    return done.out


TREE = ("tree", "AL-1")
MINE = ("score", "--owner", "ann")
SHOWN = {TREE: ["AL-1", "BE-1"], MINE: ["AL-1"]}


@pytest.mark.parametrize("args", [TREE, MINE], ids=["tree ID", "--owner"])
def test_a_file_below_nothing_shown_is_not_read(okr: Okr, org: Path, args: tuple[str]) -> None:
    before = _json(okr, org, *args)
    assert [o["id"] for o in json.loads(before)["objectives"]] == SHOWN[args]
    _swap_unseen(org / "okrs/2026-Q4/zeta.yaml", "team: [unclosed\n")
    assert _json(okr, org, *args) == before
    whole = json.loads(_json(okr, org, *args, "--no-cache"))  # what reading it would have said
    assert [u["path"] for u in whole["unread"]] == ["okrs/2026-Q4/zeta.yaml"]


@pytest.mark.parametrize("args", [TREE, MINE], ids=["tree ID", "--owner"])
def test_an_edit_below_what_is_shown_moves_its_score(okr: Okr, org: Path, args: tuple[str]) -> None:
    before = json.loads(_json(okr, org, *args))
    beta = org / "okrs/2026-Q4/beta.yaml"
    beta.write_text(BETA.replace("current: 1", "current: 4"), encoding="utf-8")
    after = _json(okr, org, *args)
    assert after == _json(okr, org, *args, "--no-cache")
    assert before["objectives"][0]["score"] == 0.375  # its key result 0.5, beta's 0.25
    assert json.loads(after)["objectives"][0]["score"] == 0.75


def test_an_owner_written_far_away_is_seen(okr: Okr, org: Path) -> None:
    """The files holding an owner's items come from each file's own entry: a far file that
    names the owner from now on is read, and its objective shown."""
    assert [o["id"] for o in json.loads(_json(okr, org, *MINE))["objectives"]] == ["AL-1"]
    zeta = org / "okrs/2026-Q4/zeta.yaml"
    zeta.write_text(ZETA.replace("unit: tickets", "unit: tickets\n        owner: Ann"), "utf-8")
    _age(org)
    after = _json(okr, org, *MINE)
    assert after == _json(okr, org, *MINE, "--no-cache")
    assert [o["id"] for o in json.loads(after)["objectives"]] == ["AL-1", "ZE-1"]


def test_the_tree_of_a_key_result_shows_what_aligns_to_it(okr: Okr, org: Path) -> None:
    """A key result's tree loads what aligns below its objective, and shows only its own."""
    zeta = org / "okrs/2026-Q4/zeta.yaml"
    zeta.write_text(ZETA.replace("parent: CO-1.1", "parent: AL-1.1"), encoding="utf-8")
    _age(org)
    after = _json(okr, org, "tree", "AL-1.1")
    assert after == _json(okr, org, "tree", "AL-1.1", "--no-cache")
    assert [o["id"] for o in json.loads(after)["objectives"]] == ["ZE-1"]


def test_a_root_written_twice_makes_it_read_everything(okr: Okr, org: Path) -> None:
    """Which of the two is shown depends on every file (the first loaded): the index
    knows the last one it read."""
    zeta = org / "okrs/2026-Q4/zeta.yaml"
    zeta.write_text(ZETA.replace("ZE-1.1", "AL-1.1"), encoding="utf-8")
    _age(org)
    whole = okr("tree", "AL-1.1", "--root", org, "--no-cache")
    again = okr("tree", "AL-1.1", "--root", org)
    assert (again.code, again.out, again.err) == (whole.code, whole.out, whole.err)
    assert "AL-1.1 Deploys per week" in whole.out  # alpha's, not zeta's


# A check-in names items by id: only which file holds an id, and whether another does too,
# is read from the rest of the repository. Below MOST_PARSED_ALONE files every file is
# loaded, as before (the index would cost more than it saves); above, the index answers.

FAR = """\
team: far{n}
cycle: 2026-Q4
objectives:
  - id: FAR{n}-1
    title: Far objective {n}
    parent: CO-1.1
    key_results:
      - id: FAR{n}-1.1
        title: Far key result {n}
        start: 0
        target: 10
        current: 3
        unit: x
"""


@pytest.fixture
def big(org: Path) -> Path:
    """The org in git, with more far files than are loaded whole."""
    for n in range(MOST_PARSED_ALONE + 1):
        write(org / "okrs/2026-Q4" / f"far{n}.yaml", FAR.format(n=n))
    init_repo(org)
    commit_all(org, "OKRs", "2026-10-01T09:00:00+00:00")
    _age(org)
    git(org, "update-index", "-q", "--refresh")  # else `checkout` writes every file again
    return org


def _checkin(okr: Okr, root: Path, *args: str) -> tuple[int, str, str, bytes]:
    """A check-in's exit code, messages and the bytes of the file it edits."""
    done = okr("checkin", *args, "--no-commit", "--root", root)
    alpha = (root / "okrs/2026-Q4/alpha.yaml").read_bytes()
    git(root, "checkout", "--", ".")
    return done.code, done.out, done.err, alpha


def test_a_checkin_does_not_read_the_files_it_does_not_edit(okr: Okr, big: Path) -> None:
    before = _checkin(okr, big, "AL-1.1", "7", "-m", "halfway")
    assert before[:3] == (0, "AL-1.1: 5 → 7 (score 0.70); okrs/2026-Q4/alpha.yaml edited, "
                          "not committed\n", "")  # fmt: skip
    # The same id written in a far file, unseen (its size and time kept): a whole load
    # would refuse the check-in (OKR002), the index trusts the file's stat, as git does.
    far = big / "okrs/2026-Q4/far7.yaml"
    _swap_unseen(far, FAR.format(n=7).replace("FAR7-1.1", "AL-1.1"))
    assert _checkin(okr, big, "AL-1.1", "7", "-m", "halfway") == before


def test_a_checkin_reports_what_the_whole_repository_says(okr: Okr, big: Path) -> None:
    """A far file changed since the index read it is read again: an id it now writes twice,
    an id no file holds, a file that no longer loads, each as a whole load reports it."""
    far = big / "okrs/2026-Q4/far7.yaml"
    before = _checkin(okr, big, "AL-1.1", "7")
    far.write_text("team: [unclosed\n", encoding="utf-8")  # far files are not checked
    assert _checkin(okr, big, "AL-1.1", "7") == before
    far.write_text(FAR.format(n=7).replace("FAR7-1.1", "AL-1.1"), encoding="utf-8")
    code, out, err, _ = _checkin(okr, big, "AL-1.1", "7")
    assert (code, out) == (2, "")
    assert err == (
        "okr: error: `AL-1.1` is defined twice (okrs/2026-Q4/alpha.yaml:9 and "
        "okrs/2026-Q4/far7.yaml:8); fix OKR002 first\n"
    )
    code, out, err, _ = _checkin(okr, big, "AL-1.2", "7")
    assert (code, err) == (2, "okr: error: no key result `AL-1.2` (did you mean `AL-1.1`?)\n")
    # An id in no file: the nearest of every id in the repository, loaded or not.
    code, out, err, _ = _checkin(okr, big, "BE-1.1=2", "FAR9-1.2=7")
    assert (code, err) == (2, "okr: error: no key result `FAR9-1.2` (did you mean `FAR9-1.1`?)\n")


def test_a_checkin_commits_the_file_it_edits(okr: Okr, big: Path) -> None:
    okr("score", "--team", "alpha", "--root", big)  # the index, made by another command
    done = okr("checkin", "AL-1.1", "7", "--root", big)
    assert done.code == 0, done.err
    assert git(big, "show", "--name-only", "--format=%s", "HEAD").split("\n")[:3] == [
        "checkin AL-1.1: 5 → 7",
        "",
        "okrs/2026-Q4/alpha.yaml",
    ]
    assert git(big, "status", "--porcelain") == ""


def test_a_team_checkin_asks_from_the_files_the_team_scores_read(big: Path) -> None:
    """`okr checkin --team T` asks for the key results `okr score --team T` shows, from the
    same files: a far file made the team's unseen is not read (a whole load would ask for
    its key results too)."""

    def asked() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-m", "okrcli", "checkin", "--team", "alpha", "--no-commit",
             "--root", str(big)],
            input="\n" * 4, capture_output=True, text=True, check=False,
            env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(Path(__file__).parents[1])},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return [line.split(" [")[0] for line in done.stdout.split(": ") if " [" in line]

    assert asked() == ["AL-1.1 Deploys per week"]
    far = FAR.format(n=7).replace("team: far7", "team: alpha").replace("Far objective", "F")
    _swap_unseen(big / "okrs/2026-Q4/far7.yaml", far)
    assert asked() == ["AL-1.1 Deploys per week"]
    (big / "okrs/2026-Q4/far7.yaml").write_text(far, encoding="utf-8")  # seen
    assert asked() == ["AL-1.1 Deploys per week", "FAR7-1.1 Far key result 7"]
