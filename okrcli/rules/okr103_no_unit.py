from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrcli.findings import Finding
    from okrcli.repo import Repo

CODE = "OKR103"
SCOPE = "file"  # its findings in a file come from that file alone (okrcli.incremental)
LEVEL = "warning"
SUMMARY = "metric without a unit"
DOC = """\
## What it does
Reports a metric key result without a `unit`.

## Why is this bad?
"From 42 to 15" means nothing to a reader who does not know whether it is minutes,
percent or tickets. The unit is shown beside every value in `okr score` and the report.

## Example
```yaml
- id: PLAT-1.2
  title: p95 deploy time
  start: 42
  target: 15
```

## Use instead
```yaml
- id: PLAT-1.2
  title: p95 deploy time
  start: 42
  target: 15
  unit: min
```
"""


def check(repo: Repo) -> Iterator[Finding]:
    for kr in repo.graph.key_results:
        if kr.kind == "metric" and not kr.key_result.unit:
            yield kr.finding(CODE, f"metric `{kr.id}` has no `unit`", LEVEL, key="target")
