"""Load only the files a command shows: `okr score --team/--owner`, `okr mine`, `okr tree ID`
and `okr checkin` at any size.

A shown objective is scored from what aligns below it (children, recursively); whether it
counts in its parent depends on that parent; which cycle is shown depends on the cycles of
the whole repository and of the objectives in focus. The alignment index (okrcli/names.py:
per file, kept under its stat) says where each of those is, and whose items each file holds,
so only the files of the objectives in focus (in the cycles shown; for `okr tree ID`, ID's
file), of everything aligned below them and of their parents are loaded; a check-in loads
the files of the items it names (an id in no file is an error suggesting the nearest of
every id, which the index has too). Every file that does not load as OKRs is loaded too: the
output lists them. The maps the walk follows, made from every file's entry, are kept
(`.okr_cache/reach.marshal`) with the stats they were made at, and hold while each file that
moved since is aligned as it was; beside them, where each id is written and whose items each
file holds, decoded only by the commands that ask.

The subset gives what the whole repository gives only while every link it follows means the
same in both. So the whole repository is loaded instead (these functions return None) when
the index shows a duplicate id anywhere the walk reaches (which of the two a `parent:` names
depends on every file), a team or a tree's ID that would be an error (the error lists
teams or ids in the order of the files), `me` unknown to git, or a loaded file that no
longer says what the index says of it (edited during the run). An alignment loop through a
shown objective needs nothing more: every objective whose parents lead into it lies below
that objective, so the subset holds them all, in the same order, and the loop is found and
cut where the whole repository's load cuts it.
"""

from __future__ import annotations

import os
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from okrcli import clock, collector
from okrcli.cache import Store
from okrcli.config import Config
from okrcli.cycles import Cycle
from okrcli.errors import OkrError
from okrcli.focus import Focus, focus_among
from okrcli.graph import Graph, KeyResultNode, ObjectiveNode, build_graph, in_order
from okrcli.load import SourceFile, load_source
from okrcli.names import MOST_PARSED_ALONE, Alignment, Index, alignment_of
from okrcli.repo import Reader, Repo, work_tree_bytes
from okrcli.score import Selection, select, shown_cycles, subtree

KIND = "reach"  # the cache of the maps made from the index (okrcli/cache.py)
# Its one entry: every file's stat, the alignment of those a stat cannot tell apart (changed
# within the clock's tick), and the maps made from them.
_LAST = "last"
# Made with the maps, in a cache of its own (read by the commands that ask, not by `okr
# score --team`), under the maps' stamp: where each id is written, in buckets by its CRC-32
# (a look-up decodes 1,000 ids of 230,000 at 10,000 files), and the files holding each
# owner's items.
WHERE_KIND = "where"
_BUCKETS = 256
_OWNERS = "owners"
_MOST_MOVED = 64  # files changed since the maps were made, checked one by one


def focus_view(
    config: Config,
    teams: Sequence[str],
    owners: Sequence[str],
    cycle: str | None,
    *,
    enclosing: bool = False,
) -> tuple[Repo, Selection] | None:
    """The repository as far as the scores of the `teams`' and `owners`' objectives need it
    and what `select` shows of it, equal to the whole repository's; None where only the
    whole repository can tell."""
    with collector.paused():  # 200,000 ids at 10,000 files: see okrcli/collector.py
        index, links = _read(config)
    chosen = _focus(config, links, teams, owners)
    files = None if chosen is None else links.focused(chosen)
    if chosen is None or files is None:
        return None
    day = clock.today()
    known = _cycles(config, links.files.values())
    focused = _cycles(config, (links.files[rel] for rel in files))
    try:
        shown = shown_cycles(known, focused, day, cycle, enclosing=enclosing)
    except OkrError:
        return None  # the whole repository's load says it in its own words
    names = {c.name for c in shown}
    wanted = [rel for rel in files
              if cycle == "all" or _cycle_name(config, links.files[rel][2]) in names]  # fmt: skip

    def view(graph: Graph) -> Selection:
        return select(graph, day, cycle, chosen, enclosing=enclosing, cycles=known, focused=focused)

    graph = _subset(config, index, links, wanted, lambda first: view(first).objectives)
    if graph is None:
        return None
    return Repo(config, graph.files, graph, day, cache=True), view(graph)


def tree_view(
    config: Config, ident: str, teams: Sequence[str], owners: Sequence[str]
) -> tuple[Repo, Selection] | None:
    """`okr tree ID`: the repository as far as the scores below `ident` need it and what
    `subtree` shows of it, equal to the whole repository's; None where only the whole
    repository can tell."""
    with collector.paused():
        index, links = _read(config)
    chosen = _focus(config, links, teams, owners)
    home = links.home(ident)
    if chosen is None or not home:  # unknown: the error lists the first ids, in file order
        return None

    def holder(first: Graph) -> list[ObjectiveNode]:
        """The objective `ident` is or belongs to: what lies below it is loaded."""
        node = first.by_id[ident]  # the index put it there, and `_load` checked it is
        holder = node.objective if isinstance(node, KeyResultNode) else node
        assert isinstance(holder, ObjectiveNode)
        return [holder]

    graph = _subset(config, index, links, [home], holder)
    if graph is None:
        return None
    repo = Repo(config, graph.files, graph, clock.today(), cache=True)
    return repo, subtree(graph, ident, chosen)


def holding(
    config: Config, ids: Iterable[str], read: Reader
) -> tuple[list[SourceFile], list[str]] | None:
    """The files holding the items `ids`, each loaded with `read`, and, when one of `ids` is
    in no file, every id of the repository (for the error's suggestion), else []; None where
    only the whole repository can tell (an id written twice), and for a few files, which
    cost less to load than the index (it would read a file changed since it was made once
    more, besides `read`)."""
    with collector.paused():
        index = Index(config)
        if len(index.keys) <= MOST_PARSED_ALONE:
            return None
        index, links = _read(config, index)
    homes = {links.home(ident) for ident in ids}
    every = links.every_id() if "" in homes else []
    if None in homes or every is None:
        return None
    files = _load(config, sorted(home for home in homes if home), index, {}, read)
    return None if files is None else (files, every)


def _focus(
    config: Config, links: _Links, teams: Sequence[str], owners: Sequence[str]
) -> Focus | None:
    """The focus as the whole repository's load makes it; None where that is an error (an
    unknown team, `me` without a git user): the whole repository's load says it."""
    try:
        return focus_among(links.teams, config, teams, owners)
    except OkrError:
        return None


def _subset(
    config: Config,
    index: Index,
    links: _Links,
    wanted: list[str],
    roots: Callable[[Graph], list[ObjectiveNode]],
) -> Graph | None:
    """The files `wanted`, of everything aligned below the objectives `roots` shows of them
    and of those objectives' parents, and every file that does not load, linked; None when
    a duplicate id is on the way or a file changed since the index read it."""
    loaded: dict[str, SourceFile] = {}
    first = _graph(config, _load(config, wanted, index, loaded))
    if first is None:
        return None
    try:
        shown = roots(first)
    except OkrError:
        return None
    reached = links.reach(shown)
    if reached is None:
        return None
    unread = [rel for rel, (readable, *_) in links.files.items() if not readable]
    return _graph(config, _load(config, sorted({*wanted, *reached, *unread}), index, loaded))


def _read(config: Config, index: Index | None = None) -> tuple[Index, _Links]:
    """The index (`index`, else read now) and the maps the walk follows: those the last run
    made while no file's alignment has changed since, else made again from every file's
    entry (most of a run's time at 10,000 files)."""
    index = index or Index(config)
    store = Store(config.root, KIND)
    last = store.get(_LAST)
    links = _unchanged(index, last)
    racy: dict[str, Alignment] | None = None
    if links is None:
        found = index.alignment()
        links = _Links.made(found)
        _write_where(config, links.stamp, found)
        racy = {a.rel: a for a in found if index.keys[a.rel] is None}
    elif last[0] != index.keys or None in index.keys.values():
        racy = {rel: index.alignment_at(rel) for rel, key in index.keys.items() if key is None}
    if racy is not None:
        fields = {rel: _fields(a) for rel, a in racy.items()}
        store.put(_LAST, (index.keys, fields, links.state()))
    store.save(prune=True)
    index.save()
    links.root = config.root
    return index, links


def _fields(alignment: Alignment) -> tuple[Any, ...]:
    """An alignment as the cache keeps it: `Alignment(rel, *fields)` makes it again."""
    a = alignment
    return a.readable, a.team, a.cycle, a.objectives, a.owners


def _write_where(config: Config, stamp: bytes, files: list[Alignment]) -> None:
    """Where each id is written (by the file's place in `files`; the last, for one written
    twice) and the files holding each owner's items, under `stamp`."""
    buckets: list[dict[str, int]] = [{} for _ in range(_BUCKETS)]
    owners: dict[str, list[str]] = {}
    for n, a in enumerate(files):
        for o in a.objectives:
            for ident in (o[0], *o[2]):
                buckets[_bucket(ident)][ident] = n
        for owner in a.owners:
            owners.setdefault(owner, []).append(a.rel)
    store = Store(config.root, WHERE_KIND)
    for bucket, homes in enumerate(buckets):
        store.put((stamp, bucket), homes)
    store.put((stamp, _OWNERS), owners)
    store.save(prune=True)  # what older maps' stamps held goes


def _bucket(ident: str) -> int:
    """An id's bucket: the same in every process (`hash` of a str is not)."""
    return zlib.crc32(ident.encode()) % _BUCKETS


def _unchanged(index: Index, last: Any) -> _Links | None:
    """The maps of the last run, when they hold for the files now: the same files, and each
    whose stat moved, or cannot tell (a few at most), still aligned as it was."""
    if not (isinstance(last, tuple) and len(last) == 3 and len(last[2]) == len(_Links.STATE)):
        return None
    stats, racy, state = last
    if not isinstance(stats, dict) or stats.keys() != index.keys.keys():
        return None
    moved = [rel for rel, key in index.keys.items() if key is None or stats[rel] != key]
    if len(moved) > _MOST_MOVED:
        return None
    for rel in moved:
        before = Alignment(rel, *racy[rel]) if rel in racy else index.cached(rel, stats[rel])
        if before is None or before != index.alignment_at(rel):
            return None
    return _Links.restored(state)


def _cycles(config: Config, files: Iterable[tuple[bool, str, str, bool]]) -> list[Cycle]:
    """`cycles_of` the objectives of `files` (`_Links.files` values), from the index."""
    names = {cycle for _, _, cycle, aligned in files if aligned}
    return in_order(cycle for name in names if (cycle := config.cycle(name)) is not None)


def _cycle_name(config: Config, name: str) -> str | None:
    """The name of the cycle a file's `cycle:` names, as its objectives' `cycle` has it."""
    cycle = config.cycle(name)
    return None if cycle is None else cycle.name


def _load(
    config: Config,
    rels: list[str],
    index: Index,
    loaded: dict[str, SourceFile],
    read: Reader | None = None,
) -> list[SourceFile] | None:
    """The files `rels`, each loaded once (with `read`, else through the parse cache when
    there are many); None when one no longer matches the index."""
    todo = [rel for rel in rels if rel not in loaded]
    many = read is None and len(todo) > MOST_PARSED_ALONE
    parsed = Store(config.root, "load") if many else None
    with collector.paused():
        for rel in todo:
            raw = work_tree_bytes(config, rel)
            if not isinstance(raw, bytes):
                loaded[rel] = raw
            else:
                loaded[rel] = load_source(rel, raw, parsed) if read is None else read(rel, raw)
            if alignment_of(loaded[rel]) != index.alignment_at(rel):
                return None
    if parsed is not None:
        parsed.save(prune=False)
    return [loaded[rel] for rel in rels]


def _graph(config: Config, files: list[SourceFile] | None) -> Graph | None:
    return None if files is None else build_graph(files, config)


class _Links:
    """What the walk follows, made from the index: where each objective is written, the
    objectives aligned to it or to one of its key results, and which ids are written twice.
    Key results are named only where something aligns to them: there are five times as many
    as objectives, and a run reads these maps whole."""

    STATE = ("files", "where", "below", "teams", "duplicated", "tainted", "stamp")

    root: Path | None = None  # of the repository: `home` and `focused` read WHERE_KIND there

    def __init__(self) -> None:
        # file → (loads, team, cycle, has objectives)
        self.files: dict[str, tuple[bool, str, str, bool]] = {}
        self.where: dict[str, str] = {}  # objective, or key result aligned to → its file
        self.below: dict[str, list[str]] = {}  # objective → what aligns to it or its KRs
        self.teams: set[str] = set()  # teams with objectives
        self.duplicated: set[str] = set()  # ids written more than once
        self.tainted: set[str] = set()  # objectives with a duplicated id or key-result id
        self.stamp = os.urandom(8)  # names the WHERE_KIND entries made with these maps
        self._store: Store | None = None

    def state(self) -> tuple[Any, ...]:
        """What `restored` needs, for the cache."""
        return tuple(getattr(self, name) for name in self.STATE)

    @classmethod
    def restored(cls, state: tuple[Any, ...]) -> _Links:
        links = cls()
        for name, value in zip(cls.STATE, state, strict=True):
            setattr(links, name, value)
        return links

    @classmethod
    def made(cls, files: list[Alignment]) -> _Links:
        links = cls()
        objectives: dict[str, str] = {}  # every objective → its file
        holders: dict[str, str] = {}  # every key result → its objective
        homes: dict[str, str] = {}  # every key result → its file (its objective's id may repeat)
        aligned: list[tuple[str, str]] = []  # (parent, objective)
        written = 0
        # Of a duplicate id the last one is kept: a walk that meets one gives up anyway.
        for entry in files:
            links.files[entry.rel] = (entry.readable, entry.team, entry.cycle,
                                      bool(entry.objectives))  # fmt: skip
            if entry.objectives:
                links.teams.add(entry.team)
            for ident, parent, key_results in entry.objectives:
                objectives[ident] = entry.rel
                holders.update(dict.fromkeys(key_results, ident))
                homes.update(dict.fromkeys(key_results, entry.rel))
                written += 1 + len(key_results)
                if parent is not None:
                    aligned.append((parent, ident))
        links.where = dict(objectives)
        for parent, ident in aligned:
            holder = parent if parent in objectives else holders.get(parent)
            if holder is not None:  # else it names nothing: the objective is skipped
                links.below.setdefault(holder, []).append(ident)
                links.where[parent] = objectives[parent] if parent in objectives else homes[parent]
        unique = written == len(objectives) + len(holders)
        if not unique or not objectives.keys().isdisjoint(holders):
            counts = Counter(i for e in files for o in e.objectives for i in (o[0], *o[2]))
            links.duplicated = {ident for ident, n in counts.items() if n > 1}
            links.tainted = {o[0] for e in files for o in e.objectives
                             if links.duplicated.intersection((o[0], *o[2]))}  # fmt: skip
        return links

    def home(self, ident: str) -> str | None:
        """The file `ident` is written in; "" when none is; None when several are, or the
        map is not at hand."""
        if ident in self.duplicated:
            return None
        if ident in self.where:
            return self.where[ident]  # an objective, or a key result aligned to
        homes = self._where(_bucket(ident))
        if homes is None:
            return None
        at = homes.get(ident)
        if at is None:
            return ""
        return self._rels[at] if isinstance(at, int) and 0 <= at < len(self._rels) else None

    def every_id(self) -> list[str] | None:
        """Every objective's and key result's id; None when the map is not at hand."""
        found: list[str] = []
        for bucket in range(_BUCKETS):
            homes = self._where(bucket)
            if homes is None:
                return None
            found += homes
        return found

    def focused(self, chosen: Focus) -> list[str] | None:
        """The files holding objectives in `chosen`, in order (`Focus.objective`: a team's,
        owned by one of the owners or holding a key result that is); None when the map of
        owners is not at hand."""
        files = [rel for rel, (_, team, _, aligned) in self.files.items()
                 if aligned and (not chosen.teams or team in chosen.teams)]  # fmt: skip
        if not chosen.owners:
            return files
        owners = self._where(_OWNERS)
        if owners is None:
            return None
        owned = {rel for owner, rels in owners.items() if chosen.owns(owner) for rel in rels}
        return [rel for rel in files if rel in owned]

    @cached_property
    def _rels(self) -> list[str]:
        return list(self.files)

    def _where(self, key: Any) -> dict[str, Any] | None:
        """An entry made with these maps (`_write_where`), if it is still there."""
        if self._store is None and self.root is not None:
            self._store = Store(self.root, WHERE_KIND)
        found = self._store.get((self.stamp, key)) if self._store is not None else None
        return found if isinstance(found, dict) else None

    def reach(self, shown: list[ObjectiveNode]) -> set[str] | None:
        """The files of `shown`, of everything aligned below them and of their parents; None
        when a duplicate id makes the whole repository needed."""
        found: set[str] = set()
        stack = [node.id for node in shown]
        while stack:
            ident = stack.pop()
            if ident not in found:
                found.add(ident)
                stack.extend(self.below.get(ident, ()))
        parents = {p for node in shown if (p := node.objective.parent) in self.where}
        if found & self.tainted or parents & self.duplicated:
            return None
        return {self.where[ident] for ident in found | parents}
