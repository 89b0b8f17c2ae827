from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrcli.findings import Finding
    from okrcli.repo import Repo

CODE = "OKR201"
SCOPE = "file"  # its findings in a file come from that file alone (okrcli.incremental)
LEVEL = "warning"
SUMMARY = "objective with fewer than 2 or more than 5 key results"
OPTIONS = {"min": 2, "max": 5}
DOC = """\
## What it does
Reports an objective with fewer than two or more than five key results of its own.
Both bounds are options, for teams whose practice differs:

```toml
[rules.OKR201]
min = 1
max = 4
```

## Why is this bad?
One key result is usually a task renamed as an objective, and it can be gamed; more
than five spreads the team thin and hides what matters. Two to five is the usual
guidance of OKR practice.

## Example
```yaml
- id: PLAT-1
  title: Deploys are boring and safe
  key_results:
    - id: PLAT-1.1
      title: Deploy success rate
      start: 92
      target: 99.5
      unit: "%"
```

## Use instead
```yaml
- id: PLAT-1
  title: Deploys are boring and safe
  key_results:
    - id: PLAT-1.1
      title: Deploy success rate
      start: 92
      target: 99.5
      unit: "%"
    - id: PLAT-1.2
      title: p95 deploy time
      start: 42
      target: 15
      unit: min
```
"""


def check(repo: Repo) -> Iterator[Finding]:
    from okrcli.config import rule_options, setting_at
    from okrcli.errors import OkrError

    options = rule_options(repo.config, CODE, OPTIONS)
    low, high = options["min"], options["max"]
    if low > high:
        at = setting_at(repo.config, f"rules.{CODE}")
        raise OkrError(f"{at}: `min` ({low}) is larger than `max` ({high})")
    for objective in repo.graph.objectives:
        count = len(objective.key_results)
        if not low <= count <= high:
            yield objective.finding(
                CODE,
                f"objective `{objective.id}` has {count} key result{'s' * (count != 1)}; "
                f"aim for {low} to {high}",
                LEVEL,
                key="id",
            )
