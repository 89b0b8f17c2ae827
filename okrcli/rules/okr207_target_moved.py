from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrcli.findings import Finding
    from okrcli.repo import Repo

CODE = "OKR207"
READS_HISTORY = True  # okr check reads the history before the files (lint.history_first)
LEVEL = "warning"
SUMMARY = "target moved after the cycle started (needs git history)"
DOC = """\
## What it does
Reports a key result whose `target`, `start`, `above` or `below` changed in a commit made
on or after the first day of its cycle, naming the commit, its author and its date. A
change not committed yet is reported too. Outside a git repository, and in a shallow
clone (CI checks out one commit unless told `fetch-depth: 0`), the rule is silent.

## Why is this bad?
A key result is a promise made at the start of the cycle. Lowering the bar halfway
through turns a miss into a success on paper, and nobody reading the score knows. Moving
a target can be right, but it should be a decision people see, not an edit that slips
through a pull request.

## Example
```yaml
# committed on 2026-11-03, in the middle of 2026-Q4
- id: PLAT-1.1
  title: Deploy success rate
  start: 92
  target: 97        # was 99.5
```

## Use instead
Keep the target and let the score say where you are; record the reason in `notes`, or
add `# okr: ignore[OKR207]` on the id's line once the change has been agreed:
```yaml
- id: PLAT-1.1      # okr: ignore[OKR207] target lowered at the Q4 mid-point review
  title: Deploy success rate
  start: 92
  target: 97
  notes: Lowered from 99.5 on 2026-11-03 after the datacenter move (see the review).
```
"""


def _shown(value: object) -> str:
    from okrcli.checkin import show

    return "—" if value is None else show(value)


def check(repo: Repo) -> Iterator[Finding]:
    from okrcli.history import repo_history
    from okrcli.history.records import TARGET_KEYS, differs

    history = repo_history(repo)
    if history is None:
        return
    for kr in repo.graph.key_results:
        cycle = kr.objective.cycle
        course = history.course(kr.id)
        if cycle is None or course is None:
            continue
        last = course.last
        model = kr.key_result
        if repo.revision is None and last is not None and differs(model, last, TARGET_KEYS):
            if repo.today >= cycle.start:
                keys = [k for k in TARGET_KEYS if getattr(model, k) != last.get(k)]
                moves = ", ".join(
                    f"{k} {_shown(last.get(k))} → {_shown(getattr(model, k))}" for k in keys
                )
                yield kr.finding(
                    CODE,
                    f"`{kr.id}`: {moves}, not committed yet, after {cycle.name} began on "
                    f"{cycle.start}",
                    LEVEL,
                    key=keys[0],
                )
            continue
        moved = [m for m in course.moves if m.when.date() >= cycle.start]
        if not moved:
            continue
        latest = moved[-1]
        keys = [k for k in TARGET_KEYS if latest.before.get(k) != latest.after.get(k)]
        moves = ", ".join(
            f"{k} {_shown(latest.before.get(k))} → {_shown(latest.after.get(k))}" for k in keys
        )
        times = f" (moved {len(moved)} times)" if len(moved) > 1 else ""
        yield kr.finding(
            CODE,
            f"`{kr.id}`: {moves} in {latest.sha[:10]} by {latest.author} on "
            f"{latest.when.date()}, after {cycle.name} began on {cycle.start}{times}",
            LEVEL,
            key=next((k for k in keys if getattr(model, k) is not None), ""),
        )
