"""The incremental engine behind `okr check`: a run re-reads only the files that changed.

Each rule says what it reads. `SCOPE = "file"`: its findings in a file come from that file
alone (and the settings), so they are kept in the cache under the file's bytes and path.
A rule without it reads across files, and names the keys of each objective and key result it
reads (`READS`); the engine keeps each file's *facts* for those rules (the values of those
keys, where each item is, and the lines that hold them or a suppression comment) and the
cross-file findings of the last full run. A run then reads every file's bytes, loads and
checks only the files whose bytes are new, and when no file's facts changed, reuses the
cross-file findings. When some did, the files the change can reach (`_Reach`: sharing an id
with a changed file, aligned to it, above it, of its team and cycle) are checked again,
each with what its rules read around it, and the others' findings kept; where that cannot
be told, it loads the repository and runs every rule, as a cold run does, and keeps what
that found for the next run.

The history rules (`READS_HISTORY`: OKR207, OKR208) answer, for each file, from the file
and its *slice* of the history at HEAD: the courses of its key results and the replans
reported in it, which an index of every file's ids settles
(`okrcli.history.replan.placed_at`). Slices are made once per HEAD; a file's history
findings are kept under its bytes and its slice, so after a commit only the files whose
slice it changed are checked again, each on its own. Ids that repeat, or an item whose
replans land in two files, make the run a full one.

Files are known by their bytes. To skip reading the bytes of a file that did not change,
the size, times and inode of each file a run read are kept too (as git's index keeps them):
a file whose stat is as it was has the bytes of that run, unless it was written within
RACY_NS of that run's read, in which case it is simply read again.

Each file's shape (its team, cycle, ids and parents: what `_Reach` and the history's index
read) is kept apart from its entry, by its digest, in a cache of its own: a run whose edits
leave every shape as it was, the pre-commit case, neither reads nor writes them.

A rule that reads across files without `READS` makes the engine stand aside: `check`
returns None and `okr check` does the whole work. The cache is the sealed one of
okrcli.cache; entries are keyed by the settings, the selected rules, today and whether the
root is in git, and slices by HEAD too, so no answer is ever reused where any of those
differ.
"""

from __future__ import annotations

import bisect
import marshal
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import astuple, dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from okrcli import clock, collector
from okrcli.cache import Store, key
from okrcli.config import Config
from okrcli.errors import OkrError
from okrcli.findings import Finding, Level
from okrcli.graph import build_graph
from okrcli.lint import history_first, lint, selected_codes, within
from okrcli.load import SourceFile, load_source
from okrcli.repo import Repo, discover, in_git, load_repo, work_tree_bytes
from okrcli.yamlread import MAX_BYTES

if TYPE_CHECKING:
    from okrcli.history import History, Replan

KIND = "check"
# Few changed files are checked on their own; more, and one full run is cheaper.
MOST_CHANGED = 64
# A file unchanged in size, times and inode since a run read it has the bytes that run read,
# unless it changed within the clock's granularity of that read: like git's index, a file
# touched less than this long before the read is read again next time.
RACY_NS = 2_000_000_000
# The keys that make a key result's kind: a rule that reads `kind` reads these lines.
_KIND_KEYS = ("start", "target", "done", "milestones", "above", "below", "rollup")

Row = tuple[str, int, int, str, str, Level]  # a Finding as marshal keeps it
# A file as the graph links it: team, cycle, and each objective's id, parent and key-result ids.
Shape = tuple[str, str, tuple[tuple[str, str | None, tuple[str, ...]], ...]]
# A file's size, modification and change times and inode, as `_stat` gives them.
Stat = tuple[int, int, int, int]
# What a run keeps of the files it saw, for the next run, a column per field in the order of
# the first: the files, their sizes, modification and change times and inodes, their
# entries' keys, facts and shape digests, and whether each has findings of its own (a file
# without is not read for them). Columns, not a tuple per file: marshal reads a list of
# 10,000 ints or bytes several times faster than 10,000 tuples.
Seen = tuple[
    list[str], list[int], list[int], list[int], list[int], list[bytes], list[bytes], list[bytes],
    bytes,
]  # fmt: skip
# The columns are written in marshal's version 2, without its references to objects seen
# before: version 4 interns every name as it reads it back and tracks every object as it
# writes, 15 and 10 ms at 10,000 files against 4 and 3.
_PLAIN_MARSHAL = 2
_NO_SHAPE: Shape = ("", "", ())
_UNSEEN: Stat = (-1, 0, 0, 0)  # a stat no file has


@dataclass(frozen=True)
class _Rules:
    """The selected rules, as the engine serves them."""

    local: list[str]  # SCOPE = "file"
    cross: list[str]  # READS: the rules that read across files
    history: list[str]  # READS_HISTORY, in git
    reads: set[str]  # what the cross-file rules read
    settings: bytes  # what every answer kept is keyed by
    head: str | None  # the commit the history rules read up to, in git
    history_at: bytes  # `settings` and that commit: what the history's slices are keyed by


def _rules(config: Config) -> _Rules | None:
    """The selected rules, or None when one cannot be served incrementally."""
    from okrcli.rules import RULES

    codes = selected_codes(config)
    git = in_git(config.root)
    history = [code for code in codes if getattr(RULES[code], "READS_HISTORY", False)]
    local = [code for code in codes if getattr(RULES[code], "SCOPE", "") == "file"]
    reads: set[str] = set()
    for code in codes:
        if code not in local and code not in history:
            declared = getattr(RULES[code], "READS", None)
            if declared is None:
                return None
            reads.update(declared)
    settings = key(repr((config, codes, sorted(reads), str(clock.today()), git)).encode())
    # Outside git the history rules have nothing to read, and say nothing; in git what they
    # read is of one HEAD, of a clone that has all of its history.
    at = _head(config) if git and history else (None, False)
    history_at = key(settings + repr(at).encode())
    cross = [code for code in codes if code not in local and code not in history]
    return _Rules(local, cross, history if git else [], reads, settings, at[0], history_at)


def _head(config: Config) -> tuple[str | None, bool]:
    from okrcli import git

    try:
        return git.head(config.root), git.is_shallow(config.root)
    except OkrError:
        return None, False


def check(
    config: Config,
    extra: Iterable[str] = (),
    only: list[str] | None = None,
    unsaved: Mapping[str, bytes] | None = None,
) -> tuple[list[str], list[Finding]] | None:
    """Every file checked and the findings within `only` (every finding for None), as
    `lint(load_repo(config, unsaved=unsaved))` finds them, or None when some selected rule
    cannot be served incrementally. `unsaved` (relative path → bytes) stands in for those
    files on disk: an editor's buffers."""
    rules = _rules(config)
    if rules is None:
        return None
    # Each file's stat, keys and facts are objects that live as long as the run: at 10,000
    # files the collector would walk them again and again as they are made (okrcli/collector).
    with collector.paused():
        rels, problems = discover(config)
        # Files named on the command line were not walked by `discover`: each is read through
        # the loader's checks (a symlinked folder on its way), never from the stat cache.
        unsaved = unsaved or {}
        named = (set(extra) | set(unsaved)) - set(rels)
        run = _Run(config, rules, sorted(set(rels) | named) if named else rels, named, unsaved)
        rows = run.from_kept(only)
        if rows is None:
            found = run.in_full(extra)
        else:
            rows += [_row(problem) for problem in problems]
            found = [Finding(*row) for row in sorted(set(rows))]
        run.save()
    return run.rels, found


class _Run:
    """One incremental `okr check`: each file known by its stat, its bytes or a load."""

    def __init__(
        self,
        config: Config,
        rules: _Rules,
        rels: list[str],
        named: set[str],
        unsaved: Mapping[str, bytes],
    ) -> None:
        self.config, self.rules, self.rels, self.named = config, rules, rels, named
        self.unsaved = unsaved
        self.store = Store(config.root, KIND)
        self.contents: dict[str, bytes] = {}  # the bytes of each file read
        self.keys: dict[str, bytes] = {}  # each file's entry: findings, facts, shape digest
        self.facts: dict[str, bytes] = {}  # each file's facts (see `_facts`)
        self.shapes: dict[str, bytes] = {}  # a digest of each file's ids (see `_shape`)
        self.made_shapes: dict[str, Shape] = {}  # each file's shape, once loaded or read
        self.new_shapes: dict[bytes, Shape] = {}  # the shapes made in this run, by digest
        self.stored_shapes: set[bytes] = set()  # digests known to be in `_shape_store`
        self.full = False  # whether every file was loaded (`in_full`)
        self.fresh: dict[str, bytes | SourceFile] = {}  # files without an entry
        self.loaded: dict[str, SourceFile] = {}
        self.stats_key = key(rules.settings + b"file stats")
        kept = self.store.get(self.stats_key)
        self.known: Seen | None = kept if isinstance(kept, tuple) and len(kept) == 9 else None
        self.stats: dict[str, Stat] = {}  # what to keep of each file for the next run
        self.quiet: set[str] = set()  # unchanged files without findings of their own
        self.own: dict[str, int] = {}  # how many findings of its own each file read has
        self.read: list[str] = []  # the files whose stat was not as kept: read in this run
        self._look()

    def _look(self) -> None:
        settings, store = self.rules.settings, self.store
        started = time.time_ns()
        prefix = os.path.join(self.config.root, "")
        skip = self.named | self.unsaved.keys()
        looks = {rel: _stat(prefix + rel) for rel in self.rels if rel not in skip}
        unchanged = self._unchanged(looks)
        self.read = [rel for rel in self.rels if rel not in unchanged]
        for rel in self.read:
            info = looks.get(rel)
            raw = self._read(rel)
            if isinstance(raw, bytes):
                self.contents[rel] = raw
                self.keys[rel] = key(settings + os.fsencode(rel) + b"\0" + raw)
            else:  # unreadable: its one finding is the whole of it
                problems = repr(raw.problems).encode()
                self.keys[rel] = key(settings + os.fsencode(rel) + b"\1" + problems)
            found = store.get(self.keys[rel])
            if isinstance(found, tuple) and len(found) == 3:
                self.facts[rel], self.shapes[rel] = found[1], found[2]
                self.stored_shapes.add(found[2])
                self.own[rel] = len(found[0])
            else:
                self.fresh[rel] = raw
            if isinstance(raw, bytes):  # kept; a stat too new to trust, as one never seen
                stable = info is not None and max(info[1:3]) < started - RACY_NS
                self.stats[rel] = info if info is not None and stable else _UNSEEN

    def _unchanged(self, looks: dict[str, Stat | None]) -> set[str]:
        """The files whose stat is as the last run kept it (and whose entry is still there):
        that run's entry holds their findings, and their key, facts and shape digest are
        taken from what it kept, so nothing of them is read or unmarshalled now."""
        if self.known is None:
            return set()
        rels, sizes, mtimes, ctimes, inodes, keys, facts, shapes, own = self.known
        stats = list(zip(sizes, mtimes, ctimes, inodes, strict=True))
        same = {rel for rel, stat in zip(rels, stats, strict=True) if looks.get(rel) == stat}
        keep = self.store.keep
        same = {rel for rel, entry in zip(rels, keys, strict=True) if rel in same and keep(entry)}
        for column, into in ((keys, self.keys), (facts, self.facts), (shapes, self.shapes)):
            into.update(zip(rels, column, strict=True))
        for rel in rels:
            if rel not in same:
                del self.keys[rel], self.facts[rel], self.shapes[rel]
        self.quiet = {rel for rel, has in zip(rels, own, strict=True) if not has and rel in same}
        self.stats.update(pair for pair in zip(rels, stats, strict=True) if pair[0] in same)
        return same

    def from_kept(self, only: list[str] | None) -> list[Row] | None:
        """The findings within `only` from what was kept, checking the few changed files on
        their own; None when a full run is needed."""
        record = self.store.get(self.record_key)
        if record is None or len(self.fresh) > MOST_CHANGED:
            return None
        self.store.keep(self.then_key)  # for a later run whose edit reaches across files
        self._check_alone()
        if record[0] != _digest(self.rels, self.facts):
            cross = self._recheck(record[1])
            if cross is None:
                return None
            record = self._keep_record(cross)
        history = self._history_keys() if self.rules.history else {}
        if history is None:
            return None
        inside, get = _inside(only), self.store.get
        rows = [
            row
            for rel in self.rels
            if rel not in self.quiet and inside(rel)
            for row in get(self.keys[rel])[0]
        ]
        rows += [row for row in record[1] if inside(row[0])]
        rows += [row for rel, kept in history.items() if inside(rel) for row in get(kept)]
        return rows

    @property
    def record_key(self) -> bytes:
        return key(self.rules.settings + b"cross-file findings")

    @property
    def then_key(self) -> bytes:
        """Where the facts and shape of each file at the record are (see `_keep_record`)."""
        return key(self.rules.settings + b"files at the record")

    def _keep_record(self, cross: list[Row]) -> tuple[bytes, list[Row]]:
        """Keep the cross-file findings, under what the rules saw of every file, and each
        file's facts and shape digest as they were then (what `_recheck` compares a later run
        with), as columns."""
        record = (_digest(self.rels, self.facts), cross)
        self.store.put(self.record_key, record)
        facts = [self.facts[rel] for rel in self.rels]
        then = (self.rels, facts, [self.shapes[rel] for rel in self.rels])
        self.store.put_marshalled(self.then_key, marshal.dumps(then, _PLAIN_MARSHAL))
        return record

    def _recheck(self, kept: list[Row]) -> list[Row] | None:
        """The cross-file findings after some files' facts changed: the files the change can
        reach are checked again, each with what its rules read around it, and the findings
        of the others kept; None where that cannot be told (an id in two files, a loop) or
        reaches far, for a full run."""
        then = self.store.get(self.then_key)
        if not (isinstance(then, tuple) and len(then) == 3):
            return None
        was_of = dict(zip(then[0], zip(then[1], then[2], strict=True), strict=True))
        before: dict[str, Shape] = {}
        for rel in sorted({*self.rels, *was_of}):
            was = was_of.get(rel)
            if was is not None and rel in self.facts and was[0] == self.facts[rel]:
                continue
            shape = _NO_SHAPE if was is None else self._shape_store.get(was[1])
            if shape is None:
                return None
            before[rel] = shape
        if len(before) > MOST_CHANGED:
            return None
        reach = _Reach({rel: self._shape(rel) for rel in self.rels})
        again = reach.moved_by(before)
        around = None if again is None else reach.read_by(again)
        if again is None or around is None or len(around) > _MOST_AROUND:
            return None
        part = self._part([self._source(rel) for rel in self.rels if rel in around])
        found = [_row(f) for f in lint(part, codes=self.rules.cross) if f.path in again]
        # A message that names the nearest of every id knows only the ids around here, and
        # one kept elsewhere is stale once the ids changed.
        suggesting = _suggesting(self.rules.cross)
        ids_moved = _ids(before.values()) != _ids(self._shape(r) for r in before if r in self.facts)
        if any(row[3] in suggesting for row in found) or (
            ids_moved and any(row[3] in suggesting for row in kept)
        ):
            return None
        return [row for row in kept if row[0] not in again] + found

    def _check_alone(self) -> None:
        """The file-local findings, facts and shape of each file without an entry, each
        loaded on its own."""
        if not self.fresh:
            return
        # Parsed afresh, not through the parse cache: reading that cache whole (every file's
        # data) would cost more than parsing the few files that changed.
        sources = [
            load_source(rel, raw) if isinstance(raw, bytes) else raw
            for rel, raw in self.fresh.items()
        ]
        self.loaded.update((source.rel, source) for source in sources)
        rows: dict[str, list[Row]] = {rel: [] for rel in self.fresh}
        for finding in lint(self._part(sources), codes=self.rules.local):
            rows[finding.path].append(_row(finding))
        for source in sources:
            self._keep(source, rows[source.rel])

    def _keep(self, source: SourceFile, rows: list[Row]) -> None:
        """Keep a loaded file's own findings, with its facts and shape."""
        rel = source.rel
        self.facts[rel] = _facts(source, self.contents.get(rel), self.rules.reads)
        shape = self.made_shapes[rel] = _shape(source)
        digest = self.shapes[rel] = key(repr(shape).encode())
        self.new_shapes[digest] = shape
        self.own[rel] = len(rows)
        self.store.put(self.keys[rel], (rows, self.facts[rel], digest))

    def in_full(self, extra: Iterable[str]) -> list[Finding]:
        """Every finding, from the whole repository loaded and checked as a cold run does;
        what each file's findings are made of is kept for the next run."""
        for rel in self.rels:  # the facts of every file are made from its bytes
            if rel not in self.contents:
                raw = self._read(rel)
                if isinstance(raw, bytes):
                    self.contents[rel] = raw
        rules, config = self.rules, self.config
        self.full = True
        with history_first(config, at=None, cache=True):
            repo = load_repo(config, extra=extra, cache=True, unsaved=self.contents)
            found = lint(repo)
            own: dict[str, list[Row]] = {rel: [] for rel in self.rels}
            history: dict[str, list[Row]] = {rel: [] for rel in self.rels}
            cross: list[Row] = []
            for finding in found:
                if finding.code in rules.local or finding.code in rules.history:
                    if finding.path in own:  # not a folder discovery turned down
                        mine = own if finding.code in rules.local else history
                        mine[finding.path].append(_row(finding))
                else:
                    cross.append(_row(finding))
            for source in repo.files:
                self._keep(source, own[source.rel])
            self._keep_record(cross)
            if rules.history and (sliced := self._sliced()) is not None:
                for rel, digest in sliced[0].items():
                    self.store.put(self._history_key(rel, digest), history[rel])
        return found

    def _history_keys(self) -> dict[str, bytes] | None:
        """The key of each file's history findings, those missing made now; None when the
        replans cannot be told apart by file, or too many files need checking again."""
        sliced = self._sliced()
        if sliced is None:
            return None
        digests, whole = sliced
        keys = {rel: self._history_key(rel, digests[rel]) for rel in self.rels}
        redo = [rel for rel in self.rels if not self.store.keep(keys[rel])]
        if len(redo) > MOST_CHANGED:
            return None
        if redo:
            from okrcli.history import lend, part_of

            sources = [self._source(rel) for rel in redo]
            parts = [self._slices.get(self._slice_key(digests[rel])) for rel in redo]
            if whole and not all(
                part is not None and set(_key_results(_shape(source))) <= part[0].keys()
                for part, source in zip(parts, sources, strict=True)
            ):
                return None  # a slice lost: the next full run makes it again
            part = self._part(sources)
            lend(part, part_of(self.rules.head, parts) if whole else None)
            rows: dict[str, list[Row]] = {rel: [] for rel in redo}
            for finding in lint(part, codes=self.rules.history):
                rows[finding.path].append(_row(finding))
            for rel in redo:
                self.store.put(keys[rel], rows[rel])
        return keys

    def _sliced(self) -> tuple[dict[str, bytes], bool] | None:
        """A digest of each file's *slice* of the history at HEAD (the courses of its key
        results and the replans reported in it, which are all its history findings read),
        and whether there is a history; None when ids repeat or an item's replans land in
        two files. Made once per HEAD: from the slices of the HEAD before when no file's
        ids changed since, slicing again only the files that hold a key result whose course
        moved or a replan made since; else in full. A commit leaves the findings of every
        file whose slice it did not change as they were."""
        shapes = _digest(self.rels, self.shapes)
        record_key = key(self.rules.settings + b"slices")
        kept = self.store.get(record_key)
        record = None if kept is None else _Sliced(*kept)
        if record is not None and (record.at, record.shapes) == (self.rules.history_at, shapes):
            return record.digests, record.whole
        history = self._history
        if history is None:
            digests = dict.fromkeys(self.rels, b"")
            made = _Sliced(self.rules.history_at, shapes, None, digests, False, {}, {})
            self.store.put(record_key, tuple(made))
            return digests, False
        moved, replans = history.moved, history.replans()
        index_key = key(self.rules.settings + b"index\0" + shapes)
        if (
            record is not None
            and moved is not None
            and (record.shapes, record.head) == (shapes, moved[0])
            and record.whole
        ):  # moved on from the slices of the HEAD before, where no id repeated
            digests, placed, files_of = dict(record.digests), record.placed, record.files_of
            near = _Near(moved[3], set(self.rels), self._shape, lambda: self._index(index_key))
            given = _place(replans, moved[2], near.get, near.first, placed, files_of)
            found = [near.get(ident) for ident in moved[1]]
            redo = {at[0] for at in found if at is not None} | (given or set())
        else:
            index = self._index(index_key)
            if index is None:
                return None
            digests, placed, files_of = {}, {}, {}
            given = _place(replans, 0, index[0].get, index[1].get, placed, files_of)
            redo = set(self.rels)
        if given is None:
            return None
        from okrcli.history import slice_of

        for rel in self.rels:
            if rel not in redo:
                self._slices.keep(self._slice_key(digests[rel]))
                continue
            part = slice_of(history, _key_results(self._shape(rel)), placed.get(rel, []))
            digests[rel] = key(repr(part).encode())
            self._slices.put(self._slice_key(digests[rel]), part)
        made = _Sliced(self.rules.history_at, shapes, history.head, digests, True, placed, files_of)
        self.store.put(record_key, tuple(made))
        self._slices.save(prune=True)  # only this HEAD's
        return digests, True

    def _index(self, index_key: bytes) -> _Index | None:
        """Every id's file and whether it is a key result, and each file's first objective,
        made once for the files' shapes (in `index_key`), in a cache of its own (an edit
        reads the slices, never this); None when an id repeats."""
        store = Store(self.config.root, "ids")
        index = store.get(index_key)
        if index is None:
            index = _index_of(self.rels, {rel: self._shape(rel) for rel in self.rels})
            if index is None:
                return None
            store.put(index_key, index)
        store.save(prune=True)  # only the index of these shapes
        return index[0], index[1]

    @cached_property
    def _slices(self) -> Store:
        """The slices of the history at HEAD, in a cache of their own: read by the runs that
        check a file against its slice, written once per HEAD, not by every run."""
        return Store(self.config.root, "slices")

    @cached_property
    def _history(self) -> History | None:
        from okrcli.history import work_tree_history

        return work_tree_history(self.config.root, self.config.paths)

    def _shape(self, rel: str) -> Shape:
        """A file's shape: from its load in this run, or kept under its digest (and made
        again from the file if it was lost)."""
        if rel not in self.made_shapes:
            shape = self._shape_store.get(self.shapes[rel])
            if shape is None:
                shape = _shape(self._source(rel))
                self.new_shapes[key(repr(shape).encode())] = shape
            self.made_shapes[rel] = shape
        return self.made_shapes[rel]

    @cached_property
    def _shape_store(self) -> Store:
        """Every file's shape by its digest, in a cache of its own (5 MB at 10,000 files): a
        run whose edits leave every shape as it was (a value, a title) neither reads it nor
        writes it; the first run that needs one shape reads them all."""
        return Store(self.config.root, "shapes")

    def _part(self, sources: list[SourceFile]) -> Repo:
        """Some files as a repository of their own, to be checked on their own."""
        return Repo(self.config, sources, build_graph(sources, self.config), clock.today())

    def _history_key(self, rel: str, slice_digest: bytes) -> bytes:
        """Where a file's history findings are kept: by its bytes and its slice."""
        return key(self.rules.settings + b"history\0" + self.keys[rel] + slice_digest)

    def _slice_key(self, digest: bytes) -> bytes:
        return key(self.rules.settings + b"slice\0" + digest)

    def _source(self, rel: str) -> SourceFile:
        """The file loaded: in this run already, or from its bytes now."""
        if rel in self.loaded:
            return self.loaded[rel]
        raw = self.contents.get(rel) or self._read(rel)
        return load_source(rel, raw) if isinstance(raw, bytes) else raw

    def _read(self, rel: str) -> bytes | SourceFile:
        if rel in self.unsaved:
            return self.unsaved[rel]
        return _read(self.config, rel, rel not in self.named)

    def save(self) -> None:
        """Keep each file's stat with its entry's key, facts and shape for the next run."""
        seen = self._patched() or self._seen()
        if seen != self.known:
            self.store.put_marshalled(self.stats_key, marshal.dumps(seen, _PLAIN_MARSHAL))
        else:
            self.store.keep(self.stats_key)
        self.store.save(prune=True)
        self._save_shapes()

    def _seen(self) -> Seen:
        """What to keep of every file whose stat and facts are known."""
        rels = [rel for rel in self.rels if rel in self.stats and rel in self.facts]
        stats = zip(*(self.stats[rel] for rel in rels), strict=True)
        sizes, mtimes, ctimes, inodes = [list(column) for column in stats] or [[], [], [], []]
        return (
            rels,
            sizes,
            mtimes,
            ctimes,
            inodes,
            [self.keys[rel] for rel in rels],
            [self.facts[rel] for rel in rels],
            [self.shapes[rel] for rel in rels],
            bytes(self._has_own(rel) for rel in rels),
        )

    def _patched(self) -> Seen | None:
        """`_seen`, as the last run's columns with the few files read in this run put in:
        the same files, unchanged but for those (a copy of a list is one C loop, where
        `_seen` asks each of 10,000 files for each column); None when the files are others,
        or one read cannot be kept."""
        known, rels = self.known, self.rels
        if known is None or known[0] != rels or len(self.read) > MOST_CHANGED:
            return None
        if not all(rel in self.stats and rel in self.facts for rel in self.read):
            return None
        sizes, mtimes, ctimes, inodes = (list(column) for column in known[1:5])
        keys, facts, shapes = (list(column) for column in known[5:8])
        has_own = bytearray(known[8])
        for rel in self.read:
            at = bisect.bisect_left(rels, rel)  # the files are sorted
            if rels[at] != rel:
                return None
            sizes[at], mtimes[at], ctimes[at], inodes[at] = self.stats[rel]
            keys[at], facts[at], shapes[at] = self.keys[rel], self.facts[rel], self.shapes[rel]
            has_own[at] = self._has_own(rel)
        return rels, sizes, mtimes, ctimes, inodes, keys, facts, shapes, bytes(has_own)

    def _has_own(self, rel: str) -> bool:
        """Whether a file has findings of its own."""
        return self.own[rel] > 0 if rel in self.own else rel not in self.quiet

    def _save_shapes(self) -> None:
        """Add the new shapes to their cache, which keeps those of every file and of every
        file at the record; untouched when every shape this run made was in it already."""
        known = self.stored_shapes.union(self.known[7] if self.known else ())
        if not self.full and all(digest in known for digest in self.new_shapes):
            return
        store, then = self._shape_store, self.store.get(self.then_key)
        wanted = {self.shapes[rel] for rel in self.rels if rel in self.shapes}
        if isinstance(then, tuple) and len(then) == 3:
            wanted.update(then[2])
        for digest in wanted:
            if digest in self.new_shapes:
                store.put(digest, self.new_shapes[digest])
            else:
                store.keep(digest)
        store.save(prune=True)


class _Sliced(NamedTuple):
    """The slices made at one HEAD, as kept (a plain tuple) for the runs after it."""

    at: bytes  # the history they are of: the rules' settings and HEAD
    shapes: bytes  # a digest of every file's shape then
    head: str | None
    digests: dict[str, bytes]  # each file's slice's
    whole: bool  # False: no history to slice
    placed: dict[str, list[int]]  # the numbers of the replans reported in each file
    files_of: dict[str, str]  # the file each replanned item's replans are reported in


# Every id's file and whether it is a key result; each file's first objective's entry.
_Index = tuple[dict[str, tuple[str, bool]], dict[str, tuple[str, bool]]]


def _index_of(rels: list[str], shapes: dict[str, Shape]) -> _Index | None:
    """Where each id is, for `placed_at`; None when an id repeats (the graph would keep one
    of them)."""
    by_id: dict[str, tuple[str, bool]] = {}
    first: dict[str, tuple[str, bool]] = {}
    for rel in rels:
        objectives = shapes[rel][2]
        for ident, is_key_result in [
            *((o[0], False) for o in objectives),
            *((k, True) for k in _key_results(shapes[rel])),
        ]:
            if ident in by_id:
                return None
            by_id[ident] = (rel, is_key_result)
        if objectives:
            first[rel] = (rel, False)
    return by_id, first


_Where = Callable[[str], tuple[str, bool] | None]  # an id's (or a file's first objective's)


def _place(
    replans: list[Replan],
    start: int,
    by_id: _Where,
    first: _Where,
    placed: dict[str, list[int]],
    files_of: dict[str, str],
) -> set[str] | None:
    """Add the replans from number `start` on to the numbers reported in each file
    (`placed`), and return the files given one; None when an item's replans land in two
    files (OKR207 reports them together): `files_of` holds each item's file."""
    from okrcli.history.replan import item_of, placed_at

    given: set[str] = set()
    for number in range(start, len(replans)):
        at = placed_at(replans[number], by_id, lambda entry: entry[1], first)
        if at is None:
            continue
        if files_of.setdefault(item_of(replans[number]), at[0]) != at[0]:
            return None
        placed.setdefault(at[0], []).append(number)
        given.add(at[0])
    return given


class _Near:
    """Where ids are, asked first of the files near a change (those its commits touched)
    and of the index of every file only for an id not found there: while no id repeats, an
    id found near is nowhere else, and most runs never read the index."""

    def __init__(
        self,
        near: Iterable[str],
        rels: set[str],
        shape_of: Callable[[str], Shape],
        index: Callable[[], _Index | None],
    ) -> None:
        self._near, self._rels = sorted(set(near) & rels), rels
        self._shape_of, self._read_index = shape_of, index

    def get(self, ident: str) -> tuple[str, bool] | None:
        for rel in self._near:
            shape = self._shape_of(rel)
            if any(objective[0] == ident for objective in shape[2]):
                return rel, False
            if ident in _key_results(shape):
                return rel, True
        index = self._index
        return None if index is None else index[0].get(ident)

    def first(self, rel: str) -> tuple[str, bool] | None:
        """The entry of file `rel`'s first objective."""
        return (rel, False) if rel in self._rels and self._shape_of(rel)[2] else None

    @cached_property
    def _index(self) -> _Index | None:
        return self._read_index()


def _suggesting(codes: list[str]) -> set[str]:
    """The rules whose messages suggest the nearest of every id in the repository."""
    from okrcli.rules import RULES

    return {code for code in codes if getattr(RULES[code], "SUGGESTS_FROM_EVERY_ID", False)}


def _ids(shapes: Iterable[Shape]) -> list[str]:
    """Every id of `shapes`, in order."""
    return sorted(
        ident for _, _, objectives in shapes for o in objectives for ident in (o[0], *o[2])
    )


# Past this many files around an edit, a full run is about as quick and far simpler.
_MOST_AROUND = 512


class _Reach:
    """The alignment of every file, from their shapes: which files an edit can reach."""

    def __init__(self, shapes: dict[str, Shape]) -> None:
        self.shapes = shapes
        self.holders: dict[str, list[str]] = {}  # id → the files that hold it
        self.parent: dict[str, str | None] = {}  # objective id → its parent
        self.objective: dict[str, str] = {}  # key-result id → its objective's id
        self.children: dict[str, set[str]] = {}  # id → files of the objectives aligned to it
        self.teams: dict[tuple[str, str], set[str]] = {}  # (team, cycle) → its files
        for rel, (team, cycle, objectives) in shapes.items():
            if objectives:
                self.teams.setdefault((team, cycle), set()).add(rel)
            for ident, parent, key_results in objectives:
                self.holders.setdefault(ident, []).append(rel)
                self.parent[ident] = parent
                if parent is not None:
                    self.children.setdefault(parent, set()).add(rel)
                for kr in key_results:
                    self.holders.setdefault(kr, []).append(rel)
                    self.objective[kr] = ident

    def moved_by(self, before: dict[str, Shape]) -> set[str] | None:
        """The files whose cross-file findings can move when the files of `before` changed
        from those shapes to today's: themselves, the files sharing an id with them, aligned
        to them, above them, or of their team and cycle; None when ids repeat or a loop."""
        if any(len(files) > 1 for files in self.holders.values()):
            return None  # which of two a `parent:` names depends on every file
        found = set(before)
        for shape in (*before.values(), *(self.shapes.get(rel, _NO_SHAPE) for rel in before)):
            if not self._around(shape, found):
                return None
        return found

    def read_by(self, files: set[str]) -> set[str] | None:
        """`files` and every file the cross-file rules read to judge them; None: a loop."""
        found = set(files)
        for rel in files:
            if not self._around(self.shapes.get(rel, _NO_SHAPE), found):
                return None
        return found

    def _around(self, shape: Shape, found: set[str]) -> bool:
        """Add to `found` the files around a file of `shape`: those holding its ids or
        aligned to them, those above its objectives, those of its team and cycle; False
        when a loop is on the way up."""
        team, cycle, objectives = shape
        found.update(self.teams.get((team, cycle), ()))
        for ident, parent, key_results in objectives:
            for name in (ident, *key_results):
                found.update(self.holders.get(name, ()))
                found.update(self.children.get(name, ()))
            seen = {ident}
            while parent is not None and parent not in seen:
                seen.add(parent)
                found.update(self.holders.get(parent, ()))
                parent = self.parent.get(self.objective.get(parent, parent))
            if parent is not None:
                return False
        return True


def _shape(source: SourceFile) -> Shape:
    """A file as the graph links it (see `Shape`); nothing of a file that does not load."""
    doc = source.doc
    if doc is None:
        return _NO_SHAPE
    objectives = tuple(
        (str(o.id), o.parent, tuple(str(kr.id) for kr in o.key_results)) for o in doc.objectives
    )
    return str(doc.team), str(doc.cycle), objectives


def _key_results(shape: Shape) -> list[str]:
    return [ident for objective in shape[2] for ident in objective[2]]


def _inside(only: list[str] | None) -> Callable[[str], bool]:
    """Whether a path lies `within` one of `only` (each a file or a folder; None: all),
    asked of every file of the repository, so files are looked up and folders prefixed."""
    if only is None or any(within("", w) for w in only):
        return lambda path: True
    files = frozenset(only)
    folders = tuple(w.rstrip("/") + "/" for w in only)
    return lambda path: path in files or path.startswith(folders)


def _digest(rels: list[str], digests: dict[str, bytes]) -> bytes:
    """The files and a 16-byte digest of each (their facts: what the cross-file rules can
    see of the whole repository; their shapes), as one digest: no two lists give the same
    bytes."""
    return key(repr(rels).encode() + b"".join([digests[rel] for rel in rels]))


def _stat(path: str) -> Stat | None:
    """Size, modification and change times and inode of a plain file, else None."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


def _read(config: Config, rel: str, walked: bool) -> bytes | SourceFile:
    """`work_tree_bytes`, with one `lstat` and one `open` for a plain file of a sane size
    (reading every file's bytes is most of a warm run). Only for a file `discover` `walked`
    to: its folders are known to lie inside the root; a file named on the command line goes
    through every check of the loader (a symlinked folder on its way)."""
    path = os.path.join(config.root, rel)
    try:
        info = os.lstat(path)
        if walked and stat.S_ISREG(info.st_mode) and info.st_size <= MAX_BYTES:
            with open(path, "rb") as handle:
                return handle.read()
    except OSError:
        pass
    return work_tree_bytes(config, rel)  # says why not, in the loader's words


def _row(finding: Finding) -> Row:
    return astuple(finding)


def _facts(source: SourceFile, raw: bytes | None, reads: set[str]) -> bytes:
    """What the cross-file rules can see of a file, hashed: the values they read of each
    objective and key result, where each item is, and the lines holding what they read or a
    suppression comment (so a finding's position, or its silencing, is never stale)."""
    if source.doc is None or raw is None:
        return key(b"not read as OKRs")
    names = sorted(reads)
    values: list[Any] = [str(source.doc.team), str(source.doc.cycle)]
    for i, objective in enumerate(source.doc.objectives):
        loc: tuple[str | int, ...] = ("objectives", i)
        values.append((_values(objective, names), source.item_positions.get(loc)))
        for j, key_result in enumerate(objective.key_results):
            at = source.item_positions.get((*loc, "key_results", j))
            values.append((_values(key_result, names), at))
    return key(repr((values, _lines(raw, reads))).encode())


def _values(model: Any, names: list[str]) -> list[Any]:
    """The model's values of `names`; a name the model has no field for is not asked (a
    missing attribute costs pydantic an exception)."""
    fields = type(model).model_fields
    found = [getattr(model, name) for name in names if name in fields]
    if "kind" in names and hasattr(model, "kind"):
        found.append(model.kind())
    return found  # made text once, with the whole file's facts


def _lines(raw: bytes, reads: set[str]) -> tuple[Any, ...]:
    """(number, text) of each line that starts with a key `reads` names (or `id`, `team`,
    `cycle`), holds a flow mapping or a suppression comment, and how many lines there are.

    Found with `bytes.find`, not a regular expression: at 10,000 files this runs over every
    byte of the repository on a full run, and a pattern anchored at line starts was a
    third of the load's time.
    """
    names = {"id", "team", "cycle", *reads} - {"kind"}
    if "kind" in reads:
        names.update(_KIND_KEYS)
    starts = {start for name in names for start, at in _found(raw, name.encode())
              if _is_key(raw, start, at, at + len(name))}  # fmt: skip
    starts.update(start for needle in (b"okr:", b"{") for start, _ in _found(raw, needle))
    kept, number, last = [], 0, 0
    for start in sorted(starts):
        number += raw.count(b"\n", last, start)
        last = start
        end = raw.find(b"\n", start)
        kept.append((number, raw[start : end if end >= 0 else len(raw)]))
    return raw.count(b"\n"), tuple(kept)


def _is_key(raw: bytes, start: int, at: int, end: int) -> bool:
    """Whether the word at `at`..`end` of the line from `start` is a key: nothing but
    indentation, `-`, `{` or `,` before it (and a quote), a quote or spaces, then `:`."""
    return not raw[start:at].strip(b" \t-{,\"'") and raw[end : end + 4].lstrip(b"\"' ")[:1] == b":"


def _found(raw: bytes, needle: bytes) -> Iterator[tuple[int, int]]:
    """(start of its line, where it is) for each occurrence of `needle` in `raw`."""
    at = raw.find(needle)
    while at >= 0:
        yield raw.rfind(b"\n", 0, at) + 1, at
        at = raw.find(needle, at + 1)


def checked_findings(
    config: Config,
    *,
    only: list[str] | None,
    extra: list[str],
    at: str | None,
    since: str | None,
    cache: bool,
) -> tuple[list[str], list[Finding]]:
    """What `okr check` reports: the files checked within `only` (every file for None) and
    their findings; incrementally where it can, as of `at`, or since `since`."""
    done = check(config, extra, only) if cache and at is None and since is None else None
    if done is not None:
        rels, findings = done
    else:
        with history_first(config, at=at, cache=cache):
            repo = load_repo(config, at=at, extra=extra, cache=cache)  # parses shared
            if since is None:
                findings = lint(repo, only)
            else:
                from okrcli.since import base_of, pull_request

                findings = pull_request(repo, base_of(config.root, since), only, cache=cache)
        rels = [source.rel for source in repo.files]
    if only is None:
        return rels, findings
    inside = _inside(only)
    return [rel for rel in rels if inside(rel)], [f for f in findings if inside(f.path)]
