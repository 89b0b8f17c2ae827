from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrcli.findings import Finding
    from okrcli.history import History
    from okrcli.history.replan import Locked
    from okrcli.repo import Repo

CODE = "OKR207"
READS_HISTORY = True  # okr check reads the history before the files (lint.history_first)
LEVEL = "warning"
SUMMARY = "replan after the plan lock without an `OKR-Replan:` trailer (needs git history)"
DOC = """\
## What it does
Reports a replan made after the plan lock: `lock_after_days` (default 14) into a cycle,
set in okr.toml for every cycle or per cycle length (`lock_after_days = { quarter = 14,
year = 30 }`). A replan is a change of a key result's `start`, `target`, `above`, `below`
or kind, of an objective's `type`, of any `weight`, a `status: dropped`, a key result
removed, or one given a new id (found by its title, or as the only one replaced, within its
objective). The finding names what changed, from what, in which commit, by whom and when.
A commit whose message carries an `OKR-Replan: <reason>` trailer replans knowingly: it is
not reported, and `okr review` lists it with its reason. A target changed in the work tree
and not committed yet is reported too. Outside a git repository, and in a shallow clone
(CI checks out one commit unless told `fetch-depth: 0`), the rule is silent.

## Why is this bad?
A key result is a promise made at the start of the cycle. Lowering the bar, renaming a
failing key result with an easier target, deleting it, cutting its weight or demoting its
objective to aspirational halfway through turns a miss into a success on paper, and
nobody reading the score knows. Replanning can be right, but it should be a decision
people see, with its reason, not an edit that slips through a pull request.

## Example
```yaml
# committed on 2026-11-03, after the 2026-Q4 plan locked on 2026-10-15
- id: PLAT-1.1
  title: Deploy success rate
  start: 92
  target: 97        # was 99.5
```

## Use instead
Say why, in the commit that replans, with a trailer (`git commit --trailer`, or
`git commit --amend --trailer` before you push):
```console
$ git commit -m "Lower PLAT-1.1's target" \\
    --trailer "OKR-Replan: the datacenter move took November; agreed at the mid-point review"
```
Or, once agreed after the fact, add `# okr: ignore[OKR207]` on the id's line.
"""


def check(repo: Repo) -> Iterator[Finding]:
    from okrcli.history import repo_history
    from okrcli.history.replan import after_lock

    history = repo_history(repo)
    if history is None:
        return
    yield from _not_committed(repo, history)
    found: dict[str, list[Locked]] = {}  # per item: its replans after the lock, oldest first
    for locked in after_lock(history.replans(), repo.graph, repo.config):
        if locked.replan.reason is None:
            found.setdefault(locked.item, []).append(locked)
    for item, done in found.items():
        last = done[-1]
        latest = [d for d in done if d.replan.sha == last.replan.sha]
        commits = len({d.replan.sha for d in done})
        times = f" (replanned in {commits} commits)" if commits > 1 else ""
        what = ", ".join(d.said() for d in latest)
        first = latest[0].replan
        model = last.node.model
        keys = [d.replan.what for d in latest]
        key = next((k for k in keys if getattr(model, k, None) is not None), "")
        yield last.node.finding(
            CODE,
            f"`{item}`: {what} in {first.sha[:10]} by {first.author} on {first.when.date()}, "
            f"after the {last.cycle.name} plan locked on {last.lock}{times}; "
            "say why with an `OKR-Replan: <reason>` trailer on the commit that replans, or, "
            "once agreed, `# okr: ignore[OKR207]` on this line",
            LEVEL,
            key=key,
        )


def _not_committed(repo: Repo, history: History) -> Iterator[Finding]:
    """A target changed in the work tree after the lock: the commit that will carry it
    can still say why."""
    from okrcli.history.records import TARGET_KEYS, differs

    if repo.revision is not None:
        return
    for kr in repo.graph.key_results:
        cycle = kr.objective.cycle
        course = history.course(kr.id)
        if cycle is None or course is None or course.last is None:
            continue
        last, model = course.last, kr.key_result
        if not differs(model, last, TARGET_KEYS) or repo.today < repo.config.lock_day(cycle):
            continue
        keys = [k for k in TARGET_KEYS if getattr(model, k) != last.get(k)]
        moves = ", ".join(f"{k} {_shown(last.get(k))} → {_shown(getattr(model, k))}" for k in keys)
        yield kr.finding(
            CODE,
            f"`{kr.id}`: {moves}, not committed yet, after the {cycle.name} plan locked on "
            f"{repo.config.lock_day(cycle)}; commit it with an `OKR-Replan: <reason>` trailer",
            LEVEL,
            key=keys[0],
        )


def _shown(value: object) -> str:
    from okrcli.checkin import show

    return "—" if value is None else show(value)
