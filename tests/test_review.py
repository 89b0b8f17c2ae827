"""`okr review`: grades, misses, sandbagging, moved targets, silence and learnings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE, Okr, commit_all, git, init_repo, write

TEAM = """\
team: web
cycle: 2026-Q3
owner: ana
objectives:
  - id: W-1
    title: Checkout never fails
    type: committed
    key_results:
      - id: W-1.1
        title: Checkout success rate
        start: 95
        target: 99
        current: 95
        unit: "%"
      - id: W-1.2
        title: Payment provider failover drill passed
        done: false
  - id: W-2
    title: Pages feel instant
    notes: Most of the win came from image compression, not the CDN.
    key_results:
      - id: W-2.1
        title: p75 largest contentful paint
        start: 3.2
        target: 2.5
        current: 3.2
        unit: s
      - id: W-2.2
        title: Pages served from the edge cache
        start: 40
        target: 80
        current: 40
        unit: "%"
"""


def _commit(root: Path, old: str, new: str, message: str, when: str, author: str) -> None:
    path = root / "okrs/2026-Q3/web.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    git(root, "add", "-A")
    email = f"{author.split()[0].lower()}@example.com"
    git(root, "commit", "-q", f"--author={author} <{email}>", "-m", message, date=when)


@pytest.fixture
def quarter(tmp_path: Path) -> Path:
    """One team's 2026-Q3 in git: an early 1.0, a lowered target, a silent milestone."""
    root = init_repo(tmp_path / "web")
    write(root / "okr.toml", "")
    write(root / "okrs/2026-Q3/web.yaml", TEAM)
    commit_all(root, "Q3 OKRs", "2026-07-01T09:00:00+00:00")
    _commit(root, "current: 3.2", "current: 2.5", "web: LCP 2.5 s after image compression",
            "2026-07-20T10:00:00+00:00", "Alice Kim")  # fmt: skip
    _commit(root, "target: 80\n        current: 40", "target: 60\n        current: 50",
            "web: edge cache target to 60%", "2026-08-10T10:00:00+00:00", "Bob Osei")  # fmt: skip
    _commit(root, "current: 95", "current: 98", "web: checkout numbers",
            "2026-09-25T10:00:00+00:00", "Alice Kim")  # fmt: skip
    return root


def _review(okr: Okr, root: Path, *args: str) -> dict[str, Any]:
    result = okr("review", *args, "--format", "json", "--root", root)
    assert result.code == 0, result.err
    found: dict[str, Any] = json.loads(result.out)
    return found


def test_review_after_the_cycle_grades_and_flags(quarter: Path, okr: Okr) -> None:
    review = _review(okr, quarter, "2026-Q3", "--at", "2026-10-02")

    assert review["version"] == 1 and review["over"] is True
    assert review["cycle"] == {"name": "2026-Q3", "start": "2026-07-01", "end": "2026-09-30"}
    scores = {o["id"]: (o["score"], o["verdict"]) for o in review["objectives"]}
    assert scores == {"W-1": (0.375, "missed"), "W-2": (0.75, "achieved")}
    assert review["committed_missed"] == ["W-1"]
    assert review["aspirational"] == [{"id": "W-2", "score": 0.75, "verdict": "achieved"}]
    assert review["early_full"] == [
        {"id": "W-2.1", "title": "p75 largest contentful paint", "score": 1.0,
         "reached": "2026-07-20", "days_left": 72}
    ]  # fmt: skip
    assert review["targets_moved"] == [
        {"id": "W-2.2", "date": "2026-08-10", "author": "Bob Osei", "field": "target",
         "old": 80, "new": 60}
    ]  # fmt: skip
    assert [k["id"] for k in review["never_checked_in"]] == ["W-1.2"]
    assert [n["note"] for n in review["learnings"]] == [
        "Most of the win came from image compression, not the CDN."
    ]
    assert review["no_stretch"] is None


def test_final_scores_are_those_of_okr_score(acme: Path, okr: Okr) -> None:
    review = _review(okr, acme, "2026-Q3")
    score = okr("score", "--cycle", "2026-Q3", "--format", "json", "--root", acme)
    objectives = json.loads(score.out)["objectives"]
    expected = {o["id"]: o["score"] for o in objectives}
    expected |= {kr["id"]: kr["score"] for o in objectives for kr in o["key_results"]}
    shown = {o["id"]: o["score"] for o in review["objectives"]}
    shown |= {kr["id"]: kr["score"] for o in review["objectives"] for kr in o["key_results"]}
    assert shown == expected and len(shown) > 60
    committed = [o for o in review["objectives"] if o["type"] == "committed"]
    assert review["committed_missed"] == [o["id"] for o in committed if o["score"] < 1]
    for entry in review["aspirational"]:
        assert entry["verdict"] == ("achieved" if entry["score"] >= 0.7 else "missed")
    # Outside git the history-based lists are unknown, not empty.
    assert review["early_full"] is None and review["targets_moved"] is None
    assert review["never_checked_in"] is None
    assert any("legal review" in n["note"] for n in review["learnings"])


def test_check_in_notes_are_learnings_and_subjects_are_not(
    quarter: Path, okr: Okr, monkeypatch: pytest.MonkeyPatch
) -> None:
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_DATE", "2026-09-28T10:00:00+00:00")
        monkeypatch.setenv(f"GIT_{who}_NAME", "Dana Ortiz")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "dana@example.com")
    monkeypatch.setenv("HOME", str(quarter))
    note = "The drill found a stale DNS record; fixed before it mattered."
    assert okr("checkin", "W-1.2", "done", "-m", note, "--root", quarter).code == 0

    review = _review(okr, quarter, "2026-Q3", "--at", "2026-10-02")

    learnings = [(n["id"], n["date"], n["author"], n["note"]) for n in review["learnings"]]
    assert ("W-1.2", "2026-09-28", "Dana Ortiz", note) in learnings
    assert not any("LCP" in n[3] or "checkout numbers" in n[3] for n in learnings)
    assert review["never_checked_in"] == []


def test_before_the_end_verdicts_are_provisional(quarter: Path, okr: Okr) -> None:
    review = _review(okr, quarter, "2026-Q3", "--at", "2026-08-15")
    assert review["over"] is False
    assert review["early_full"][0]["id"] == "W-2.1"

    text = okr("review", "2026-Q3", "--at", "2026-08-15", "--root", quarter).out
    first = text.splitlines()[0]
    assert first == (
        "Review of 2026-Q3 (2026-07-01 to 2026-09-30, as of 2026-08-15: "
        "46 days left, so every verdict is provisional)"
    )
    assert "not met yet" in text and "Scores so far" in text


def test_text_and_markdown_say_the_same(quarter: Path, okr: Okr) -> None:
    args = ("review", "2026-Q3", "--at", "2026-10-02", "--root", quarter)
    text = okr(*args).out
    markdown = okr(*args, "--format", "markdown").out
    for section in ("Final scores", "Committed objectives missed", "Aspirational objectives",
                    "At 1.0 long before the end", "Targets moved", "Never checked in",
                    "Learnings"):  # fmt: skip
        assert section in text
        assert f"## {section}" in markdown
    assert "W-2.2" in text and "target 80 → 60" in text and "Bob Osei" in text
    assert "| `W-2.2` | 2026-08-10 | Bob Osei | target 80 → 60 |" in markdown
    assert "| ↳ `W-1.1` | Checkout success rate |" in markdown
    assert "\x1b[" not in text  # plain when piped


def test_a_cycle_of_only_thresholds_has_no_stretch(tmp_path: Path, okr: Okr) -> None:
    write(tmp_path / "okr.toml", "")
    write(
        tmp_path / "okrs/2026-Q3/ops.yaml",
        "team: ops\ncycle: 2026-Q3\nobjectives:\n  - id: O-1\n    title: Stay up\n"
        "    key_results:\n      - {id: O-1.1, title: Uptime, above: 99.9, current: 99.95}\n"
        "      - {id: O-1.2, title: Pages, below: 3, current: 1}\n",
    )
    review = _review(okr, tmp_path, "2026-Q3")
    assert review["no_stretch"] == "all thresholds"
    text = okr("review", "2026-Q3", "--root", tmp_path).out
    assert "No stretch: the cycle's key results are all thresholds." in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("all",), "okr review grades one cycle at a time"),
        (("2026-Q5",), "no cycle `2026-Q5`"),
    ],
)
def test_bad_cycle_is_one_sentence(args: tuple[str, ...], message: str, okr: Okr) -> None:
    result = okr("review", *args, "--root", EXAMPLE)
    assert result.code == 2
    assert result.err.startswith(f"okr: error: {message}")
    assert len(result.err.splitlines()) == 1


def test_titles_are_text_not_markup_or_terminal_codes(
    tmp_path: Path, okr: Okr, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "okr.toml", "")
    write(
        tmp_path / "okrs/2026-Q3/web.yaml",
        "team: web\ncycle: 2026-Q3\nobjectives:\n  - id: W-1\n"
        '    title: "[/] not [bold]markup\\e[31m red"\n'
        "    key_results:\n      - {id: W-1.1, title: x, start: 0, target: 4, current: 1}\n",
    )
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR")
    shown = {
        "text": "[/] not [bold]markup\\x1b[31m red",
        "markdown": "\\[/\\] not \\[bold\\]markup\\\\x1b\\[31m red",  # literal to GitHub
    }
    for output, title in shown.items():
        result = okr("review", "2026-Q3", "--format", output, "--root", tmp_path)
        assert result.code == 0, result.err
        assert title in result.out
        assert "\x1b[31m red" not in result.out


def test_review_reads_history_first_and_no_cache_writes_none(acme_git: Path, okr: Okr) -> None:
    """The walk's parse of each file serves the loader through the parse cache; `--no-cache`
    leaves `.okr_cache/` alone, and both give the same review."""
    uncached = okr("review", "2026-Q4", "--format", "json", "--no-cache", "--root", acme_git)
    assert uncached.code == 0, uncached.err
    assert not (acme_git / ".okr_cache").exists()
    cached = okr("review", "2026-Q4", "--format", "json", "--root", acme_git)
    assert cached.out == uncached.out
    assert {p.name for p in (acme_git / ".okr_cache").glob("*.marshal")} == {
        "history.marshal",
        "history-tail.marshal",
        "load.marshal",
    }


def test_cycle_without_committed_objectives_says_so(okr: Okr) -> None:
    root = Path(__file__).parent / "fixtures" / "realworld" / "gitlab"
    result = okr("review", "FY26-Q1", "--root", root)
    assert result.code == 0, result.err
    assert "every committed objective is at 1.0" not in result.out
    assert "no committed objectives in this cycle" in result.out


def test_no_aspirational_objectives_is_said_too(tmp_path: Path, okr: Okr) -> None:
    write(tmp_path / "okr.toml", "")
    write(
        tmp_path / "okrs/2026-Q3/web.yaml",
        TEAM.replace("    notes:", "    type: committed\n    notes:"),
    )
    result = okr("review", "2026-Q3", "--root", tmp_path, "--at", "2026-10-02")
    assert "no aspirational objectives in this cycle" in result.out


def test_missed_committed_objective_is_never_green(
    tmp_path: Path, okr: Okr, monkeypatch: pytest.MonkeyPatch
) -> None:
    """W-1 at (0.58 + 1) / 2 = 0.79, green by its grade, beside "missed": yellow."""
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    write(tmp_path / "okr.toml", "")
    text = TEAM.replace("current: 95\n", "current: 97.32\n").replace("done: false", "done: true")
    write(tmp_path / "okrs/2026-Q3/web.yaml", text)
    result = okr("review", "2026-Q3", "--root", tmp_path, "--at", "2026-10-02")
    line = next(line for line in result.out.splitlines() if line.startswith("W-1 "))
    assert "0.79" in line and "missed" in line
    assert "\x1b[33m0.79" in line and "\x1b[32m0.79" not in line


GRADED = TEAM.replace("        current: 95\n", "        current: 95\n        grade: 0.6\n").replace(
    "        done: false\n",
    "        done: false\n        status: dropped\n        notes: The provider shut down.\n",
)


def test_review_lists_grades_far_from_computed_and_dropped_items(tmp_path: Path, okr: Okr) -> None:
    write(tmp_path / "okr.toml", "")
    write(tmp_path / "okrs/2026-Q3/web.yaml", GRADED)
    review = _review(okr, tmp_path, "2026-Q3", "--at", "2026-10-02")
    far = review["grades_far_from_computed"]
    assert [(i["id"], i["score"], i["computed"], i["grade"]) for i in far] == [
        ("W-1.1", 0.6, 0.0, 0.6)
    ]
    assert review["dropped"] == [
        {"id": "W-1.2", "title": "Payment provider failover drill passed", "score": 0.0,
         "notes": "The provider shut down."}
    ]  # fmt: skip
    w1 = next(o for o in review["objectives"] if o["id"] == "W-1")
    assert (w1["score"], w1["verdict"]) == (0.6, "missed")  # the grade, alone: W-1.2 is out
    text = okr("review", "2026-Q3", "--root", tmp_path, "--at", "2026-10-02").out
    assert "Grades far from the computed score" in text
    row = next(line for line in text.splitlines() if line.startswith("  W-1.1"))
    assert row.split()[-2:] == ["0.60", "0.00"]  # score (the grade), computed
    assert "The provider shut down." in text.split("Dropped", 1)[1]
