"""`okr score --team T` at 10,000 files, against libyaml parsing the team's own files.

    python benchmarks/bench_score_team.py [--org PATH] [--files 10000] [--team T] [--repeat 5]

The organisation (benchmarks/generate.py, no history) is built once under
$TMPDIR/okr-bench/incremental-N (shared with bench_incremental.py), or taken from --org; it
is copied to a scratch folder so that edits never touch it. Each command is its own process
(run.py's launcher measures its wall time and peak memory), output to /dev/null. Rows:

- before: what `okr score --team T --format json` did until it read only what it needs
  (load every file through the parse cache, then select the team), run as a script;
- `okr score --format json`, every team: the whole repository, for scale;
- cold: no .okr_cache/ (the first run builds the alignment index);
- warm: nothing changed since the last run;
- a far file edited: a `current:` value changed, before each run, in a file the team does
  not reach (its index entry is made again);
- a file below the team edited: the same in a file aligned below one of the team's
  objectives (a department's, for a department team), which is then loaded and scored;
- the floor: libyaml (`CSafeLoader`) loading the team's files, in a process of its own.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_incremental import editor, organisation  # noqa: E402
from run import Run, clear_cache, measure, okr_exe  # noqa: E402

LIBYAML_FILES = """
import sys, yaml
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        yaml.load(f, Loader=yaml.CSafeLoader)
"""
BEFORE = """
import sys
from okrcli.config import load_config
from okrcli.focus import focus
from okrcli.render import score_json
from okrcli.repo import load_repo
from okrcli.score import score_repo, select

repo = load_repo(load_config(None), cache=True)
chosen = select(repo.graph, repo.today, None, focus(repo.graph, [sys.argv[1]]))
score_json.write(score_repo(repo), chosen, repo, sys.stdout)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--org", type=Path, default=None, help="a generated organisation")
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--team", default="payments-group")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    source = organisation(args.files, args.org)
    root = Path(tempfile.mkdtemp(prefix="okr-score-team-"))
    shutil.copytree(source / "okrs", root / "okrs")
    shutil.copy(source / "okr.toml", root / "okr.toml")
    os.environ.setdefault("OKR_TODAY", "2026-11-20")
    okr = [*okr_exe(), "score", "--team", args.team, "--format", "json"]
    own = sorted(root.glob(f"okrs/*/{args.team}.yaml"))
    if not own:
        raise SystemExit(f"no files of team {args.team} in {source}")
    below, far = _below_and_far(root, own)
    rows: list[tuple[str, Run]] = []
    try:
        before = [sys.executable, "-c", BEFORE, args.team]
        measure(before, root, 1)  # fills the parse cache
        rows.append(("before: load everything", measure(before, root, args.repeat)))
        every = [*okr_exe(), "score", "--format", "json"]
        rows.append(("okr score, every team", measure(every, root, args.repeat)))
        rows.append(("cold (no .okr_cache)", measure(okr, root, 1, clear_cache(root))))
        rows.append(("warm", measure(okr, root, args.repeat)))
        for label, edited in (("a far file edited", far), ("a file below edited", below)):
            edit = editor(edited, r"current: [^\n]+", ["current: 1", "current: 2"])
            rows.append((label, measure(okr, root, args.repeat, edit)))
        files = [str(path) for path in own]
        floor = measure([sys.executable, "-c", LIBYAML_FILES, *files], root, args.repeat)
        rows.append((f"libyaml, the team's {len(own)} files", floor))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"{source}: --team {args.team}; edits in {far.name} (far), {below.name} (below)")
    print(f"{'':32} {'wall':>8} {'× libyaml':>10} {'peak':>9}")
    for label, run in rows:
        print(f"{label:32} {run.wall:7.2f}s {run.wall / floor.wall:9.1f}× {run.peak_mb:7.0f} MB")


def _below_and_far(root: Path, own: list[Path]) -> tuple[Path, Path]:
    """A file aligned below the team's newest file (else that file), by the ids the
    generator writes (a `parent:` names ids of the file above), and a team file of the
    first quarter, which the default cycle (the newest quarter, late in the year) never
    shows."""
    newest = own[-1]
    text = newest.read_text(encoding="utf-8")
    prefixes = {line.split("- id: ")[1].rsplit("-", 1)[0]
                for line in text.splitlines() if "- id: " in line}  # fmt: skip
    below = next(
        (path for path in sorted(newest.parent.glob("*.yaml"))
         if path != newest and any(f"parent: {p}-" in path.read_text() for p in prefixes)),
        newest,
    )  # fmt: skip
    first = sorted(path for path in root.glob("okrs/*-Q1/*.yaml") if path not in own)
    return below, first[len(first) // 2]


if __name__ == "__main__":
    main()
