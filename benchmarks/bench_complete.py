"""Shell completion of ids: what a TAB after `okr checkin PLAT` costs, against its floors.

Each TAB runs `okr` as its own process through the shell completion protocol (bash's
`_OKR_COMPLETE=complete_bash`, as the installed completion script does). Measured in one
run, on examples/acme and on a generated organisation of N team files:

- floor `python -c pass`: the interpreter alone;
- floor `okr check --format g<TAB>`: typer's completion of a fixed choice, which reads no
  repository (everything a TAB costs before okr reads a name);
- `okr checkin <id prefix><TAB>`, cold (no `.okr_cache/`: every file parsed once) and warm
  (names from the cache, as on every TAB after the first);
- `read_names()` in this process, warm: okr's own work for a TAB, without start-up.

The table shows median wall times and the warm TAB's cost above the typer floor: that is
what okr adds. Nothing here is a test: machines are noisy, so read the ratios.

Usage: python benchmarks/bench_complete.py [--files N] [--repeat R]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

ACME = HERE.parent / "examples" / "acme"
OKR = Path(sys.executable).parent / "okr"


def tab(words: str) -> dict[str, str]:
    """The environment bash's completion script gives `okr` for `words` then TAB."""
    parts = words.split(" ")
    return {**os.environ, "_OKR_COMPLETE": "complete_bash", "COMP_WORDS": words,
            "COMP_CWORD": str(len(parts) - 1)}  # fmt: skip


def wall(argv: list[str], env: dict[str, str], cwd: Path, repeat: int, fresh: Path | None) -> float:
    """Median seconds of `repeat` runs; with `fresh`, its cache is removed before each."""
    times = []
    for _ in range(repeat):
        if fresh is not None:
            shutil.rmtree(fresh / ".okr_cache", ignore_errors=True)
        started = time.perf_counter()
        done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"{argv} failed: {done.stderr}")
    return statistics.median(times)


def first_id(root: Path) -> str:
    """A prefix that several key-result ids share, as a user would have typed."""
    env = tab("okr checkin ")
    done = subprocess.run([str(OKR)], env=env, cwd=root, capture_output=True, text=True)
    ids = done.stdout.split()
    if not ids:
        raise SystemExit(f"no ids completed in {root}: {done.stderr}")
    return ids[len(ids) // 2].split(".")[0]


def rows(name: str, root: Path, repeat: int) -> None:
    prefix = first_id(root)
    words = f"okr checkin {prefix}"
    found = subprocess.run([str(OKR)], env=tab(words), cwd=root, capture_output=True, text=True)
    python = wall([sys.executable, "-c", "pass"], dict(os.environ), root, repeat, None)
    floor = wall([str(OKR)], tab("okr check --format g"), root, repeat, None)
    cold = wall([str(OKR)], tab(words), root, repeat, root)
    wall([str(OKR)], tab(words), root, 1, None)  # fill the cache
    warm = wall([str(OKR)], tab(words), root, repeat, None)
    print(f"\n{name}: `{words}<TAB>` offers {len(found.stdout.split())} ids")
    print(f"  {'python -c pass':<34} {python * 1000:7.0f} ms")
    print(f"  {'okr check --format g<TAB> (floor)':<34} {floor * 1000:7.0f} ms")
    print(f"  {'ids, cold (no .okr_cache)':<34} {cold * 1000:7.0f} ms  {cold / floor:5.2f}x floor")
    print(f"  {'ids, warm (names from the cache)':<34} {warm * 1000:7.0f} ms  {warm / floor:5.2f}x "
          f"floor, +{(warm - floor) * 1000:.0f} ms")  # fmt: skip
    print(f"  {'read_names() in process, warm':<34} {in_process(root, repeat) * 1000:7.1f} ms")


def in_process(root: Path, repeat: int) -> float:
    """The fastest warm `read_names` in this process: okr's own work, imports excluded."""
    from okrcli.names import read_names

    read_names(root)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        read_names(root)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000, help="team files (default 1000)")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if not OKR.exists():
        raise SystemExit(f"no okr script next to {sys.executable}: pip install -e .")
    with tempfile.TemporaryDirectory() as work:
        acme = Path(work) / "acme"
        shutil.copytree(ACME, acme, ignore=shutil.ignore_patterns(".okr_cache"))
        rows("examples/acme", acme, args.repeat)
        org = Path(work) / "org"
        generate(org, files=args.files)
        rows(f"{args.files} team files", org, args.repeat)


if __name__ == "__main__":
    main()
