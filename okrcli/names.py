"""The names in a repository (ids, teams, cycles) for shell completion, read from the cache.

A shell asks on every TAB, so this answers without pydantic, a graph or reading the files:
each file's names are cached (`<root>/.okr_cache/names.marshal`) under its path, size and
modification time, like ruff's cache and git's index, and the list of files under the
modification times of the folders searched (adding, removing or renaming a file changes its
folder's). Only a file changed since is read again, through the parse cache that every other
command fills.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from okrcli.cache import Store
    from okrcli.config import Config

KIND = "names"
# A file changed this recently is read again on the next TAB rather than cached: an edit
# of the same size within the file system's clock tick would not move its time (git calls
# such entries "racily clean").
_RACY_NS = 2_000_000_000
_FILES = "files"  # the entry holding the file list and the folders' times it was found at


@dataclass
class Names:
    """What TAB can offer: objective and key-result ids, teams and cycles."""

    objectives: list[str] = field(default_factory=list)
    key_results: list[str] = field(default_factory=list)
    teams: set[str] = field(default_factory=set)
    cycles: set[str] = field(default_factory=set)


def read_names(root: Path | None) -> Names:
    """The names of the repository at `root` (found from the working directory if None)."""
    from okrcli.cache import Store
    from okrcli.config import load_config

    config = load_config(root)
    store = Store(config.root, KIND)
    parsed: Store | None = None
    found = Names(cycles=set(config.cycles))
    top = str(config.root)
    for rel in _files(config, store):
        path = os.path.join(top, rel)
        try:
            info = os.stat(path)
            entry_key = (rel, info.st_size, info.st_mtime_ns)
            entry = store.get(entry_key)
            if not isinstance(entry, tuple) or len(entry) != 4:
                with open(path, "rb") as handle:
                    raw = handle.read()
                parsed = parsed or Store(config.root, "load")
                entry = _file_names(raw, parsed)
                if time.time_ns() - info.st_mtime_ns > _RACY_NS:
                    store.put(entry_key, entry)
        except OSError:
            continue
        team, cycle, objectives, key_results = entry
        found.teams.update([team] if team else [])
        found.cycles.update([cycle] if cycle else [])
        found.objectives.extend(objectives)
        found.key_results.extend(key_results)
    store.save(prune=True)
    if parsed is not None:
        parsed.save(prune=False)
    return found


def _files(config: Config, store: Store) -> list[str]:
    """The OKR files, from the cache while no folder searched has changed, else found."""
    stamp = (list(config.paths), _folder_times(config))
    cached = store.get(_FILES)
    if isinstance(cached, tuple) and len(cached) == 2 and cached[0] == stamp:
        return list(cached[1])
    from okrcli.repo import discover

    rels, _ = discover(config)
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
