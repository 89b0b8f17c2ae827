from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrcli.findings import Finding
    from okrcli.repo import Repo

CODE = "OKR104"
LEVEL = "warning"
READS = (
    "id",
    "parent",
    "kind",
)  # of each objective and key result, across files (okrcli.incremental)
SUMMARY = "`rollup: true` key result with no objective aligned to it yet"
DOC = """\
## What it does
Reports a rollup key result (`rollup: true`) that no objective names as its `parent`
yet. It stays unscored ("—") until one does.

## Why is this bad?
A rollup is scored from the objectives aligned to it; with none, it measures nothing.
It is a warning, not an error, so that a top-down plan can merge before the team plans
that will align to it: `okr check` passes, `okr check --strict` does not.

## Example
```yaml
# okrs/2026/company.yaml
key_results:
  - id: ACME-1.2
    title: Platform teams hold their error budget
    rollup: true
```

## Use instead
```yaml
# okrs/2026-Q4/platform.yaml: a team objective aligned to the rollup
objectives:
  - id: PLAT-1
    title: Deploys are boring and safe
    parent: ACME-1.2
```
"""


def check(repo: Repo) -> Iterator[Finding]:
    for kr in repo.graph.key_results:
        if kr.key_result.kind() == "rollup" and not kr.children:
            yield kr.finding(
                CODE,
                f"rollup `{kr.id}` has no objective aligned to it yet (no `parent:` names it); "
                "it is unscored until one does",
                LEVEL,
                key="rollup",
            )
