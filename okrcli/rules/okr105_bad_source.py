from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrcli.findings import Finding
    from okrcli.graph import KeyResultNode
    from okrcli.repo import Repo

CODE = "OKR105"
SCOPE = "file"  # its findings in a file come from that file and okr.toml (okrcli.incremental)
LEVEL = "error"
SUMMARY = "`source` names no `[sources]` entry in okr.toml, or cannot feed this key result"
DOC = """\
## What it does
Reports a key result whose `source:` names no `[sources.NAME]` table in okr.toml, one
whose `args` leave a `{placeholder}` of the source unfilled or fill one the source does
not have, and a `source` on a key result `okr sync` cannot set: a checklist, a rollup,
or one that is not exactly one kind. `okr check` only reads the definitions; it never
runs a source (only `okr sync` does).

## Why is this bad?
`okr sync` would fail on this key result every week, and its number would quietly go
stale while the rest of the repository stays current.

## Example
```yaml
# okr.toml defines [sources.deploys] with command = ["./deploys.sh", "{service}"]
- id: PLAT-1.1
  title: Deploy success rate
  start: 92
  target: 99.5
  unit: "%"
  source: deploy   # no source `deploy`; and `{service}` has no value
```

## Use instead
```yaml
- id: PLAT-1.1
  title: Deploy success rate
  start: 92
  target: 99.5
  unit: "%"
  source: {name: deploys, args: {service: api}}
```
"""

SYNCED_KINDS = ("metric", "threshold", "milestone")


def check(repo: Repo) -> Iterator[Finding]:
    for kr in repo.graph.key_results:
        problem = source_problem(repo, kr)
        if problem is not None:
            yield kr.finding(CODE, f"`{kr.id}`: {problem}", LEVEL, key="source")


def source_problem(repo: Repo, kr: KeyResultNode) -> str | None:
    """What stops `okr sync` from setting `kr` from its source; None when nothing does."""
    from okrcli.messages import suggest

    ref = kr.key_result.source_ref()
    if ref is None:
        return None
    sources = repo.config.sources
    source = sources.get(ref.name)
    if source is None:
        return (
            f"source `{ref.name}` is not defined in okr.toml `[sources]`"
            f"{suggest(ref.name, sources)}"
        )
    if kr.kind not in SYNCED_KINDS:
        kinds = ", ".join(SYNCED_KINDS)
        return f"a {kr.kind or 'broken'} key result cannot take a `source` (only {kinds})"
    wanted, given = source.placeholders() - {"id"}, set(ref.args)
    if missing := sorted(wanted - given):
        return f"source `{ref.name}` needs args {', '.join(missing)}"
    if extra := sorted(given - wanted):
        return f"source `{ref.name}` takes no args {', '.join(extra)}"
    return None
