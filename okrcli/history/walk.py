"""One `git log -p` read as a stream, turned into changes of key results per commit.

Per commit we compare the key results in the old and new versions of the files it
changed (not a running state), so branches and merges need no special care, and a key
result moved from one file to another, or a file renamed, keeps its history.
"""

from __future__ import annotations

import marshal
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from okrcli import git
from okrcli.cache import key
from okrcli.globs import literal_prefix, matches
from okrcli.history.records import Change, Commit, State, split_message
from okrcli.history.series import state_score
from okrcli.history.snapshot import Snapshot, derive, parse_blob
from okrcli.load import cache_entry
from okrcli.yamlread import MAX_BYTES

if TYPE_CHECKING:
    from okrcli.yamlread import YamlDoc, YamlProblem

FORMAT = "%x00%H%x1f%an%x1f%ae%x1f%aI%x1f%B%x00"
ZERO = "0" * 40
_HUNK = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")

Hunk = tuple[int, int, int, int, list[str], list[str]]


@dataclass
class FileDiff:
    path: str = ""
    old: str = ZERO
    new: str = ZERO
    hunks: list[Hunk] = field(default_factory=list)
    binary: bool = False  # git sent no text: a binary file, or a version over MAX_BYTES


@dataclass
class Walker:
    """The state of one walk: the versions of files read, and each key result's last state
    (a walk that goes on from an earlier one asks that one of key results it has not met)."""

    root: Path
    head: str | None = None
    seen: dict[str, Snapshot] = field(default_factory=dict)  # blob → its version, this walk
    last: dict[str, Last | None] = field(default_factory=dict)  # id → its file and state
    earlier: Callable[[str], Last | None] | None = None  # `last` of the walk this goes on from
    commits: list[Commit] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    parsed: int = 0  # blobs read in full (tests check most versions come from diffs)
    _placed: set[str] = field(default_factory=set)  # files whose newest version is known
    newest_parses: dict[bytes, bytes] = field(default_factory=dict)  # marshalled, for the loader
    oversized: dict[str, int] = field(default_factory=dict)  # path → versions not read (size)

    def run(self, revs: list[str], patterns: tuple[str, ...], progress: Progress) -> None:
        """Walk the commits `revs` names that change files `patterns` match: newest first,
        so each file's newest version is the one read in full (the work tree's, mostly) and
        older ones come from diffs; then, oldest first, what each change was from."""
        log = git.PatchLog(self.root, FORMAT, revs, {literal_prefix(p) for p in patterns})
        reader = git.BlobReader(self.root)
        walked: list[tuple[Commit, list[_Step]]] = []
        quiet = git.Messages(self.root, FORMAT, revs, "^OKR-Id: ")  # meanwhile, in git
        try:
            for count, (header, patch) in enumerate(_records(log), 1):
                files = [f for f in _diffs(patch) if matches(f.path, patterns)]
                if files or not patch.strip():  # a merge shows no diff of its own
                    walked.append((_commit(header), self._steps(files, reader)))
                if progress is not None and count % 200 == 0:
                    progress(count, None)
        finally:
            log.close()
            reader.close()
            named = quiet.read()
        shas = {commit.sha for commit, _ in walked}
        unwalked = [_commit(header) for header, _ in _records([named])]
        pending = sorted((c for c in unwalked if c.sha not in shas), key=lambda c: c.when)
        pending.reverse()  # popped oldest first
        for commit, steps in reversed(walked):
            while pending and pending[-1].when <= commit.when:
                self._replay(pending.pop(), [])
            self._replay(commit, steps)
        while pending:
            self._replay(pending.pop(), [])

    def _replay(self, commit: Commit, steps: list[_Step]) -> None:
        """Record what `commit` did; a key result its trailers name (`okr checkin`) whose
        bytes did not change (a note, a confidence restated, an empty commit) gets a change
        from its state to the same state: the check-in is in the log all the same."""
        self.commits.append(commit)
        for ident, path, old, new in steps:
            if old is _EARLIER:
                found = self.last_of(ident)
                old = None if found is None else found[1]
            self._record(commit, ident, path, old, new)
        if commit.checked_in:
            moved = {step[0] for step in steps}
            for ident in sorted(commit.checked_in - moved):
                found = self.last_of(ident)
                if found is not None:
                    path, state = found
                    self.changes.append(
                        Change(commit, ident, path, state, state, state_score(state))
                    )

    def last_of(self, ident: str) -> Last | None:
        """Key result `ident`'s file and state after its last change; None: not there."""
        if ident in self.last or self.earlier is None:
            return self.last.get(ident)
        return self.earlier(ident)

    def _snapshot(
        self, blob: str, path: str, reader: git.BlobReader, newest: bool = False
    ) -> Snapshot:
        """The version `blob`, read in full unless known; the parse of a file's newest version
        is kept for the loader (`newest_parses`): the work tree mostly has the same bytes.
        A version over the size okr reads is not read: its key results are unknown."""
        snap = self.seen.get(blob)
        if snap is None and reader.size(blob) > MAX_BYTES:
            self.oversized[path] = self.oversized.get(path, 0) + 1
            snap = self.seen[blob] = Snapshot({}, broken=True)
        if snap is None:
            self.parsed += 1
            raw = reader.read(blob)

            def keep(parse: YamlDoc | YamlProblem) -> None:
                self.newest_parses[key(raw)] = marshal.dumps(cache_entry(parse))

            snap = self.seen[blob] = parse_blob(raw, keep if newest else None)
        return snap

    def _steps(self, files: list[FileDiff], reader: git.BlobReader) -> list[_Step]:
        """What a commit did to each key result in the files it changed, in the order a walk
        from the oldest commit would record it; `_EARLIER` where the state before is
        whatever the key result last was (known once older commits are read)."""
        steps: list[_Step] = []
        before: dict[str, tuple[str, State]] = {}
        after: dict[str, tuple[str, State]] = {}
        unreadable = False
        for diff in files:
            newest = diff.path not in self._placed  # the newest change to this file
            new = None if diff.new == ZERO else self._snapshot(diff.new, diff.path, reader, newest)
            self._placed.add(diff.path)
            old = None
            touched: set[str] | None = None
            if diff.old != ZERO:
                old = self.seen.get(diff.old)
                if old is None and new is not None and not diff.binary:
                    derived = derive(new, [_backwards(hunk) for hunk in diff.hunks])
                    if derived is not None:
                        old, touched = derived
                        self.seen[diff.old] = old
                if old is None:
                    old = self._snapshot(diff.old, diff.path, reader)
                elif touched is None and new is not None and not diff.binary:
                    derived = derive(old, diff.hunks)
                    touched = None if derived is None else derived[1]
            if old is not None and new is not None and touched is not None:
                # only values changed in place: these key results, and no others
                steps += [(ident, diff.path, old.krs[ident], new.krs[ident]) for ident in touched]
                continue
            if old is not None:
                before.update((k, (diff.path, s)) for k, s in old.krs.items())
            if new is None:
                continue
            unreadable |= new.broken
            after.update((k, (diff.path, s)) for k, s in new.krs.items())
        for ident, (path, state) in after.items():
            steps.append((ident, path, before[ident][1] if ident in before else _EARLIER, state))
        if not unreadable:
            steps += [(k, before[k][0], before[k][1], None) for k in before.keys() - after.keys()]
        return steps

    def _record(
        self, commit: Commit, ident: str, path: str, old: State | None, new: State | None
    ) -> None:
        if old != new:
            score = None if new is None else state_score(new)
            self.changes.append(Change(commit, ident, path, old, new, score))
        self.last[ident] = None if new is None else (path, new)


Progress = Callable[[int, int | None], None] | None  # (commits read, of how many: unknown)
_EARLIER: Any = object()  # a step's state before: the key result's last, wherever it was
_Step = tuple[str, str, State | None, State | None]  # id, path, before, after
Last = tuple[str, State]  # a key result's file and state after its last change


def _backwards(hunk: Hunk) -> Hunk:
    """The hunk that undoes `hunk`: from the new version back to the old."""
    old_start, old_count, new_start, new_count, removed, added = hunk
    return new_start, new_count, old_start, old_count, added, removed


def _records(chunks: Iterable[bytes]) -> Iterator[tuple[bytes, bytes]]:
    """(header, patch) per commit from `\\0header\\0patch` records."""
    fields = _fields(chunks)
    next(fields, None)  # nothing comes before the first record
    for header in fields:
        yield header, next(fields, b"")


def _fields(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The NUL-separated fields of a stream, each joined once (a first commit's patch can be
    tens of MB over thousands of chunks)."""
    partial: list[bytes] = []
    for chunk in chunks:
        *ends, rest = chunk.split(b"\0")
        for end in ends:
            partial.append(end)
            yield b"".join(partial)
            partial = []
        partial.append(rest)
    yield b"".join(partial)


def _commit(header: bytes) -> Commit:
    sha, author, email, when, message = header.decode("utf-8", "replace").split("\x1f", 4)
    subject, note, trailers = split_message(message)
    return Commit(sha, author, email, datetime.fromisoformat(when), subject, note, trailers)


def _diffs(patch: bytes) -> list[FileDiff]:
    """The files a commit changed, with the hunks of those it modified: an added or deleted
    file is read from its blob, so its lines (all of them, in a first commit) are skipped."""
    files = []
    for section in (b"\n" + patch).split(b"\ndiff --git ")[1:]:
        head, at, body = section.partition(b"\n@@")
        diff = FileDiff()
        lines = head.decode("utf-8", "surrogateescape").split("\n")
        for line in lines:
            if line.startswith("index "):
                diff.old, _, rest = line[6:].partition("..")
                diff.new = rest.split(" ", 1)[0]
            elif line.startswith(("--- ", "+++ ")):
                name = _unquote(line[4:])
                if name != "/dev/null":
                    diff.path = name[2:]  # after a/ or b/
            elif line.startswith("Binary files "):
                diff.binary = True
                diff.path = _header_path(lines[0])
        if diff.old == ZERO and diff.new == ZERO:
            continue  # a mode change only
        if at and diff.old != ZERO and diff.new != ZERO:
            diff.hunks = _hunks(("@@" + body.decode("utf-8", "surrogateescape")).split("\n"))
        files.append(diff)
    return files


def _header_path(line: str) -> str:
    """The path in `a/PATH b/PATH` (or both quoted), the first line of a diff without
    `---`/`+++` lines: renames are off, so both halves name the same file."""
    half = (len(line) - 1) // 2
    return _unquote(line[:half])[2:]


def _hunks(lines: list[str]) -> list[Hunk]:
    hunks: list[Hunk] = []
    for line in lines:
        if line.startswith("-"):
            hunks[-1][4].append(line[1:])
        elif line.startswith("+"):
            hunks[-1][5].append(line[1:])
        elif line.startswith("@@"):
            hunks.append(_hunk(line))
    return hunks


def _hunk(line: str) -> Hunk:
    m = _HUNK.match(line)
    assert m is not None, line
    old_count = 1 if m[2] is None else int(m[2])
    new_count = 1 if m[4] is None else int(m[4])
    return int(m[1]), old_count, int(m[3]), new_count, [], []


def _unquote(path: str) -> str:
    """git quotes paths with unusual characters C-style: "a/sp\\303\\251cial.yaml"."""
    path = path.rstrip("\t")
    if not path.startswith('"'):
        return path
    import codecs

    raw = codecs.escape_decode(path[1:-1].encode("utf-8"))[0]
    return bytes(raw).decode("utf-8", "replace")
