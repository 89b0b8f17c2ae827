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
depends on every file), a team with no objectives (the error names every team), or a loaded
file that no longer says what the index says of it (edited during the run). An alignment
loop through a shown objective needs nothing more: every objective whose parents lead into
it lies below that objective, so the subset holds them all, in the same order, and the loop
is found and cut where the whole repository's load cuts it.
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
    known = _whole_cycles(config, links.files.values())
    loaded: dict[str, SourceFile] = {}
    own = [rel for rel, (_, team, _, aligned) in links.files.items() if aligned and team in teams]
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
    unread = [rel for rel, (readable, *_) in links.files.items() if not readable]
    rels = sorted({*own, *reached, *unread})
    graph = _graph(config, _load(config, rels, index, loaded))
    if graph is None:
        return None
    repo = Repo(config, graph.files, graph, day, cache=True)
    return repo, select(graph, day, cycle, chosen, enclosing=enclosing, cycles=known)


def _read(config: Config) -> tuple[Index, _Links]:
    """The index and the maps the walk follows: while no file's stat moved, those the last
    run made (made from every file's entry, they are most of a run's time at 10,000 files)."""
    index = Index(config)
    store = Store(config.root, KIND) if index.stamp is not None else None
    kept = store.get(index.stamp) if store is not None else None
    if isinstance(kept, tuple) and len(kept) == len(_Links.STATE):
        links = _Links.restored(kept)
    else:
        links = _Links.made(index.alignment())
        if store is not None:
            store.put(index.stamp, links.state())
    if store is not None:
        store.save(prune=True)
    return index, links


def _whole_cycles(config: Config, files: Iterable[tuple[bool, str, str, bool]]) -> list[Cycle]:
    """`Graph.cycles` of the whole repository, from its index."""
    names = {cycle for _, _, cycle, aligned in files if aligned}
    return in_order(cycle for name in names if (cycle := config.cycle(name)) is not None)


def _load(
    config: Config, rels: list[str], index: Index, loaded: dict[str, SourceFile]
) -> list[SourceFile] | None:
    """The files `rels`, each loaded once; None when one no longer matches the index."""
    with collector.paused():
        for rel in rels:
            if rel not in loaded:
                raw = work_tree_bytes(config, rel)
                loaded[rel] = load_source(rel, raw) if isinstance(raw, bytes) else raw
                if alignment_of(loaded[rel]) != index.alignment_at(rel):
                    return None
    return [loaded[rel] for rel in rels]


def _graph(config: Config, files: list[SourceFile] | None) -> Graph | None:
    return None if files is None else build_graph(files, config)


class _Links:
    """What the walk follows, made from the index: where each objective is written, the
    objectives aligned to it or to one of its key results, and which ids are written twice.
    Key results are named only where something aligns to them: there are five times as many
    as objectives, and a run reads these maps whole."""

    STATE = ("files", "where", "below", "teams", "duplicated", "tainted")

    def __init__(self) -> None:
        # file → (loads, team, cycle, has objectives)
        self.files: dict[str, tuple[bool, str, str, bool]] = {}
        self.where: dict[str, str] = {}  # objective, or key result aligned to → its file
        self.below: dict[str, list[str]] = {}  # objective → what aligns to it or its KRs
        self.teams: set[str] = set()  # teams with objectives
        self.duplicated: set[str] = set()  # ids written more than once
        self.tainted: set[str] = set()  # objectives with a duplicated id or key-result id

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
                written += 1 + len(key_results)
                if parent is not None:
                    aligned.append((parent, ident))
        links.where = dict(objectives)
        for parent, ident in aligned:
            holder = parent if parent in objectives else holders.get(parent)
            if holder is not None:  # else it names nothing: the objective is skipped
                links.below.setdefault(holder, []).append(ident)
                links.where[parent] = objectives[holder]
        unique = written == len(objectives) + len(holders)
        if not unique or not objectives.keys().isdisjoint(holders):
            counts = Counter(i for e in files for o in e.objectives for i in (o[0], *o[2]))
            links.duplicated = {ident for ident, n in counts.items() if n > 1}
            links.tainted = {o[0] for e in files for o in e.objectives
                             if links.duplicated.intersection((o[0], *o[2]))}  # fmt: skip
        return links

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
