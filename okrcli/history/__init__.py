"""The check-in history: every commit that changed an OKR file, with the values at each.

Read through one `git log -p` and one `git cat-file --batch` process, never one per
commit. Results are cached under `<root>/.okr_cache/` (see `okrcli.cache`): when HEAD has
not moved the history is read from there; when it moved forward only the new commits are
walked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from okrcli import git
from okrcli.errors import OkrError
from okrcli.history.records import Change, Commit, State
from okrcli.history.snapshot import Snapshot
from okrcli.history.walk import Progress, Walker

if TYPE_CHECKING:
    from okrcli.repo import Repo

__all__ = ["Change", "Commit", "History", "State", "read_history", "repo_history"]

_KIND = "history"


@dataclass
class History:
    """Commits oldest first, and the changes of key results they made, in the same order."""

    commits: list[Commit]
    changes: list[Change]
    head: str | None

    def of(self, ident: str) -> list[Change]:
        """The changes of one key result, oldest first."""
        return self._by_id.get(ident, [])

    @cached_property
    def _by_id(self) -> dict[str, list[Change]]:
        found: dict[str, list[Change]] = {}
        for change in self.changes:
            found.setdefault(change.id, []).append(change)
        return found


def read_history(
    root: Path,
    paths: tuple[str, ...],
    *,
    rev: str = "HEAD",
    progress: Progress = None,
    cache: bool = True,
) -> History:
    """The history of the OKR files (`paths` globs under `root`) up to `rev`."""
    git.require_history(root)
    sha = git.head(root, rev)
    if sha is None:
        if rev != "HEAD":
            raise OkrError(f"{rev}: not a revision in this repository")
        return History([], [], None)
    stored, tips = _load(root, paths) if cache else (None, b"")
    if stored is not None and stored.head == sha:
        return History(stored.commits, stored.changes, sha)
    walker, revs = Walker(root), [sha]
    resumable = stored is not None and stored.head and git.is_ancestor(root, stored.head, sha)
    if stored is not None and resumable and _resumed(stored, tips):
        walker = stored
        revs.append(f"^{stored.head}")
    walker.run(revs, paths, progress)
    walker.head = sha
    if cache and rev == "HEAD" and (stored is None or walker is stored):
        _save(root, paths, walker)
    return History(walker.commits, walker.changes, sha)


_READ: WeakKeyDictionary[Repo, History | None] = WeakKeyDictionary()


def repo_history(repo: Repo) -> History | None:
    """The history a loaded repository was read at, read once per repository (OKR207 and
    OKR208 share it); None outside git or in a shallow clone."""
    if repo not in _READ:
        try:
            _READ[repo] = read_history(
                repo.config.root, repo.config.paths, rev=repo.revision or "HEAD", cache=repo.cache
            )
        except OkrError:
            _READ[repo] = None
    return _READ[repo]


def _load(root: Path, paths: tuple[str, ...]) -> tuple[Walker | None, bytes]:
    """The cached walk: its commits and changes. The newest version of each file, needed
    only to go on walking, stays undecoded (see `_resumed`)."""
    from okrcli.cache import read

    entries = read(root, _KIND)
    if entries.get("paths") != list(paths) or not isinstance(entries.get("tips"), bytes):
        return None, b""
    try:
        commits = [_commit(fields) for fields in entries["commits"]]
        walker = Walker(root, head=entries["head"], commits=commits)
        walker.changes = [
            Change(commits[index], ident, path, before, after)
            for index, ident, path, before, after in entries["changes"]
        ]
    except (KeyError, TypeError, ValueError, IndexError):
        return None, b""
    return walker, entries["tips"]


def _resumed(walker: Walker, tips: bytes) -> bool:
    """Make a cached walk ready to go on (last values per key result, file versions);
    False when its stored versions cannot be read."""
    import marshal

    for change in walker.changes:
        if change.after is None:
            walker.last_seen.pop(change.id, None)
        else:
            walker.last_seen[change.id] = change.after
    try:
        files = marshal.loads(tips)
        walker.tips = {p: (b, Snapshot.from_json(s)) for p, (b, s) in files.items()}
    except (KeyError, TypeError, ValueError, IndexError, EOFError, AttributeError):
        return False
    return True


def _save(root: Path, paths: tuple[str, ...], walker: Walker) -> None:
    import marshal

    from okrcli.cache import write

    index = {commit.sha: n for n, commit in enumerate(walker.commits)}
    tips = {p: [b, s.as_json()] for p, (b, s) in walker.tips.items()}
    write(
        root,
        _KIND,
        {
            "paths": list(paths),
            "head": walker.head,
            "commits": [_fields(c) for c in walker.commits],
            "changes": [
                [index[c.commit.sha], c.id, c.path, c.before, c.after] for c in walker.changes
            ],
            "tips": marshal.dumps(tips),
        },
    )


def _fields(commit: Commit) -> list[Any]:
    return [commit.sha, commit.author, commit.email, commit.when.isoformat(), commit.subject,
            commit.note, [list(t) for t in commit.trailers]]  # fmt: skip


def _commit(fields: list[Any]) -> Commit:
    sha, author, email, when, subject, note, trailers = fields
    pairs = tuple((str(k), str(v)) for k, v in trailers)
    return Commit(sha, author, email, datetime.fromisoformat(when), subject, note, pairs)
