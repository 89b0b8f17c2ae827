from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrcli.findings import Finding
    from okrcli.repo import Repo

CODE = "OKR004"
READS = ("id", "parent")  # of each objective and key result, across files (okrcli.incremental)
LEVEL = "error"
SUMMARY = "alignment cycle (names every id on it)"
DOC = """\
## What it does
Reports a loop in the alignment: objectives whose `parent:` links (through key results
and their objectives) lead back to where they started. The finding names every id on
the loop, in order.

## Why is this bad?
A rollup over a loop has no top and no answer. The objectives on it are scored on their
own key results only and listed as skipped by `okr score`.

## Example
```yaml
objectives:
  - id: ENG-1
    title: Engineering ships weekly
    parent: PLAT-1
  - id: PLAT-1
    title: Deploys are boring and safe
    parent: ENG-1
```

## Use instead
```yaml
objectives:
  - id: ENG-1
    title: Engineering ships weekly
  - id: PLAT-1
    title: Deploys are boring and safe
    parent: ENG-1
```
"""


def check(repo: Repo) -> Iterator[Finding]:
    from okrcli.graph import ObjectiveNode

    for loop in repo.graph.loops:
        names = " → ".join(node.id for node in [*loop, loop[0]])
        objectives = [node for node in loop if isinstance(node, ObjectiveNode)]
        first = min(objectives, key=lambda node: (node.file.rel, node.line))
        yield first.finding(CODE, f"alignment loop: {names}", LEVEL, key="parent")
