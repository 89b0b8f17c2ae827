"""The check-in history: every commit that changed an OKR file, with the values at each.

Read through one `git log -p` and one `git cat-file --batch` process, never one per
commit. Results are cached under `<root>/.okr_cache/` (see `okrcli.cache`): when HEAD has
not moved the history is read from there; when it moved forward only the new commits are
walked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from okrcli import collector, git
from okrcli.errors import OkrError
from okrcli.history.course import Course, Packed, courses, pack
from okrcli.history.records import Change, Commit, State

if TYPE_CHECKING:  # the walk is imported when there is one: okr check mostly reads a cache
    from okrcli.history.walk import Progress, Walker
    from okrcli.repo import Repo

__all__ = [
    "Change", "Commit", "Course", "History", "PendingHistory", "State", "read_history",
    "repo_history", "walk_ahead",
]  # fmt: skip

_KIND = "history"
_FORMAT = 3  # of the history cache's entries
_COURSES = "history-courses"  # on its own: okr check reads nothing else


class History:
    """Commits oldest first, the changes of key results they made in the same order, and
    each key result's course. Read from the cache, each part is decoded when first used:
    `okr check` needs only the courses."""

    def __init__(
        self,
        head: str | None,
        walk: Callable[[], tuple[list[Commit], list[Change]]],
        stored_courses: Callable[[], Packed] | None = None,
    ) -> None:
        self.head = head
        self._walk, self._stored_courses = walk, stored_courses

    @cached_property
    def _read(self) -> tuple[list[Commit], list[Change]]:
        return self._walk()

    @property
    def commits(self) -> list[Commit]:
        return self._read[0]

    @property
    def changes(self) -> list[Change]:
        return self._read[1]

    def course(self, ident: str) -> Course | None:
        """What OKR207 and OKR208 ask of one key result's history; None: never committed."""
        if self._stored_courses is not None:
            try:
                return self._packed.get(ident)
            except _UNREADABLE:  # a damaged cache is work done again
                self._stored_courses = None
        return self._courses.get(ident)

    @cached_property
    def _packed(self) -> Packed:
        assert self._stored_courses is not None
        return self._stored_courses()

    @cached_property
    def _courses(self) -> dict[str, Course]:
        return courses(self.changes)


_UNREADABLE = (KeyError, TypeError, ValueError, IndexError, EOFError, AttributeError)


def read_history(
    root: Path,
    paths: tuple[str, ...],
    *,
    rev: str = "HEAD",
    progress: Progress = None,
    cache: bool = True,
) -> History:
    """The history of the OKR files (`paths` globs under `root`) up to `rev`."""
    with PendingHistory(root, paths, rev=rev, cache=cache) as pending:
        return pending.read(progress)


class PendingHistory:
    """A history being read: git starts at once (unless the cache answers), so a command
    can load the work tree while git works out the diffs; `read` finishes the walk.

    A context manager: a walk left unread is stopped.
    """

    def __init__(
        self, root: Path, paths: tuple[str, ...], *, rev: str = "HEAD", cache: bool = True
    ) -> None:
        self._root, self._paths = root, paths
        self._ready: History | None = None
        self._walker: Walker | None = None
        git.require_history(root)
        sha = git.head(root, rev)
        if sha is None:
            if rev != "HEAD":
                raise OkrError(f"{rev}: not a revision in this repository")
            self._ready = History(None, lambda: ([], []))
            return
        entries = _entries(root, paths) if cache else {}
        if entries and entries["head"] == sha:
            self._ready = _stored(root, paths, sha, entries)
            return
        from okrcli.history.walk import Walker

        walker, revs = Walker(root, head=sha), [sha]
        stored = entries.get("head")
        resumed = False
        if stored and git.is_ancestor(root, stored, sha) and _resume(walker, entries):
            resumed = True
            revs.append(f"^{stored}")
        self._save = cache and rev == "HEAD" and (not stored or resumed)
        walker.start(revs, paths)
        self._walker = walker

    def read(self, progress: Progress = None) -> History:
        if self._ready is None:
            walker = self._walker
            assert walker is not None
            self._walker = None
            with collector.paused():
                walker.run(progress)
            if self._save:
                _save(self._root, self._paths, walker)
            commits, changes = walker.commits, walker.changes  # not its file versions
            self._ready = History(walker.head, lambda: (commits, changes))
        return self._ready

    def __enter__(self) -> PendingHistory:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._walker is not None:
            self._walker.stop()


_READ: WeakKeyDictionary[Repo, History | None] = WeakKeyDictionary()


def repo_history(repo: Repo) -> History | None:
    """The history a loaded repository was read at, read once per repository (OKR207 and
    OKR208 share it); None outside git or in a shallow clone."""
    if repo not in _READ:
        try:
            _READ[repo] = _for_rules(repo.config.root, repo.config.paths, repo.revision, repo.cache)
        except OkrError:
            _READ[repo] = None
    return _READ[repo]


def _for_rules(root: Path, paths: tuple[str, ...], revision: str | None, cache: bool) -> History:
    ahead = _AHEAD.pop((root, paths, cache), None) if revision is None else None
    finish, _ = ahead or _begin_for_rules(root, paths, revision, cache)
    return finish()


def _begin_for_rules(
    root: Path, paths: tuple[str, ...], revision: str | None, cache: bool
) -> tuple[Callable[[], History], PendingHistory | None]:
    """Begin reading what the rules ask of the history: the courses from their own cache
    when it is of this revision (commits and changes are then read only if asked for),
    else a walk, under way when this returns. Call the first part for the history; the
    second is the walk, if any."""
    rev = revision or "HEAD"
    if not cache:
        uncached = PendingHistory(root, paths, rev=rev, cache=False)
        return uncached.read, uncached
    git.require_history(root)
    sha = git.head(root, rev)
    stored = _stored_courses(root, paths, sha)
    if sha is not None and stored is not None:

        def walk() -> tuple[list[Commit], list[Change]]:
            full = read_history(root, paths, rev=rev)
            return full.commits, full.changes

        known = History(sha, walk, lambda: Packed(stored))
        return lambda: known, None
    pending = PendingHistory(root, paths, rev=rev)

    def finish() -> History:
        with pending:
            full = pending.read()
        if revision is not None or full.head is None:
            return full
        from okrcli.cache import write

        packed = {"paths": list(paths), "head": full.head, **pack(courses(full.changes))}
        write(root, _COURSES, packed)
        return History(full.head, lambda: (full.commits, full.changes), lambda: Packed(packed))

    return finish, pending


def _stored_courses(root: Path, paths: tuple[str, ...], sha: str | None) -> dict[str, Any] | None:
    """The courses cached for commit `sha` and these paths, if there are."""
    from okrcli.cache import read

    stored = read(root, _COURSES)
    fresh = sha is not None and stored.get("head") == sha and stored.get("paths") == list(paths)
    return stored if fresh else None


_AHEAD: dict[
    tuple[Path, tuple[str, ...], bool], tuple[Callable[[], History], PendingHistory | None]
] = {}


@contextmanager
def walk_ahead(root: Path, paths: tuple[str, ...], *, cache: bool) -> Iterator[None]:
    """Within the block, what OKR207 and OKR208 will ask of the history is under way:
    `okr check` starts git before it loads the files, so git works while they are parsed.
    A walk nobody asks for is stopped."""
    try:
        begun = _begin_for_rules(root, paths, None, cache)
    except OkrError as why:  # no history to read: the rules are told when they ask
        failed = why

        def fail() -> History:
            raise failed

        begun = fail, None
    key = (root, paths, cache)
    _AHEAD[key] = begun
    try:
        yield
    finally:
        _AHEAD.pop(key, None)
        if begun[1] is not None:
            begun[1].__exit__()


# The cache: the courses in a file of their own, written by the rules' first read at a
# new HEAD (okr check then reads nothing else); commits, changes and the newest version of
# each file each as a marshal string of their own, so the file versions are decoded only
# to go on walking.


def _entries(root: Path, paths: tuple[str, ...]) -> dict[str, Any]:
    from okrcli.cache import read

    entries = read(root, _KIND)
    parts = ("head", "commits", "changes", "tips")
    if entries.get("format") != _FORMAT or entries.get("paths") != list(paths):
        return {}
    if not all(k in entries for k in parts):
        return {}
    return entries


def _stored(root: Path, paths: tuple[str, ...], sha: str, entries: dict[str, Any]) -> History:
    import marshal

    def walk() -> tuple[list[Commit], list[Change]]:
        try:
            with collector.paused():
                return _unpack(marshal.loads(entries["commits"]), marshal.loads(entries["changes"]))
        except _UNREADABLE:  # a damaged cache is work done again
            fresh = read_history(root, paths, rev=sha, cache=False)
            return fresh.commits, fresh.changes

    return History(sha, walk)


def _unpack(fields: list[Any], stored: list[Any]) -> tuple[list[Commit], list[Change]]:
    commits = [_commit(f) for f in fields]
    numbers, idents, paths, befores, afters, scores = stored
    changes = [Change(commits[n], ident, path, before, after, score)
               for n, ident, path, before, after, score
               in zip(numbers, idents, paths, befores, afters, scores, strict=True)]  # fmt: skip
    return commits, changes


def _resume(walker: Walker, entries: dict[str, Any]) -> bool:
    """Make `walker` go on from the cached walk (its changes, the last value of each key
    result, the newest version of each file); False when the cache cannot be read."""
    import marshal

    from okrcli.history.snapshot import Snapshot

    try:
        walker.commits, walker.changes = _unpack(
            marshal.loads(entries["commits"]), marshal.loads(entries["changes"])
        )
        files = marshal.loads(entries["tips"])
        walker.tips = {p: (b, Snapshot.from_json(s)) for p, (b, s) in files.items()}
    except _UNREADABLE:
        walker.commits, walker.changes, walker.tips = [], [], {}
        return False
    for change in walker.changes:
        if change.after is None:
            walker.last_seen.pop(change.id, None)
        else:
            walker.last_seen[change.id] = change.after
    return True


def _save(root: Path, paths: tuple[str, ...], walker: Walker) -> None:
    import marshal

    from okrcli.cache import write

    index = {commit.sha: n for n, commit in enumerate(walker.commits)}
    done = walker.changes  # in columns: six lists, not a list per change
    changes = [[index[c.commit.sha] for c in done], [c.id for c in done],
               [c.path for c in done], [c.before for c in done], [c.after for c in done],
               [c.score for c in done]]  # fmt: skip
    tips = {p: [b, s.as_json()] for p, (b, s) in walker.tips.items()}
    write(
        root,
        _KIND,
        {
            "format": _FORMAT,
            "paths": list(paths),
            "head": walker.head,
            "commits": marshal.dumps([_fields(c) for c in walker.commits]),
            "changes": marshal.dumps(changes),
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
