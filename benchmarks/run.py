"""okr at scale: every command against the floors it competes with, measured in one run.

    python benchmarks/run.py [--sizes acme,1000,10000] [--repeat 3] [--work DIR] [--json OUT]

Datasets (built once under --work and reused): examples/acme, and organisations of 1,000
and 10,000 team files from benchmarks/generate.py, each as plain files and as a git
repository with --history check-in commits. Each command runs as its own process (as a
user runs it) with output to /dev/null; the table shows the median wall time, key results
per second, the peak memory of that process, and the ratio to a floor measured in the same
run:

- start-up: `python -c pass`, `python -c "import typer"`, and typer + pydantic + ruamel.yaml;
- check and score: the same files parsed by PyYAML's libyaml `CSafeLoader` (no positions,
  no validation), and check-jsonschema validating them against our schema (what a CI job
  might run instead; install it anywhere and pass --check-jsonschema, else it is skipped);
- log: `git log -p` on the same repository.

"cold" runs start without `.okr_cache/`, "warm" ones after a run that filled it. A command
that does not exist yet, or a floor that is not installed, is skipped with a note. The
goals of issue 8 are checked at the end. Nothing here is a test: machines are noisy, so
read the ratios, and run it again when one is close.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

LIBYAML = """
import glob, sys, yaml
for path in glob.glob(sys.argv[1] + "/okrs/**/*.yaml", recursive=True):
    with open(path, "rb") as f:
        yaml.load(f, Loader=yaml.CSafeLoader)
"""
CJS_MAX_FILES = 2_000
ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
# As users run it: with colour off and Python's bytecode cache on (an installed okr has
# its .pyc files; without them every run would compile okr's modules again).
for _name in ("FORCE_COLOR", "PYTHONDONTWRITEBYTECODE"):
    ENV.pop(_name, None)


@dataclass
class Run:
    wall: float  # median seconds
    peak_mb: float  # largest peak RSS of the runs
    code: int


@dataclass
class Row:
    dataset: str
    label: str
    run: Run | None
    key_results: int = 0
    floor: str = ""
    floor_run: Run | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.run is None or self.floor_run is None or self.floor_run.wall <= 0:
            return None
        return self.run.wall / self.floor_run.wall


@dataclass
class Dataset:
    name: str
    files: Path  # plain files, no git
    git: Path  # the same organisation with its check-in history
    key_results: int
    commits: int
    paths: list[str] = field(default_factory=list)


# Each command is started by this small launcher, which reports the wall time and the peak
# memory of the command alone: a child forked straight from this (large) process would
# count this process's pages in its own peak until it execs.
LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
print(f"{wall} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}", file=sys.stderr)
"""


def measure(argv: list[str], cwd: Path, repeat: int, before: object = None) -> Run:
    """Median wall time and peak memory of `argv` run `repeat` times (each its own process)."""
    walls, peaks, code = [], [], 0
    for _ in range(repeat):
        if callable(before):
            before()
        launch = [sys.executable, "-c", LAUNCHER, *argv]
        done = subprocess.run(launch, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, check=False)  # fmt: skip
        *err, last = done.stderr.decode(errors="replace").rstrip("\n").split("\n")
        wall, peak_kib, status = last.split()
        walls.append(float(wall))
        peaks.append(int(peak_kib) / 1024)  # KiB on Linux
        code = int(status)
        if code not in (0, 1):
            sys.stderr.write(f"  ! {' '.join(argv[:4])}… exited {code}: {err[-3:]}\n")
    return Run(statistics.median(walls), max(peaks), code)


def okr_exe() -> list[str]:
    found = Path(sys.executable).with_name("okr")
    return [str(found)] if found.exists() else [shutil.which("okr") or "okr"]


def has_command(okr: list[str], name: str) -> bool:
    done = subprocess.run([*okr, name, "--help"], capture_output=True, env=ENV, check=False)
    return done.returncode == 0


def count_key_results(root: Path) -> int:
    import yaml

    total = 0
    for path in root.glob("okrs/**/*.yaml"):
        data = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader) or {}
        total += sum(len(o.get("key_results") or []) for o in data.get("objectives") or [])
    return total


def prepare(name: str, work: Path, history: int) -> Dataset:
    """The dataset `name` under `work`, built on first use (a manifest says what it holds)."""
    home = work / name
    manifest = home / "manifest.json"
    wanted = {"name": name, "history": history, "generator": _generator_stamp()}
    if manifest.exists() and json.loads(manifest.read_text()).get("wanted") == wanted:
        made = json.loads(manifest.read_text())
    else:
        print(f"building dataset {name} in {home} …", flush=True)
        if home.exists():
            shutil.rmtree(home)
        home.mkdir(parents=True)
        if name == "acme":
            shutil.copytree(REPO / "examples" / "acme", home / "git")
            _git_commit_all(home / "git")
            made = {"key_results": count_key_results(home / "git"), "commits": 1}
        else:
            made = generate(home / "git", int(name), history)
        shutil.copytree(home / "git", home / "files", ignore=shutil.ignore_patterns(".git"))
        made["wanted"] = wanted
        manifest.write_text(json.dumps(made))
    files = home / "files"
    paths = sorted(str(p.relative_to(files)) for p in files.glob("okrs/**/*.yaml"))
    return Dataset(name, files, home / "git", made["key_results"], made["commits"], paths)


def _generator_stamp() -> int:
    return int((HERE / "generate.py").stat().st_mtime)


def _git_commit_all(root: Path) -> None:
    env = dict(ENV)
    for role in ("AUTHOR", "COMMITTER"):
        env[f"GIT_{role}_NAME"], env[f"GIT_{role}_EMAIL"] = "Bench", "bench@example.com"
        env[f"GIT_{role}_DATE"] = "2026-10-01T09:00:00Z"
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "OKRs"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True)


def clear_cache(root: Path) -> object:
    return lambda: shutil.rmtree(root / ".okr_cache", ignore_errors=True)


def startup_rows(okr: list[str], repeat: int, acme: Dataset | None) -> list[Row]:
    py = sys.executable
    here = acme.files if acme else REPO
    floors = {
        "python -c pass": measure([py, "-c", "pass"], here, repeat * 3),
        "import typer": measure([py, "-c", "import typer"], here, repeat * 3),
        "import typer, pydantic, ruamel.yaml": measure(
            [py, "-c", "import typer, pydantic, ruamel.yaml"], here, repeat * 3
        ),
    }
    rows = [Row("-", name, run) for name, run in floors.items()]
    for label, argv in (("okr --version", ["--version"]), ("okr --help", ["--help"]),
                        ("okr rule", ["rule"])):  # fmt: skip
        run = measure([*okr, *argv], here, repeat * 3)
        rows.append(Row("-", label, run, floor="import typer", floor_run=floors["import typer"]))
    if acme is not None:
        run = measure([*okr, "check", "--root", str(acme.files)], here, repeat * 3)
        rows.append(Row("acme", "okr check", run, acme.key_results,
                        "import typer, pydantic, ruamel.yaml",
                        floors["import typer, pydantic, ruamel.yaml"]))  # fmt: skip
    return rows


def dataset_rows(
    okr: list[str], data: Dataset, repeat: int, commands: dict[str, bool], cjs: str | None
) -> list[Row]:
    py, files, krs = sys.executable, data.files, data.key_results
    rows: list[Row] = []
    libyaml = measure([py, "-c", LIBYAML, str(files)], files, repeat)
    rows.append(Row(data.name, "floor: libyaml CSafeLoader load", libyaml, krs))
    schema = str(REPO / "schemas" / "okr-file.schema.json")
    jsonschema = None
    if cjs and len(data.paths) > CJS_MAX_FILES:
        note = f"skipped above {CJS_MAX_FILES:,} files (minutes; judged at 1,000)"
        rows.append(Row(data.name, "floor: check-jsonschema", None, krs, note=note))
    elif cjs:
        jsonschema = measure([cjs, "--schemafile", schema, *data.paths], files, max(1, repeat // 2))
        rows.append(Row(data.name, "floor: check-jsonschema", jsonschema, krs))
    else:
        rows.append(Row(data.name, "floor: check-jsonschema", None, krs,
                        note="not installed: pass --check-jsonschema PATH"))  # fmt: skip
    work = [
        ("check", ["check"]),
        ("score", ["score", "--format", "json"]),
        ("tree", ["tree"]),
    ]
    for command, argv in work:
        if not commands.get(command):
            rows.append(Row(data.name, f"okr {' '.join(argv)}", None, krs, note="no such command"))
            continue
        full = [*okr, *argv, "--root", str(files)]
        cold = measure(full, files, repeat, before=clear_cache(files))
        rows.append(Row(data.name, f"okr {' '.join(argv)} (cold)", cold, krs,
                        "libyaml", libyaml))  # fmt: skip
        if jsonschema is not None and command == "check":
            rows.append(Row(data.name, "okr check (cold) vs check-jsonschema", cold, krs,
                            "check-jsonschema", jsonschema))  # fmt: skip
        measure(full, files, 1)  # fill the cache
        warm = measure(full, files, repeat)
        rows.append(Row(data.name, f"okr {' '.join(argv)} (warm)", warm, krs, "libyaml", libyaml))
    if commands.get("report"):
        out = Path(tempfile.mkdtemp(prefix="okr-report-"))
        run = measure([*okr, "report", "--out", str(out), "--root", str(data.git)], files,
                      max(1, repeat // 2))  # fmt: skip
        shutil.rmtree(out, ignore_errors=True)
        rows.append(Row(data.name, "okr report (git)", run, krs, "libyaml", libyaml))
    else:
        rows.append(Row(data.name, "okr report", None, krs, note="no such command"))
    gitlog = measure(["git", "log", "-p"], data.git, repeat)
    rows.append(Row(data.name, f"floor: git log -p ({data.commits} commits)", gitlog, krs))
    if commands.get("check"):
        full = [*okr, "check", "--root", str(data.git)]
        run = measure(full, data.git, repeat, before=clear_cache(data.git))
        rows.append(Row(data.name, "okr check in git (cold, with history rules)", run, krs,
                        "libyaml", libyaml))  # fmt: skip
    if commands.get("log"):
        full = [*okr, "log", "--root", str(data.git)]
        cold = measure(full, data.git, repeat, before=clear_cache(data.git))
        rows.append(Row(data.name, "okr log (cold)", cold, krs, "git log -p", gitlog))
        measure(full, data.git, 1)
        warm = measure(full, data.git, repeat)
        rows.append(Row(data.name, "okr log (warm)", warm, krs, "git log -p", gitlog))
    else:
        rows.append(Row(data.name, "okr log", None, krs, note="no such command"))
    return rows


def show(rows: list[Row]) -> None:
    head = f"{'dataset':<8} {'command':<46} {'wall':>8} {'KR/s':>9} {'peak MB':>8}  ratio to floor"
    print(head)
    print("-" * len(head) + "-" * 20)
    for r in rows:
        if r.run is None:
            print(f"{r.dataset:<8} {r.label:<46} {'—':>8} {'':>9} {'':>8}  {r.note}")
            continue
        rate = f"{r.key_results / r.run.wall:,.0f}" if r.key_results else ""
        ratio = f"{r.ratio:.2f}× {r.floor}" if r.ratio is not None else ""
        bad = "" if r.run.code in (0, 1) else f"  (exit {r.run.code})"
        print(f"{r.dataset:<8} {r.label:<46} {r.run.wall:>7.3f}s {rate:>9} "
              f"{r.run.peak_mb:>8.0f}  {ratio}{bad}")  # fmt: skip


def find(rows: list[Row], dataset: str, label: str) -> Row | None:
    return next((r for r in rows if r.dataset == dataset and r.label == label and r.run), None)


def goals(rows: list[Row]) -> list[tuple[str, str, bool | None]]:
    """(goal, where we stand, met?) for each goal of issue 8 this run can judge."""
    out: list[tuple[str, str, bool | None]] = []

    def ratio_goal(goal: str, dataset: str, label: str, limit: float) -> None:
        row = find(rows, dataset, label)
        if row is None or row.ratio is None:
            out.append((goal, "not measured", None))
        else:
            out.append((goal, f"{row.ratio:.2f}× {row.floor}", row.ratio <= limit))

    ratio_goal("okr --version within 1.3× of import typer", "-", "okr --version", 1.3)
    ratio_goal("okr --help within 1.3× of import typer", "-", "okr --help", 1.3)
    ratio_goal("okr check on acme within 2× of typer+pydantic+ruamel", "acme", "okr check", 2)
    for command in ("check", "score --format json"):
        name = f"okr {command}"
        ratio_goal(f"{name} 20k cold within 4× of libyaml", "1000", f"{name} (cold)", 4)
        ratio_goal(f"{name} 20k warm at or under libyaml", "1000", f"{name} (warm)", 1)
        for temp in ("cold", "warm"):
            small = find(rows, "1000", f"{name} ({temp})")
            large = find(rows, "10000", f"{name} ({temp})")
            goal = f"{name} 200k {temp} within 11× of 20k"
            if small is None or large is None or small.run is None or large.run is None:
                out.append((goal, "not measured", None))
                continue
            times = large.run.wall / small.run.wall
            out.append((goal, f"{times:.1f}×", times <= 11))
            out.append((f"{name} 200k {temp} peak memory under 1 GB",
                        f"{large.run.peak_mb:.0f} MB", large.run.peak_mb < 1024))  # fmt: skip
    ratio_goal("okr check 20k cold faster than check-jsonschema", "1000",
               "okr check (cold) vs check-jsonschema", 1)  # fmt: skip
    for dataset in ("1000", "10000"):
        ratio_goal(f"okr log cold within 5× of git log -p ({dataset} files)", dataset,
                   "okr log (cold)", 5)  # fmt: skip
        ratio_goal(f"okr log warm within 1.5× of git log -p ({dataset} files)", dataset,
                   "okr log (warm)", 1.5)  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="acme,1000,10000",
                        help="datasets: acme and/or numbers of team files")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--history", type=int, default=10_000,
                        help="check-in commits in each generated repository")  # fmt: skip
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "okr-bench")
    parser.add_argument("--check-jsonschema", dest="cjs", default=shutil.which("check-jsonschema"))
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args()

    okr = okr_exe()
    names = ["check", "score", "tree", "log", "report"]
    commands = {name: has_command(okr, name) for name in names}
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    print(f"okr: {' '.join(okr)}; python {sys.version.split()[0]}; {os.cpu_count()} CPUs; "
          f"check-jsonschema: {args.cjs or 'not installed (skipped)'}")  # fmt: skip
    missing = [name for name, there in commands.items() if not there]
    if missing:
        print(f"not yet implemented, skipped: {', '.join(missing)}")
    datasets = [prepare(name, args.work, args.history) for name in sizes]
    acme = next((d for d in datasets if d.name == "acme"), None)
    warm_up = acme.files if acme else REPO / "examples" / "acme"
    for name in ("check", "score", "tree"):  # write okr's bytecode cache before timing
        if commands[name]:
            subprocess.run([*okr, name, "--root", str(warm_up), "--no-cache"], env=ENV,
                           capture_output=True, check=False)  # fmt: skip
    rows = startup_rows(okr, args.repeat, acme)
    for data in datasets:
        print(f"measuring {data.name}: {len(data.paths)} files, {data.key_results:,} key results, "
              f"{data.commits:,} commits …", flush=True)  # fmt: skip
        rows += dataset_rows(okr, data, args.repeat, commands, args.cjs)
    print()
    show(rows)
    print("\nGoals (issue 8):")
    verdicts = goals(rows)
    for goal, where, met in verdicts:
        mark = {True: "met", False: "MISSED", None: "—"}[met]
        print(f"  {mark:<6} {goal}: {where}")
    if args.json:
        table = [{"dataset": r.dataset, "label": r.label, "wall": r.run and r.run.wall,
                  "peak_mb": r.run and r.run.peak_mb, "key_results": r.key_results,
                  "floor": r.floor, "ratio": r.ratio, "note": r.note} for r in rows]  # fmt: skip
        met = [{"goal": g, "where": w, "met": m} for g, w, m in verdicts]
        args.json.write_text(json.dumps({"rows": table, "goals": met}, indent=1))


if __name__ == "__main__":
    main()
