"""One `git log -p` read as a stream, turned into changes of key results per commit.

Per commit we compare the key results in the old and new versions of the files it
changed (not a running state), so branches and merges need no special care, and a key
result moved from one file to another, or a file renamed, keeps its history.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

from okrcli import git
from okrcli.history.records import Change, Commit, State, split_message
from okrcli.history.snapshot import Snapshot, derive, parse_blob

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


@dataclass
class Walker:
    """The state of one walk: the newest version of every file, and of every key result."""

    root: Path
    head: str | None = None
    tips: dict[str, tuple[str, Snapshot]] = field(default_factory=dict)  # path → (blob, snap)
    seen: dict[str, Snapshot] = field(default_factory=dict)  # blob → its version, this walk
    last_seen: dict[str, State] = field(default_factory=dict)
    commits: list[Commit] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    parsed: int = 0  # blobs read in full (tests check most versions come from diffs)

    def run(self, revs: list[str], pathspecs: tuple[str, ...], progress: Progress) -> None:
        reader = git.BlobReader(self.root)
        process = git.log_patches(self.root, FORMAT, revs, pathspecs)
        try:
            for count, (header, patch) in enumerate(_records(process.stdout), 1):
                self._commit(_commit(header), _diffs(patch), reader)
                if progress is not None and count % 200 == 0:
                    progress(count, None)
        finally:
            process.stdout.close()
            git.finish(process, "log")
            reader.close()

    def _snapshot(self, blob: str, reader: git.BlobReader) -> Snapshot:
        if not self.seen and self.tips:  # a walk that goes on from the cache
            self.seen = {known: snap for known, snap in self.tips.values()}
        snap = self.seen.get(blob)
        if snap is None:
            self.parsed += 1
            snap = self.seen[blob] = parse_blob(reader.read(blob))
        return snap

    def _commit(self, commit: Commit, files: list[FileDiff], reader: git.BlobReader) -> None:
        """Record what `commit` did to each key result in the files it changed."""
        self.commits.append(commit)
        before: dict[str, tuple[str, State]] = {}
        after: dict[str, tuple[str, State]] = {}
        unreadable = False
        for diff in files:
            old = None
            if diff.old != ZERO:
                tip = self.tips.get(diff.path)
                old = tip[1] if tip and tip[0] == diff.old else self._snapshot(diff.old, reader)
            derived = None if old is None or diff.new == ZERO else derive(old, diff.hunks)
            if old is not None and derived is not None:  # fast path: only these changed
                new, touched = derived
                self.tips[diff.path] = (diff.new, self.seen.setdefault(diff.new, new))
                for ident in touched:
                    self._record(commit, ident, diff.path, old.krs[ident], new.krs[ident])
                continue
            if old is not None:
                before.update((k, (diff.path, s)) for k, s in old.krs.items())
            if diff.new == ZERO:
                self.tips.pop(diff.path, None)
                continue
            new = self._snapshot(diff.new, reader)
            self.tips[diff.path] = (diff.new, new)
            unreadable |= new.broken
            after.update((k, (diff.path, s)) for k, s in new.krs.items())
        for ident, (path, state) in after.items():
            previous = before.get(ident, (path, self.last_seen.get(ident)))[1]
            self._record(commit, ident, path, previous, state)
        if not unreadable:
            for ident in before.keys() - after.keys():
                self._record(commit, ident, before[ident][0], before[ident][1], None)

    def _record(
        self, commit: Commit, ident: str, path: str, old: State | None, new: State | None
    ) -> None:
        if old != new:
            self.changes.append(Change(commit, ident, path, old, new))
        if new is None:
            self.last_seen.pop(ident, None)
        else:
            self.last_seen[ident] = new


Progress = Callable[[int, int | None], None] | None  # (commits read, of how many: unknown)


def _records(stream: IO[bytes]) -> Iterator[tuple[bytes, bytes]]:
    """(header, patch) per commit from `\\0header\\0patch` records."""
    buffer, header, started = b"", None, False
    while chunk := stream.read(1 << 20):
        buffer += chunk
        *pieces, buffer = buffer.split(b"\0")
        for piece in pieces:
            if not started:
                started = True
            elif header is None:
                header = piece
            else:
                yield header, piece
                header = None
    if header is not None:
        yield header, buffer


def _commit(header: bytes) -> Commit:
    sha, author, email, when, message = header.decode("utf-8", "replace").split("\x1f", 4)
    subject, note, trailers = split_message(message)
    return Commit(sha, author, email, datetime.fromisoformat(when), subject, note, trailers)


def _diffs(patch: bytes) -> list[FileDiff]:
    files: list[FileDiff] = []
    current: FileDiff | None = None
    hunk: Hunk | None = None
    for line in patch.decode("utf-8", "surrogateescape").split("\n"):
        if line.startswith("diff --git "):
            current, hunk = FileDiff(), None
            files.append(current)
        elif current is None:
            continue
        elif hunk is not None:
            if line.startswith("-"):
                hunk[4].append(line[1:])
            elif line.startswith("+"):
                hunk[5].append(line[1:])
            elif line.startswith("@@"):
                hunk = _hunk(line)
                current.hunks.append(hunk)
        elif line.startswith("index "):
            current.old, _, rest = line[6:].partition("..")
            current.new = rest.split(" ", 1)[0]
        elif line.startswith(("--- ", "+++ ")):
            name = _unquote(line[4:])
            if name != "/dev/null":
                current.path = name[2:]  # after a/ or b/
        elif line.startswith("@@"):
            hunk = _hunk(line)
            current.hunks.append(hunk)
    return [f for f in files if f.old != ZERO or f.new != ZERO]  # not a mode change only


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
