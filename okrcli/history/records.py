"""What the history is made of: commits, and changes to one key result in one commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

State = dict[str, Any]  # a key result's keys as written, plus "objective": its objective's id
# and OBJECTIVE_PLAN: what the plan lock covers of that objective (`type`, `weight`, `status`
# as written), so a demoted or re-weighted objective is a change of each of its key results

VALUE_KEYS = ("current", "done")
TARGET_KEYS = ("start", "target", "above", "below")
OBJECTIVE_PLAN = "objective_plan"
_NOT_ITS_OWN = ("objective", OBJECTIVE_PLAN)


def own_keys(state: State) -> State:
    """The keys the key result itself was written with (what its model validates)."""
    return {k: v for k, v in state.items() if k not in _NOT_ITS_OWN}


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    author: str
    email: str
    when: datetime  # author date: when the value was recorded, kept across rebases
    subject: str
    note: str  # the body without its trailers
    trailers: tuple[tuple[str, str], ...]
    checked_in: frozenset[str] = field(init=False)  # ids `okr checkin` names (OKR-Id)

    def __post_init__(self) -> None:  # asked once per change shown, not once per commit
        object.__setattr__(self, "checked_in", frozenset(self.trailer("OKR-Id")))

    def trailer(self, key: str) -> list[str]:
        return [value for name, value in self.trailers if name.lower() == key.lower()]

    def entry(self, ident: str) -> dict[str, str]:
        """The trailers of `ident`'s group (from its `OKR-Id:` to the next), keys lower-case:
        a commit checking in several items says each one's confidence and note there."""
        found: dict[str, str] = {}
        inside = False
        for name, value in self.trailers:
            key = name.lower()
            if key == "okr-id":
                if inside:
                    break
                inside = value == ident
            elif inside:
                found[key] = value
        return found


@dataclass(frozen=True, slots=True)
class Change:
    """Key result `id` as it was before and after `commit` (None: not there), and the score
    it had after (worked out once, when the change is found, and cached with it)."""

    commit: Commit
    id: str
    path: str
    before: State | None
    after: State | None
    score: float | None = None

    @property
    def is_checkin(self) -> bool:
        """A new value (`current`, `done`, a checklist item ticked or unticked), or a commit
        of `okr checkin` naming the key result: a value that did not move, with a note or a
        confidence, is a check-in too."""
        if self.before is None or self.after is None:
            return False
        if self.by_okr:
            return True
        return any(self.before.get(k) != self.after.get(k) for k in VALUE_KEYS) or _ticks(
            self.before
        ) != _ticks(self.after)

    @property
    def is_retarget(self) -> bool:
        if self.before is None or self.after is None:
            return False
        return any(self.before.get(k) != self.after.get(k) for k in TARGET_KEYS)

    @property
    def by_okr(self) -> bool:
        """Whether the commit is an `okr checkin` of this key result (it has our trailers)."""
        return self.id in self.commit.checked_in

    @property
    def confidence(self) -> float | None:
        given = number_in(self.commit.entry(self.id), "okr-confidence") if self.by_okr else None
        if given is not None:
            return given
        value = (self.after or {}).get("confidence")
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None

    @property
    def note(self) -> str:
        """The check-in's note: its own `OKR-Note:` in a commit of several, the commit's
        body in a commit of one, the subject of any other commit."""
        if not self.by_okr:
            return self.commit.subject
        own = self.commit.entry(self.id).get("okr-note")
        if own is not None:
            return own
        return self.commit.note if len(self.commit.checked_in) == 1 else ""


def number_in(entry: dict[str, str], key: str) -> float | None:
    """The number a trailer of an item's entry (`Commit.entry`) holds, or None when it is
    missing or not a number."""
    try:
        return float(entry[key])
    except (KeyError, ValueError):
        return None


def _ticks(state: State) -> list[Any]:
    items = state.get("milestones")
    if not isinstance(items, list):
        return []
    return [item.get("done") if isinstance(item, dict) else None for item in items]


def split_message(message: str) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """Subject, note (the body before any trailers) and `Key: value` trailers."""
    paragraphs = message.strip().split("\n\n")
    subject = paragraphs[0].strip()
    body = [p.strip() for p in paragraphs[1:] if p.strip()]
    trailers: tuple[tuple[str, str], ...] = ()
    if body:
        lines = body[-1].splitlines()
        pairs = [line.split(":", 1) for line in lines]
        if all(len(p) == 2 and p[0] and " " not in p[0].strip() for p in pairs):
            trailers = tuple((k.strip(), v.strip()) for k, v in pairs)
            body = body[:-1]
    return subject, "\n\n".join(body), trailers


def differs(model: Any, state: State, keys: tuple[str, ...]) -> bool:
    """Whether a loaded key result's `keys` differ from one version of it in the history."""
    for key in keys:
        if key == "milestones":
            items = state.get("milestones")
            then = [m.get("done", False) for m in items] if isinstance(items, list) else []
            if [m.done for m in model.milestones or []] != then:
                return True
        elif getattr(model, key) != state.get(key):
            return True
    return False
