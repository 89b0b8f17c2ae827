"""`okr sync`: each key result's `source` read once, its new value checked, then written.

The only place sources run. Every source runs before any file is touched, so a failing
one leaves its key result as it was and the others are still written, in one commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from okrcli.errors import OkrError
from okrcli.fetch import Call, Progress, run_all, value_of
from okrcli.graph import KeyResultNode
from okrcli.repo import Repo

Value = bool | int | float


@dataclass(frozen=True)
class Update:
    """One key result's sync: its new value, or the sentence saying why there is none."""

    kr: KeyResultNode
    source: str
    old: Value | None
    new: Value | None = None
    error: str | None = None

    @property
    def changed(self) -> bool:
        return self.error is None and self.new is not None and self.new != self.old


def synced(repo: Repo, teams: Iterable[str] = (), only: Iterable[str] = ()) -> list[KeyResultNode]:
    """The key results with a `source`, of `teams` and the ids in `only` (all when empty)."""
    from okrcli.messages import suggest

    teams, only = set(teams), set(only)
    by_id = repo.graph.by_id
    for ident in sorted(only):
        node = by_id.get(ident)
        if node is None:
            raise OkrError(f"--only {ident}: no key result `{ident}`{suggest(ident, by_id)}")
        if not isinstance(node, KeyResultNode) or node.key_result.source is None:
            raise OkrError(f"--only {ident}: `{ident}` names no `source` to sync from")
    return [
        kr
        for kr in repo.graph.key_results
        if kr.key_result.source is not None
        and (not teams or kr.objective.team in teams)
        and (not only or kr.id in only)
    ]


def current_value(kr: KeyResultNode) -> Value | None:
    """What a sync replaces: `done` for a milestone, else `current` (a metric's start)."""
    model = kr.key_result
    if kr.kind == "milestone":
        return bool(model.done)
    if model.current is None and kr.kind == "metric":
        return model.start  # type: ignore[no-any-return]
    return model.current  # type: ignore[no-any-return]


def plan(repo: Repo, krs: list[KeyResultNode], done: Progress = None) -> list[Update]:
    """Run every source the key results name (each distinct call once, in parallel) and
    pair each key result with its new value or its failure; `done` is told how many
    sources have answered."""
    from okrcli.rules.okr105_bad_source import source_problem

    calls: dict[KeyResultNode, Call] = {}
    updates: dict[KeyResultNode, Update] = {}
    for kr in krs:
        ref = kr.key_result.source_ref()
        problem = source_problem(repo, kr)
        if problem is not None:
            updates[kr] = Update(kr, ref.name, current_value(kr), error=problem)
            continue
        source = repo.config.sources[ref.name]
        args = dict(ref.args)
        if "id" in source.placeholders():
            args["id"] = kr.id
        calls[kr] = Call(source, tuple(sorted(args.items())))
    answers = run_all(calls.values(), repo.config.root, done)
    for kr, call in calls.items():
        answer, old = answers[call], current_value(kr)
        if answer.error is not None:
            updates[kr] = Update(kr, call.source.name, old, error=answer.error)
            continue
        assert answer.text is not None and kr.kind is not None
        try:
            new = value_of(answer.text, call.source.pointer, kr.kind)
        except OkrError as problem:
            updates[kr] = Update(kr, call.source.name, old, error=f"source `{call}`: {problem}")
            continue
        updates[kr] = Update(kr, call.source.name, old, new)
    return [updates[kr] for kr in krs]


def write(repo: Repo, updates: list[Update], *, commit: bool = True) -> str | None:
    """Every changed value through the check-in engine: one commit (unless `commit` is
    False), an `OKR-Source: NAME` trailer per key result. The commit's sha, if any."""
    from okrcli.checkin import Entry, check_in

    entries = [
        Entry(u.kr.id, _entry_value(u.new), trailers=(("OKR-Source", u.source),))
        for u in updates
        if u.changed and u.new is not None
    ]
    if not entries:
        return None
    return check_in(repo.config, entries, commit=commit).commit


def _entry_value(value: Value) -> str:
    """A value as `okr checkin` takes it: a number, or done/undone for a milestone."""
    from okrcli.checkin import show

    if isinstance(value, bool):
        return "done" if value else "undone"
    return show(value)
