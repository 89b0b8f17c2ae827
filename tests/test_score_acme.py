"""`okr score` on examples/acme agrees with a second, deliberately simple implementation."""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from tests.conftest import EXAMPLE, Okr

RANK = ["on_track", "at_risk", "off_track"]


def _cycle(name: str) -> tuple[date, date]:
    year = int(name[:4])
    if len(name) == 4:
        return date(year, 1, 1), date(year, 12, 31)
    quarter = int(name[-1])
    start = date(year, 3 * quarter - 2, 1)
    after = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, after - timedelta(days=1)


def _mean(pairs: list[tuple[float, float | None]]) -> float | None:
    pairs = [(w, s) for w, s in pairs if s is not None and w > 0]
    total = sum(w for w, _ in pairs)
    return sum(w * s for w, s in pairs) / total if total else None  # type: ignore[operator]


def recompute(root: Path, today: date) -> dict[str, tuple[float | None, float | None, str | None]]:
    """id → (score, raw, status), straight from SPEC §3, recursively."""
    objectives: dict[str, dict[str, Any]] = {}
    key_results: dict[str, dict[str, Any]] = {}
    for path in sorted(root.glob("okrs/**/*.yaml")):
        doc = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        for objective in doc["objectives"]:
            objectives[objective["id"]] = {**objective, "cycle": str(doc["cycle"])}
            for kr in objective.get("key_results", []):
                key_results[kr["id"]] = {**kr, "objective": objective["id"]}
    children: dict[str, list[str]] = {}
    for key, objective in objectives.items():
        if objective.get("parent"):
            children.setdefault(objective["parent"], []).append(key)

    def expected(cycle: str) -> float:
        start, end = _cycle(cycle)
        return min(max(((today - start).days + 1) / ((end - start).days + 1), 0.0), 1.0)

    def pace(score: float | None, cycle: str) -> str | None:
        if score is None:
            return None
        gap = expected(cycle) - score
        return (
            "on_track" if gap <= 0.10 + 1e-9 else "at_risk" if gap <= 0.25 + 1e-9 else "off_track"
        )

    def raw(kr: dict[str, Any]) -> float | None:
        if "target" in kr:
            current = kr.get("current", kr["start"])
            return (current - kr["start"]) / (kr["target"] - kr["start"])
        if "done" in kr:
            return 1.0 if kr["done"] else 0.0
        if "milestones" in kr:
            weights = [m.get("weight", 1) for m in kr["milestones"]]
            done = [w for w, m in zip(weights, kr["milestones"], strict=True) if m.get("done")]
            return sum(done) / sum(weights)
        if "above" in kr or "below" in kr:
            value = kr.get("current")
            return float(value is not None and value >= kr.get("above", value)
                         and value <= kr.get("below", value))  # fmt: skip
        return None  # rollup

    def worst(statuses: list[str | None], fallback: str | None) -> str | None:
        found = [s for s in statuses if s is not None]
        return max(found, key=RANK.index) if found else fallback

    @cache
    def objective(key: str) -> tuple[float | None, str | None]:
        item = objectives[key]
        parts = [(kr.get("weight", 1), *key_result(kr["id"])) for kr in item.get("key_results", [])]
        parts += [(objectives[c].get("weight", 1), *objective(c)) for c in children.get(key, [])]
        score = _mean([(w, s) for w, s, _ in parts])
        status = item.get("status") or worst(
            [st for w, _, st in parts if w > 0], pace(score, item["cycle"])
        )
        return score, status

    @cache
    def key_result(key: str) -> tuple[float | None, str | None]:
        kr = key_results[key]
        cycle = objectives[kr["objective"]]["cycle"]
        if kr.get("rollup"):
            parts = [(objectives[c].get("weight", 1), *objective(c)) for c in children.get(key, [])]
            score = _mean([(w, s) for w, s, _ in parts])
            statuses = [st for w, _, st in parts if w > 0]
            return score, kr.get("status") or worst(statuses, pace(score, cycle))
        progress = raw(kr)
        score = None if progress is None else min(max(progress, 0.0), 1.0)
        return score, kr.get("status") or pace(score, cycle)

    found = {}
    for key in objectives:
        score, status = objective(key)
        found[key] = (score, score, status)
    for key in key_results:
        score, status = key_result(key)
        found[key] = (score, raw(key_results[key]) if "rollup" not in key_results[key] else score,
                      status)  # fmt: skip
    return found


def test_acme_json_agrees_with_an_independent_rollup(okr: Okr) -> None:
    result = okr("score", "--root", EXAMPLE, "--cycle", "all", "--format", "json")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["version"] == 1 and doc["skipped"] == [] and doc["unread"] == []
    expected = recompute(EXAMPLE, date.fromisoformat(doc["at"]))

    def r(value: float | None) -> float | None:
        return None if value is None else round(value, 3)

    seen = {}
    for objective in doc["objectives"]:
        seen[objective["id"]] = (objective["score"], objective["score"], objective["status"])
        for kr in objective["key_results"]:
            seen[kr["id"]] = (kr["score"], kr["raw"], kr["status"])
    assert set(seen) == set(expected)  # every objective and key result is listed
    assert len(doc["objectives"]) >= 20 and len(seen) >= 100
    mismatches = {
        key: (seen[key], (r(score), r(raw), status))
        for key, (score, raw, status) in expected.items()
        if seen[key] != (r(score), r(raw), status)
    }
    assert mismatches == {}
    kinds = {kr["kind"] for o in doc["objectives"] for kr in o["key_results"]}
    assert kinds == {"metric", "milestone", "checklist", "threshold", "rollup"}
