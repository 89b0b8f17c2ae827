"""A check-in: set a key result's value in its file and commit that file alone.

Everything that could refuse is checked before the file is touched; a commit that fails
(a hook said no) puts the file back as it was, so a check-in happens whole or not at all.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from okrcli import git
from okrcli.config import Config
from okrcli.edit import Change, apply, write_atomic
from okrcli.errors import OkrError
from okrcli.graph import KeyResultNode

STATUSES = ("on_track", "at_risk", "off_track")
_VALUE_KEYS = ("start", "target", "above", "below", "current", "done", "milestones")


@dataclass(frozen=True)
class Checkin:
    """What a check-in changed; `commit` is None with `commit=False`."""

    id: str
    path: str
    old: str
    new: str
    score: float | None
    commit: str | None
    detached: bool = False  # committed on no branch: easy to lose at the next checkout


def number(text: str, what: str) -> int | float:
    """A finite number as the user typed it (an int stays an int)."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")):
        raise OkrError(f"{what} must be a number, not `{text}`")
    return value


def show(value: Any) -> str:
    """A value as people write it: 92 rather than 92.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def checkin(
    config: Config,
    ident: str,
    value: str | None = None,
    *,
    confidence: str | None = None,
    status: str | None = None,
    done: str | None = None,
    undone: str | None = None,
    note: str | None = None,
    commit: bool = True,
) -> Checkin:
    """Check in `ident`; refuses with one sentence before changing anything it cannot finish."""
    root = config.root
    if commit:
        _can_commit(root)
    with _locked(root, commit):
        kr = _key_result(config, ident)
        rel = kr.file.rel
        if commit:
            _clean(root, rel)
        changes, old, new, body = _changes(kr, value, done, undone)
        changes += _extras(kr, confidence, status)
        if not changes:
            raise OkrError(f"nothing to check in: {ident} is already {old}")
        path = root / rel
        before = path.read_bytes()
        after = apply(before, changes, where=rel)
        score = _validated_score(rel, after, ident)
        write_atomic(path, after)
        sha = None
        if commit:
            message = _message(ident, old, new, body, note, confidence, status)
            try:
                sha = git.commit_paths(root, [rel], message)
            except OkrError as problem:
                write_atomic(path, before)
                raise OkrError(f"{problem}; the check-in was undone and {rel} restored") from None
    detached = sha is not None and git.branch(root) is None
    return Checkin(ident, rel, old, new, score, sha, detached)


def _can_commit(root: Path) -> None:
    try:
        git.work_tree_top(root)
    except OkrError:
        raise OkrError(
            f"{root} is not in a git repository, so the check-in cannot be committed "
            "(run `git init`, or pass --no-commit)"
        ) from None
    doing = git.operation_in_progress(root)
    if doing:
        raise OkrError(
            f"the repository is in the middle of {doing}; finish or abort it first "
            "(or pass --no-commit)"
        )
    git.check_identity(root)


def _clean(root: Path, rel: str) -> None:
    state = git.file_status(root, rel)
    if state.startswith("??"):
        raise OkrError(f"{rel} is not committed yet; commit it first (or pass --no-commit)")
    if state:
        raise OkrError(
            f"{rel} has uncommitted changes; commit or stash them first, so that the "
            "check-in commit holds only the check-in (or pass --no-commit)"
        )


@contextmanager
def _locked(root: Path, commit: bool) -> Iterator[None]:
    """One check-in at a time per repository: a second one waits, then reads the new file."""
    if not commit or sys.platform == "win32":
        yield
        return
    import fcntl

    with open(git.git_path(root, "okr-checkin.lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _key_result(config: Config, ident: str) -> KeyResultNode:
    from okrcli.messages import suggest
    from okrcli.repo import load_repo

    graph = load_repo(config).graph
    node = graph.by_id.get(ident)
    if node is None:
        raise OkrError(f"no key result `{ident}`{suggest(ident, graph.by_id)}")
    for again, first in graph.duplicates:
        if again.id == ident:
            raise OkrError(
                f"`{ident}` is defined twice ({first.file.rel}:{first.line} and "
                f"{again.file.rel}:{again.line}); fix OKR002 first"
            )
    if not isinstance(node, KeyResultNode):
        ids = ", ".join(kr.id for kr in getattr(node, "key_results", []))
        hint = f" ({ids})" if ids else ""
        raise OkrError(f"`{ident}` is an objective; check in one of its key results{hint}")
    return node


def _changes(
    kr: KeyResultNode, value: str | None, done: str | None, undone: str | None
) -> tuple[list[Change], str, str, str]:
    """The edits for the value itself, the old and new value as shown, and a body line."""

    model, loc = kr.key_result, kr.loc
    kind = model.kind()
    if kind == "checklist":
        if value is not None:
            raise OkrError(f"{kr.id} is a checklist: use --done TITLE or --undone TITLE")
        return _checklist(kr, done, undone)
    if done is not None or undone is not None:
        raise OkrError(f"--done and --undone are for checklists; {kr.id} is a {kind or 'broken'}")
    if kind in ("metric", "threshold"):
        current = model.current if model.current is not None or kind != "metric" else model.start
        old = "—" if current is None else show(current)
        if value is None:
            return [], old, old, ""
        new = number(value, f"{kr.id} is a {kind}: the value")
        after = ("start", "target") if kind == "metric" else ("above", "below")
        changes = [] if new == current else [Change((*loc, "current"), new, after)]
        return changes, old, show(new), ""
    if kind == "milestone":
        old = "done" if model.done else "not done"
        if value is None:
            return [], old, old, ""
        if value not in ("done", "undone"):
            raise OkrError(
                f"{kr.id} is a milestone: the value is `done` or `undone`, not `{value}`"
            )
        flag = value == "done"
        changes = [] if flag == model.done else [Change((*loc, "done"), flag)]
        return changes, old, "done" if flag else "not done", ""
    if kind == "rollup":
        raise OkrError(f"{kr.id} is a rollup: it is scored from the objectives aligned to it")
    raise OkrError(f"{kr.id} is not exactly one kind of key result; run `okr check` (OKR101)")


def _checklist(
    kr: KeyResultNode, done: str | None, undone: str | None
) -> tuple[list[Change], str, str, str]:
    from okrcli.messages import suggest

    items = kr.key_result.milestones
    old = f"{sum(m.done for m in items)}/{len(items)}"
    if done is None and undone is None:
        return [], old, old, ""
    if done is not None and undone is not None:
        raise OkrError("give --done or --undone, not both")
    title, flag = (done, True) if done is not None else (undone, False)
    titles = [m.title for m in items]
    if title not in titles:
        raise OkrError(f"{kr.id} has no milestone `{title}`{suggest(str(title), titles)}")
    index = titles.index(title)
    count = sum(m.done for m in items) - items[index].done + flag
    new = f"{count}/{len(items)}"
    body = f"{title}: {'done' if flag else 'not done'}"
    if items[index].done == flag:
        return [], old, new, body
    return [Change((*kr.loc, "milestones", index, "done"), flag, ("title",))], old, new, body


def _extras(kr: KeyResultNode, confidence: str | None, status: str | None) -> list[Change]:
    from okrcli.messages import suggest

    model, changes = kr.key_result, []
    if confidence is not None:
        level = number(confidence, "--confidence")
        if not 0 <= level <= 10:
            raise OkrError(f"--confidence must be from 0 to 10, not {confidence}")
        if level != model.confidence:
            changes.append(Change((*kr.loc, "confidence"), level, _VALUE_KEYS))
    if status is not None:
        if status not in STATUSES:
            raise OkrError(
                f"--status must be one of {', '.join(STATUSES)}, not `{status}`"
                f"{suggest(status, STATUSES)}"
            )
        if status != model.status:
            changes.append(Change((*kr.loc, "status"), status, (*_VALUE_KEYS, "confidence")))
    return changes


def _validated_score(rel: str, after: bytes, ident: str) -> float | None:
    """The edited file must still be a valid OKR file; the key result's new score."""
    from okrcli.load import load_source
    from okrcli.score import clamp, key_result_raw

    source = load_source(rel, after)
    if source.doc is None:
        problem = source.problems[0]
        raise OkrError(f"the check-in would break {problem.as_text()}; nothing was changed")
    for objective in source.doc.objectives:
        for kr in objective.key_results:
            if kr.id == ident:
                raw = key_result_raw(kr)
                return None if raw is None else clamp(raw)
    return None


def _message(
    ident: str,
    old: str,
    new: str,
    body: str,
    note: str | None,
    confidence: str | None,
    status: str | None,
) -> str:
    """`checkin ID: OLD → NEW`, the note, then trailers that `okr log` reads back."""
    trailers = [f"OKR-Id: {ident}", f"OKR-Value: {new}"]
    if confidence is not None:
        trailers.append(f"OKR-Confidence: {show(number(confidence, '--confidence'))}")
    if status is not None:
        trailers.append(f"OKR-Status: {status}")
    paragraphs = [
        f"checkin {ident}: {old} → {new}",
        body,
        (note or "").strip(),
        "\n".join(trailers),
    ]
    return "\n\n".join(p for p in paragraphs if p) + "\n"
