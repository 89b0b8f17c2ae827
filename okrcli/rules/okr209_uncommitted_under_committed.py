from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from okrcli.graph import ObjectiveNode, upward

if TYPE_CHECKING:
    from okrcli.findings import Finding
    from okrcli.graph import Node
    from okrcli.repo import Repo

CODE = "OKR209"
LEVEL = "warning"
READS = (
    "id",
    "parent",
    "kind",
    "type",
    "weight",
    "status",
)  # of each objective and key result, across files (okrcli.incremental)
SUMMARY = "aspirational or learning objective counted under a committed objective"
DOC = """\
## What it does
Reports an aspirational or learning objective (`type` defaults to aspirational) that
counts, with a weight above 0, toward a committed objective: aligned to it directly, or
to one of its `rollup: true` key results.

## Why is this bad?
A committed objective is met only at 1.0, while an aspirational one is achieved at 0.7
and a learning one is not judged by its number at all. Counted at full weight, such a
child holds the committed objective below 1.0 by design, and nothing says why.

## Example
```yaml
# okrs/2026-Q4/platform.yaml, under the committed objective ENG-2
objectives:
  - id: PLAT-1
    title: Deploys are boring and safe
    parent: ENG-2
```

## Use instead
```yaml
objectives:
  - id: PLAT-1
    title: Deploys are boring and safe
    type: committed   # or keep it aspirational and show it without counting: weight: 0
    parent: ENG-2
```
"""


def _counted_toward(
    node: ObjectiveNode, takes_children: Callable[[Node], bool]
) -> ObjectiveNode | None:
    """The objective whose score `node` moves: its parent, or a rollup parent's objective."""
    parent: Node | None = node.parent
    if parent is None or not takes_children(parent):
        return None
    holder = parent if isinstance(parent, ObjectiveNode) else upward(parent)
    return holder if isinstance(holder, ObjectiveNode) else None


def check(repo: Repo) -> Iterator[Finding]:
    # Imported here: the registry imports every rule, and `okr check` after an edit that
    # reaches no other file runs none of those reading across files.
    from okrcli.score import takes_children

    for node in repo.graph.objectives:
        model = node.objective
        if model.type == "committed" or model.weight == 0 or model.status == "dropped":
            continue
        holder = _counted_toward(node, takes_children)
        if holder is not None and holder.objective.type == "committed":
            yield node.finding(
                CODE,
                f"{model.type} objective `{node.id}` counts toward committed objective "
                f"`{holder.id}`, which then cannot reach 1.0 unless it does; make it "
                "committed, or give it `weight: 0` to show it without counting",
                LEVEL,
                key="parent",
            )
