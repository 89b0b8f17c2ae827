"""Properties of the rollup engine over generated alignment forests (hypothesis)."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from okrcli.config import Config
from okrcli.graph import ObjectiveNode, build_graph
from okrcli.load import load_source
from okrcli.score import STATUSES, Scoreboard, contributors, score_graph

WEIGHTS = st.sampled_from([0, 0.5, 1, 1, 2, 3])
NUMBERS = st.integers(-50, 150)
DAYS = st.dates(date(2026, 1, 1), date(2027, 3, 31)).map(date.isoformat)


@st.composite
def key_results(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["metric", "milestone", "checklist", "threshold", "rollup"]))
    found: dict[str, Any] = {"title": "kr", "weight": draw(WEIGHTS)}
    if kind == "metric":
        start, target = draw(NUMBERS), draw(NUMBERS)
        found |= {"start": start, "target": target if target != start else start + 1}
        found["current"] = draw(NUMBERS)
        if draw(st.booleans()):
            found["plan"] = draw(st.dictionaries(DAYS, NUMBERS, min_size=1, max_size=3))
    elif kind == "milestone":
        found["done"] = draw(st.booleans())
        if draw(st.booleans()):
            found["due"] = draw(DAYS)
    elif kind == "checklist":
        items = st.fixed_dictionaries({"title": st.just("m"), "done": st.booleans(),
                                       "weight": st.sampled_from([1, 2, 3])},
                                      optional={"due": DAYS})  # fmt: skip
        found["milestones"] = draw(st.lists(items, min_size=1, max_size=4))
    elif kind == "threshold":
        found[draw(st.sampled_from(["above", "below"]))] = draw(NUMBERS)
        found["current"] = draw(NUMBERS)
    else:
        found["rollup"] = True
    found |= draw(
        st.fixed_dictionaries(
            {},
            optional={
                "status": st.sampled_from(["on_track", "at_risk", "off_track", "dropped"]),
                "grade": st.sampled_from([0, 0.3, 0.7, 1]),
            },
        )
    )
    return found


@dataclass
class Forest:
    """Objectives (as dicts) spread over team files; parents always point backwards."""

    files: dict[str, list[dict[str, Any]]]


@st.composite
def forests(draw: st.DrawFn) -> Forest:
    count = draw(st.integers(1, 12))
    files: dict[str, list[dict[str, Any]]] = {}
    ids: list[str] = []
    for i in range(count):
        objective: dict[str, Any] = {
            "id": f"O{i}",
            "title": "objective",
            "weight": draw(WEIGHTS),
            "key_results": [
                {"id": f"O{i}.{j}", **kr}
                for j, kr in enumerate(draw(st.lists(key_results(), max_size=4)))
            ],
        }
        if ids and draw(st.booleans()):
            objective["parent"] = draw(st.sampled_from(ids))
        ids += [objective["id"], *(kr["id"] for kr in objective["key_results"])]
        rel = draw(
            st.sampled_from(["okrs/2026/a.yaml", "okrs/2026-Q4/b.yaml", "okrs/2026-Q4/c.yaml"])
        )
        files.setdefault(rel, []).append(objective)
    return Forest(files)


def board_of(files: dict[str, list[dict[str, Any]]], order: list[str] | None = None) -> Scoreboard:
    sources = []
    for rel in order or sorted(files):
        cycle, team = rel.split("/")[1], rel.rsplit("/", 1)[1].removesuffix(".yaml")
        doc = {"team": team, "cycle": cycle, "objectives": files[rel]}
        sources.append(load_source(rel, json.dumps(doc).encode()))  # JSON is YAML 1.2
    graph = build_graph(sources, Config(root=Path(".")))
    assert not any(s.problems for s in sources)
    return score_graph(graph, date(2026, 11, 15))


@settings(max_examples=150, deadline=None)
@given(forests())
def test_every_score_is_between_0_and_1(forest: Forest) -> None:
    board = board_of(forest.files)
    for item in board.by_node.values():
        assert item.score is None or 0.0 <= item.score <= 1.0
        assert item.expected is None or 0.0 <= item.expected <= 1.0


@settings(max_examples=150, deadline=None)
@given(forests())
def test_objective_score_lies_between_its_contributors(forest: Forest) -> None:
    board = board_of(forest.files)
    for node, item in board.by_node.items():
        if not (isinstance(node, ObjectiveNode) or item.kind == "rollup"):
            continue
        counted = [
            board[part].score
            for part in contributors(node)
            if board[part].counts and board[part].score is not None and part.model.weight > 0
        ]
        if not counted:  # a grade alone may score it, but nothing is computed
            assert item.computed is None
        else:
            assert item.computed is not None
            assert min(counted) <= item.computed <= max(counted)


@settings(max_examples=100, deadline=None)
@given(forests(), st.randoms(use_true_random=False))
def test_reordering_files_or_objectives_changes_nothing(forest: Forest, rng: Any) -> None:
    before = board_of(forest.files)
    shuffled = {
        rel: rng.sample(objectives, len(objectives)) for rel, objectives in forest.files.items()
    }
    order = rng.sample(sorted(forest.files), len(forest.files))
    after = board_of(shuffled, order)
    assert set(before.by_id) == set(after.by_id)
    for key, item in before.by_id.items():
        other = after.by_id[key]
        assert (item.score, item.raw, item.status, item.counts) == (
            other.score,
            other.raw,
            other.status,
            other.counts,
        ), key


def _rank(status: str | None) -> int:
    """Worse statuses rank higher; no status and `dropped` are not on the scale."""
    return STATUSES.index(status) if status in STATUSES else -1


@settings(max_examples=100, deadline=None)
@given(forests(), st.data())
def test_moving_a_key_result_toward_its_target_never_worsens_a_status(
    forest: Forest, data: st.DataObject
) -> None:
    """Toward its target (a metric) or into its bounds (a threshold): no item's status, the
    key result's own or any objective's above it, gets worse."""
    measured = [
        (rel, i, j)
        for rel, objectives in forest.files.items()
        for i, objective in enumerate(objectives)
        for j, kr in enumerate(objective["key_results"])
        if "current" in kr
    ]
    assume(measured)
    rel, i, j = data.draw(st.sampled_from(measured))
    moved = copy.deepcopy(forest.files)
    kr = moved[rel][i]["key_results"][j]
    if "target" in kr:
        share = data.draw(st.floats(0.01, 1.5))
        kr["current"] += share * (kr["target"] - kr["current"])
    else:
        kr["current"] = kr.get("above", kr.get("below"))
    before, after = board_of(forest.files), board_of(moved)
    for key, item in before.by_id.items():
        now = after.by_id[key]
        assert _rank(now.status) <= _rank(item.status), (key, item.status, now.status)
        assert (now.status in STATUSES) == (item.status in STATUSES), key
