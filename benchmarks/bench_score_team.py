"""`okr score --team T`, `okr tree ID`, `okr score --owner O` and `okr checkin` at 10,000
files, each against libyaml parsing the files it needs.

    python benchmarks/bench_score_team.py [--org PATH] [--files 10000] [--team T]
                                          [--owner O] [--repeat 5]

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

Then, each warm, with a "before" row (the whole repository loaded, through the parse cache
but for the check-in, which did not use it) and its own libyaml floor (the files the subset
loads):

- `okr tree ID --format json`, ID the first objective of the team's newest file;
- `okr score --owner O --format json` (`okr mine` is `--owner me`);
- `okr checkin KR VALUE --no-commit`, KR the first metric of the team's newest file, which
  is put back as it was before each run (so each run reads that file's entry again, as
  after a check-in); and the same check-in in a repository of that file alone.
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

from bench_incremental import alone, editor, organisation  # noqa: E402
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
TREE_BEFORE = """
import sys
from okrcli.config import load_config
from okrcli.render import score_json
from okrcli.repo import load_repo
from okrcli.score import score_repo, subtree

repo = load_repo(load_config(None), cache=True)
score_json.write(score_repo(repo), subtree(repo.graph, sys.argv[1]), repo, sys.stdout)
"""
OWNER_BEFORE = BEFORE.replace("[sys.argv[1]]", "(), [sys.argv[1]]")
CHECKIN_BEFORE = """
import sys
from okrcli import reach
from okrcli.checkin import Entry, check_in
from okrcli.config import load_config

reach.holding = lambda *_: None  # every file loaded, as before the index told where
check_in(load_config(None), [Entry(sys.argv[1], value=sys.argv[2])], commit=False)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--org", type=Path, default=None, help="a generated organisation")
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--team", default="payments-group")
    parser.add_argument("--owner", default="farah")
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
    more: list[tuple[str, Run]] = []
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
        objective, metric = _ids(own[-1])
        more = _subset_rows(root, args.owner, objective, metric, own[-1], args.repeat)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"{source}: --team {args.team}; edits in {far.name} (far), {below.name} (below)")
    print(f"{'':40} {'wall':>8} {'× libyaml':>10} {'peak':>9}")
    for label, run in [*rows, *more]:
        if label.startswith("libyaml"):
            floor = run
        print(f"{label:40} {run.wall:7.2f}s {run.wall / floor.wall:9.1f}× {run.peak_mb:7.0f} MB")


def _subset_rows(
    root: Path, owner: str, objective: str, metric: str, holder: Path, repeat: int
) -> list[tuple[str, Run]]:
    """`okr tree ID`, `okr score --owner O` and `okr checkin`: before, now, and the floor of
    each (its libyaml row comes first, as the ratios below it are to it)."""
    from okrcli.config import load_config
    from okrcli.reach import focus_view, tree_view

    os.chdir(root)  # the index the runs made says which files each loads
    config = load_config(root)
    original = holder.read_bytes()
    checkin = [*okr_exe(), "checkin", metric, "0.5", "--no-commit"]
    cases = [
        (f"okr tree {objective}", [*okr_exe(), "tree", objective, "--format", "json"],
         [sys.executable, "-c", TREE_BEFORE, objective], tree_view(config, objective, (), ()),
         None),
        (f"okr score --owner {owner}", [*okr_exe(), "score", "--owner", owner, "--format", "json"],
         [sys.executable, "-c", OWNER_BEFORE, owner], focus_view(config, (), [owner], None),
         None),
        (f"okr checkin {metric}", checkin, [sys.executable, "-c", CHECKIN_BEFORE, metric, "0.5"],
         None, lambda: holder.write_bytes(original)),
    ]  # fmt: skip
    rows: list[tuple[str, Run]] = []
    for label, now, before, view, restore in cases:
        files = [str(root / s.rel) for s in view[0].files] if view else [str(holder)]
        floor = measure([sys.executable, "-c", LIBYAML_FILES, *files], root, repeat)
        what = f"{len(files)} file{'s' * (len(files) != 1)}"
        rows.append((f"libyaml, the {what} {label.split()[1]} needs", floor))
        measure(now, root, 1, restore)  # the index after the last edit
        rows.append((f"{label}: before", measure(before, root, repeat, restore)))
        rows.append((f"{label}: warm", measure(now, root, repeat, restore)))
    one = alone(root, holder)
    try:
        rows.append(("okr checkin, that file alone", measure(checkin, one, repeat,
                     lambda: (one / holder.relative_to(root)).write_bytes(original))))  # fmt: skip
    finally:
        shutil.rmtree(one, ignore_errors=True)
    return rows


def _ids(path: Path) -> tuple[str, str]:
    """The first objective of a team file and its first metric key result."""
    import yaml

    data = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
    first = data["objectives"][0]["id"]
    metric = next(kr["id"] for o in data["objectives"] for kr in o["key_results"]
                  if "current" in kr and "target" in kr)  # fmt: skip
    return first, metric


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
