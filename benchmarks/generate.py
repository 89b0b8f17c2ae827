"""A synthetic organisation's OKRs, for benchmarks: N team files and K check-in commits.

    python benchmarks/generate.py OUT --files 1000 [--history 10000] [--seed 1]

The organisation is one year of quarters: an annual company file, a company file per
quarter, departments and teams under them. Every file has 3–5 objectives of 2–5 key results
of every kind (increasing and decreasing metrics, milestones, checklists, thresholds,
rollups), with owners, comments, notes, initiatives and confidence, and alignment runs four
levels deep (year → quarter → department → team). The files pass `okr check` without a
finding, so a benchmark measures the work rather than the printing of findings.

With `--history K` the folder becomes a git repository written by one `git fast-import`:
each quarter's files are committed a few days before the quarter starts, then K check-in
commits (one `current:` or `done:` change each, with the message and trailers `okr checkin`
writes) are spread over the year up to `--until`, each on a file of the quarter it falls in.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

AREAS = [
    "payments", "platform", "mobile", "growth", "data", "security", "support", "search",
    "billing", "identity", "infra", "ml", "risk", "ledger", "notifications", "onboarding",
    "partners", "pricing", "reporting", "storage", "network", "compliance", "docs", "design",
]  # fmt: skip
PRODUCTS = [
    "api", "web", "ios", "android", "checkout", "core", "edge", "ledger", "insights", "admin",
    "sdk", "gateway", "catalog", "inbox", "sync", "exports", "webhooks", "console", "cli",
    "connectors", "scheduler", "audit", "vault", "relay", "studio", "atlas", "beacon", "orbit",
]  # fmt: skip
PEOPLE = [
    "alice", "bob", "carol", "dana", "erik", "farah", "gus", "hana", "ivan", "jules", "kemal",
    "lena", "marco", "nadia", "omar", "priya", "quinn", "rosa", "sven", "tara", "uma", "viktor",
    "wen", "xavier", "yara", "zoe", "amir", "bea", "chen", "dario", "elif", "femi", "greta",
]  # fmt: skip
OBJECTIVES = [
    ("{P} is fast wherever our customers are", "committed"),
    ("Merchants trust {p} with their busiest day", "committed"),
    ("{P} pays for itself", "aspirational"),
    ("New customers reach value with {p} in their first week", "aspirational"),
    ("On-call for {p} is calm and sustainable", "committed"),
    ("{P} data is complete, fresh and trusted", "aspirational"),
    ("Every {p} release is boring and safe", "committed"),
    ("Questions about {p} rarely need a support ticket", "aspirational"),
    ("{P} meets what enterprise security reviews ask for", "committed"),
    ("Learn whether self-serve upgrades work for {p}", "learning"),
    ("Customers recommend {p} to their peers", "aspirational"),
    ("{P} costs less to run per customer every quarter", "aspirational"),
]
# (title, unit, start, target, decimals): a target below the start is a decreasing metric.
METRICS = [
    ("p95 {p} API latency", "ms", 420, 250, 0),
    ("{P} deploy success rate", "%", 92, 99.5, 1),
    ("Weekly active teams on {p}", "teams", 120, 200, 0),
    ("Monthly recurring revenue from {p}", "kUSD", 310, 420, 0),
    ("Share of {p} tickets resolved in one reply", "%", 48, 65, 1),
    ("Mean time to restore {p} incidents", "min", 95, 30, 0),
    ("Trial-to-paid conversion for {p}", "%", 3.1, 4.5, 2),
    ("Net revenue retention of {p} accounts", "%", 104, 112, 1),
    ("Pages per on-call week for {p}", "pages", 14, 4, 0),
    ("Crash-free sessions on {p}", "%", 99.1, 99.8, 2),
    ("Cloud cost per active {p} customer", "USD", 4.8, 3.2, 2),
    ("Median time to first value in {p}", "hours", 52, 12, 0),
]
MILESTONES = [
    "{P} SOC 2 controls signed off by the auditor",
    "{P} v2 generally available in the EU region",
    "A reviewed runbook for every {p} alert",
    "Data contracts for {p} agreed with every consumer",
    "{P} on the shared observability stack",
]
CHECKLISTS = [
    ("Every {p} service on the new deploy pipeline", ["api", "web", "jobs", "search", "admin"]),
    ("{P} documentation rewritten for the new onboarding", ["quickstart", "guides", "reference"]),
    ("{P} regions behind the new edge", ["eu-west", "us-east", "ap-south", "sa-east"]),
]
THRESHOLDS = [
    ("{P} API availability", "above", 99.9, "%"),
    ("Error-budget burn rate for {p}", "below", 1.0, None),
    ("Open P1 bugs in {p}", "below", 3, "bugs"),
    ("{P} on-call response within SLA", "above", 95, "%"),
]
ROLLUPS = [
    "Teams under {p} meet their quarterly goals",
    "{P} groups hit their reliability goals",
    "Squads in {p} meet what they committed to",
]
COMMENTS = [
    "Baseline: the {p} health dashboard, average of the last four weeks.",
    "Target agreed with finance in the planning review.",
    "Measured weekly from the warehouse table metrics.{p}_daily.",
    "Stretch on purpose: 0.7 here would still be a good quarter.",
    "Same definition as last quarter so the trend stays comparable.",
    "Source of truth is the incident tracker, not the chat channel.",
]
NOTES = [
    "Last quarter we learnt that most of the gain came from the first two weeks.",
    "Depends on the {p} migration landing before the freeze.",
    "Paired with the support team; their numbers move with ours.",
]
INITIATIVES = [
    "Blue-green deploys for {p}",
    "Weekly review of the slowest {p} endpoints",
    "Self-serve upgrade flow in {p}",
    "Retire the legacy {p} batch jobs",
    "Load test {p} at twice the peak",
]


@dataclass
class KeyResult:
    id: str
    kind: str  # metric | milestone | checklist | threshold | rollup
    children: int = 0


@dataclass
class Objective:
    id: str
    parent: str | None
    key_results: list[KeyResult] = field(default_factory=list)


@dataclass
class TeamFile:
    rel: str
    team: str
    cycle: str
    product: str
    owner: str
    objectives: list[Objective] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    # line index of a key result's `current:` or `done:` → (id, kind, start, target, decimals)
    checkable: list[tuple[int, str, str, float, float, int]] = field(default_factory=list)


class Organisation:
    """Builds the files top-down so that every parent exists and every rollup has children."""

    def __init__(self, files: int, year: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.year = year
        self.files: list[TeamFile] = []
        self.names: set[str] = set()
        company = self.add(f"okrs/{year}/company.yaml", "company", str(year), "company", [])
        per_quarter = max(files - 5, 4) // 4
        extra = max(files - 5, 4) % 4
        for quarter in range(1, 5):
            cycle = f"{year}-Q{quarter}"
            top = self.add(f"okrs/{cycle}/company.yaml", "company", cycle, "company", [company])
            count = per_quarter + (quarter <= extra)
            departments = max(1, count // 12)
            heads = [
                self.add(f"okrs/{cycle}/{self.team_name(d, True)}.yaml",
                         self.team_name(d, True), cycle, AREAS[d % len(AREAS)], [top])
                for d in range(departments)
            ]  # fmt: skip
            for t in range(count - departments):
                name = self.team_name(t, False)
                self.add(f"okrs/{cycle}/{name}.yaml", name, cycle,
                         PRODUCTS[t % len(PRODUCTS)], [heads[t % departments]])  # fmt: skip
        self.files = self.files[: max(files, 1)]
        # A cut organisation keeps rollups only where children survived the cut.
        parents = {o.parent for f in self.files for o in f.objectives}
        for kr in (kr for f in self.files for o in f.objectives for kr in o.key_results):
            kr.children = int(kr.id in parents)

    def team_name(self, index: int, department: bool) -> str:
        if department:
            base = f"{AREAS[index % len(AREAS)]}-group"
            round_ = index // len(AREAS)
        else:
            area = AREAS[(index // len(PRODUCTS)) % len(AREAS)]
            base = f"{area}-{PRODUCTS[index % len(PRODUCTS)]}"
            round_ = index // (len(PRODUCTS) * len(AREAS))
        return f"{base}-{round_ + 1}" if round_ else base

    def add(self, rel: str, team: str, cycle: str, product: str, above: list[TeamFile]) -> TeamFile:
        rng = self.rng
        code = "".join(part[:3].upper() for part in team.split("-")[:2]) + str(len(self.files))
        source = TeamFile(rel, team, cycle, product, rng.choice(PEOPLE))
        targets = [o for f in above for o in f.objectives]
        for k in range(1, rng.choices([3, 4, 5], [1, 3, 6])[0] + 1):
            parent = None
            if targets:
                # Prefer a rollup-worthy key result that has no child yet, so that
                # rollups always have something to roll up.
                holder = targets[(len(self.files) * 5 + k) % len(targets)]
                lonely = [kr for o in targets for kr in o.key_results if kr.children == 0]
                chosen: Objective | KeyResult = (
                    lonely[0]
                    if lonely and rng.random() < 0.5
                    else rng.choice([holder, *holder.key_results])
                )
                if isinstance(chosen, KeyResult):
                    chosen.children += 1
                parent = chosen.id
            objective = Objective(f"{code}-{cycle[-2:]}-{k}", parent)
            for m in range(1, rng.choices([2, 3, 4, 5], [1, 2, 4, 6])[0] + 1):
                kind = rng.choices(
                    ["metric", "milestone", "checklist", "threshold"], [60, 12, 10, 18]
                )[0]
                objective.key_results.append(KeyResult(f"{objective.id}.{m}", kind))
            source.objectives.append(objective)
        self.files.append(source)
        return source


def _number(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class Writer:
    """Renders a TeamFile as the YAML a team would keep: comments, blank lines, notes."""

    def __init__(self, rng: random.Random, history: bool) -> None:
        self.rng = rng
        self.history = history  # start every value at its baseline; check-ins move it

    def render(self, f: TeamFile) -> None:
        rng, out = self.rng, f.lines
        p, big_p = f.product, f.product.capitalize()
        out += [
            "# yaml-language-server: $schema=https://okr.dev/schemas/okr-file.schema.json",
            f"# {f.team} OKRs for {f.cycle}. Reviewed at the planning offsite; check in weekly.",
            f"team: {f.team}",
            f"cycle: {f.cycle}",
            f"owner: {f.owner}",
            "",
            "objectives:",
        ]
        for objective in f.objectives:
            title, kind = rng.choice(OBJECTIVES)
            # Aligned objectives are committed: an aspirational one counted toward a
            # committed parent is OKR209, and the organisation is `okr check` clean.
            kind = "committed" if objective.parent else kind
            out += [
                f"  - id: {objective.id}",
                f"    title: {title.format(p=p, P=big_p)}",
                f"    type: {kind}",
            ]
            if objective.parent:
                out.append(f"    parent: {objective.parent}")
            if rng.random() < 0.5:
                out.append(f"    owner: {rng.choice(PEOPLE)}")
            if rng.random() < 0.15:
                out.append(f"    weight: {rng.choice([2, 0.5, 0])}")
            if rng.random() < 0.3:
                out += ["    notes: >", f"      {rng.choice(NOTES).format(p=p)}",
                        "      Revisit at the mid-quarter review."]  # fmt: skip
            if rng.random() < 0.3:
                self.initiatives(out, "    ", p)
            out.append("    key_results:")
            for kr in objective.key_results:
                self.key_result(f, kr, p, big_p)
            out.append("")

    def initiatives(self, out: list[str], indent: str, p: str) -> None:
        rng = self.rng
        out.append(f"{indent}initiatives:")
        for title in rng.sample(INITIATIVES, rng.randint(1, 3)):
            status = rng.choice(["todo", "doing", "done", "dropped"])
            link = f"https://tracker.example.com/{p}/{rng.randint(100, 9999)}"
            out.append(
                f"{indent}  - {{title: {title.format(p=p)}, owner: {rng.choice(PEOPLE)}, "
                f'status: {status}, link: "{link}"}}'
            )

    def key_result(self, f: TeamFile, kr: KeyResult, p: str, big_p: str) -> None:
        rng, out = self.rng, f.lines
        if rng.random() < 0.4:
            out.append(f"      # {rng.choice(COMMENTS).format(p=p)}")
        out.append(f"      - id: {kr.id}")
        pad = "        "
        progress = 0.0 if self.history else rng.uniform(0.0, 1.15)
        kind = "rollup" if kr.children and rng.random() < 0.6 else kr.kind
        if kind == "rollup":
            out += [f"{pad}title: {rng.choice(ROLLUPS).format(p=p, P=big_p)}", f"{pad}rollup: true"]
        elif kind == "metric":
            title, unit, start, target, decimals = rng.choice(METRICS)
            scale = rng.choice([0.5, 1, 1, 2])
            start, target = start * scale, target * scale
            if _number(start, decimals) == _number(target, decimals):
                target = start * 1.5 + 1
            current = start + progress * (target - start)
            out.append(f"{pad}title: {title.format(p=p, P=big_p)}")
            out += [f"{pad}start: {_number(start, decimals)}",
                    f"{pad}target: {_number(target, decimals)}"]  # fmt: skip
            f.checkable.append((len(out), kr.id, "metric", start, target, decimals))
            out += [f"{pad}current: {_number(current, decimals)}", f'{pad}unit: "{unit}"']
        elif kind == "milestone":
            out.append(f"{pad}title: {rng.choice(MILESTONES).format(p=p, P=big_p)}")
            f.checkable.append((len(out), kr.id, "milestone", 0, 1, 0))
            out.append(f"{pad}done: {'true' if progress > 0.8 else 'false'}")
        elif kind == "checklist":
            title, items = rng.choice(CHECKLISTS)
            out += [f"{pad}title: {title.format(p=p, P=big_p)}", f"{pad}milestones:"]
            for item in items:
                done = "true" if rng.random() < progress else "false"
                weight = f", weight: {rng.choice([2, 3])}" if rng.random() < 0.2 else ""
                out.append(f"{pad}  - {{title: {item}, done: {done}{weight}}}")
        else:
            title, side, bound, unit = rng.choice(THRESHOLDS)
            good = bound * (1.0004 if side == "above" else 0.8)
            bad = bound * (0.999 if side == "above" else 1.3)
            current = good if rng.random() < 0.7 else bad
            out += [
                f"{pad}title: {title.format(p=p, P=big_p)}",
                f"{pad}{side}: {_number(bound, 2)}",
            ]
            f.checkable.append((len(out), kr.id, "threshold", bad, good, 3))
            out.append(f"{pad}current: {_number(current, 3)}")
            if unit:
                out.append(f'{pad}unit: "{unit}"')
        if rng.random() < 0.5:
            out.append(f"{pad}owner: {rng.choice(PEOPLE)}")
        if rng.random() < 0.4:
            out.append(f"{pad}confidence: {rng.randint(3, 9)}")
        if rng.random() < 0.05:
            out.append(f"{pad}status: {rng.choice(['at_risk', 'off_track'])}")
        if rng.random() < 0.1:
            self.initiatives(out, pad, p)


def text(f: TeamFile) -> bytes:
    return ("\n".join(f.lines).rstrip("\n") + "\n").encode()


CONFIG = b"# A synthetic organisation written by benchmarks/generate.py.\nstale_days = 14\n"


def write_tree(out: Path, files: list[TeamFile]) -> None:
    (out / "okr.toml").write_bytes(CONFIG)
    for f in files:
        path = out / f.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text(f))


def quarter_start(year: int, quarter: int) -> date:
    return date(year, 3 * quarter - 2, 1)


def write_history(
    out: Path, files: list[TeamFile], commits: int, year: int, until: date, rng: random.Random
) -> None:
    """One `git fast-import`: each quarter's files, then `commits` check-ins over the year."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(out)], check=True)
    importer = subprocess.Popen(
        ["git", "-C", str(out), "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE
    )
    assert importer.stdin is not None
    stream = importer.stdin
    mark = 0

    def commit(when: datetime, who: str, message: str, changes: list[tuple[str, bytes]]) -> None:
        nonlocal mark
        mark += 1
        stamp = f"{int(when.timestamp())} +0000"
        ident = f"{who.capitalize()} <{who}@example.com> {stamp}"
        body = message.encode()
        head = f"commit refs/heads/main\nmark :{mark}\nauthor {ident}\ncommitter {ident}\n"
        stream.write(head.encode() + b"data %d\n" % len(body) + body + b"\n")
        if mark > 1:
            stream.write(b"from :%d\n" % (mark - 1))
        for rel, data in changes:
            stream.write(f"M 100644 inline {rel}\n".encode() + b"data %d\n" % len(data) + data)
            stream.write(b"\n")

    def moment(day: date, hour: int = 9) -> datetime:
        return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)

    by_cycle: dict[str, list[TeamFile]] = {}
    for f in files:
        by_cycle.setdefault(f.cycle, []).append(f)
    annual = by_cycle.pop(str(year), [])
    first = [("okr.toml", CONFIG)] + [(f.rel, text(f)) for f in annual]
    commit(moment(date(year, 1, 2) - timedelta(days=10)), "alice", f"OKRs for {year}", first)
    planned = {quarter: False for quarter in range(1, 5)}
    begin = moment(date(year, 1, 5))
    span = (moment(until, 17) - begin) / max(commits, 1)
    for n in range(commits):
        when = begin + span * n
        quarter = min((when.month - 1) // 3 + 1, 4) if when.year == year else 4
        for q in range(1, quarter + 1):
            if not planned[q]:
                planned[q] = True
                ready = moment(quarter_start(year, q) - timedelta(days=5))
                batch = by_cycle.get(f"{year}-Q{q}", [])
                commit(min(ready, when), "alice", f"OKRs for {year}-Q{q}",
                       [(f.rel, text(f)) for f in batch])  # fmt: skip
        pool = [f for f in by_cycle.get(f"{year}-Q{quarter}", []) + annual if f.checkable]
        if not pool:
            continue
        f = rng.choice(pool)
        line, kr_id, kind, start, target, decimals = rng.choice(f.checkable)
        old = f.lines[line]
        key, old_value = old.strip().split(": ", 1)
        if kind == "milestone":
            new_value = "true" if old_value == "false" else "false"
        else:
            value = float(old_value)
            step = (target - start) * rng.uniform(-0.05, 0.2)
            new_value = _number(value + step, decimals)
        f.lines[line] = old.replace(f"{key}: {old_value}", f"{key}: {new_value}")
        who = rng.choice(PEOPLE)
        confidence = rng.randint(3, 9)
        message = (
            f"checkin {kr_id}: {old_value} → {new_value}\n\nWeekly check-in.\n\n"
            f"OKR-Id: {kr_id}\nOKR-Value: {new_value}\nOKR-Confidence: {confidence}\n"
        )
        commit(when, who, message, [(f.rel, text(f))])
    for q in range(1, 5):
        if not planned[q]:
            batch = by_cycle.get(f"{year}-Q{q}", [])
            ready = moment(quarter_start(year, q) - timedelta(days=5))
            commit(ready, "alice", f"OKRs for {year}-Q{q}", [(f.rel, text(f)) for f in batch])
    stream.write(b"done\n")
    stream.close()
    if importer.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "-C", str(out), "reset", "-q", "--hard"], check=True)


def generate(
    out: Path, files: int, commits: int = 0, seed: int = 1, year: int = 2026,
    until: date | None = None,
) -> dict[str, int]:  # fmt: skip
    """Write the organisation into `out` (emptied first); returns what was written."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    org = Organisation(files, year, seed)
    writer = Writer(random.Random(seed + 1), history=commits > 0)
    for f in org.files:
        writer.render(f)
    if commits:
        write_history(out, org.files, commits, year, until or date.today(), random.Random(seed + 2))
    else:
        write_tree(out, org.files)
    key_results = sum(len(o.key_results) for f in org.files for o in f.objectives)
    size = sum(len(text(f)) for f in org.files)
    return {"files": len(org.files), "key_results": key_results, "bytes": size,
            "commits": commits}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write (emptied first)")
    parser.add_argument("--files", type=int, default=1000, help="team files (default 1000)")
    parser.add_argument("--history", type=int, default=0, metavar="K",
                        help="K check-in commits in a git repository (default: none)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--until", type=date.fromisoformat, default=None,
                        help="date of the last check-in (default: today)")  # fmt: skip
    args = parser.parse_args()
    made = generate(args.out, args.files, args.history, args.seed, args.year, args.until)
    print(
        f"{args.out}: {made['files']} files, {made['key_results']} key results, "
        f"{made['bytes'] / 1e6:.1f} MB, {made['commits']} check-in commits"
    )


if __name__ == "__main__":
    main()
