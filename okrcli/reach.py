"""`okr score --team T` at any size: load only the files a team's scores are made of.

A team's objectives are scored from what aligns below them (children, recursively); whether
each counts in its parent depends on that parent; which cycle is shown depends on the cycles
of the whole repository. The alignment index (okrcli/names.py: per file, kept under its
stat) says where each of those is, so only the team's files, the files of everything below
its shown objectives and of their parents are loaded. Every file that does not load as OKRs
is loaded too: the output lists them.

The subset gives what the whole repository gives only while every link it follows means the
same in both. So the whole repository is loaded instead (`team_view` returns None) when the
index shows a duplicate id anywhere the walk reaches (which of the two a `parent:` names
depends on every file), an alignment loop through a shown objective (where it is cut depends
on every file), a team with no objectives (the error names every team), or a loaded file
that no longer says what the index says of it (edited during the run).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from okrcli import clock, collector
from okrcli.cache import Store
from okrcli.config import Config
from okrcli.cycles import Cycle
from okrcli.errors import OkrError
from okrcli.focus import focus
from okrcli.graph import Graph, ObjectiveNode, build_graph, in_order
from okrcli.load import SourceFile, load_source
from okrcli.names import Alignment, Index, alignment_of
from okrcli.repo import Repo, work_tree_bytes
from okrcli.score import Selection, select

KIND = "reach"  # the cache of the maps made from the index (okrcli/cache.py)


def team_view(
    config: Config,
    teams: Sequence[str],
    owners: Sequence[str],
    cycle: str | None,
    *,
    enclosing: bool = False,
) -> tuple[Repo, Selection] | None:
    """The repository as far as the `teams`' scores need it and what `select` shows of it,
    equal to the whole repository's; None where only the whole repository can tell."""
    with collector.paused():  # 200,000 ids at 10,000 files: see okrcli/collector.py
        index, links = _read(config)
    if not set(teams) <= links.teams:
        return None
    day = clock.today()
    known = _whole_cycles(config, index.values())
    loaded: dict[str, SourceFile] = {}
    own = [rel for rel, entry in index.items() if entry.team in teams and entry.objectives]
    first = _graph(config, _load(config, own, index, loaded))
    if first is None:
        return None
    try:
        chosen = focus(first, teams, owners)
        shown = select(first, day, cycle, chosen, enclosing=enclosing, cycles=known).objectives
    except OkrError:
        return None  # the whole repository's load says it in its own words
    reached = links.reach(shown)
    if reached is None:
        return None
    unread = [rel for rel, entry in index.items() if not entry.readable]
    rels = sorted({*own, *reached, *unread})
    graph = _graph(config, _load(config, rels, index, loaded))
    if graph is None:
        return None
    repo = Repo(config, graph.files, graph, day, cache=True)
    return repo, select(graph, day, cycle, chosen, enclosing=enclosing, cycles=known)


def _read(config: Config) -> tuple[dict[str, Alignment], _Links]:
    """Every file's alignment and the maps the walk follows: while no file's stat moved,
    both as the last run made them, in one piece (made from each file's entry, they are
    most of a run's time at 10,000 files)."""
    index = Index(config)
    store = Store(config.root, KIND) if index.stamp is not None else None
    kept = store.get(index.stamp) if store is not None else None
    if isinstance(kept, tuple) and len(kept) == 2:
        files, state = kept
        found = {fields[0]: Alignment(*fields) for fields in files}
        links = _Links.restored(found, state)
    else:
        found = {entry.rel: entry for entry in index.alignment()}
        links = _Links.made(found)
        if store is not None:
            rows = [(a.rel, a.readable, a.team, a.cycle, a.objectives) for a in found.values()]
            store.put(index.stamp, (rows, links.state()))
    if store is not None:
        store.save(prune=True)
    return found, links


def _whole_cycles(config: Config, index: Iterable[Alignment]) -> list[Cycle]:
    """`Graph.cycles` of the whole repository, from its index."""
    names = {entry.cycle for entry in index if entry.objectives}
    return in_order(cycle for name in names if (cycle := config.cycle(name)) is not None)


def _load(
    config: Config, rels: list[str], index: dict[str, Alignment], loaded: dict[str, SourceFile]
) -> list[SourceFile] | None:
    """The files `rels`, each loaded once; None when one no longer matches the index."""
    with collector.paused():
        for rel in rels:
            if rel not in loaded:
                raw = work_tree_bytes(config, rel)
                loaded[rel] = load_source(rel, raw) if isinstance(raw, bytes) else raw
                if alignment_of(loaded[rel]) != index[rel]:
                    return None
    return [loaded[rel] for rel in rels]


def _graph(config: Config, files: list[SourceFile] | None) -> Graph | None:
    return None if files is None else build_graph(files, config)


class _Links:
    """The index's alignment: where each id is written, how often, and what aligns to it."""

    def __init__(self, files: dict[str, Alignment]) -> None:
        self.files = files
        self.where: dict[str, str] = {}  # id → the file that holds it
        self.key_results: dict[str, tuple[str, ...]] = {}  # objective → its key results
        self.parent: dict[str, str | None] = {}  # objective → its `parent`
        self.below: dict[str, list[str]] = {}  # id → the objectives whose parent it is
        self.teams: set[str] = set()  # teams with objectives
        self.duplicated: set[str] = set()

    def state(self) -> tuple[Any, ...]:
        """What `restored` needs, for the cache."""
        return self.where, self.key_results, self.parent, self.below, self.teams, self.duplicated

    @classmethod
    def restored(cls, files: dict[str, Alignment], state: tuple[Any, ...]) -> _Links:
        links = cls(files)
        links.where, links.key_results, links.parent, links.below, links.teams = state[:5]
        links.duplicated = state[5]
        return links

    @classmethod
    def made(cls, files: dict[str, Alignment]) -> _Links:
        links = cls(files)
        written = 0
        # Built with whole-file dict updates: the index of 10,000 files holds 200,000 ids.
        # Of a duplicate id the last one is kept: a walk that meets one gives up anyway.
        for entry in files.values():
            if not entry.objectives:
                continue
            links.teams.add(entry.team)
            ids = [o[0] for o in entry.objectives]
            links.key_results.update(zip(ids, (o[2] for o in entry.objectives), strict=True))
            links.parent.update(zip(ids, (o[1] for o in entry.objectives), strict=True))
            for objective in entry.objectives:
                ids += objective[2]
                if objective[1] is not None:
                    links.below.setdefault(objective[1], []).append(objective[0])
            written += len(ids)
            links.where.update(dict.fromkeys(ids, entry.rel))
        if written != len(links.where):
            counts = Counter(i for e in files.values() for o in e.objectives
                             for i in (o[0], *o[2]))  # fmt: skip
            links.duplicated = {ident for ident, n in counts.items() if n > 1}
        return links

    def reach(self, shown: list[ObjectiveNode]) -> set[str] | None:
        """The files of `shown`, of everything aligned below them and of their parents; None
        when a duplicate id or an alignment loop makes the whole repository needed."""
        ids: set[str] = set()
        stack = [node.id for node in shown]
        while stack:
            ident = stack.pop()
            if ident in ids:
                continue
            for held in (ident, *self.key_results.get(ident, ())):
                ids.add(held)
                stack.extend(self.below.get(held, ()))
        parents = {p for node in shown if (p := node.objective.parent) in self.where}
        if (ids | parents) & self.duplicated or any(self._in_loop(n.id) for n in shown):
            return None
        return {self.where[ident] for ident in ids | parents}

    def _in_loop(self, start: str) -> bool:
        """Whether following `parent:` up from the objective `start` comes back to it (or
        passes a duplicate id, which only the whole repository resolves)."""
        seen = {start}
        parent = self.parent.get(start)
        while parent is not None and parent in self.where:
            if parent in self.duplicated:
                return True
            objective = self._objective_of(parent)
            if objective == start:
                return True
            if objective in seen:
                return False  # a loop above, which is cut above `start`
            seen.add(objective)
            parent = self.parent.get(objective)
        return False

    def _objective_of(self, ident: str) -> str:
        """The objective `ident` names: itself, or the one holding that key result."""
        if ident in self.parent:
            return ident
        held = self.files[self.where[ident]].objectives
        return next(o[0] for o in held if ident in o[2])
