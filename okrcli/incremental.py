"""The incremental engine behind `okr check`: a run re-reads only the files that changed.

Each rule says what it reads. `SCOPE = "file"`: its findings in a file come from that file
alone (and the settings), so they are kept in the cache under the file's bytes and path.
A rule without it reads across files, and names the keys of each objective and key result it
reads (`READS`); the engine keeps each file's *facts* for those rules (the values of those
keys, where each item sits, and the lines that hold them or a suppression comment) and the
cross-file findings of the last full run. A run then reads every file's bytes, loads and
checks only the files whose bytes are new, and when no file's facts changed, reuses the
cross-file findings; otherwise it loads the repository and runs every rule, as a cold run
does, and keeps what that found for the next run.

Files are known by their bytes. To skip reading the bytes of a file that did not change,
the size, times and inode of each file a run read are kept too (as git's index keeps them):
a file whose stat is as it was has the bytes of that run, unless it was written within
RACY_NS of that run's read, in which case it is simply read again.

A rule that reads across files without `READS`, and history rules in a git repository,
make the engine stand aside: `check` returns None and `okr check` does the whole work.
The cache is the sealed one of okrcli.cache; entries are keyed by the settings, the
selected rules, today and whether the root is in git too, so no answer is ever reused
where any of those differ.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import astuple
from typing import Any

from okrcli import clock
from okrcli.cache import Store, key
from okrcli.config import Config
from okrcli.findings import Finding
from okrcli.graph import build_graph
from okrcli.lint import history_first, lint, selected_codes, within
from okrcli.load import SourceFile, load_source
from okrcli.repo import Repo, discover, in_git, load_repo, work_tree_bytes
from okrcli.yamlread import MAX_BYTES

KIND = "check"
# Few changed files are checked on their own; more, and one full run is cheaper.
MOST_CHANGED = 64
# A file unchanged in size, times and inode since a run read it has the bytes that run read,
# unless it changed within the clock's granularity of that read: like git's index, a file
# touched less than this long before the read is read again next time.
RACY_NS = 2_000_000_000
# The keys that make a key result's kind: a rule that reads `kind` reads these lines.
_KIND_KEYS = ("start", "target", "done", "milestones", "above", "below", "rollup")

Row = tuple[str, int, int, str, str, str]  # a Finding as marshal keeps it


def check(
    config: Config, extra: Iterable[str] = (), only: list[str] | None = None
) -> tuple[list[str], list[Finding]] | None:
    """Every file checked and the findings within `only` (every finding for None), as
    `lint(load_repo(config))` finds them, or None when some selected rule cannot be served
    incrementally."""
    from okrcli.rules import RULES

    codes = selected_codes(config)
    git = in_git(config.root)
    history = [code for code in codes if getattr(RULES[code], "READS_HISTORY", False)]
    if git and history:
        return None
    local = [code for code in codes if getattr(RULES[code], "SCOPE", "") == "file"]
    # Outside git the history rules have nothing to read, and say nothing.
    cross = [code for code in codes if code not in local and code not in history]
    reads: set[str] = set()
    for code in cross:
        declared = getattr(RULES[code], "READS", None)
        if declared is None:
            return None
        reads.update(declared)
    today = clock.today()
    settings = key(repr((config, codes, sorted(reads), str(today), git)).encode())

    rels, problems = discover(config)
    # Files named on the command line were not walked by `discover`: each is read through the
    # loader's checks (a symlinked folder on its way), never from the stat cache.
    named = set(extra) - set(rels)
    rels = sorted(set(rels) | named)
    store = Store(config.root, KIND)
    contents: dict[str, bytes] = {}
    facts: dict[str, bytes] = {}  # the facts of each file (see `_facts`)
    keys: dict[str, bytes] = {}  # the cache key of each file's entry: (its findings, facts)
    fresh: dict[str, bytes | SourceFile] = {}
    stats_key = key(settings + b"file stats")
    known: dict[str, Stat] = store.get(stats_key) or {}
    stats: dict[str, Stat] = {}
    started = time.time_ns()
    prefix = os.path.join(config.root, "")
    for rel in rels:
        info = None if rel in named else _stat(prefix + rel)
        old = known.get(rel)
        # Unchanged since a run read it: that run's entry holds its findings, and the facts
        # are kept beside its stat, so nothing of it is read or unmarshalled now.
        if info is not None and old is not None and tuple(old[:4]) == info and store.keep(old[4]):
            keys[rel], facts[rel], stats[rel] = old[4], old[5], old
            continue
        raw = _read(config, rel, rel not in named)
        if isinstance(raw, bytes):
            contents[rel] = raw
            keys[rel] = key(settings + rel.encode() + b"\0" + raw)
        else:  # unreadable: its one finding is the whole of it
            keys[rel] = key(settings + rel.encode() + b"\1" + repr(raw.problems).encode())
        found = store.get(keys[rel])
        if isinstance(found, tuple) and len(found) == 2:
            facts[rel] = found[1]
        else:
            fresh[rel] = raw
        if (
            info is not None
            and isinstance(raw, bytes)
            and max(info[1], info[2]) < started - RACY_NS
        ):
            stats[rel] = (*info, keys[rel], b"")  # its facts are filled in below
    record_key = key(settings + b"cross-file findings")
    record = store.get(record_key)
    if record is not None and len(fresh) <= MOST_CHANGED:
        made = _check_alone(config, fresh, local, reads, keys, store)
        facts.update((rel, entry[1]) for rel, entry in made.items())
        if record[0] == _digest(rels, facts):
            _keep_stats(store, stats_key, known, stats, facts)
            wanted = [rel for rel in rels if only is None or any(within(rel, w) for w in only)]
            rows = [row for rel in wanted for row in store.get(keys[rel])[0]]
            rows += [
                row for row in record[1] if only is None or any(within(row[0], w) for w in only)
            ]
            rows += [_row(problem) for problem in problems]
            store.save(prune=True)
            return rels, [Finding(*row) for row in sorted(set(rows))]
    for rel in rels:  # the facts of every file are made from its bytes
        if rel not in contents and isinstance(raw := _read(config, rel, rel not in named), bytes):
            contents[rel] = raw
    repo = load_repo(config, extra=extra, cache=True, unsaved=contents, today=today)
    found_all = lint(repo)
    by_file: dict[str, list[Row]] = {rel: [] for rel in rels}
    cross_rows: list[Row] = []
    for finding in found_all:
        if finding.code in local:
            if finding.path in by_file:  # not a folder discovery turned down
                by_file[finding.path].append(_row(finding))
        else:
            cross_rows.append(_row(finding))
    for source in repo.files:
        facts[source.rel] = _facts(source, contents.get(source.rel), reads)
        store.put(keys[source.rel], (by_file[source.rel], facts[source.rel]))
    store.put(record_key, (_digest(rels, facts), cross_rows))
    _keep_stats(store, stats_key, known, stats, facts)
    store.save(prune=True)
    return rels, found_all


def _inside(only: list[str] | None) -> Callable[[str], bool]:
    """Whether a path lies `within` one of `only` (each a file or a folder; None: all),
    asked of every file of the repository, so files are looked up and folders prefixed."""
    if only is None or any(within("", w) for w in only):
        return lambda path: True
    files = frozenset(only)
    folders = tuple(w.rstrip("/") + "/" for w in only)
    return lambda path: path in files or path.startswith(folders)


# A file's stat as `_stat` gives it, its entry's key and its facts.
Stat = tuple[int, int, int, int, bytes, bytes]


def _digest(rels: list[str], facts: dict[str, bytes]) -> bytes:
    """What the cross-file rules can see of the whole repository."""
    return key(repr([(rel, facts[rel]) for rel in rels]).encode())


def _keep_stats(
    store: Store,
    stats_key: bytes,
    known: dict[str, Stat],
    stats: dict[str, Stat],
    facts: dict[str, bytes],
) -> None:
    """Keep each file's stat with its entry's key and facts for the next run."""
    stats = {rel: stat[:5] + (facts[rel],) for rel, stat in stats.items() if rel in facts}
    if stats != known:
        store.put(stats_key, stats)
    else:
        store.keep(stats_key)


def _stat(path: str) -> tuple[int, int, int, int] | None:
    """Size, modification and change times and inode of a plain file, else None."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


def _read(config: Config, rel: str, walked: bool) -> bytes | SourceFile:
    """`work_tree_bytes`, with one `lstat` and one `open` for a plain file of a sane size
    (reading every file's bytes is most of a warm run). Only for a file `discover` `walked`
    to: its folders are known to lie inside the root; a file named on the command line goes
    through every check of the loader (a symlinked folder on its way)."""
    path = os.path.join(config.root, rel)
    try:
        info = os.lstat(path)
        if walked and stat.S_ISREG(info.st_mode) and info.st_size <= MAX_BYTES:
            with open(path, "rb") as handle:
                return handle.read()
    except OSError:
        pass
    return work_tree_bytes(config, rel)  # says why not, in the loader's words


def _check_alone(
    config: Config,
    fresh: dict[str, bytes | SourceFile],
    local: list[str],
    reads: set[str],
    keys: dict[str, bytes],
    store: Store,
) -> dict[str, tuple[list[Row], bytes]]:
    """The file-local findings and the facts of each file of `fresh`, loaded on its own."""
    if not fresh:
        return {}
    # Parsed afresh, not through the parse cache: reading that cache whole (every file's
    # data) would cost more than parsing the few files that changed.
    sources = [
        load_source(rel, raw) if isinstance(raw, bytes) else raw for rel, raw in fresh.items()
    ]
    alone = Repo(config, sources, build_graph(sources, config), clock.today())
    by_file: dict[str, list[Row]] = {rel: [] for rel in fresh}
    for finding in lint(alone, codes=local):
        by_file[finding.path].append(_row(finding))
    made = {}
    for source in sources:
        raw = fresh[source.rel]
        entry = (
            by_file[source.rel],
            _facts(source, raw if isinstance(raw, bytes) else None, reads),
        )
        store.put(keys[source.rel], entry)
        made[source.rel] = entry
    return made


def _row(finding: Finding) -> Row:
    return astuple(finding)


def _facts(source: SourceFile, raw: bytes | None, reads: set[str]) -> bytes:
    """What the cross-file rules can see of a file, hashed: the values they read of each
    objective and key result, where each item is, and the lines holding what they read or a
    suppression comment (so a finding's position, or its silencing, is never stale)."""
    if source.doc is None or raw is None:
        return key(b"not read as OKRs")
    names = sorted(reads)
    values: list[Any] = [str(source.doc.team), str(source.doc.cycle)]
    for i, objective in enumerate(source.doc.objectives):
        loc: tuple[str | int, ...] = ("objectives", i)
        values.append((_values(objective, names), source.item_positions.get(loc)))
        for j, key_result in enumerate(objective.key_results):
            at = source.item_positions.get((*loc, "key_results", j))
            values.append((_values(key_result, names), at))
    return key(repr((values, _lines(raw, reads))).encode())


def _values(model: Any, names: list[str]) -> list[Any]:
    """The model's values of `names`; a name the model has no field for is not asked (a
    missing attribute costs pydantic an exception)."""
    fields = type(model).model_fields
    found = [getattr(model, name) for name in names if name in fields]
    if "kind" in names and hasattr(model, "kind"):
        found.append(model.kind())
    return found  # made text once, with the whole file's facts


def _lines(raw: bytes, reads: set[str]) -> tuple[Any, ...]:
    """(number, text) of each line that starts with a key `reads` names (or `id`, `team`,
    `cycle`), holds a flow mapping or a suppression comment, and how many lines there are.

    Found with `bytes.find`, not a regular expression: at 10,000 files this runs over every
    byte of the repository on a full run, and a pattern anchored at line starts was a
    third of the load's time.
    """
    names = {"id", "team", "cycle", *reads} - {"kind"}
    if "kind" in reads:
        names.update(_KIND_KEYS)
    starts = {start for name in names for start, at in _found(raw, name.encode())
              if _is_key(raw, start, at, at + len(name))}  # fmt: skip
    starts.update(start for needle in (b"okr:", b"{") for start, _ in _found(raw, needle))
    kept, number, last = [], 0, 0
    for start in sorted(starts):
        number += raw.count(b"\n", last, start)
        last = start
        end = raw.find(b"\n", start)
        kept.append((number, raw[start : end if end >= 0 else len(raw)]))
    return raw.count(b"\n"), tuple(kept)


def _is_key(raw: bytes, start: int, at: int, end: int) -> bool:
    """Whether the word at `at`..`end` of the line from `start` is a key: nothing but
    indentation, `-`, `{` or `,` before it (and a quote), a quote or spaces, then `:`."""
    return not raw[start:at].strip(b" \t-{,\"'") and raw[end : end + 4].lstrip(b"\"' ")[:1] == b":"


def _found(raw: bytes, needle: bytes) -> Iterator[tuple[int, int]]:
    """(start of its line, where it is) for each occurrence of `needle` in `raw`."""
    at = raw.find(needle)
    while at >= 0:
        yield raw.rfind(b"\n", 0, at) + 1, at
        at = raw.find(needle, at + 1)


def checked_findings(
    config: Config,
    *,
    only: list[str] | None,
    extra: list[str],
    at: str | None,
    since: str | None,
    cache: bool,
) -> tuple[list[str], list[Finding]]:
    """What `okr check` reports: the files checked within `only` (every file for None) and
    their findings; incrementally where it can, as of `at`, or since `since`."""
    done = check(config, extra, only) if cache and at is None and since is None else None
    if done is not None:
        rels, findings = done
    else:
        with history_first(config, at=at, cache=cache):
            repo = load_repo(config, at=at, extra=extra, cache=cache)  # parses shared
            if since is None:
                findings = lint(repo, only)
            else:
                from okrcli.since import base_of, pull_request

                findings = pull_request(repo, base_of(config.root, since), only, cache=cache)
        rels = [source.rel for source in repo.files]
    if only is None:
        return rels, findings
    return (
        [rel for rel in rels if any(within(rel, w) for w in only)],
        [f for f in findings if any(within(f.path, w) for w in only)],
    )
