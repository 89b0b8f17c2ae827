from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrcli.findings import Finding
    from okrcli.repo import Repo

CODE = "OKR001"
SCOPE = "file"  # its findings in a file come from that file alone (okrcli.incremental)
LEVEL = "error"
SUMMARY = "file does not parse or does not match the schema"
DOC = """\
## What it does
Reports a file that is not valid UTF-8 YAML 1.2, or whose content does not match the
OKR file format: a missing required key, an unknown key (with the nearest known key
suggested), a value of the wrong type, a duplicate key, a custom tag, an alias bomb,
a merge-conflict marker, or a cycle name that is neither built in nor declared.

## Why is this bad?
Nothing else can be checked or scored in a file that cannot be read. A misspelt key is
silently ignored by most YAML tools; here it is an error, so `taget: 90` never passes
review looking like a target.

This rule cannot be ignored or suppressed.

## Example
```yaml
team: platform
cycle: 2026-Q4
objectives:
  - id: PLAT-1
    title: Deploys are boring and safe
    key_results:
      - id: PLAT-1.1
        title: Deploy success rate
        start: 92
        taget: 99.5
```

## Use instead
```yaml
team: platform
cycle: 2026-Q4
objectives:
  - id: PLAT-1
    title: Deploys are boring and safe
    key_results:
      - id: PLAT-1.1
        title: Deploy success rate
        start: 92
        target: 99.5
```
"""


def check(repo: Repo) -> Iterator[Finding]:
    for source in repo.files:
        yield from source.problems
    yield from repo.graph.problems
