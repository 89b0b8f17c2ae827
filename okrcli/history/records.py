"""What the history is made of: commits, and changes to one key result in one commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

State = dict[str, Any]  # a key result's keys as written, plus "objective": its objective's id

VALUE_KEYS = ("current", "done")
TARGET_KEYS = ("start", "target", "above", "below")


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
        """A new value: `current`, `done`, or a checklist item ticked or unticked."""
        if self.before is None or self.after is None:
            return False
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
        if self.by_okr and (given := self.commit.trailer("OKR-Confidence")):
            try:
                return float(given[-1])
            except ValueError:
                pass
        value = (self.after or {}).get("confidence")
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None

    @property
    def note(self) -> str:
        return self.commit.note if self.by_okr else self.commit.subject


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
