from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

    from okrcli.findings import Finding
    from okrcli.graph import KeyResultNode
    from okrcli.history import History
    from okrcli.repo import Repo

CODE = "OKR208"
READS_HISTORY = True  # okr check reads the history before the files (lint.history_first)
READS_TODAY = True  # left out of `okr check --since`, whose result must not depend on the day
LEVEL = "warning"
SUMMARY = "no check-in for more than `stale_days` (default 14) during an open cycle (needs git)"
DOC = """\
## What it does
Reports a key result of a cycle that is under way whose value (`current`, `done`, or a
checklist item) has not changed in a commit, and that no `okr checkin` has named (a
check-in with an unchanged value and a note or a confidence counts), for more than
`stale_days` days (default 14; set it in okr.toml, for every cycle or per cycle length:
`stale_days = { quarter = 14, year = 45 }`, so a yearly key result updated monthly is not
stale after two weeks). The clock starts at the later of the
key result's last check-in, its first commit, and the start of the cycle. A value changed
in the work tree but not committed yet counts as a check-in. Outside a git repository, and
in a shallow clone, the rule is silent.

## Why is this bad?
A score is only as good as its last check-in. A key result nobody has updated for weeks
shows last month's progress as today's, and the objective's status with it.

## Example
```yaml
# okr.toml: stale_days = 14; today is 2026-11-24; last change to `current` on 2026-10-02
- id: PLAT-1.1
  title: Deploy success rate
  start: 92
  target: 99.5
  current: 94.0
```

## Use instead
Check in, even when the number has not moved, with a confidence and a note:
```console
$ okr checkin PLAT-1.1 94.0 --confidence 5 -m "flat: the canary work slipped to December"
```
The value did not move, so the commit changes no file: its `OKR-Id:` trailer is the
check-in, and `okr log` shows it.
"""


def check(repo: Repo) -> Iterator[Finding]:
    from okrcli.history import repo_history

    history = repo_history(repo)
    if history is None:
        return
    for kr in repo.graph.key_results:
        quiet = staleness(repo, history, kr)
        if quiet is not None:
            days, last = quiet
            # At the key result itself: its position is known without parsing the file again
            # (a stale quarter can mean thousands of findings), and it is the line that
            # `# okr: ignore[OKR208]` goes on.
            yield kr.finding(
                CODE,
                f"no check-in for `{kr.id}` in {days} days (last change {last}; stale_days = "
                f"{repo.config.stale.of(kr.objective.cycle)}): run `okr checkin {kr.id} VALUE`",
                LEVEL,
            )


def staleness(repo: Repo, history: History, kr: KeyResultNode) -> tuple[int, date] | None:
    """Days without a check-in and the day the clock started, when `kr` is stale (the rule's
    definition, shared with `okr remind`); None when it is not."""
    from okrcli.history.records import VALUE_KEYS, differs

    cycle = kr.objective.cycle
    if cycle is None or not cycle.contains_day(repo.today):
        return None
    if kr.kind in (None, "rollup"):
        return None
    course = history.course(kr.id)
    if course is None or course.last is None:
        return None  # not committed yet: nothing to be late with
    pending = differs(kr.key_result, course.last, (*VALUE_KEYS, "milestones"))
    if repo.revision is None and pending:
        return None  # a check-in waiting to be committed
    days = cycle.quiet_days(course.updated, repo.today)
    if days <= repo.config.stale.of(cycle):
        return None
    return days, course.updated or cycle.start
