"""`okr log` over 10,000 check-in commits, against `git log -p` on the same repository.

Builds a repository with `git fast-import`: two team files (50 and 20 key results, every
kind), 10,000 commits one hour apart, each checking in one key result — most by changing
one `current:`/`done:` line as `okr checkin` does (half with its trailers), some by hand
with a comment edited too, and every 500th adding a key result. Then it times, in one run:

- `git log -p` of the whole repository (the floor),
- `okr log --format json` cold (no `.okr_cache/`) and warm (cache from the previous run),
- `okr log` cold after one more commit on top of a warm cache (the common case).

Usage: python benchmarks/bench_log.py [--commits N] [--repeat R] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_COLD, GOAL_WARM = 5.0, 1.5


def team_file(team: str, objectives: int, per_objective: int) -> list[str]:
    lines = [f"# {team} team, Q4 2026: generated for the okr log benchmark", f"team: {team}",
             "cycle: 2026-Q4", "owner: dana", "", "objectives:"]  # fmt: skip
    for o in range(1, objectives + 1):
        lines += [f"  - id: {team.upper()}-{o}", f"    title: Objective {o} of the {team} team",
                  "    key_results:"]  # fmt: skip
        for k in range(1, per_objective + 1):
            ident = f"{team.upper()}-{o}.{k}"
            lines += [f"      - id: {ident}", f"        title: Key result {ident}  # measured"]
            kind = k % 4
            if kind == 0:
                lines += ["        done: false"]
            elif kind == 3:
                lines += ["        below: 1.0", "        current: 0.8", "        unit: x"]
            else:
                lines += ["        start: 0", "        target: 100", "        current: 10",
                          "        unit: '%'", "        confidence: 5"]  # fmt: skip
    return lines


def value_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.strip().startswith(("current:", "done:"))]


def fast_import_stream(commits: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    files = {"okrs/2026-Q4/platform.yaml": team_file("platform", 10, 5),
             "okrs/2026-Q4/payments.yaml": team_file("payments", 5, 4)}  # fmt: skip
    out: list[bytes] = []
    start = 1_790_000_000  # 2026-09-21
    for n in range(commits):
        path = rng.choice(sorted(files))
        lines = files[path]
        if n and n % 500 == 0:  # a structural change: a new key result
            at = len(lines)
            lines[at:at] = [f"      - id: NEW-{n}", f"        title: Added in commit {n}",
                            "        start: 1", "        target: 2", "        current: 1",
                            "        unit: x"]  # fmt: skip
            message = f"Add NEW-{n}"
        else:
            i = rng.choice(value_lines(lines))
            head, _, value = lines[i].partition(": ")
            if head.strip() == "done":
                new = "true" if value == "false" else "false"
            else:
                new = str(round(rng.uniform(0, 100), 1))
            lines[i] = f"{head}: {new}"
            ident = next(x.split("id: ")[1] for x in reversed(lines[:i]) if "- id: " in x)
            if n % 2:
                message = (f"checkin {ident}: {value} → {new}\n\nweekly numbers\n\n"
                           f"OKR-Id: {ident}\nOKR-Value: {new}\nOKR-Confidence: 6\n")  # fmt: skip
            else:
                message = f"Update {ident} by hand\n"
        when = start + n * 3600
        out.append(b"commit refs/heads/main\n")
        out.append(f"author Dana <dana@example.com> {when} +0000\n".encode())
        out.append(f"committer Dana <dana@example.com> {when} +0000\n".encode())
        data = message.encode()
        out.append(f"data {len(data)}\n".encode() + data + b"\n")
        body = ("\n".join(lines) + "\n").encode()
        out.append(f"M 100644 inline {path}\ndata {len(body)}\n".encode() + body + b"\n")
    return b"".join(out)


def build(target: Path, commits: int) -> None:
    subprocess.run(["git", "init", "-q", "-b", "main", str(target)], check=True)
    subprocess.run(["git", "-C", str(target), "fast-import", "--quiet"],
                   input=fast_import_stream(commits), check=True)  # fmt: skip
    subprocess.run(["git", "-C", str(target), "checkout", "-q", "main"], check=True)
    (target / "okr.toml").write_text("stale_days = 14\n")


def timed(args: list[str], cwd: Path) -> float:
    began = time.perf_counter()
    subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    args = parser.parse_args()
    okr = [sys.executable, "-m", "okrcli"]
    folder = args.keep or Path(tempfile.mkdtemp(prefix="okr-bench-log-"))
    try:
        began = time.perf_counter()
        if not (folder / ".git").exists():
            build(folder, args.commits)
        print(f"repository: {args.commits} commits in {folder} "
              f"(built in {time.perf_counter() - began:.1f} s)")  # fmt: skip
        log_cmd = [*okr, "log", "--format", "json"]
        floor, cold, warm = [], [], []
        for _ in range(args.repeat):
            floor.append(timed(["git", "log", "-p"], folder))
            shutil.rmtree(folder / ".okr_cache", ignore_errors=True)
            cold.append(timed(log_cmd, folder))
            warm.append(timed(log_cmd, folder))
        git_p, c, w = (statistics.median(x) for x in (floor, cold, warm))
        print(f"{'run':<34}{'wall':>9}{'commits/s':>12}{'× git log -p':>14}")
        for name, t, goal in (("git log -p", git_p, None), ("okr log cold", c, GOAL_COLD),
                              ("okr log warm", w, GOAL_WARM)):  # fmt: skip
            mark = (
                ""
                if goal is None
                else f"  (goal ≤ {goal}×: {'met' if t / git_p <= goal else 'NOT met'})"
            )
            print(f"{name:<34}{t:>8.2f}s{args.commits / t:>12,.0f}{t / git_p:>13.2f}×{mark}")
        env = {
            **os.environ,
            "GIT_AUTHOR_DATE": "2027-08-01T00:00:00",
            "GIT_COMMITTER_DATE": "2027-08-01T00:00:00",
        }
        subprocess.run([*okr, "checkin", "PLATFORM-1.1", "42"], cwd=folder, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        one = timed(log_cmd, folder)
        print(f"{'okr log after one more check-in':<34}{one:>8.2f}s{'':>12}{one / git_p:>13.2f}×")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
