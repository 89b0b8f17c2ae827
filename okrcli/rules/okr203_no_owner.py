from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrcli.findings import Finding
    from okrcli.graph import KeyResultNode
    from okrcli.repo import Repo

CODE = "OKR203"
SCOPE = "file"  # its findings in a file come from that file alone (okrcli.incremental)
LEVEL = "warning"
SUMMARY = "objective or key result without an owner"
DOC = """\
## What it does
Reports an objective or key result with no owner. An objective inherits the file's
`owner`; a key result inherits its objective's owner, and so the file's. A file where
nothing has an owner is reported once, at its top, rather than once per item.

## Why is this bad?
What everyone owns, nobody checks in. An owner is the person who updates `current`
and answers for the number at the review.

## Example
```yaml
team: platform
cycle: 2026-Q4
objectives:
  - id: PLAT-1
    title: Deploys are boring and safe
```

## Use instead
```yaml
team: platform
cycle: 2026-Q4
owner: dana          # every item below inherits dana unless it names its own owner
objectives:
  - id: PLAT-1
    title: Deploys are boring and safe
    owner: alice
```
"""


def check(repo: Repo) -> Iterator[Finding]:
    from okrcli.graph import ObjectiveNode

    by_file: dict[str, list[ObjectiveNode]] = {}
    for objective in repo.graph.objectives:
        by_file.setdefault(objective.file.rel, []).append(objective)
    for objectives in by_file.values():
        items: list[ObjectiveNode | KeyResultNode] = []
        for objective in objectives:
            items += [objective, *objective.key_results]
        if not any(n.owner for n in items):  # one finding, not one per item
            source = objectives[0].file
            yield source.finding(
                ("team",),
                CODE,
                f"no owner in {source.rel} ({len(items)} items): set `owner:` at the top "
                "for every item to inherit",
                LEVEL,
            )
            continue
        for node in items:
            if not node.owner:
                what = "objective" if isinstance(node, ObjectiveNode) else "key result"
                yield node.finding(CODE, f"{what} `{node.id}` has no owner", LEVEL, key="id")
