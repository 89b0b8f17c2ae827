"""What an editor asks of the repository, answered without any editor protocol: findings on
unsaved buffers, the item an id names, the ids a `parent:` may take, the suppression comment
for a finding. `okrcli.lsp` speaks the language server protocol over these."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from okrcli.config import Config
from okrcli.findings import Finding
from okrcli.graph import KeyResultNode, Node
from okrcli.lint import lint
from okrcli.load import PARSE_CODE
from okrcli.repo import Repo, load_repo

_ID = re.compile(r"[\w.-]+")
_PARENT_VALUE = re.compile(r"^[ \t]*(?:-[ \t]+)?parent:[ \t]*['\"]?([\w.-]*)")
_IGNORE = re.compile(r"#\s*okr:\s*ignore\[([^\]]*)\]")


@dataclass
class Snapshot:
    """The repository as the editor shows it: files on disk, with open buffers over them.

    The findings on the open files come from `okr check`'s engine, which reads again only
    what changed; the whole repository, which hover, definition and completion read, is
    loaded the first time one of them asks.
    """

    config: Config
    unsaved: Mapping[str, bytes]
    findings: list[Finding]

    @cached_property
    def repo(self) -> Repo:
        return load_repo(self.config, extra=self.unsaved, cache=True, unsaved=self.unsaved)

    def by_file(self) -> dict[str, list[Finding]]:
        found: dict[str, list[Finding]] = {}
        for finding in self.findings:
            found.setdefault(finding.path, []).append(finding)
        return found


def snapshot(config: Config, unsaved: Mapping[str, bytes]) -> Snapshot:
    """The findings on the files `unsaved` (relative path → bytes) holds, with those bytes
    in place of what is on disk; every rule runs, as in `okr check`."""
    from okrcli.incremental import check

    open_files = list(unsaved)
    done = check(config, extra=open_files, only=open_files, unsaved=unsaved)
    if done is not None:
        return Snapshot(config, unsaved, done[1])
    snap = Snapshot(config, unsaved, [])
    snap.findings = lint(snap.repo, open_files)
    return snap


def word_at(line: str, col: int) -> str | None:
    """The id-shaped word around 0-based `col` of `line`, or None."""
    for m in _ID.finditer(line):
        if m.start() <= col <= m.end():
            return m[0]
    return None


def in_parent_value(line: str, col: int) -> bool:
    """Whether 0-based `col` of `line` is where a `parent:` value is typed."""
    m = _PARENT_VALUE.match(line)
    return m is not None and col >= m.start(1)


def describe(repo: Repo, node: Node) -> str:
    """Title, score, status and owner of an objective or key result, for a hover."""
    from okrcli.messages import printable
    from okrcli.render.score_parts import score_text, status_text
    from okrcli.score import score_repo

    item = score_repo(repo).by_node.get(node)
    kind = (node.kind or "key result") if isinstance(node, KeyResultNode) else "objective"
    score = score_text(item.score if item else None)
    status = status_text(item) if item else "—"
    owner = node.owner or "no owner"  # type: ignore[attr-defined]
    lines = (
        f"{node.id}: {node.title}",
        f"{kind} · score {score} · {status} · owner {owner}",
        f"{node.file.rel}:{node.line}",
    )
    return "\n".join(map(printable, lines))


def ignore_comment(line: str, code: str) -> str:
    """`line` with `code` added to its `# okr: ignore[…]` comment, or such a comment added."""
    m = _IGNORE.search(line)
    if m is not None:
        codes = [c.strip() for c in m[1].split(",") if c.strip()]
        if code in codes:
            return line
        return f"{line[: m.start(1)]}{', '.join([*codes, code])}{line[m.end(1) :]}"
    return f"{line.rstrip()}  # okr: ignore[{code}]"


def can_ignore(code: str) -> bool:
    """Whether a comment can silence `code`: OKR001 (the file is unreadable) it cannot."""
    return code.startswith("OKR") and code != PARSE_CODE
