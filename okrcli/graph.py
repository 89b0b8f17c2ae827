"""Ids across all files, `parent` links, alignment loops and cycles of time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from okrcli.config import Config
from okrcli.cycles import YEARS, Cycle
from okrcli.findings import Finding
from okrcli.load import PARSE_CODE, SourceFile
from okrcli.yamlread import Loc


@dataclass(eq=False)
class Node:
    """An objective or key result, where it was written and what aligns to it."""

    id: str
    file: SourceFile
    loc: Loc
    children: list[ObjectiveNode] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.model.title)

    @property
    def model(self) -> Any:
        raise NotImplementedError

    @property
    def line(self) -> int:
        return self.file.pos(self.loc)[0]

    @property
    def col(self) -> int:
        return self.file.pos(self.loc)[1]

    def finding(self, code: str, message: str, level: str = "error", key: str = "") -> Finding:
        return self.file.finding((*self.loc, key) if key else self.loc, code, message, level)


@dataclass(eq=False)
class ObjectiveNode(Node):
    objective: Any = None  # okrcli.model.Objective
    cycle: Cycle | None = None
    key_results: list[KeyResultNode] = field(default_factory=list)
    parent: Node | None = None

    @property
    def model(self) -> Any:
        return self.objective

    @property
    def team(self) -> str:
        return str(self.file.doc.team)

    @property
    def owner(self) -> str | None:
        return self.objective.owner or self.file.doc.owner  # type: ignore[no-any-return]


@dataclass(eq=False)
class KeyResultNode(Node):
    key_result: Any = None  # okrcli.model.KeyResult
    parent_objective: ObjectiveNode | None = None

    @property
    def model(self) -> Any:
        return self.key_result

    @cached_property
    def kind(self) -> str | None:
        """The key result's kind, or None when it has none or several (OKR101)."""
        kind: str | None = self.key_result.kind()
        return kind

    @property
    def objective(self) -> ObjectiveNode:
        assert self.parent_objective is not None
        return self.parent_objective

    @property
    def owner(self) -> str | None:
        return self.key_result.owner or self.objective.owner


@dataclass
class Graph:
    files: list[SourceFile]
    config: Config
    objectives: list[ObjectiveNode] = field(default_factory=list)
    by_id: dict[str, Node] = field(default_factory=dict)
    duplicates: list[tuple[Node, Node]] = field(default_factory=list)
    dangling: list[ObjectiveNode] = field(default_factory=list)
    loops: list[list[Node]] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def key_results(self) -> list[KeyResultNode]:
        return [kr for objective in self.objectives for kr in objective.key_results]

    @property
    def cycles(self) -> list[Cycle]:
        """Every cycle some objective is in, longest first."""
        return cycles_of(self.objectives)

    def roots(self) -> list[ObjectiveNode]:
        """Objectives that align to nothing (or to something that does not exist)."""
        return [o for o in self.objectives if o.parent is None]


def cycles_of(objectives: list[ObjectiveNode]) -> list[Cycle]:
    """The cycles `objectives` are in, by start, longest first."""
    return in_order(o.cycle for o in objectives if o.cycle is not None)


def in_order(cycles: Iterable[Cycle]) -> list[Cycle]:
    """Each of `cycles` once (by name), by start, longest first."""
    found = {cycle.name: cycle for cycle in cycles}
    return sorted(found.values(), key=lambda c: (c.start, -c.days, c.name))


def build_graph(files: list[SourceFile], config: Config) -> Graph:
    """Link every readable file's objectives into one alignment forest."""
    graph = Graph(files, config)
    for source in files:
        if source.doc is None:
            continue
        cycle = config.cycle(source.doc.cycle)
        if cycle is None:
            graph.problems.append(
                source.finding(
                    ("cycle",),
                    PARSE_CODE,
                    f"unknown cycle `{source.doc.cycle}`: use YYYY, YYYY-Qn, YYYY-Hn "
                    f"({YEARS}) or a cycle named in okr.toml [cycles]",
                )
            )
        for i, objective in enumerate(source.doc.objectives):
            node = ObjectiveNode(objective.id, source, ("objectives", i), objective=objective,
                                 cycle=cycle)  # fmt: skip
            _register(graph, node)
            graph.objectives.append(node)
            for j, key_result in enumerate(objective.key_results):
                kr = KeyResultNode(key_result.id, source, (*node.loc, "key_results", j),
                                   key_result=key_result, parent_objective=node)  # fmt: skip
                _register(graph, kr)
                node.key_results.append(kr)
    for node in graph.objectives:
        parent_id = node.objective.parent
        if parent_id is None:
            continue
        parent = graph.by_id.get(parent_id)
        if parent is None:
            graph.dangling.append(node)
            graph.skipped[node.id] = f"parent {parent_id} does not exist"
        else:
            node.parent = parent
    _cut_loops(graph)
    for node in graph.objectives:
        if node.parent is not None:
            node.parent.children.append(node)
    return graph


def _register(graph: Graph, node: Node) -> None:
    first = graph.by_id.setdefault(node.id, node)
    if first is not node:
        graph.duplicates.append((node, first))


def upward(node: Node) -> Node | None:
    """The next node up the alignment: an objective's parent, a key result's objective."""
    if isinstance(node, KeyResultNode):
        return node.parent_objective
    assert isinstance(node, ObjectiveNode)
    return node.parent


def _cut_loops(graph: Graph) -> None:
    """Record each alignment loop once and cut it, so that the rest is a forest."""
    state: dict[int, int] = {}  # 1 on the current path, 2 done
    for start in graph.objectives:
        path: list[Node] = []
        node: Node | None = start
        while node is not None and state.get(id(node)) is None:
            state[id(node)] = 1
            path.append(node)
            node = upward(node)
        if node is not None and state.get(id(node)) == 1:
            loop = path[path.index(node) :]
            graph.loops.append(loop)
            names = " → ".join(n.id for n in [*loop, loop[0]])
            for member in loop:
                if isinstance(member, ObjectiveNode):
                    graph.skipped[member.id] = f"alignment loop {names}"
            cut = next(n for n in reversed(loop) if isinstance(n, ObjectiveNode))
            cut.parent = None
        for done in path:
            state[id(done)] = 2
