"""The whole OKR repository, loaded: files from the work tree or from a git revision."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from okrcli import clock, collector
from okrcli.cache import Store
from okrcli.config import Config
from okrcli.errors import OkrError
from okrcli.findings import Finding
from okrcli.globs import SKIP_DIRS, literal_prefix, matches
from okrcli.graph import Graph, build_graph
from okrcli.load import PARSE_CODE, SourceFile, load_source
from okrcli.yamlread import MAX_BYTES, YamlProblem, check_size, too_big

Reader = Callable[[str, bytes], SourceFile]
SYMLINK_DIR = "symlinked folder is not followed; move the files into the repository"


@dataclass(eq=False)  # hashed by identity: okrcli.history remembers what it read for each
class Repo:
    config: Config
    files: list[SourceFile]
    graph: Graph
    today: date
    revision: str | None = None
    cache: bool = False  # whether this command reads and writes <root>/.okr_cache/


def discover(config: Config) -> tuple[list[str], list[Finding]]:
    """Relative paths of the OKR files in the work tree, and what could not be followed."""
    root = config.root
    found: set[str] = set()
    problems: list[Finding] = []
    starts = sorted({literal_prefix(p) for p in config.paths})
    for start in starts:
        top = root / start if start else root
        if not top.is_dir():
            continue
        if linked := _symlinked_folder(root, start):  # `okrs -> /` would walk everything
            problems.append(Finding(linked, 1, 1, PARSE_CODE, SYMLINK_DIR))
            continue
        for folder, dirs, names in os.walk(top):
            here = Path(folder)
            # Paths are joined as strings: pathlib's objects cost more than the walk itself
            # at thousands of files (pre-commit runs this on every commit).
            prefix = here.relative_to(root).as_posix() + "/" if here != root else ""
            for name in list(dirs):
                if name in SKIP_DIRS:
                    dirs.remove(name)
                elif (here / name).is_symlink():
                    rel = prefix + name
                    if matches(rel + "/x.yaml", config.paths) or any(
                        p.startswith(rel + "/") for p in config.paths
                    ):
                        problems.append(Finding(rel, 1, 1, PARSE_CODE, SYMLINK_DIR))
            found.update(rel for name in names if matches(rel := prefix + name, config.paths))
    return sorted(found), problems


def _symlinked_folder(root: Path, start: str) -> str | None:
    """The first folder of `start` (relative to `root`) that is a symlink, if any."""
    folder = root
    for name in start.split("/"):
        folder = folder / name
        if folder.is_symlink():
            return folder.relative_to(root).as_posix()
    return None


def _read_work_tree(
    config: Config, rel: str, cache: Store | None, read: Reader | None = None
) -> SourceFile:
    raw = work_tree_bytes(config, rel)
    if not isinstance(raw, bytes):
        return raw
    return read(rel, raw) if read is not None else load_source(rel, raw, cache)


def work_tree_bytes(config: Config, rel: str) -> bytes | SourceFile:
    """A file's bytes, or, when it cannot or must not be read, its OKR001 finding."""
    path = config.root / rel
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return _unreadable(rel, "symlink is broken or loops; not read")
        if not target.is_relative_to(config.root):
            return _unreadable(rel, "symlink points outside the repository; not read")
    elif not path.parent.resolve().is_relative_to(config.root):  # named on the command line
        return _unreadable(rel, "is in a symlinked folder outside the repository; not read")
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            return _unreadable(rel, "is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):  # reading a pipe or a device would wait forever
            return _unreadable(rel, "is not a regular file (a pipe, socket or device); not read")
        check_size(info.st_size)
        return path.read_bytes()
    except YamlProblem as problem:
        return _unreadable(rel, problem.message)
    except OSError as exc:
        return _unreadable(rel, f"cannot be read: {exc.strerror or exc}")


def _unreadable(rel: str, message: str) -> SourceFile:
    return SourceFile(rel, None, problems=[Finding(rel, 1, 1, PARSE_CODE, message)])


def relative(config: Config, path: Path) -> str:
    """`path` (absolute or from the working directory) relative to the root."""
    resolved = path.absolute()
    try:
        return resolved.relative_to(config.root).as_posix()
    except ValueError:
        try:
            return resolved.resolve().relative_to(config.root).as_posix()
        except ValueError:
            raise OkrError(f"{path} is outside the OKR repository {config.root}") from None


def load_repo(
    config: Config,
    *,
    at: str | None = None,
    today: date | None = None,
    extra: Iterable[str] = (),
    cache: bool = False,
    unsaved: Mapping[str, bytes] | None = None,
    read: Reader | None = None,
    at_given_as: str = "--at",
) -> Repo:
    """Load every OKR file (plus `extra` relative paths) and link them into a graph.

    `unsaved` (relative path → bytes) stands in for those files' contents on disk: an
    editor's buffers, for the language server. `read` (path, bytes → loaded file) loads
    the work tree's files instead of `load_source`: `okr checkin` keeps what it composed
    of the files it edits.

    With `cache`, files whose bytes were parsed before are not parsed again: the cache lives
    in `<root>/.okr_cache/` (see cache.py), so commands that promise to write nothing leave
    it off.
    """
    if at is not None:
        return _load_at(config, at, today, cache, at_given_as)
    rels, problems = discover(config)
    rels = sorted(set(rels) | set(extra))
    if not rels and (config.root / "objects").is_dir():
        from okrcli import git

        git.refuse_bare(config.root)
    store = Store(config.root, "load") if cache else None
    with collector.paused():
        files = [
            load_source(rel, unsaved[rel], store)
            if unsaved and rel in unsaved
            else _read_work_tree(config, rel, store, read)
            for rel in rels
        ]
        graph = build_graph(files, config)
    graph.problems.extend(problems)
    if store is not None:
        store.save(prune=True)
    return Repo(config, files, graph, today or clock.today(), cache=cache)


def _load_at(config: Config, at: str, today: date | None, cache: bool, given_as: str) -> Repo:
    """The repository as of `at`, a revision or a date (`given_as` names where the user
    gave it, for the sentence that says it is wrong)."""
    from okrcli import git

    try:
        day = clock.checked(date.fromisoformat(at), at, given_as)
    except ValueError:
        day = None
    if day is not None and not in_git(config.root):
        return load_repo(config, today=day, cache=cache)
    revision = git.resolve_at(config.root, at, given_as)
    blobs = {rel: blob for rel, blob in git.tree_files(config.root, revision.sha).items()
             if matches(rel, config.paths)}  # fmt: skip
    sizes = git.blob_sizes(config.root, blobs.values())  # a blob too big is never read
    contents = git.read_blobs(config.root, [b for b in blobs.values() if sizes[b] <= MAX_BYTES])
    store = Store(config.root, "load") if cache else None
    with collector.paused():
        files = [
            load_source(rel, contents[blob], store) if blob in contents
            else _unreadable(rel, too_big(sizes[blob]))
            for rel, blob in sorted(blobs.items())
        ]  # fmt: skip
        graph = build_graph(files, config)
    if store is not None:
        store.save(prune=False)  # keep the work tree's entries for the next plain run
    when = day or _local_day(revision.when)
    return Repo(config, files, graph, today or when, revision.sha, cache)


def _local_day(moment: datetime) -> date:
    return moment.astimezone().date()


def in_git(root: Path) -> bool:
    return any((folder / ".git").exists() for folder in (root, *root.parents))
