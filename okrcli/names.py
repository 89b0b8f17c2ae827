"""Names and alignment per file (ids, teams, cycles, parents), read from the cache.

A shell asks for names on every TAB, so this answers without pydantic, a graph or reading the
files: each file's entry is cached (`<root>/.okr_cache/names.marshal`) under its path, size
and modification time, like ruff's cache and git's index, and the list of files under the
modification times of the folders searched (adding, removing or renaming a file changes its
folder's). Only a file changed since is read again.

The same entry holds the file's *alignment* once a command asked for it (`okr score --team`,
`okr tree ID`, `okr mine`, `okr checkin`: okrcli/reach.py): whether it loads as OKRs and, as
the model reads it, its team, cycle, each objective's id, `parent` and key-result ids, and
who owns its items. Completion never needs those, so it leaves them to be made (with
pydantic) by the first command that does.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from okrcli.cache import Store
    from okrcli.config import Config
    from okrcli.load import SourceFile

KIND = "names"
# A file changed this recently is read again next time rather than cached: an edit of the
# same size within the file system's clock tick would not move its time (git calls such
# entries "racily clean").
_RACY_NS = 2_000_000_000
_FILES = "files"  # the entry holding the file list and the folders' times it was found at
# Few files to read are parsed on their own; more, and reading the parse cache (every file's
# parse, tens of MB at 10,000 files) pays for itself.
MOST_PARSED_ALONE = 64


@dataclass
class Names:
    """What TAB can offer: objective and key-result ids, teams and cycles."""

    objectives: list[str] = field(default_factory=list)
    key_results: list[str] = field(default_factory=list)
    teams: set[str] = field(default_factory=set)
    cycles: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Alignment:
    """One file as the graph would link it: nothing when it does not load as OKRs
    (`readable` False), else its team, cycle and objectives as (id, parent, key-result ids),
    and the owners of its objectives and key results (each its own, else the one it
    inherits), as written, each once."""

    rel: str
    readable: bool
    team: str
    cycle: str
    objectives: tuple[tuple[str, str | None, tuple[str, ...]], ...]
    owners: tuple[str, ...] = ()


def read_names(root: Path | None) -> Names:
    """The names of the repository at `root` (found from the working directory if None)."""
    from okrcli.config import load_config

    config = load_config(root)
    found = Names(cycles=set(config.cycles))
    for names, aligned in Index(config).entries(aligned=False).values():
        team, cycle, objectives, key_results = names or _names_of(aligned)
        found.teams.update([team] if team else [])
        found.cycles.update([cycle] if cycle else [])
        found.objectives.extend(objectives)
        found.key_results.extend(key_results)
    return found


def alignment_of(source: SourceFile) -> Alignment:
    """A loaded file's alignment, as the index would hold it."""
    return Alignment(source.rel, *_alignment(source))


class Index:
    """The OKR files, each known by its stat; their entries are read on demand."""

    def __init__(self, config: Config) -> None:
        from okrcli.cache import Store

        self.config = config
        self.store = Store(config.root, KIND)
        top = str(config.root)
        self.keys = {rel: _stat_key(os.path.join(top, rel), rel)
                     for rel in _files(config, self.store)}  # fmt: skip
        self._made: dict[str, Alignment] = {}  # by `alignment_at`, for files not cached
        self._made_alone = False  # an entry made by `alignment_at` is waiting to be saved

    def alignment(self) -> list[Alignment]:
        """Every file's alignment, in the order the loader reads the files."""
        found = [Alignment(rel, *entry[1]) for rel, entry in self.entries(aligned=True).items()]
        self._made.update((a.rel, a) for a in found if self.keys[a.rel] is None)  # not cached
        return found

    def alignment_at(self, rel: str) -> Alignment:
        """One file's alignment: from its cached entry, else made now (and cached; `save`
        keeps it)."""
        entry_key = self.keys.get(rel)
        found = self._made.get(rel) or self.cached(rel, entry_key)
        if found is not None:
            return found
        entry, readable = _entry(self.config, rel, None, aligned=True)
        if entry_key is not None and readable:
            self.store.put(entry_key, entry)
            self._made_alone = True
        self._made[rel] = Alignment(rel, *entry[1])
        return self._made[rel]

    def cached(self, rel: str, entry_key: Any) -> Alignment | None:
        """A file's alignment as cached under `entry_key` (its stat then), if it is."""
        entry = self.store.get(entry_key) if entry_key is not None else None
        if isinstance(entry, tuple) and len(entry) == 2 and entry[1]:
            return Alignment(rel, *entry[1])
        return None

    def save(self) -> None:
        """Keep the entries made one at a time (`alignment_at`), and every other."""
        if self._made_alone:
            self.store.save(prune=False)
            self._made_alone = False

    def entries(self, *, aligned: bool) -> dict[str, tuple[Any, ...]]:
        """Each file's entry, from the cache where its stat is as it was; with `aligned`,
        every entry holds the file's alignment."""
        from okrcli.cache import Store

        store = self.store
        entries: dict[str, tuple[Any, ...]] = {}
        stale: dict[str, tuple[Any, ...] | None] = {}  # to read: the key to cache it under
        for rel, entry_key in self.keys.items():
            entry = store.get(entry_key) if entry_key is not None else None
            if isinstance(entry, tuple) and len(entry) == 2 and (entry[1] or not aligned):
                entries[rel] = entry
            else:
                entries[rel] = ()
                stale[rel] = entry_key
        if stale:
            parsed = Store(self.config.root, "load") if len(stale) > MOST_PARSED_ALONE else None
            for rel, entry_key in stale.items():
                entries[rel], readable = _entry(self.config, rel, parsed, aligned)
                if entry_key is not None and readable:  # one not read is tried again next time
                    store.put(entry_key, entries[rel])
            if parsed is not None:
                parsed.save(prune=False)
        store.save(prune=True)
        self._made_alone = False
        return entries


def _stat_key(path: str, rel: str) -> tuple[str, int, int] | None:
    """What a file's entry is cached under: its path, size and time; None for a file not to
    cache (not a plain file, changed within the clock's tick, or gone)."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or time.time_ns() - info.st_mtime_ns <= _RACY_NS:
        return None
    return rel, info.st_size, info.st_mtime_ns


def _entry(config: Config, rel: str, parsed: Store | None, aligned: bool) -> tuple[Any, bool]:
    """A file's entry: its names (from its YAML as written) and, with `aligned`, its
    alignment (from the loader's model of it), the names None when they are the ones the
    alignment gives (they are, in a valid file: the cache holds each id once); and whether
    its bytes could be read."""
    from okrcli.repo import work_tree_bytes

    raw = work_tree_bytes(config, rel)
    if not isinstance(raw, bytes):
        return (("", "", [], []), _alignment(raw) if aligned else None), False
    names = _file_names(raw, parsed)
    if not aligned:
        return (names, None), True
    from okrcli.load import load_source

    found = _alignment(load_source(rel, raw, parsed))
    return (None if names == _names_of(found) else names, found), True


def _alignment(source: SourceFile) -> tuple[Any, ...]:
    """What the cache keeps of a loaded file's alignment: the fields of `Alignment`."""
    doc = source.doc
    if doc is None:
        return False, "", "", (), ()
    objectives = tuple(
        (o.id, o.parent, tuple(kr.id for kr in o.key_results)) for o in doc.objectives
    )
    owners: set[str] = set()
    for o in doc.objectives:
        owner = o.owner or doc.owner  # as ObjectiveNode.owner and KeyResultNode.owner say
        found = [owner, *(kr.owner or owner for kr in o.key_results)]
        owners.update(name for name in found if name is not None)
    return True, str(doc.team), str(doc.cycle), objectives, tuple(sorted(owners))


def _names_of(aligned: tuple[Any, ...]) -> tuple[str, str, list[str], list[str]]:
    """The names (as `_file_names` gives them) of a file's alignment."""
    team, cycle, objectives = aligned[1:4]
    return team, cycle, [o[0] for o in objectives], [kr for o in objectives for kr in o[2]]


def _files(config: Config, store: Store) -> list[str]:
    """The OKR files, from the cache while no folder searched has changed, else found."""
    stamp = (list(config.paths), _folder_times(config))
    cached = store.get(_FILES)
    if isinstance(cached, tuple) and len(cached) == 2 and cached[0] == stamp:
        return list(cached[1])
    from okrcli.repo import discover

    rels, _ = discover(config)
    if max(stamp[1].values(), default=0) < time.time_ns() - _RACY_NS:
        store.put(_FILES, (stamp, rels))
    return rels


def _folder_times(config: Config) -> dict[str, int]:
    """The modification time of every folder the `paths` globs search."""
    from okrcli.globs import SKIP_DIRS, literal_prefix

    times: dict[str, int] = {}
    for start in sorted({literal_prefix(p) for p in config.paths}):
        top = os.path.join(config.root, start) if start else str(config.root)
        for folder, dirs, _ in os.walk(top):
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
            try:
                times[folder] = os.stat(folder).st_mtime_ns
            except OSError:
                continue
    return times


def _file_names(raw: bytes, parsed: Any) -> tuple[str, str, list[str], list[str]]:
    """One file's team, cycle and ids, from its YAML as written (valid or not)."""
    from okrcli.load import read_yaml
    from okrcli.yamlread import YamlProblem

    try:
        data, _ = read_yaml(raw, parsed)
    except YamlProblem:
        return "", "", [], []
    if not isinstance(data, dict):
        return "", "", [], []
    objectives = _items(data.get("objectives"))
    key_results = [kr for o in objectives for kr in _items(o.get("key_results"))]
    return (
        _name(data.get("team")),
        _name(data.get("cycle")),
        [i for o in objectives if (i := _name(o.get("id")))],
        [i for kr in key_results if (i := _name(kr.get("id")))],
    )


def _items(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _name(value: Any) -> str:
    """A name as okr reads it (`cycle: 2026` is "2026"); "" for anything else."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return ""
    return str(value)
