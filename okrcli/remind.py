"""`okr remind`: what each owner should check in, for a scheduled job to post.

A key result of a cycle under way is listed when it is stale (OKR208's definition), at
risk or off track (the scoreboard's status), or when its last check-in gave no confidence.
Each comes with the `okr checkin` command that settles it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from okrcli.graph import KeyResultNode
from okrcli.repo import Repo
from okrcli.score import ItemScore

if TYPE_CHECKING:
    from okrcli.focus import Focus
    from okrcli.history import History

NO_OWNER = "(no owner)"
BEHIND = ("at_risk", "off_track")


@dataclass(frozen=True)
class Reminder:
    kr: KeyResultNode
    item: ItemScore
    stale_days: int | None  # days without a check-in, when stale
    last_change: date | None
    no_confidence: bool

    @property
    def reasons(self) -> list[str]:
        found = ["stale"] if self.stale_days is not None else []
        if self.item.status in BEHIND:
            found.append(str(self.item.status))
        if self.no_confidence:
            found.append("no_confidence")
        return found

    @property
    def command(self) -> str:
        return checkin_command(self.kr)


@dataclass
class Digest:
    owner: str
    handle: str
    reminders: list[Reminder] = field(default_factory=list)


def checkin_command(kr: KeyResultNode) -> str:
    """The exact command that records a new check-in of `kr`."""
    if kr.kind == "milestone":
        value = "done"
    elif kr.kind == "checklist":
        undone = [m.title for m in kr.key_result.milestones if not m.done]
        return f"okr checkin {kr.id} --done {_quoted(undone[0] if undone else 'TITLE')}"
    else:
        value = "VALUE"
    return f'okr checkin {kr.id} {value} --confidence N -m "what moved, what is next"'


def _quoted(text: str) -> str:
    import shlex

    return shlex.quote(text)


def digests(repo: Repo, focus: Focus | None = None) -> list[Digest]:
    """One digest per owner (of the key results in `focus`, or all), each key result once,
    in file order."""
    from okrcli.history import repo_history
    from okrcli.rules.okr208_stale import staleness
    from okrcli.score import score_repo

    history = repo_history(repo)
    board = score_repo(repo)
    confident = _confidence_given(history)
    found: dict[str, Digest] = {}
    for kr in repo.graph.key_results:
        cycle = kr.objective.cycle
        if kr.kind in (None, "rollup") or cycle is None or not cycle.contains_day(repo.today):
            continue
        if kr.key_result.status == "dropped":  # nothing more is asked of it
            continue
        owner = kr.owner or NO_OWNER
        if focus and not focus.key_result(kr):
            continue
        quiet = None if history is None else staleness(repo, history, kr)
        reminder = Reminder(
            kr,
            board[kr],
            None if quiet is None else quiet[0],
            None if quiet is None else quiet[1],
            not confident.get(kr.id, kr.key_result.confidence is not None),
        )
        if reminder.reasons:
            digest = found.get(owner) or found.setdefault(
                owner, Digest(owner, repo.config.owners.get(owner, owner))
            )
            digest.reminders.append(reminder)
    return sorted(found.values(), key=lambda d: (d.owner == NO_OWNER, d.owner))


def _confidence_given(history: History | None) -> dict[str, bool]:
    """Per key result, whether its last check-in (in git) gave a confidence."""
    if history is None:
        return {}
    given: dict[str, bool] = {}
    for change in history.changes:
        if change.is_checkin:
            given[change.id] = change.confidence is not None
    return given
