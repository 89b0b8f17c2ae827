from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrcli.findings import Finding
    from okrcli.repo import Repo

CODE = "OKR003"
READS = ("id", "parent")  # of each objective and key result, across files (okrcli.incremental)
SUGGESTS_FROM_EVERY_ID = True  # its message names the nearest id of the whole repository
LEVEL = "error"
SUMMARY = "`parent` names no objective or key result"
DOC = """\
## What it does
Reports an objective whose `parent:` is not the id of any objective or key result in
the repository (any file, any cycle). The nearest existing id is suggested.

## Why is this bad?
Alignment is how a team's progress rolls up to the company. A dangling parent silently
drops the objective out of every rollup above it.

## Example
```yaml
objectives:
  - id: PLAT-1
    title: Deploys are boring and safe
    parent: ENG-22   # there is no ENG-22
```

## Use instead
```yaml
objectives:
  - id: PLAT-1
    title: Deploys are boring and safe
    parent: ENG-2
```
"""


def check(repo: Repo) -> Iterator[Finding]:
    from okrcli.messages import suggest

    for node in repo.graph.dangling:
        parent = node.objective.parent
        yield node.finding(
            CODE,
            f"objective `{node.id}`: parent `{parent}` names no objective or key result"
            f"{suggest(parent, repo.graph.by_id)}",
            LEVEL,
            key="parent",
        )
