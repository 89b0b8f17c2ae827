"""`okr check` after a one-file edit, against libyaml parsing that one file, in the same run.

    python benchmarks/bench_incremental.py [--org PATH] [--files 10000] [--repeat 5]

The organisation (benchmarks/generate.py, no history: outside git, as the history rules
need git and then make `okr check` read the whole history) is built once under
$TMPDIR/okr-bench/incremental-N, or taken from --org. Each command is its own process (the
launcher of run.py measures its wall time and peak memory). Rows:

- cold: no .okr_cache/;
- warm: nothing changed since the last run;
- one key result edited: a `current:` value in one file changed before each run (new bytes
  every time), the pre-commit case; its floor is libyaml (`CSafeLoader`) loading that file,
  in a process of its own, and `okr check` on a repository of that file alone shows what
  okr's own start-up costs;
- one parent edited: the change reaches other files (its facts change), so the whole
  repository is checked again, as the engine promises.

The same organisation is then copied into a git repository with one commit (for OKR207 and
OKR208, which read the history; `--no-git` skips it), for three more rows:

- in git, cold: no `.okr_cache/`, every file and the history read;
- in git, one key result edited: as above, HEAD unchanged since the last run;
- in git, after a commit: the last edit committed, then another value edited: what a
  pre-commit hook sees on every commit (HEAD moved since it last ran).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import ENV, Run, clear_cache, measure, okr_exe  # noqa: E402

LIBYAML_ONE = "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"


def organisation(files: int, given: Path | None) -> Path:
    if given is not None:
        return given
    home = Path(tempfile.gettempdir()) / "okr-bench" / f"incremental-{files}"
    if not (home / "okrs").is_dir():
        print(f"building {home} …", flush=True)
        shutil.rmtree(home, ignore_errors=True)
        generate(home, files, 0)
    return home


def alone(root: Path, team: Path) -> Path:
    """A repository of `team` alone, beside `root`: okr's own start-up and one file."""
    home = root.with_name(root.name + "-one")
    shutil.rmtree(home, ignore_errors=True)
    (home / team.relative_to(root)).parent.mkdir(parents=True)
    shutil.copy(root / "okr.toml", home / "okr.toml")
    shutil.copy(team, home / team.relative_to(root))
    return home


def editor(path: Path, pattern: str, values: list[str]) -> object:
    """A `before` hook that rewrites the first match of `pattern` with the next of `values`."""
    turn = iter(range(10**9))

    def edit() -> None:
        text = path.read_text(encoding="utf-8")
        value = values[next(turn) % len(values)]
        path.write_text(re.sub(pattern, value, text, count=1), encoding="utf-8")

    return edit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--org", type=Path, default=None, help="a generated organisation")
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-git", action="store_true", help="skip the rows in git")
    args = parser.parse_args()
    root = organisation(args.files, args.org)
    ENV.setdefault("OKR_TODAY", "2026-11-20")  # the runs' today, whatever the day
    okr = [*okr_exe(), "check"]
    team = sorted(root.glob("okrs/*/*.yaml"))[len(list(root.glob("okrs/*/*.yaml"))) // 2]
    original = team.read_bytes()
    rows: list[tuple[str, Run]] = []
    try:
        rows.append(("cold", measure(okr, root, 1, clear_cache(root))))
        rows.append(("warm", measure(okr, root, args.repeat)))
        edit = editor(team, r"current: [^\n]+", ["current: 1", "current: 2", "current: 3"])
        rows.append(("one key result edited", measure(okr, root, args.repeat, edit)))
        floor = measure([sys.executable, "-c", LIBYAML_ONE, str(team)], root, args.repeat)
        rows.append(("libyaml, that one file", floor))
        rows.append(("okr check, that file alone", measure(okr, alone(root, team), args.repeat)))
        team.write_bytes(original)
        measure(okr, root, 1)
        moved = editor(team, r"parent: [^\n]+", ["parent: NOBODY-1", team_parent(original)])
        rows.append(("one parent edited", measure(okr, root, max(1, args.repeat // 2), moved)))
    finally:
        team.write_bytes(original)
    if not args.no_git:
        rows += in_git(root, team.relative_to(root), okr, args.repeat)
    print(f"{root}: edits in {team.relative_to(root)}")
    print(f"{'':28} {'wall':>8} {'× libyaml':>10} {'peak':>9}")
    for label, run in rows:
        ratio = run.wall / floor.wall
        print(f"{label:28} {run.wall:7.2f}s {ratio:9.1f}× {run.peak_mb:7.0f} MB")


GIT = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com"]


def in_git(root: Path, rel: Path, okr: list[str], repeat: int) -> list[tuple[str, Run]]:
    """The rows in a git copy of `root`, committed the day before the benchmark's today."""
    home = root.with_name(root.name + "-git")
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(root, home, ignore=shutil.ignore_patterns(".okr_cache"))
    dated = {**os.environ, "GIT_AUTHOR_DATE": "2026-11-19T09:00:00", "GIT_COMMITTER_DATE":
             "2026-11-19T09:00:00"}  # fmt: skip

    def commit() -> None:
        subprocess.run([*GIT, "add", "-A"], cwd=home, check=True)
        subprocess.run([*GIT, "commit", "-qm", "check in", "--allow-empty"], cwd=home,
                       env=dated, check=True)  # fmt: skip

    subprocess.run([*GIT, "init", "-q"], cwd=home, check=True)
    commit()
    team = home / rel
    values = ["current: 1", "current: 2", "current: 3"]
    edit = editor(team, r"current: [^\n]+", values)
    rows = [("in git, cold", measure(okr, home, 1))]
    rows.append(("in git, one key result edited", measure(okr, home, repeat, edit)))

    def commit_then_edit() -> None:
        commit()
        edit()

    rows.append(("in git, after a commit", measure(okr, home, repeat, commit_then_edit)))
    return rows


def team_parent(raw: bytes) -> str:
    found = re.search(rb"parent: [^\n]+", raw)
    return found[0].decode() if found else "parent: NOBODY-2"


if __name__ == "__main__":
    main()
