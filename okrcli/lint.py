"""Runs the selected rules and drops what configuration or comments silence."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from contextlib import AbstractContextManager, nullcontext

from okrcli import collector
from okrcli.config import Config, setting_at
from okrcli.errors import OkrError
from okrcli.findings import Finding
from okrcli.globs import matches
from okrcli.load import PARSE_CODE, SourceFile, Suppression
from okrcli.repo import Repo
from okrcli.yamlread import Loc


def _hits(code: str, selectors: Iterable[str]) -> bool:
    return any(s == "ALL" or code.startswith(s) for s in selectors)


def selected_codes(config: Config) -> list[str]:
    """Rule codes that run: select + extend-select − ignore; OKR001 always runs."""
    from okrcli.rules import CODES

    _known_codes(config, CODES)
    _known_options(config)
    chosen = [*config.select, *config.extend_select]
    return [
        code
        for code in CODES
        if code == PARSE_CODE or (_hits(code, chosen) and not _hits(code, config.ignore))
    ]


def _known_codes(config: Config, codes: tuple[str, ...]) -> None:
    """Every selector in `select`, `extend-select` and `ignore` names a rule or a prefix of one.

    Judged here, not in okrcli.config: the rule registry sits above the configuration.
    """
    from okrcli.messages import suggest

    for key, values in (("select", config.select), ("extend-select", config.extend_select),
                        ("ignore", config.ignore)):  # fmt: skip
        for value in values:
            if value != "ALL" and not any(code.startswith(value) for code in codes):
                at = setting_at(config, key)
                raise OkrError(f"{at}: no rule code `{value}`{suggest(value, codes)}")


def _known_options(config: Config) -> None:
    """Every `[rules.CODE]` table names a rule that takes options, and only options it takes."""
    from okrcli.messages import suggest
    from okrcli.rules import RULES

    for code, options in config.rules.items():
        known = getattr(RULES.get(code), "OPTIONS", {})
        if not known:
            takes = [c for c, module in RULES.items() if getattr(module, "OPTIONS", None)]
            hint = suggest(code, takes) or f"; rules with options: {', '.join(takes)}"
            raise OkrError(f"{setting_at(config, f'rules.{code}')}: no rule options{hint}")
        for name in options:
            if name not in known:
                at = setting_at(config, f"rules.{code}")
                raise OkrError(f"{at}: {code} has no option `{name}`{suggest(name, known)}")


def history_first(config: Config, *, at: str | None, cache: bool) -> AbstractContextManager[None]:
    """Where a selected rule reads the git history (OKR207, OKR208): the history read before
    the files are loaded, for the block (`okrcli.history.read_first`)."""
    from okrcli.rules import RULES

    codes = selected_codes(config)
    if at is not None or not any(getattr(RULES[c], "READS_HISTORY", False) for c in codes):
        return nullcontext()
    from okrcli.history import read_first

    return read_first(config.root, config.paths, cache=cache)


def _silenced(
    finding: Finding, repo: Repo, comments: dict[str, dict[int, list[Suppression]]]
) -> bool:
    if finding.code == PARSE_CODE:
        return False
    for pattern, codes in repo.config.per_file_ignores.items():
        if matches(finding.path, (pattern,)) and _hits(finding.code, codes):
            return True
    return any(
        s.codes is None or _hits(finding.code, s.codes)
        for s in comments.get(finding.path, {}).get(finding.line, ())
    )


def item_id_lines(repo: Repo, rels: set[str]) -> dict[str, dict[Loc, int]]:
    """For each file in `rels`, where each objective and key result is → its `id` line."""
    found: dict[str, dict[Loc, int]] = {rel: {} for rel in rels}
    for objective in repo.graph.objectives:
        if objective.file.rel in rels:
            for node in (objective, *objective.key_results):
                found[node.file.rel][node.loc] = node.file.pos((*node.loc, "id"))[0]
    return found


def item_lines(source: SourceFile, id_lines: dict[Loc, int]) -> dict[int, int]:
    """Each line holding a key of an objective or key result → the line of its `id`.

    A key result is an item of its own: its lines map to it, not to its objective.
    """
    lines: dict[int, int] = {}
    for loc, (line, _) in source.positions.items():
        # An objective is at ("objectives", i), a key result at (…, "key_results", j).
        owner = loc[:4] if loc[:4] in id_lines else loc[:2]
        if owner in id_lines:
            lines.setdefault(line, id_lines[owner])
    return lines


def _comments(repo: Repo) -> dict[str, dict[int, list[Suppression]]]:
    """The suppressions that cover each line: the line's own comment and, for a line of an
    objective or key result, the comment on that item's `id` line.

    Only files with a comment are looked at: mapping lines to items needs the position of
    every key, which the loader computes only on demand.
    """
    commented = {source.rel: source for source in repo.files if source.suppressions}
    found: dict[str, dict[int, list[Suppression]]] = {}
    for rel, id_lines in item_id_lines(repo, set(commented)).items():
        source = commented[rel]
        covered = {line: [comment] for line, comment in source.suppressions.items()}
        for line, id_line in item_lines(source, id_lines).items():
            if line != id_line and id_line in source.suppressions:
                covered.setdefault(line, []).append(source.suppressions[id_line])
        found[rel] = covered
    return found


def lint(
    repo: Repo,
    only: Iterable[str] | None = None,
    *,
    dated: bool = True,
    codes: Collection[str] | None = None,
) -> list[Finding]:
    """Every finding in `repo` (or in the files and folders `only` names), sorted.

    `dated=False` leaves out the rules whose answer depends on today (READS_TODAY), for a
    result that is the same whichever day it runs; `codes` runs only those of the selected
    rules.
    """
    from okrcli.rules import RULES

    comments = _comments(repo)
    found: set[Finding] = set()
    with collector.paused():  # the rules make many small objects that all live on
        for code in selected_codes(repo.config):
            if codes is not None and code not in codes:
                continue
            if dated or not getattr(RULES[code], "READS_TODAY", False):
                found.update(RULES[code].check(repo))
    kept = (f for f in found if not _silenced(f, repo, comments))
    if only is not None:
        wanted = list(only)
        kept = (f for f in kept if any(within(f.path, w) for w in wanted))
    return sorted(kept)


def within(path: str, wanted: str) -> bool:
    """Whether `path` is the file `wanted` or lies in the folder `wanted` (root-relative)."""
    return wanted in ("", ".") or path == wanted or path.startswith(wanted.rstrip("/") + "/")


def exit_status(findings: Iterable[Finding], strict: bool) -> int:
    """1 for any error (or any warning with `strict`), else 0."""
    return int(any(f.level == "error" or strict for f in findings))
