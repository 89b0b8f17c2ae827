"""`okr sync` with many slow sources, against the floors it cannot beat, in one run.

Builds a git repository with one team file of N key results (default 40), each naming a
command source with its own argument, so that every key result is one run of a process
that sleeps S seconds (default 0.25) and prints a number. Then it times, each as its own
process, median of R runs:

- one source process alone (the floor of one run),
- `okr score --format json` (the floor of loading the repository),
- `okr sync --dry-run` (every source run, nothing written),
- `okr sync` (every value written through the check-in engine, one commit; the repository
  is reset between runs).

Sources run in parallel (8 at a time): the ideal is load + ceil(N / 8) × one run, against
N × one run in sequence.

Usage: python benchmarks/bench_sync.py [--krs N] [--sleep S] [--repeat R]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OKR = [sys.executable, "-m", "okrcli"]
ENV = {**os.environ, "NO_COLOR": "1", "OKR_TODAY": "2026-11-24",
       "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
       "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com"}  # fmt: skip
WORKERS = 8


def build(root: Path, krs: int, sleep: float) -> None:
    script = f"import sys, time; time.sleep({sleep}); print(int(sys.argv[1]) * 2)"
    (root / "okr.toml").write_text(
        f'[sources.slow]\ncommand = [{sys.executable!r}, "-c", {script!r}, "{{n}}"]\n'
    )
    lines = ["team: bench", "cycle: 2026-Q4", "owner: dana", "objectives:"]
    for o in range(krs // 4):
        lines += [f"  - id: B-{o}", f"    title: Objective {o}", "    key_results:"]
        for k in range(4):
            n = o * 4 + k
            source = f"{{name: slow, args: {{n: '{n}'}}}}"
            lines += [f"      - id: B-{o}.{k}", f"        title: Key result {n}",
                      "        start: 0", "        target: 1000", "        current: 1",
                      "        unit: x", f"        source: {source}"]  # fmt: skip
    (root / "okrs/2026-Q4").mkdir(parents=True)
    (root / "okrs/2026-Q4/bench.yaml").write_text("\n".join(lines) + "\n")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "plan"]):
        subprocess.run(["git", *args], cwd=root, env=ENV, check=True)


def timed(args: list[str], cwd: Path, repeat: int, reset: bool = False) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(args, cwd=cwd, env=ENV, check=False, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
        if reset:
            subprocess.run(["git", "reset", "-q", "--hard", "HEAD~1"], cwd=cwd, env=ENV, check=True)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--krs", type=int, default=40)
    parser.add_argument("--sleep", type=float, default=0.25)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    krs = options.krs // 4 * 4
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        build(root, krs, options.sleep)
        script = f"import time; time.sleep({options.sleep}); print(1)"
        one = timed([sys.executable, "-c", script], root, options.repeat)
        load = timed([*OKR, "score", "--format", "json"], root, options.repeat)
        dry = timed([*OKR, "sync", "--dry-run"], root, options.repeat)
        full = timed([*OKR, "sync"], root, options.repeat, reset=True)
    ideal = load + math.ceil(krs / WORKERS) * one
    print(f"{krs} key results, one source run each ({options.sleep} s of sleep), median of "
          f"{options.repeat}")  # fmt: skip
    print(f"  one source run alone     {one:6.2f} s")
    print(f"  okr score (load)         {load:6.2f} s")
    print(f"  in sequence (N × one)    {krs * one:6.2f} s")
    print(f"  ideal, {WORKERS} at a time      {ideal:6.2f} s")
    print(f"  okr sync --dry-run       {dry:6.2f} s   {dry / ideal:4.2f} × ideal, "
          f"{dry / (krs * one):4.2f} × sequence")  # fmt: skip
    print(f"  okr sync (one commit)    {full:6.2f} s   {full / ideal:4.2f} × ideal")


if __name__ == "__main__":
    main()
