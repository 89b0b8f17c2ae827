"""Finding the OKR repository and reading its settings (`okr.toml` or `[tool.okr]`)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from okrcli.cycles import YEARS, Cycle, FiscalYear, in_range, parse_cycle
from okrcli.errors import OkrError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

if TYPE_CHECKING:
    from okrcli.sources import Source

DEFAULT_PATHS = ("okrs/**/*.yaml",)


@dataclass(frozen=True)
class Thresholds:
    """Largest gap (expected − score) for each pace status."""

    on_track: float = 0.10
    at_risk: float = 0.25


LENGTHS = ("quarter", "half", "year")


@dataclass(frozen=True)
class Days:
    """A number of days, either one for every cycle or one per cycle length
    (`stale_days = { quarter = 14, year = 45 }`); a length not named takes `default`."""

    default: int
    per_length: tuple[tuple[str, int], ...] = ()

    def of(self, cycle: Cycle | None) -> int:
        if cycle is None:
            return self.default
        return dict(self.per_length).get(cycle.length, self.default)


@dataclass(frozen=True)
class Grading:
    """End-of-cycle grading: the score an aspirational objective is achieved at, and the
    two bars between the red, yellow and green grade colours."""

    aspirational: float = 0.7
    bands: tuple[float, float] = (0.4, 0.7)


@dataclass(frozen=True)
class Config:
    root: Path
    source: Path | None = None
    paths: tuple[str, ...] = DEFAULT_PATHS
    select: tuple[str, ...] = ("ALL",)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    stale_days: int = 14  # for a cycle without a length of its own in `stale`
    thresholds: Thresholds = Thresholds()
    cycles: dict[str, Cycle] = field(default_factory=dict)
    stale: Days = Days(14)
    lock_after: Days = Days(14)

    def lock_day(self, cycle: Cycle) -> date:
        """The first day of `cycle` on which its plan is locked (SPEC §3, OKR207)."""
        from datetime import timedelta

        return cycle.start + timedelta(days=self.lock_after.of(cycle))

    sources: dict[str, Source] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)
    fiscal: FiscalYear | None = None
    grading: Grading = Grading()
    rules: dict[str, dict[str, int]] = field(default_factory=dict)  # [rules.CODE] options

    def cycle(self, name: str) -> Cycle | None:
        """The cycle called `name`: built in, declared in [cycles] or a fiscal one."""
        return parse_cycle(name, self.cycles, self.fiscal)


_KEYS = {
    "paths",
    "select",
    "extend-select",
    "ignore",
    "per-file-ignores",
    "stale_days",
    "lock_after_days",
    "thresholds",
    "cycles",
    "grading",
    "sources",
    "owners",
    "calendar",
    "rules",
}


def find_root(start: Path) -> Path:
    """The first folder up from `start` with okr.toml or [tool.okr], else the git top."""
    start = start.resolve()
    git_top = None
    for folder in (start, *start.parents):
        if (folder / "okr.toml").is_file() or _has_tool_okr(folder / "pyproject.toml"):
            return folder
        if git_top is None and (folder / ".git").exists():
            git_top = folder
    if git_top is not None:
        return git_top
    raise OkrError(
        f"no OKR repository at {start}: no okr.toml, [tool.okr] or git work tree here or above "
        "(run `okr init`, or pass --root)"
    )


def _has_tool_okr(pyproject: Path) -> bool:
    if not pyproject.is_file():
        return False
    try:
        return "okr" in _read_toml(pyproject).get("tool", {})
    except OkrError:
        return False


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
        return data
    except (OSError, UnicodeDecodeError) as exc:
        raise OkrError(f"{path}: cannot read it ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise OkrError(f"{path}: not valid TOML: {exc}") from None


def load_config(root: Path | None = None, cwd: Path | None = None) -> Config:
    """The settings for `root` (found from `cwd` when not given)."""
    if root is None:
        root = find_root(cwd or Path.cwd())
    elif not root.is_dir():
        raise OkrError(f"--root {root}: no such folder")
    root = root.resolve()
    okr_toml, pyproject = root / "okr.toml", root / "pyproject.toml"
    if okr_toml.is_file():
        return _parse(root, okr_toml, _read_toml(okr_toml), "")
    if pyproject.is_file():
        tool = _read_toml(pyproject).get("tool", {})
        if "okr" in tool:
            return _parse(root, pyproject, tool["okr"], "tool.okr.")
    return Config(root=root)


def setting_at(config: Config, key: str) -> str:
    """`file:line` and the name of setting `key` as the user wrote it (`tool.okr.select`), for
    layers that judge a setting's value later (the rule codes, by okrcli.lint)."""
    if config.source is None:
        return f"{config.root}: `{key}`"
    prefix = "tool.okr." if config.source.name == "pyproject.toml" else ""
    return f"{_where(config.source, key)}: `{prefix}{key}`"


def rule_options(config: Config, code: str, defaults: dict[str, int]) -> dict[str, int]:
    """A rule's options: its `defaults`, overridden by okr.toml `[rules.CODE]`."""
    return {**defaults, **config.rules.get(code, {})}


def _where(source: Path, key: str, within: str | None = None) -> str:
    """`file:line` of the first line that sets `key` (after the line that opens the table
    `within`, when given), for messages."""
    try:
        text = source.read_text(encoding="utf-8")
    except OSError:
        return str(source)
    start = 0
    if within is not None and (table := _key_line(within).search(text)):
        start = table.end()
    m = _key_line(key).search(text, start)
    return f"{source}:{text.count(chr(10), 0, m.start()) + 1}" if m else str(source)


def _key_line(key: str) -> re.Pattern[str]:
    return re.compile(rf"^[ \t]*(\[[ \t]*)?[\"']?{re.escape(key)}\b", re.MULTILINE)


def _parse(root: Path, source: Path, raw: Any, prefix: str) -> Config:
    from okrcli.messages import show, suggest

    def fail(key: str, message: str, within: str | None = None) -> OkrError:
        return OkrError(f"{_where(source, key, within)}: {message}")

    if not isinstance(raw, dict):
        raise OkrError(f"{source}: [{prefix.rstrip('.')}] must be a table")
    for key in raw:
        if key not in _KEYS:
            raise fail(key, f"unknown setting `{prefix}{key}`{suggest(key, _KEYS)}")

    def strings(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = raw.get(key, list(default))
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(key, f"`{prefix}{key}` must be a list of strings, not {show(value)}")
        return tuple(value)

    def globs(key: str, patterns: Iterable[str]) -> None:
        for pattern in patterns:
            if problem := glob_problem(pattern):
                raise fail(key, f"`{prefix}{key}`: {problem}")

    per_file = raw.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise fail("per-file-ignores", f"`{prefix}per-file-ignores` must be a table")
    globs("per-file-ignores", per_file)
    paths = strings("paths", DEFAULT_PATHS)
    globs("paths", paths)
    per_file_ignores = {}
    for pattern, value in per_file.items():
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(pattern, f"per-file-ignores `{pattern}` must be a list of rule codes")
        per_file_ignores[pattern] = tuple(value)

    stale = _days(raw, "stale_days", 1, fail, prefix)

    return Config(
        root=root,
        source=source,
        paths=paths,
        select=strings("select", ("ALL",)),
        extend_select=strings("extend-select", ()),
        ignore=strings("ignore", ()),
        per_file_ignores=per_file_ignores,
        stale_days=stale.default,
        stale=stale,
        lock_after=_days(raw, "lock_after_days", 0, fail, prefix),
        thresholds=_thresholds(raw.get("thresholds", {}), fail, prefix),
        cycles=_cycles(raw.get("cycles", {}), fail, prefix),
        grading=_grading(raw.get("grading", {}), fail, prefix),
        **_sync_settings(raw, fail, prefix),
        fiscal=_calendar(raw.get("calendar", {}), fail, prefix),
        rules=_rule_options(raw.get("rules", {}), fail, prefix),
    )


def glob_problem(pattern: str) -> str | None:
    """Why `pattern` cannot be a glob of files under the root, or None. A pull request can
    change okr.toml, so no glob may reach outside the repository."""
    from okrcli.globs import compile_glob
    from okrcli.messages import printable

    shown = printable(pattern)
    if pattern.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", pattern):
        return f"glob `{shown}` is absolute; globs are relative to the repository's root"
    if ".." in pattern.split("/"):
        return f"glob `{shown}` goes up with `..`; globs stay inside the repository"
    try:
        compile_glob(pattern)
    except re.error as why:
        return f"glob `{shown}` is not valid: {why.msg}"
    return None


def _days(raw: dict[str, Any], key: str, least: int, fail: Any, prefix: str) -> Days:
    """`key = N`, or `key = { quarter = N, half = N, year = N }` (others default to 14)."""
    from okrcli.messages import suggest

    value = raw.get(key, 14)
    given = value.items() if isinstance(value, dict) else [("", value)]
    for length, days in given:
        if length and length not in LENGTHS:
            raise fail(key, f"`{prefix}{key}.{length}`: cycle lengths are {', '.join(LENGTHS)}"
                       f"{suggest(length, LENGTHS)}")  # fmt: skip
        if not isinstance(days, int) or isinstance(days, bool) or days < least:
            name = f"{key}.{length}" if length else key
            raise fail(key, f"`{prefix}{name}` must be a whole number of days >= {least}")
    if isinstance(value, dict):
        return Days(14, tuple(value.items()))
    return Days(value)


def _sync_settings(raw: dict[str, Any], fail: Any, prefix: str) -> dict[str, Any]:
    """`[sources]` and `[owners]`, read by `okr sync`, `okr remind` and OKR105."""
    from okrcli.sources import parse_owners, parse_sources

    return {
        "sources": parse_sources(raw.get("sources", {}), fail, prefix),
        "owners": parse_owners(raw.get("owners", {}), fail, prefix),
    }


def _thresholds(raw: Any, fail: Any, prefix: str) -> Thresholds:
    from okrcli.messages import suggest

    if not isinstance(raw, dict):
        raise fail("thresholds", f"`{prefix}thresholds` must be a table")
    known = {"on_track", "at_risk"}
    for key, value in raw.items():
        if key not in known:
            raise fail(key, f"unknown setting `{prefix}thresholds.{key}`{suggest(key, known)}")
        if not _share(value):
            raise fail(key, f"`{prefix}thresholds.{key}` must be a number from 0 to 1")
    result = Thresholds(**raw)
    if result.on_track > result.at_risk:
        raise fail("on_track", "`thresholds.on_track` must not be larger than `at_risk`")
    return result


def _share(value: Any) -> bool:
    """A number from 0 to 1 (not a bool, which TOML keeps apart but Python does not)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1


def _table(raw: Any, name: str, known: set[str], fail: Any, prefix: str) -> dict[str, Any]:
    """`[name]` as a dict of only `known` keys, else one sentence naming the bad one."""
    from okrcli.messages import suggest

    if not isinstance(raw, dict):
        raise fail(name, f"`{prefix}{name}` must be a table")
    for key in raw:
        if key not in known:
            raise fail(key, f"unknown setting `{prefix}{name}.{key}`{suggest(key, known)}")
    return raw


def _grading(raw: Any, fail: Any, prefix: str) -> Grading:
    raw = _table(raw, "grading", {"aspirational", "bands"}, fail, prefix)
    aspirational = raw.get("aspirational", Grading.aspirational)
    if not _share(aspirational):
        raise fail("aspirational", f"`{prefix}grading.aspirational` must be a number from 0 to 1")
    bands = raw.get("bands", list(Grading.bands))
    if (
        not isinstance(bands, list)
        or len(bands) != 2
        or not all(_share(band) for band in bands)
        or bands[0] > bands[1]
    ):
        raise fail(
            "bands",
            f"`{prefix}grading.bands` must be two numbers from 0 to 1, the lower first "
            "(red below the first, green from the second)",
        )
    return Grading(float(aspirational), (float(bands[0]), float(bands[1])))


def _cycles(raw: Any, fail: Any, prefix: str) -> dict[str, Cycle]:
    if not isinstance(raw, dict):
        raise fail("cycles", f"`{prefix}cycles` must be a table")
    cycles = {}
    for name, spec in raw.items():
        if not re.fullmatch(r"[\w.-]+", name) or not name.strip("."):  # `..` is no folder
            raise fail(name, f"cycle name `{name}` may hold only letters, digits, `.`, `-`, `_`")
        if not isinstance(spec, dict) or set(spec) != {"start", "end"}:
            raise fail(name, f"cycle `{name}` needs exactly `start` and `end` dates")
        start = _date(spec["start"], fail(name, f"cycle `{name}`: bad start"))
        end = _date(spec["end"], fail(name, f"cycle `{name}`: bad end"))
        if end < start:
            raise fail(name, f"cycle `{name}` ends ({end}) before it starts ({start})")
        cycles[name] = Cycle(name, start, end)
    return cycles


def _calendar(raw: Any, fail: Any, prefix: str) -> FiscalYear | None:
    """`[calendar]`: `fiscal_year_start = "MM-DD"`, `fiscal_year_named_by = "end" | "start"`."""
    from okrcli.messages import show

    raw = _table(raw, "calendar", {"fiscal_year_start", "fiscal_year_named_by"}, fail, prefix)
    named_by = raw.get("fiscal_year_named_by", "end")
    if named_by not in ("end", "start"):
        raise fail(
            "fiscal_year_named_by",
            f'`{prefix}calendar.fiscal_year_named_by` must be "end" or "start", '
            f"not {show(named_by)}",
        )
    start = raw.get("fiscal_year_start")
    if start is None:
        if "fiscal_year_named_by" in raw:
            raise fail("fiscal_year_named_by", "`fiscal_year_named_by` needs `fiscal_year_start`")
        return None
    m = re.fullmatch(r"(\d\d)-(\d\d)", start) if isinstance(start, str) else None
    if m is None or not (1 <= int(m[1]) <= 12 and 1 <= int(m[2]) <= 28):
        raise fail(
            "fiscal_year_start",
            f'`{prefix}calendar.fiscal_year_start` must be "MM-DD" with a day from 01 to 28 '
            f"(every quarter starts on that day), not {show(start)}",
        )
    return FiscalYear(int(m[1]), int(m[2]), named_by == "end")


def _rule_options(raw: Any, fail: Any, prefix: str) -> dict[str, dict[str, int]]:
    """`[rules.OKR201] min = 2`: whole numbers >= 0 by rule code. Which codes and options
    exist is judged by okrcli.lint, which knows the rules."""
    if not isinstance(raw, dict):
        raise fail("rules", f"`{prefix}rules` must be a table of rule codes")
    found: dict[str, dict[str, int]] = {}
    for code, options in raw.items():
        if not isinstance(options, dict):
            raise fail(f"rules.{code}", f"`{prefix}rules.{code}` must be a table of options")
        for name, value in options.items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise fail(
                    f"rules.{code}", f"`{prefix}rules.{code}.{name}` must be a whole number >= 0"
                )
        found[code] = dict(options)
    return found


def _date(value: Any, error: OkrError) -> date:
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        raise error from None
    if not in_range(day):
        raise OkrError(f"{error}: {day} is not in the {YEARS}")
    return day
