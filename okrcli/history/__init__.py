"""The check-in history: every commit that changed an OKR file, with the values at each.

Read through one `git log -p` and one `git cat-file --batch` process, never one per
commit. Results are cached under `<root>/.okr_cache/` (okrcli.history.store): when HEAD has
not moved the history is read from there; when it moved forward only the new commits are
walked, and what OKR207 and OKR208 ask of each key result is moved on by their changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from okrcli import collector, git
from okrcli.errors import OkrError
from okrcli.history.course import Course, Packed, courses, pack
from okrcli.history.records import Change, Commit, State
from okrcli.history.replan import Replan, replans
from okrcli.history.store import UNREADABLE, Lost, Stored, save

if TYPE_CHECKING:  # the walk is imported when there is one: okr check mostly reads a cache
    from okrcli.history.walk import Progress
    from okrcli.repo import Repo

__all__ = [
    "Change", "Commit", "Course", "History", "Replan", "Slice", "State", "lend",
    "oversized_notes", "part_of", "read_first", "read_history", "repo_history", "slice_of",
    "work_tree_history",
]  # fmt: skip

_COURSES = "history-courses"  # on its own: okr check reads nothing else
_COURSES_FORMAT = 4


class History:
    """Commits oldest first, the changes of key results they made in the same order, and
    each key result's course. Read from the cache, each part is decoded when first used:
    `okr check` needs only the courses."""

    def __init__(
        self,
        head: str | None,
        walk: Callable[[], tuple[list[Commit], list[Change]]],
        stored_courses: Callable[[], Packed] | None = None,
        *,
        stored: Stored | None = None,
        walked: list[Change] | None = None,
    ) -> None:
        self.head = head
        self._walk, self._stored_courses = walk, stored_courses
        self._stored, self._walked = stored, walked or []  # the cache, and what came after
        # What moved since the courses kept at an earlier HEAD (okrcli.incremental asks):
        # that HEAD, the key results whose course changed, how many replans came before,
        # and the files the commits since changed.
        self.moved: tuple[str, set[str], int, set[str]] | None = None

    def changes_since(self, head: str) -> list[Change] | None:
        """The changes of the commits after `head`, oldest first, told from the cache
        without reading the whole history; None when they cannot be told that way."""
        if head == self.head:
            return []
        found = None if self._stored is None else self._stored.changes_since(head)
        return None if found is None else found + self._walked

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
            except UNREADABLE:  # a damaged cache is work done again
                self._stored_courses = None
        return self._courses.get(ident)

    def replans(self) -> list[Replan]:
        """Every replan in the history, oldest first (what OKR207 and the review ask)."""
        if self._stored_courses is not None:
            try:
                return self._packed.replans()
            except UNREADABLE:
                self._stored_courses = None
        return self._replans

    @cached_property
    def _replans(self) -> list[Replan]:
        return replans(self.changes)

    @cached_property
    def _packed(self) -> Packed:
        assert self._stored_courses is not None
        return self._stored_courses()

    @cached_property
    def _courses(self) -> dict[str, Course]:
        return courses(self.changes)


def read_history(
    root: Path,
    paths: tuple[str, ...],
    *,
    rev: str = "HEAD",
    progress: Progress = None,
    cache: bool = True,
) -> History:
    """The history of the OKR files (`paths` globs under `root`) up to `rev`.

    Read at HEAD with the cache on, the history goes on from the cache's (okrcli.history.store),
    and a walk from the first commit gives the parse of each file's newest version to the
    loader's parse cache too: the work tree mostly holds the same bytes, so a command that
    reads the history first parses each file once.
    """
    git.require_history(root)
    sha = git.head(root, rev)
    if sha is None:
        if rev != "HEAD":
            raise OkrError(f"{rev}: not a revision in this repository")
        return History(None, lambda: ([], []))
    stored = Stored.read(root, paths) if cache else None
    if stored is not None and stored.head == sha:
        return History(sha, _read_back(root, paths, stored), stored=stored)
    try:
        return _walk(root, paths, sha, rev == "HEAD" and cache, progress, stored)
    except (Lost, *UNREADABLE):  # a cache gone or damaged is work done again
        return _walk(root, paths, sha, rev == "HEAD" and cache, progress, None)


def _walk(
    root: Path,
    paths: tuple[str, ...],
    sha: str,
    keep: bool,
    progress: Progress,
    stored: Stored | None,
) -> History:
    """Walk the commits up to `sha`, going on from `stored` where it is of an ancestor."""
    from okrcli.history.walk import Walker

    walker, revs = Walker(root, head=sha), [sha]
    if stored is not None and not git.is_ancestor(root, stored.head, sha):
        stored = None  # another branch, or a rewritten history: walked again, and kept
    if stored is not None:
        walker.earlier = stored.last_of
        revs.append(f"^{stored.head}")
    with collector.paused():
        walker.run(revs, paths, progress)
    _OVERSIZED.update(walker.oversized)
    commits, changes = walker.commits, walker.changes  # not the walker: its file versions go
    if stored is not None:
        if keep:
            stored.extend(walker)
        earlier = _read_back(root, paths, stored)

        def walk() -> tuple[list[Commit], list[Change]]:
            before, done = earlier()
            return before + commits, done + changes

        return History(sha, walk, stored=stored, walked=changes)
    if keep:
        save(root, paths, sha, commits, changes, walker.last)
    if keep and walker.newest_parses:
        from okrcli.load import remember

        remember(root, walker.newest_parses)
    return History(sha, lambda: (commits, changes))


def _read_back(
    root: Path, paths: tuple[str, ...], stored: Stored
) -> Callable[[], tuple[list[Commit], list[Change]]]:
    """The commits and changes kept in `stored`, read when asked for."""

    def walk() -> tuple[list[Commit], list[Change]]:
        try:
            return stored.commits_and_changes()
        except (Lost, *UNREADABLE):  # a damaged cache is work done again, and kept
            fresh = _walk(root, paths, stored.head, True, None, None)
            return fresh.commits, fresh.changes

    return walk


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


def work_tree_history(root: Path, paths: tuple[str, ...]) -> History | None:
    """What OKR207 and OKR208 read of the history for the work tree (through the cache);
    None outside git or in a shallow clone."""
    try:
        return _for_rules(root, paths, None, True)
    except OkrError:
        return None


def lend(repo: Repo, history: History | None) -> None:
    """Have the history rules read `history` for `repo`: a part of the work tree checked on
    its own (okrcli.incremental), with the part of the history that concerns it."""
    _READ[repo] = history


# A part of a history as the cache keeps it: the courses of some key results (last state,
# day of the last check-in as an ordinal; None: never committed) and some replans.
Slice = tuple[dict[str, Any], list[list[Any]]]


def slice_of(history: History, ids: Iterable[str], replans: Iterable[int]) -> Slice:
    """The courses of key results `ids` and the replans numbered `replans` of `history`."""
    courses: dict[str, Any] = {}
    for ident in ids:
        course = history.course(ident)
        updated = None if course is None or course.updated is None else course.updated.toordinal()
        courses[ident] = None if course is None else (course.last, updated)
    every = history.replans()
    return courses, [every[n].as_list() for n in replans]


class _Part(History):
    """The part of a history some files need: what OKR207 and OKR208 ask of it."""

    def __init__(self, head: str | None, part: Slice) -> None:
        super().__init__(head, lambda: ([], []))
        self._kept, self._replans_kept = part

    def course(self, ident: str) -> Course | None:
        found = self._kept[ident]  # a key result of the part: never one of another file
        if found is None:
            return None
        last, updated = found
        return Course(last, None if updated is None else date.fromordinal(updated))

    def replans(self) -> list[Replan]:
        return [Replan.from_list(fields) for fields in self._replans_kept]


def part_of(head: str | None, parts: Iterable[Slice]) -> History:
    """A history of the slices `parts` together."""
    courses: dict[str, Any] = {}
    replans: list[list[Any]] = []
    for kept, made in parts:
        courses.update(kept)
        replans += made
    return _Part(head, (courses, replans))


_OVERSIZED: dict[str, int] = {}  # path → versions too big to read, in walks of this run


def oversized_notes() -> list[str]:
    """One sentence per file with versions in history too big to read, by the walks of
    this run (nothing is read here)."""
    from okrcli.messages import printable

    found = dict(_OVERSIZED)
    _OVERSIZED.clear()
    return [
        f"{count} version{'s' * (count != 1)} of {printable(path)} in history "
        f"{'is' if count == 1 else 'are'} over 4 MiB and not read (OKR207 and OKR208 skip "
        f"{'it' if count == 1 else 'them'})"
        for path, count in sorted(found.items())
    ]


def _for_rules(root: Path, paths: tuple[str, ...], revision: str | None, cache: bool) -> History:
    """The history with the courses read from their own cache when it is of this revision;
    commits and changes are then read only if asked for."""
    first = _READ_FIRST.get((root, paths, cache)) if revision is None else None
    if first is not None:
        return first()
    rev = revision or "HEAD"
    if not cache:
        return read_history(root, paths, rev=rev, cache=False)
    from okrcli.cache import read, write

    git.require_history(root)
    sha = git.head(root, rev)
    stored = read(root, _COURSES)
    usable = stored.get("format") == _COURSES_FORMAT and stored.get("paths") == list(paths)
    if sha is not None and usable and stored.get("head") == sha:

        def walk() -> tuple[list[Commit], list[Change]]:
            full = read_history(root, paths, rev=rev)
            return full.commits, full.changes

        return History(sha, walk, lambda: Packed(stored))
    full = read_history(root, paths, rev=rev)
    if revision is not None or full.head is None:
        return full
    folded, moved = None, None
    try:  # the courses kept at an earlier HEAD, moved on by what came since
        since = None if not usable else full.changes_since(stored["head"])
        if since is not None:
            folded = Packed(stored)
            replanned = len(stored["replans"])
            touched = {change.path for change in since}
            moved = (stored["head"], folded.move_on(since), replanned, touched)
    except UNREADABLE:
        folded, moved = None, None
    if folded is None:
        every = [r.as_list() for r in full.replans()]
        folded = Packed({"courses": pack(courses(full.changes)), "replans": every})
    packed = folded.as_packed()
    write(
        root,
        _COURSES,
        {**packed, "format": _COURSES_FORMAT, "paths": list(paths), "head": full.head},
    )
    history = History(full.head, lambda: (full.commits, full.changes), lambda: folded)
    history.moved = moved
    return history


_READ_FIRST: dict[tuple[Path, tuple[str, ...], bool], Callable[[], History]] = {}


@contextmanager
def read_first(root: Path, paths: tuple[str, ...], *, cache: bool) -> Iterator[None]:
    """Within the block, what OKR207 and OKR208 ask of the history at HEAD is already read.
    `okr check` reads it before it loads the files: a cold walk parses each file's newest
    version (while git works out the diffs), and the loader then finds those parses in its
    cache instead of parsing the files again."""
    try:
        history = _for_rules(root, paths, None, cache)
    except OkrError as why:  # no history to read: the rules are told when they ask
        failed = why

        def answer() -> History:
            raise failed

    else:

        def answer() -> History:
            return history

    _READ_FIRST[(root, paths, cache)] = answer
    try:
        yield
    finally:
        _READ_FIRST.pop((root, paths, cache), None)
