from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrcli.findings import Finding
    from okrcli.repo import Repo

CODE = "OKR206"
READS = ("id", "parent")  # of each objective and key result, across files (okrcli.incremental)
LEVEL = "error"
SUMMARY = "child's cycle outside its parent's cycle"
DOC = """\
## What it does
Reports an objective whose cycle does not lie inside the cycle of its parent: a quarter
may align to its own year or quarter, not to another year or to a later quarter.

## Why is this bad?
A child in another period cannot contribute to its parent's result: its progress would
be counted in a cycle that has already ended, or has not begun.

## Example
```yaml
# okrs/2027-Q1/platform.yaml
cycle: 2027-Q1
objectives:
  - id: PLAT-9
    title: Deploys are boring and safe
    parent: ACME-2026-1     # in okrs/2026/company.yaml
```

## Use instead
```yaml
cycle: 2027-Q1
objectives:
  - id: PLAT-9
    title: Deploys are boring and safe
    parent: ACME-2027-1     # in okrs/2027/company.yaml
```
"""


def check(repo: Repo) -> Iterator[Finding]:
    from okrcli.graph import KeyResultNode

    for node in repo.graph.objectives:
        parent = node.parent
        if parent is None or node.cycle is None:
            continue
        holder = parent.objective if isinstance(parent, KeyResultNode) else parent
        outer = getattr(holder, "cycle", None)
        if outer is not None and not outer.contains(node.cycle):
            yield node.finding(
                CODE,
                f"objective `{node.id}` in {node.cycle.name} aligns to `{parent.id}` in "
                f"{outer.name}, which does not contain it",
                LEVEL,
                key="parent",
            )
