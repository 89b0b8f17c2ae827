from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrcli.findings import Finding
    from okrcli.repo import Repo

CODE = "OKR210"
SCOPE = "file"  # its findings in a file come from that file alone (okrcli.incremental)
LEVEL = "warning"
SUMMARY = "title left as the `okr new` template wrote it"
DOC = """\
## What it does
Reports an objective or key result whose title is still one of the placeholders that
`okr new` and `okr init` write (for example "Customers get what they ask for sooner").

## Why is this bad?
The template is there to show the format. A file whose placeholders were never replaced
states goals nobody set, and it would pass the CI gate unread. A warning makes someone
decide: rewrite the item, delete it, or suppress the finding on purpose.

## Example
```yaml
team: platform
cycle: 2027-Q1
owner: platform
objectives:
  - id: PLAT-4
    title: Customers get what they ask for sooner
```

## Use instead
```yaml
team: platform
cycle: 2027-Q1
owner: platform
objectives:
  - id: PLAT-4
    title: Releases reach customers within a day
```
"""


@functools.cache
def placeholders() -> frozenset[str]:
    """Every objective and key-result title of the template `okr new` writes."""
    from importlib import resources

    text = resources.files("okrcli").joinpath("templates/team.yaml").read_text("utf-8")
    return frozenset(re.findall(r"^ *(?:- )?title: (.+)$", text, re.MULTILINE))


def check(repo: Repo) -> Iterator[Finding]:
    titles = placeholders()
    for objective in repo.graph.objectives:
        for node in (objective, *objective.key_results):
            if node.title.strip() in titles:
                yield node.finding(
                    CODE,
                    f"`{node.id}` still has the template's title; write your own",
                    LEVEL,
                    key="title",
                )
