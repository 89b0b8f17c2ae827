"""The long fuzzing run, and the cost of the worst hostile files; figures for docs/reliability.md.

    python fuzz/run.py                    # 10 minutes of fuzzing, then the hostile files
    python fuzz/run.py --minutes 60 --out /tmp/okr-fuzz
    python fuzz/run.py --minutes 0        # only measure the hostile files

The fuzzing runs the strategies and the contract of tests/test_fuzz_cli.py (the bounded run
in the test suite) for as long as asked, without stopping at the first failure: every input
that breaks the contract is saved under --out for a test to be written from it. The hostile
files of tests/test_hostile_yaml.py are then each checked by a fresh `okr check` process whose
wall time and peak memory (getrusage of the child) are printed next to a valid file's.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

from tests.test_fuzz_cli import (  # noqa: E402
    COMMANDS,
    FINDING,
    Workspace,
    any_file,
    contract_violations,
    in_process,
    loader_violations,
)
from tests.test_hostile_yaml import REFUSED, VALID  # noqa: E402

BATCH = 100


class Tally:
    """What the run saw: examples, exit codes per command, finding codes, violations."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.examples = 0
        self.loader_examples = 0
        self.exits: dict[str, collections.Counter[int]] = collections.defaultdict(
            collections.Counter
        )
        self.codes: collections.Counter[str] = collections.Counter()
        self.messages: set[str] = set()
        self.violations: dict[str, list[str]] = {}
        self.sizes: list[int] = []

    def save(self, raw: bytes, wrong: list[str]) -> None:
        name = hashlib.sha1(raw).hexdigest()[:12]
        if name not in self.violations:
            (self.out / f"{name}.yaml").write_bytes(raw)
            self.violations[name] = wrong


def fuzz(minutes: float, out: Path) -> Tally:
    tally = Tally(out)
    space = Workspace.make(Path(tempfile.mkdtemp(prefix="okr-fuzz-")) / "repo")
    every = settings(
        max_examples=BATCH,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )

    @every
    @given(raw=any_file)
    def loader(raw: bytes) -> None:
        tally.loader_examples += 1
        wrong = loader_violations(raw)
        if wrong:
            tally.save(raw, wrong)

    @every
    @given(raw=any_file)
    def commands(raw: bytes) -> None:
        tally.examples += 1
        tally.sizes.append(len(raw))
        space.put(raw)
        for args in COMMANDS:
            result = in_process([*args, "--root", str(space.root)])
            tally.exits[" ".join(args)][result.code] += 1
            wrong = contract_violations(args, result)
            if wrong:
                tally.save(raw, [" ".join(args), *wrong])
            if args == ("check",):
                for line in result.out.splitlines():
                    if m := FINDING.match(line):
                        tally.codes[m[1]] += 1
                        tally.messages.add(_shape(line))

    deadline = time.monotonic() + minutes * 60
    while time.monotonic() < deadline:
        loader()
        commands()
        print(f"  {tally.examples} files, {len(tally.violations)} violations", file=sys.stderr)
    return tally


def _shape(line: str) -> str:
    """A finding with its specifics blanked, to count the kinds of message seen."""
    message = line.split(": ", 1)[1] if ": " in line else line
    return " ".join(word if "`" not in word else "`…`" for word in message.split()[:8])


def report_fuzz(tally: Tally, minutes: float) -> None:
    print(f"\n## Fuzzing ({minutes:g} min, one process)\n")
    print(f"- loader: {tally.loader_examples} inputs through `load_source`")
    print(f"- commands: {tally.examples} files, each through {len(COMMANDS)} commands")
    if tally.sizes:
        ordered = sorted(tally.sizes)
        print(f"- file size: median {ordered[len(ordered) // 2]} B, largest {ordered[-1]} B")
    print(f"- distinct kinds of finding message: {len(tally.messages)}")
    print(f"- contract violations: {len(tally.violations)}")
    for name, wrong in sorted(tally.violations.items()):
        print(f"  - {name}.yaml: {'; '.join(wrong)[:300]}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"- peak memory of the fuzzing process: {peak:.0f} MB\n")
    print("| command | exit 0 | exit 1 | exit 2 |")
    print("|---|---|---|---|")
    for command, exits in tally.exits.items():
        print(f"| `okr {command}` | {exits[0]} | {exits[1]} | {exits[2]} |")
    print("\n| finding code | count |")
    print("|---|---|")
    for code, count in sorted(tally.codes.items()):
        print(f"| {code} | {count} |")


def measure_hostile(repeat: int) -> None:
    """Each hostile file alone, checked by a fresh process: best wall time and peak memory."""
    print("\n## Hostile files: one `okr check` process each (best of", repeat, "runs)\n")
    print("| file | exit | wall (process) | inside okr | peak RSS | what okr says |")
    print("|---|---|---|---|---|---|")
    cases = {"valid file (baseline)": VALID.encode(), **{k: v[0] for k, v in REFUSED.items()}}
    cases["nesting 100,000 deep"] = b"team: " + b"[" * 100_000 + b"]" * 100_000 + b"\n"
    cases["3 MB title"] = VALID.replace("Deploy success rate", "x" * 3_000_000).encode()
    with tempfile.TemporaryDirectory(prefix="okr-hostile-") as folder:
        root = Path(folder)
        (root / "okr.toml").write_text("", encoding="utf-8")
        path = root / "okrs" / "2026-Q4" / "platform.yaml"
        path.parent.mkdir(parents=True)
        for name, raw in cases.items():
            path.write_bytes(raw)
            runs = [_one_process(root) for _ in range(repeat)]
            code, wall, inside, _, said = min(runs, key=lambda run: run[1])
            rss = max(run[3] for run in runs)
            print(
                f"| {name} | {code} | {wall * 1000:.0f} ms | {inside * 1000:.0f} ms "
                f"| {rss:.0f} MB | {said[:90]} |"
            )


def _one_process(root: Path) -> tuple[int, float, float, float, str]:
    """A child running okr reports its peak RSS and the time inside okr's entry point:
    (exit, wall seconds, seconds inside okr, MB, first line of output)."""
    probe = (
        "import resource, sys, time\n"
        "from okrcli.cli import app\n"
        "from okrcli.cli.run import run\n"
        "start = time.perf_counter()\n"
        "code = run(app, sys.argv[1:])\n"
        "inside = time.perf_counter() - start\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        # Linux carries ru_maxrss over exec from the forking parent; VmHWM is this image's own.
        "status = open('/proc/self/status').read() if sys.platform == 'linux' else ''\n"
        "rss = int(status.split('VmHWM:')[1].split()[0]) if 'VmHWM:' in status else rss\n"
        "sys.stderr.write(f'\\nRSS {rss} {inside}\\n')\n"
        "sys.exit(code)\n"
    )
    shutil.rmtree(root / ".okr_cache", ignore_errors=True)  # measure the work, not a cache
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", probe, "check", "--root", str(root)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    wall = time.perf_counter() - start
    rss, inside = (float(x) for x in done.stderr.rsplit("RSS ", 1)[1].split())
    first = done.stdout.splitlines()[0] if done.stdout else done.stderr.splitlines()[0]
    said = first.split(" OKR001 ", 1)[-1].replace("|", "\\|")
    return done.returncode, wall, inside, rss / 1024, said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10, help="how long to fuzz")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "okr-fuzz")
    parser.add_argument("--repeat", type=int, default=3, help="runs per hostile file")
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    print(f"# okr fuzzing run, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    if options.minutes > 0:
        tally = fuzz(options.minutes, options.out)
        report_fuzz(tally, options.minutes)
        print(f"\nInputs that broke the contract are in {options.out}")
    measure_hostile(options.repeat)


if __name__ == "__main__":
    main()
