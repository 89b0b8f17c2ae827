from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrcli.findings import Finding
    from okrcli.graph import KeyResultNode
    from okrcli.repo import Repo

CODE = "OKR101"
SCOPE = "file"  # its findings in a file come from that file alone (okrcli.incremental)
LEVEL = "error"
SUMMARY = "key result without a measurable target"
DOC = """\
## What it does
Reports a key result that is not exactly one of the four kinds: a metric (`start` and
`target`, with `current`), a milestone (`done`, or a `milestones` checklist), a threshold
(`above` and/or `below`, with `current`), or a rollup (`rollup: true`, with objectives
aligned to it). Mixing the keys of two kinds, a metric missing its `start` or `target`,
an empty checklist and a threshold that can never hold are reported too. A rollup that
no objective aligns to yet is OKR104, a warning.

## Why is this bad?
A key result is how you will know the objective was met. Without a target, nobody can
say at the end of the cycle whether it was, and `okr score` has nothing to score.

## Example
```yaml
key_results:
  - id: PLAT-1.1
    title: Deploys are more reliable
```

## Use instead
```yaml
key_results:
  - id: PLAT-1.1
    title: Deploy success rate
    start: 92
    target: 99.5
    current: 97.1
    unit: "%"
```
"""

_HOW = "give it `start` and `target`, `done`, `milestones`, `above`/`below`, or `rollup: true`"


def problem(kr: KeyResultNode) -> tuple[str, str] | None:
    """(message, key to point at) when `kr` has no single measurable target."""
    model = kr.key_result
    kinds = model.kinds()
    if not kinds:
        return f"has no measurable target: {_HOW}", ""
    if len(kinds) > 1:
        return f"mixes the keys of {' and '.join(kinds)}; a key result is exactly one kind", ""
    kind = kinds[0]
    if kind == "metric" and model.target is None:
        return "has no measurable target: a `start` but no `target`", ""
    if kind == "metric" and model.start is None:
        return "has a `target` but no `start`; progress is measured from the start", "target"
    if model.done is not None and model.milestones is not None:
        return "has both `done` and `milestones`; use one", "done"
    if kind == "milestone" and model.milestones == []:
        return "has an empty `milestones` checklist", "milestones"
    if model.milestones and sum(m.weight for m in model.milestones) == 0:
        return "has a checklist whose weights are all 0", "milestones"
    above, below = model.above, model.below
    if kind == "threshold" and above is not None and below is not None and above > below:
        return f"can never hold: `above: {above:g}` is over `below: {below:g}`", "above"
    return None


def check(repo: Repo) -> Iterator[Finding]:
    for kr in repo.graph.key_results:
        found = problem(kr)
        if found:
            message, key = found
            yield kr.finding(CODE, f"key result `{kr.id}` {message}", LEVEL, key=key)
