from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrcli.findings import Finding
    from okrcli.graph import ObjectiveNode
    from okrcli.repo import Repo

CODE = "OKR202"
READS = ("id",)  # of each objective and key result, across files (okrcli.incremental)
LEVEL = "warning"
SUMMARY = "team with more than 5 objectives in one cycle"
DOC = """\
## What it does
Reports a team with more than five objectives in one cycle, at the sixth objective.
Objectives are counted across every file of that team and cycle.

## Why is this bad?
OKRs are a tool for focus. A team with six objectives has no priorities; pick the few
that matter and keep the rest as ordinary work.

## Example
```yaml
team: platform
cycle: 2026-Q4
objectives:   # six objectives
  - {id: PLAT-1, title: …}
  - {id: PLAT-2, title: …}
  - {id: PLAT-3, title: …}
  - {id: PLAT-4, title: …}
  - {id: PLAT-5, title: …}
  - {id: PLAT-6, title: …}
```

## Use instead
```yaml
team: platform
cycle: 2026-Q4
objectives:   # the three that matter most
  - {id: PLAT-1, title: …}
  - {id: PLAT-2, title: …}
  - {id: PLAT-3, title: …}
```
"""

LIMIT = 5


def check(repo: Repo) -> Iterator[Finding]:
    by_team: dict[tuple[str, str], list[ObjectiveNode]] = defaultdict(list)
    for objective in repo.graph.objectives:
        by_team[(objective.team, objective.file.doc.cycle)].append(objective)
    for (team, cycle), objectives in by_team.items():
        if len(objectives) > LIMIT:
            sixth = objectives[LIMIT]
            yield sixth.finding(
                CODE,
                f"team `{team}` has {len(objectives)} objectives in {cycle}; "
                f"keep to {LIMIT} at most",
                LEVEL,
                key="id",
            )
