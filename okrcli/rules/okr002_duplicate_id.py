from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrcli.findings import Finding
    from okrcli.repo import Repo

CODE = "OKR002"
READS = ("id",)  # of each objective and key result, across files (okrcli.incremental)
LEVEL = "error"
SUMMARY = "duplicate id"
DOC = """\
## What it does
Reports an objective or key result whose `id` is already used anywhere in the
repository, in any file and any cycle. Ids are case-sensitive.

## Why is this bad?
`parent:` links, check-ins (`okr checkin ID`) and history all name items by id. Two items
with one id make every one of those ambiguous.

## Example
```yaml
# okrs/2026-Q4/platform.yaml
objectives:
  - id: PLAT-1
    title: Deploys are boring and safe
  - id: PLAT-1
    title: On-call is sustainable
```

## Use instead
```yaml
objectives:
  - id: PLAT-1
    title: Deploys are boring and safe
  - id: PLAT-2
    title: On-call is sustainable
```
"""


def check(repo: Repo) -> Iterator[Finding]:
    for node, first in repo.graph.duplicates:
        yield node.finding(
            CODE,
            f"duplicate id `{node.id}`: already used at {first.file.rel}:{first.line}",
            LEVEL,
            key="id",
        )
