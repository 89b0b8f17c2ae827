from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrcli.findings import Finding
    from okrcli.repo import Repo

CODE = "OKR205"
SCOPE = "file"  # its findings in a file come from that file alone (okrcli.incremental)
LEVEL = "warning"
SUMMARY = "`team`/`cycle` disagree with the file's path"
DOC = """\
## What it does
Reports a file whose `team:` differs from its file name, or whose `cycle:` differs from
its folder when that folder is named after a cycle (`okrs/<cycle>/<team>.yaml`).

## Why is this bad?
People find OKRs by path. A file copied from last quarter with the old `cycle:` left in
it is scored in the wrong quarter, and nobody notices in review.

## Example
```yaml
# okrs/2026-Q4/platform.yaml
team: platform
cycle: 2026-Q3
```

## Use instead
```yaml
# okrs/2026-Q4/platform.yaml
team: platform
cycle: 2026-Q4
```
"""


def check(repo: Repo) -> Iterator[Finding]:
    for source in repo.files:
        if source.doc is None:
            continue
        path = PurePosixPath(source.rel)
        team, cycle = str(source.doc.team), str(source.doc.cycle)
        if path.stem != team:
            yield source.finding(
                ("team",), CODE, f"`team: {team}` but the file is named {path.name}", LEVEL
            )
        folder = path.parent.name
        if folder and folder != cycle and repo.config.cycle(folder):
            yield source.finding(
                ("cycle",),
                CODE,
                f"`cycle: {cycle}` but the file is in the folder {folder}/",
                LEVEL,
            )
