from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrcli.findings import Finding
    from okrcli.repo import Repo

CODE = "OKR203"
SCOPE = "file"  # its findings in a file come from that file alone (okrcli.incremental)
LEVEL = "warning"
SUMMARY = "objective or key result without an owner"
DOC = """\
## What it does
Reports an objective or key result with no owner. An objective inherits the file's
`owner`; a key result inherits its objective's owner, and so the file's.

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
    for objective in repo.graph.objectives:
        if not objective.owner:
            yield objective.finding(
                CODE, f"objective `{objective.id}` has no owner", LEVEL, key="id"
            )
        for kr in objective.key_results:
            if not kr.owner:
                yield kr.finding(CODE, f"key result `{kr.id}` has no owner", LEVEL, key="id")
