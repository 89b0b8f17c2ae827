from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrcli.findings import Finding
    from okrcli.repo import Repo

CODE = "OKR102"
SCOPE = "file"  # its findings in a file come from that file alone (okrcli.incremental)
LEVEL = "error"
SUMMARY = "metric target equals start"
DOC = """\
## What it does
Reports a metric key result whose `target` equals its `start`.

## Why is this bad?
Progress is (current − start) / (target − start): with no distance to travel there is
nothing to measure, and the score is undefined. A value that must merely hold is a
threshold (`above:` or `below:`), not a metric.

## Example
```yaml
- id: PLAT-1.1
  title: API availability
  start: 99.9
  target: 99.9
  unit: "%"
```

## Use instead
```yaml
- id: PLAT-1.1
  title: API availability
  above: 99.9
  current: 99.95
  unit: "%"
```
"""


def check(repo: Repo) -> Iterator[Finding]:
    for kr in repo.graph.key_results:
        model = kr.key_result
        if kr.kind == "metric" and model.target is not None and model.target == model.start:
            yield kr.finding(
                CODE,
                f"key result `{kr.id}`: `target` equals `start` ({model.target:g}); "
                "nothing to measure (use `above:`/`below:` for a value that must hold)",
                LEVEL,
                key="target",
            )
