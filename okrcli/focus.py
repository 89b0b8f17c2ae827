"""Whose OKRs a command shows: `--team` (repeatable) and `--owner` (`me`: the git user).

One `Focus` serves every command that shows OKRs (score, tree, log, review, report, mine),
so "mine" means the same everywhere. An objective is in focus when its team is one asked
for and, with owners, when it or one of its key results belongs to one of them; a key
result, when its objective's team is asked for and it belongs to one of them.

`me` is the git user: an owner written in the files is you when it equals your git
`user.name`, `user.email` or the part of the email before `@` (ignoring case), or when
okr.toml `[owners]` maps it to a handle that does (`dana = "@dana"`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from okrcli.errors import OkrError

if TYPE_CHECKING:
    from pathlib import Path

    from okrcli.config import Config
    from okrcli.graph import Graph, KeyResultNode, ObjectiveNode

ME = "me"


@dataclass(frozen=True)
class Focus:
    """The teams and owners asked for; empty means everyone."""

    teams: frozenset[str] = frozenset()
    owners: frozenset[str] = frozenset()  # names and handles, casefolded, without "@"
    handles: tuple[tuple[str, str], ...] = ()  # okr.toml [owners]: owner → handle

    def __bool__(self) -> bool:
        return bool(self.teams or self.owners)

    def owns(self, owner: str | None) -> bool:
        """Whether `owner` (as written in a file) is one of the owners asked for."""
        if not self.owners:
            return True
        if owner is None:
            return False
        handle = dict(self.handles).get(owner, "")
        return _plain(owner) in self.owners or (bool(handle) and _plain(handle) in self.owners)

    def objective(self, node: ObjectiveNode) -> bool:
        if self.teams and node.team not in self.teams:
            return False
        return self.owns(node.owner) or any(self.owns(kr.owner) for kr in node.key_results)

    def key_result(self, node: KeyResultNode) -> bool:
        if self.teams and node.objective.team not in self.teams:
            return False
        return self.owns(node.owner)

    def ids(self, graph: Graph) -> set[str]:
        """Ids of the objectives and key results in focus (for a list of check-ins)."""
        found: set[str] = set()
        for objective in graph.objectives:
            if self.teams and objective.team not in self.teams:
                continue
            if self.owns(objective.owner):
                found.add(objective.id)
            found.update(kr.id for kr in objective.key_results if self.owns(kr.owner))
        return found


def focus(
    graph: Graph, teams: Sequence[str] = (), owners: Sequence[str] = (), root: Path | None = None
) -> Focus:
    """The focus of `--team`s and `--owner`s; an unknown team is an error naming the known
    ones, and `me` needs git to know who you are (looked up in `root`)."""
    known = {o.team for o in graph.objectives}
    return focus_among(known, graph.config, teams, owners, root)


def focus_among(
    known: set[str],
    config: Config,
    teams: Sequence[str] = (),
    owners: Sequence[str] = (),
    root: Path | None = None,
) -> Focus:
    """`focus` where the teams with objectives are `known` without a graph (from the index,
    okrcli/reach.py)."""
    from okrcli.messages import suggest

    for team in teams:
        if team not in known:
            raise OkrError(f"no team `{team}`{suggest(team, known) or _listed(known)}")
    names: set[str] = set()
    for owner in owners:
        if owner == ME:
            names.update(_me(root or config.root))
        else:
            names.add(_plain(owner))
    return Focus(frozenset(teams), frozenset(names), tuple(sorted(config.owners.items())))


def _me(root: Path) -> Iterable[str]:
    """The git user's name, email and the email's local part, casefolded."""
    from okrcli import git

    found = []
    for key in ("user.name", "user.email"):
        try:
            value = git.git(root, "config", "--get", key).decode("utf-8", "replace").strip()
        except OkrError:
            value = ""
        if value:
            found.append(_plain(value))
            if key == "user.email" and "@" in value:
                found.append(_plain(value.split("@")[0]))
    if not found:
        raise OkrError(
            "--owner me: git does not know who you are; run `git config user.name NAME` (or "
            "user.email), or pass --owner NAME"
        )
    return found


def _plain(name: str) -> str:
    return name.strip().removeprefix("@").casefold()


def _listed(known: set[str]) -> str:
    return f"; known: {', '.join(sorted(known))}" if known else "; no team has objectives"
