"""One team file with N key results: every command against libyaml loading that file.

    python benchmarks/bench_one_file.py [--sizes 11000,30000,90000] [--repeat 3] [--work DIR]

For each N the script writes (at run time, under --work) one team file of N key results,
half thresholds and half milestones, twenty to an objective, in flow style so that 90,000 fit
under the 4 MiB a file may hold; once as a plain folder and once as a git repository with
that file committed. Each command runs as its own process (run.py's launcher: wall time
and peak memory of the command alone), cold (no `.okr_cache/`), and the table shows the
median wall time, key results per second, the ratio to the floor (PyYAML's libyaml
`CSafeLoader` loading the same file, in a process of its own) and the peak memory:

- `okr check`, `okr score`, `okr score --format json`, `okr tree` on the plain folder;
- `okr checkin ID VALUE` on a threshold in the middle of the file, in the git repository
  (a new value each run, so each run edits, validates, writes and commits).

The ratio should stay flat as N grows: a ratio that grows with N is a step that costs more
than linear time in the size of the file. The floor itself is not quite linear (Python's
cyclic collector walks the objects it has made again and again as they pile up), so the
rate column (key results per second, which falls with N only where work grows faster
than the file) says the same without it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import ENV, Run, clear_cache, measure, okr_exe  # noqa: E402

LIBYAML_ONE = "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"
TEAM_FILE = "okrs/2026-Q4/big.yaml"
PER_OBJECTIVE = 20
# Twenty key results an objective and thousands of objectives are the point: those two
# warnings would be one line per objective.
CONFIG = b'# One large team file, by benchmarks/bench_one_file.py\nignore = ["OKR201", "OKR202"]\n'
GIT_ENV = {
    **ENV,
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
    "OKR_TODAY": "2026-11-20",
}


def team_file(key_results: int) -> bytes:
    """N key results: even ones thresholds (`K0`, `K2`, …), odd ones milestones."""
    out = ["# One team, many key results\nteam: big\ncycle: 2026-Q4\nowner: ana\nobjectives:\n"]
    for first in range(0, key_results, PER_OBJECTIVE):
        out.append(f"- id: O{first // PER_OBJECTIVE}\n  title: o\n  key_results:\n")
        for n in range(first, min(key_results, first + PER_OBJECTIVE)):
            if n % 2 == 0:
                out.append(f"  - {{id: K{n},title: k,above: 5,current: {n % 9}}}\n")
            else:
                out.append(f"  - {{id: K{n},title: k,done: false}}\n")
    return "".join(out).encode()


def build(work: Path, key_results: int) -> tuple[Path, Path]:
    """The plain folder and the git repository, each holding the one team file."""
    home = work / f"one-file-{key_results}"
    shutil.rmtree(home, ignore_errors=True)
    plain, repo = home / "files", home / "git"
    raw = team_file(key_results)
    for root in (plain, repo):
        (root / TEAM_FILE).parent.mkdir(parents=True)
        (root / TEAM_FILE).write_bytes(raw)
        (root / "okr.toml").write_bytes(CONFIG)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "OKRs"]):
        subprocess.run(["git", *args], cwd=repo, env=GIT_ENV, check=True)
    return plain, repo


def checkins(okr: list[str], repo: Path, ident: str, repeat: int) -> Run:
    """`okr checkin ID VALUE` `repeat` times, a new value each time (median, peak)."""
    runs = []
    for turn in range(repeat):
        clear_cache(repo)()  # type: ignore[operator]
        runs.append(measure([*okr, "checkin", ident, str(100 + turn)], repo, 1))
    return Run(statistics.median(r.wall for r in runs), max(r.peak_mb for r in runs),
               max(r.code for r in runs))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="11000,30000,90000", help="key results in the file")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "okr-bench")
    args = parser.parse_args()
    ENV["OKR_TODAY"] = GIT_ENV["OKR_TODAY"]
    okr = okr_exe()
    commands = {
        "okr check": ["check"],
        "okr score": ["score"],
        "okr score --format json": ["score", "--format", "json"],
        "okr tree": ["tree"],
    }
    print(f"okr: {' '.join(okr)}; python {sys.version.split()[0]}; {os.cpu_count()} CPUs")
    print(f"{'key results':>11} {'command':<26} {'wall':>8} {'KR/s':>8} {'× floor':>8} "
          f"{'peak MB':>8}")  # fmt: skip
    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        plain, repo = build(args.work, size)
        floor = measure([sys.executable, "-c", LIBYAML_ONE, str(plain / TEAM_FILE)], plain,
                        args.repeat)  # fmt: skip
        rows = [("floor: libyaml CSafeLoader", floor)]
        for label, argv in commands.items():
            rows.append((label, measure([*okr, *argv], plain, args.repeat, clear_cache(plain))))
        ident = f"K{size // 2 - size // 2 % 2}"  # an even one, in the middle: a threshold
        rows.append((f"okr checkin {ident} VALUE", checkins(okr, repo, ident, args.repeat)))
        mib = (plain / TEAM_FILE).stat().st_size / 1048576
        for label, run in rows:
            bad = "" if run.code in (0, 1) else f"  (exit {run.code})"
            print(f"{size:>11,} {label:<26} {run.wall:7.2f}s {size / run.wall:8,.0f} "
                  f"{run.wall / floor.wall:7.2f}× {run.peak_mb:8.0f}{bad}")  # fmt: skip
        print(f"{'':>11} ({mib:.2f} MiB)", flush=True)


if __name__ == "__main__":
    main()
