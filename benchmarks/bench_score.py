"""The rollup engine on a large organisation: is `score_graph` linear, and cheap next to loading?

Builds, in memory (validated models, no YAML, so the numbers are the engine's own), an
organisation of N key results: one annual company file, quarterly company files aligned to
it, and team files whose objectives align to the quarter's objectives and key results
(rollups among them), four levels deep. Then it times, in one run:

- `build_graph` (linking ids, parents, loops): the floor any consumer pays,
- `score_graph` at N and at N/4, to show the growth is linear (ratio close to 4),
- `score_graph` against `build_graph` (how much scoring adds to a load).

Usage: python benchmarks/bench_score.py [--key-results N] [--repeat R]
"""

from __future__ import annotations

import argparse
import gc
import time
from datetime import date
from pathlib import Path
from typing import Any

from okrcli.config import Config
from okrcli.graph import build_graph
from okrcli.load import SourceFile
from okrcli.model import OkrFile
from okrcli.score import score_graph

PER_OBJECTIVE = 4


def _key_result(ident: str, k: int) -> dict[str, Any]:
    kind = k % 5
    if kind == 0:
        return {"id": ident, "title": "m", "start": 10, "target": 40, "current": 10 + k % 30}
    if kind == 1:
        return {"id": ident, "title": "d", "start": 40, "target": 10, "current": 25}
    if kind == 2:
        return {"id": ident, "title": "c", "milestones": [{"title": "a", "done": True},
                                                          {"title": "b", "weight": 2}]}  # fmt: skip
    if kind == 3:
        return {"id": ident, "title": "t", "above": 99.9, "current": 99.95}
    return {"id": ident, "title": "r", "rollup": True}


def organisation(key_results: int) -> list[SourceFile]:
    """Files of 5 objectives × 4 key results; every objective aligns to one above it."""
    files: list[SourceFile] = []
    parents: list[str] = []
    made = 0
    index = 0
    while made < key_results:
        cycle = "2026" if index == 0 else f"2026-Q{1 + index % 4}"
        team = f"team{index}"
        objectives = []
        for o in range(5):
            oid = f"T{index}-{o}"
            krs = [_key_result(f"{oid}.{k}", k + o + index) for k in range(PER_OBJECTIVE)]
            objective: dict[str, Any] = {"id": oid, "title": "o", "key_results": krs}
            if parents:
                objective["parent"] = parents[(index * 5 + o) % len(parents)]
            objectives.append(objective)
            made += PER_OBJECTIVE
        doc = OkrFile.model_validate({"team": team, "cycle": cycle, "objectives": objectives})
        files.append(SourceFile(f"okrs/{cycle}/{team}.yaml", doc))
        if index < 200:  # the upper levels: later files align to these objectives and rollups
            parents += [o["id"] for o in objectives]
            parents += [kr["id"] for o in objectives for kr in o["key_results"] if kr.get("rollup")]
        index += 1
    return files


def best(repeat: int, work: Any) -> float:
    """The fastest of `repeat` runs (the least disturbed by the rest of the machine)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--key-results", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    config = Config(root=Path("."))
    today = date(2026, 11, 15)
    per_kr = {}
    for n in (args.key_results // 4, args.key_results):
        files = organisation(n)
        build = best(args.repeat, lambda files=files: build_graph(files, config))
        graph = build_graph(files, config)
        score = best(args.repeat, lambda graph=graph: score_graph(graph, today, config))
        per_kr[n] = score / n
        print(
            f"{n:>8} key results, {len(graph.objectives):>6} objectives: "
            f"build_graph {build:5.2f} s, score_graph {score:5.2f} s "
            f"({score / n * 1e6:4.1f} µs a key result), score/build {score / build:4.2f}"
        )
        del files, graph
    small, large = per_kr[args.key_results // 4], per_kr[args.key_results]
    print(
        f"cost per key result at {args.key_results} / at a quarter of it: {large / small:.2f} "
        "(1.0 is linear)"
    )


if __name__ == "__main__":
    main()
