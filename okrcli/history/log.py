"""What `okr log` shows: check-ins newest first, and each score's course over time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from okrcli import collector
from okrcli.errors import OkrError
from okrcli.graph import ObjectiveNode
from okrcli.history.records import Change, number_in
from okrcli.history.replan import Replan
from okrcli.history.series import Series, score_series, value_of

if TYPE_CHECKING:
    from okrcli.history import History
    from okrcli.repo import Repo


@dataclass(frozen=True)
class Row:
    """One check-in (or the first appearance of a key result, `old` None)."""

    change: Change
    old: Any
    new: Any
    score: float | None

    @property
    def when(self) -> datetime:
        return self.change.commit.when


@dataclass
class Log:
    ident: str | None
    since: date | None
    rows: list[Row]  # newest first, like `git log`
    series: Series  # id → (when, score) oldest first; only ids of interest, in graph order
    replans: list[Replan] = field(default_factory=list)  # targets and more moved, newest first


def build_log(
    repo: Repo,
    history: History,
    ident: str | None,
    since: date | None,
    only: set[str] | None = None,
) -> Log:
    """Rows and points by the hundred thousand at scale: made with the collector paused.
    `only`: the ids of `--team`/`--owner` (okrcli.focus)."""
    with collector.paused():
        return _build_log(repo, history, ident, since, only)


def _build_log(
    repo: Repo, history: History, ident: str | None, since: date | None, only: set[str] | None
) -> Log:
    from okrcli.score import score_repo

    wanted = None if ident is None else _ids(repo, history, ident)
    if only is not None:
        wanted = only if wanted is None else wanted & only
    changes = [c for c in history.changes if wanted is None or c.id in wanted]
    rows = [
        Row(c, value_of(c.before), value_of(c.after), c.score)
        for c in changes
        if c.after is not None
        and (c.before is None or c.is_checkin)
        and (since is None or c.commit.when.date() >= since)
    ]
    everything = score_series(history.changes, repo.graph, score_repo(repo))
    rows += _objective_rows(repo, history, wanted, since)
    rows = sorted(reversed(rows), key=lambda r: r.when, reverse=True)  # ties: walk order
    order = [n.id for o in repo.graph.objectives for n in (o, *o.key_results)]
    order += sorted(everything.keys() - set(order))
    series = {
        key: _window(everything[key], since)
        for key in order
        if key in everything and (wanted is None or key in wanted)
    }
    replans = [
        r
        for r in history.replans()
        if (wanted is None or r.id in wanted or r.objective in wanted)
        and (since is None or r.when.date() >= since)
    ]
    replans.sort(key=lambda r: r.when, reverse=True)
    return Log(ident, since, rows, {k: v for k, v in series.items() if v}, replans)


def _objective_rows(
    repo: Repo, history: History, wanted: set[str] | None, since: date | None
) -> list[Row]:
    """The check-ins of objectives (`okr checkin OBJ --status …`, `okr grade OBJ`), which
    their commits name: what they set (a grade, a status, a confidence, a note), and the
    grade as the score where one was given (an objective's own values are not in the
    history, so no other score is claimed)."""
    objectives = {o.id: o for o in repo.graph.objectives}
    rows = []
    for commit in history.commits:
        if since is not None and commit.when.date() < since:
            continue
        for ident in sorted(commit.checked_in & objectives.keys()):
            if wanted is not None and ident not in wanted:
                continue
            entry = commit.entry(ident)
            said = [
                f"{key} {entry[f'okr-{key}']}"
                for key in ("grade", "status")
                if f"okr-{key}" in entry
            ]
            score = number_in(entry, "okr-grade")
            change = Change(commit, ident, objectives[ident].file.rel, {}, {}, score)
            rows.append(Row(change, None, ", ".join(said) or None, score))
    return rows


def _ids(repo: Repo, history: History, ident: str) -> set[str]:
    """The id asked for and, for an objective, its key results then and now."""
    from okrcli.messages import suggest

    node = repo.graph.by_id.get(ident)
    known = {c.id for c in history.changes}
    if node is None and ident not in known:
        choices = set(repo.graph.by_id) | known
        raise OkrError(f"no objective or key result `{ident}`{suggest(ident, choices)}")
    wanted = {ident}
    if isinstance(node, ObjectiveNode):
        wanted |= {kr.id for kr in node.key_results}
    wanted |= {
        c.id for c in history.changes if (c.after or c.before or {}).get("objective") == ident
    }
    return wanted


def _window(
    points: list[tuple[datetime, float | None]], since: date | None
) -> list[tuple[datetime, float | None]]:
    """The points from `since` on, starting from the score it had on that day."""
    if since is None:
        return points
    inside = [p for p in points if p[0].date() >= since]
    before = [p for p in points if p[0].date() < since]
    return before[-1:] + inside if inside else before[-1:]
