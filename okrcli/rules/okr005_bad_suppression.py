from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrcli.findings import Finding, Level
    from okrcli.repo import Repo

CODE = "OKR005"
SCOPE = "file"  # its findings in a file come from that file alone (okrcli.incremental)
LEVEL: Level = "warning"
SUMMARY = "suppression comment names an unknown rule, or one that cannot be suppressed"
DOC = """\
## What it does
Reports a `# okr: ignore[…]` comment that names a code no rule has (a typo such as
`OKR2O4`, a lower-case `okr204`, a retired code), that names `OKR001` (files that do not
parse are never silenced), or whose brackets are empty.

A comment on the line of an objective's or key result's `id` covers every finding of that
item; a bare `# okr: ignore` there silences all of them. A prefix such as `OKR2` covers
every code that starts with it.

## Why is this bad?
A suppression with a wrong code silences nothing, so the finding it was meant for is still
reported, or worse, a later fix to the code makes it silence the wrong thing. Saying so is
better than ignoring the comment silently.

## Example
```yaml
- id: GROW-1.1  # okr: ignore[OKR2O4]
  title: Launch the new onboarding flow
  done: false
```

## Use instead
```yaml
- id: GROW-1.1  # okr: ignore[OKR204]
  title: Launch the new onboarding flow
  done: false
```
"""


@functools.cache
def problem(code: str) -> str | None:
    """Why `code` in a suppression silences nothing, or None when it is fine."""
    from okrcli.load import PARSE_CODE
    from okrcli.messages import suggest
    from okrcli.rules import CODES

    if code == PARSE_CODE:
        return f"`{PARSE_CODE}` cannot be suppressed: fix the file instead"
    if not any(known.startswith(code) for known in CODES):
        return f"no rule `{code}`{suggest(code.upper(), CODES)}; `okr rule` lists them"
    return None


def check(repo: Repo) -> Iterator[Finding]:
    from okrcli.findings import Finding

    for source in repo.files:
        for line, comment in source.suppressions.items():
            if comment.codes == ():
                yield Finding(
                    source.rel,
                    line,
                    comment.col,
                    CODE,
                    "`# okr: ignore[]` names no rule; name codes, or drop the brackets "
                    "to silence every rule on this item",
                    LEVEL,
                )
            for code in comment.codes or ():
                message = problem(code)
                if message:
                    yield Finding(
                        source.rel, line, comment.col, CODE, f"suppression: {message}", LEVEL
                    )
