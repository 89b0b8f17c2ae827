"""The check-in history: every commit that changed an OKR file, with the values at each.

Read through one `git log -p` and one `git cat-file --batch` process, never one per
commit. Results are cached under `<root>/.okr_cache/` (see `okrcli.cache`): when HEAD has
not moved the history is read from there; when it moved forward only the new commits are
walked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from okrcli import collector, git
from okrcli.errors import OkrError
from okrcli.history.course import Course, Packed, courses, pack
from okrcli.history.records import Change, Commit, State
from okrcli.history.replan import Replan, replans

if TYPE_CHECKING:  # the walk is imported when there is one: okr check mostly reads a cache
    from okrcli.history.walk import Progress, Walker
    from okrcli.repo import Repo

__all__ = [
    "Change", "Commit", "Course", "History", "Replan", "Slice", "State", "lend",
    "oversized_notes", "part_of", "read_first", "read_history", "repo_history", "slice_of",
    "work_tree_history",
]  # fmt: skip

_KIND = "history"
_FORMAT = 4  # of the history cache's entries
_COURSES = "history-courses"  # on its own: okr check reads nothing else
_COURSES_FORMAT = 2


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

    def replans(self) -> list[Replan]:
        """Every replan in the history, oldest first (what OKR207 and the review ask)."""
        if self._stored_courses is not None:
            try:
                return self._packed.replans()
            except _UNREADABLE:
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


_UNREADABLE = (KeyError, TypeError, ValueError, IndexError, EOFError, AttributeError)


def read_history(
    root: Path,
    paths: tuple[str, ...],
    *,
    rev: str = "HEAD",
    progress: Progress = None,
    cache: bool = True,
) -> History:
    """The history of the OKR files (`paths` globs under `root`) up to `rev`.

    Read at HEAD with the cache on, the parse of each file's newest version goes to the
    loader's parse cache too: the work tree mostly holds the same bytes, so a command that
    reads the history first parses each file once.
    """
    git.require_history(root)
    sha = git.head(root, rev)
    if sha is None:
        if rev != "HEAD":
            raise OkrError(f"{rev}: not a revision in this repository")
        return History(None, lambda: ([], []))
    entries = _entries(root, paths) if cache else {}
    if entries and entries["head"] == sha:
        return _stored(root, paths, sha, entries)
    from okrcli.history.walk import Walker

    walker, revs = Walker(root, head=sha), [sha]
    stored = entries.get("head")
    resumed = False
    if stored and git.is_ancestor(root, stored, sha) and _resume(walker, entries):
        resumed = True
        revs.append(f"^{stored}")
    with collector.paused():
        walker.run(revs, paths, progress)
    if cache and rev == "HEAD" and (not stored or resumed):
        _save(root, paths, walker)
    if cache and rev == "HEAD" and walker.newest_parses:
        from okrcli.load import remember

        remember(root, walker.newest_parses)
    commits, changes = walker.commits, walker.changes  # not the walker: its file versions go
    _OVERSIZED.update(walker.oversized)
    return History(sha, lambda: (commits, changes))


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
    if (
        sha is not None
        and stored.get("format") == _COURSES_FORMAT
        and stored.get("head") == sha
        and stored.get("paths") == list(paths)
    ):

        def walk() -> tuple[list[Commit], list[Change]]:
            full = read_history(root, paths, rev=rev)
            return full.commits, full.changes

        return History(sha, walk, lambda: Packed(stored))
    full = read_history(root, paths, rev=rev)
    if revision is not None or full.head is None:
        return full
    packed = {
        "format": _COURSES_FORMAT,
        "paths": list(paths),
        "head": full.head,
        **pack(courses(full.changes)),
        "replans": [r.as_list() for r in full.replans()],
    }
    write(root, _COURSES, packed)
    return History(full.head, lambda: (full.commits, full.changes), lambda: Packed(packed))


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
            walker.last_path[change.id] = change.path
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
