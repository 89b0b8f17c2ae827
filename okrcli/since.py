"""`okr check --since REV`, the pull-request mode: the findings a change is answerable for.

A finding is the change's when it lies on an item (an objective or key result, or a
top-level key) whose lines the change added or modified, or when it is new: not among the
findings of the base, compared by file, code and message so that lines moving around do
not make old findings look new (a removed objective's orphans elsewhere are new). The base
is where the change left REV (`git merge-base REV HEAD`, as `git diff REV...` reads it),
and the change is everything since, uncommitted edits included. Rules that read today's
date are left out on both sides, so the answer is the same on any day.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from okrcli.findings import Finding
from okrcli.lint import item_id_lines, item_lines, lint
from okrcli.load import SourceFile
from okrcli.repo import Repo, load_repo
from okrcli.yamlread import Loc

ALL_LINES = None  # a file the base did not have: every line is the change's


def base_of(root: Path, since: str) -> str:
    """The commit the change since `since` started from."""
    from okrcli import git

    revision = git.resolve_at(root, since, "--since")
    if git.head(root) is None:
        return revision.sha
    return git.merge_base(root, revision.sha, "HEAD")


def changed_lines(root: Path, files: Iterable[SourceFile], base: str) -> dict[str, set[int] | None]:
    """For each file that differs from `base`: the lines of the work tree's version that the
    change added or modified (None: all of them)."""
    from okrcli import git

    before = git.tree_files(root, base)
    wanted = [source.rel for source in files]
    contents = git.read_blobs(root, {before[rel] for rel in wanted if rel in before})
    changed: dict[str, set[int] | None] = {}
    for rel in wanted:
        try:
            now = (root / rel).read_bytes()
        except OSError:
            continue  # unreadable: OKR001 says so, and the whole file is the change's
        if rel not in before:
            changed[rel] = ALL_LINES
            continue
        old = contents[before[rel]]
        if old != now:
            changed[rel] = _new_lines(old.splitlines(), now.splitlines())
    return changed


def _new_lines(old: list[bytes], new: list[bytes]) -> set[int]:
    lines: set[int] = set()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, _, _, start, end in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            lines.update(range(start + 1, end + 1))
        elif tag == "delete":  # a removed line touches what now stands in its place
            lines.add(max(start, 1))
    return lines


def _owners(source: SourceFile, id_lines: dict[Loc, int]) -> list[tuple[int, int]]:
    """(first line, owner) for each stretch of the file: an owner is the `id` line of the
    objective or key result the stretch belongs to, or, outside items, the key's own line."""
    by_line = item_lines(source, id_lines)
    stretches = sorted({line for line, _ in source.positions.values()})
    return [(line, by_line.get(line, -line)) for line in stretches]


def _owner_at(stretches: list[tuple[int, int]], line: int) -> int:
    owner = -line
    for first, who in stretches:
        if first > line:
            break
        owner = who
    return owner


def _stretches(repo: Repo, rels: set[str]) -> dict[str, list[tuple[int, int]]]:
    """`_owners` of each of `rels` that loaded."""
    sources = {source.rel: source for source in repo.files if source.rel in rels}
    loaded = {rel for rel, source in sources.items() if source.doc is not None}
    return {rel: _owners(sources[rel], ids) for rel, ids in item_id_lines(repo, loaded).items()}


def pull_request(
    repo: Repo, base: str, only: Iterable[str] | None = None, *, cache: bool
) -> list[Finding]:
    """The findings of `repo` (the work tree) that the change since `base` is answerable for."""
    before = load_repo(repo.config, at=base, today=repo.today, cache=cache)
    old = Counter(_identity(f) for f in lint(before, dated=False))
    now = lint(repo, only, dated=False)
    fresh = Counter(_identity(f) for f in now)
    changed = changed_lines(repo.config.root, repo.files, base)
    stretches = _stretches(repo, set(changed))
    owned = {
        rel: {_owner_at(stretches[rel], line) for line in lines}
        for rel, lines in changed.items()
        if lines is not ALL_LINES and rel in stretches
    }

    def answerable(finding: Finding) -> bool:
        if fresh[_identity(finding)] > old[_identity(finding)]:
            return True
        if finding.path not in changed:
            return False
        if finding.path not in owned:  # new, or not readable as OKRs: all of it is the change's
            return True
        return _owner_at(stretches[finding.path], finding.line) in owned[finding.path]

    return [f for f in now if answerable(f)]


def _identity(finding: Finding) -> tuple[str, str, str]:
    return finding.path, finding.code, finding.message
