"""The spreadsheet round trip, import side: CSV rows → team files that pass `okr check`.

Reads what spreadsheets really write (a UTF-8 BOM, `;` or tab separators, decimal commas,
"45%", blank rows, headers in any case) and refuses a row it cannot understand by its row
number, before any file is written. Ids missing from the sheet are made up the way
`okr new` makes them. An existing file is never replaced without `force`.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from okrcli.cells import delimiter, parse_number
from okrcli.config import Config
from okrcli.errors import OkrError
from okrcli.sheet import COLUMNS, FORMULA_STARTS

_KINDS = ("metric", "milestone", "checklist", "threshold", "rollup")
_TYPES = ("committed", "aspirational", "learning")
_STATUSES = ("on_track", "at_risk", "off_track", "dropped")
_TRUE, _FALSE = {"true", "yes", "y", "x", "1", "done", "✓"}, {"false", "no", "n", "0", ""}
_MILESTONE = re.compile(
    r"^\[(?P<done>[ xX])\] (?P<title>.+?)"
    r"(?: \((?:weight (?P<weight>[^,)]+))?(?:, )?(?:due (?P<due>\d{4}-\d\d-\d\d))?\))?$"
)
_DAY = re.compile(r"\d{4}-\d\d-\d\d")
_INITIATIVE = re.compile(
    r"^\[(?P<status>todo|doing|done|dropped)\] (?P<title>.+?)"
    r"(?: \(owner: (?P<owner>[^)]+)\))?(?: <(?P<link>[^<>\s]+)>)?$"
)
_KIND_KEYS = {
    "metric": ("start", "target", "current", "unit", "plan"),
    "threshold": ("above", "below", "current", "unit"),
    "milestone": ("done", "due"),
    "checklist": ("milestones",),
    "rollup": (),
}


@dataclass
class _Objective:
    fields: dict[str, Any]
    key_results: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _File:
    team: str
    cycle: str
    objectives: dict[str, _Objective] = field(default_factory=dict)  # by id, or by title


class _Row:
    """One CSV row by column name, with the row number for messages."""

    def __init__(self, where: str, number: int, cells: dict[str, str], commas: bool) -> None:
        self.where, self.line, self.cells = where, number, cells
        self.thousands_comma = commas  # `,` between cells: "1,234" is a thousand and more

    def fail(self, message: str) -> OkrError:
        return OkrError(f"{self.where}: row {self.line}: {message}; nothing was imported")

    def text(self, column: str) -> str | None:
        value = self.cells.get(column, "").strip()
        if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
            value = value[1:]
        return value or None

    def number(self, column: str, low: float | None = None, high: float | None = None) -> Any:
        text = self.text(column)
        if text is None:
            return None
        value = parse_number(text, self.thousands_comma)
        if value is None or not math.isfinite(value):
            raise self.fail(f"`{column}` is `{text}`, not a number")
        if (low is not None and value < low) or (high is not None and value > high):
            raise self.fail(f"`{column}` is {text}, outside {low:g} to {high or math.inf:g}")
        return value

    def choice(self, column: str, choices: tuple[str, ...]) -> str | None:
        text = self.text(column)
        if text is None:
            return None
        value = text.lower().replace(" ", "_").replace("-", "_")
        if value not in choices:
            raise self.fail(f"`{column}` is `{text}`, not one of {', '.join(choices)}")
        return value

    def day(self, column: str) -> str | None:
        text = self.text(column)
        if text is not None and not _DAY.fullmatch(text):
            raise self.fail(f"`{column}` is `{text}`, not a date written YYYY-MM-DD")
        return text

    def flag(self, column: str) -> bool | None:
        text = self.text(column)
        if text is None:
            return None
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise self.fail(f"`{column}` is `{text}`, not true or false")


def read_rows(raw: bytes, where: str) -> list[_Row]:
    """The rows of a CSV file, keyed by normalised header; blank rows left out."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OkrError(f"{where}: not UTF-8 text (save the sheet as CSV UTF-8)") from None
    separator = delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        header = [re.sub(r"[\s_]+", " ", h.strip().lower()) for h in next(reader)]
    except StopIteration:
        raise OkrError(f"{where}: empty, no header row") from None
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        from okrcli.messages import suggest

        raise OkrError(f"{where}: unknown column `{unknown[0]}`{suggest(unknown[0], COLUMNS)}")
    for needed in ("team", "objective title"):
        if needed not in header:
            raise OkrError(f"{where}: no `{needed}` column")
    rows = []
    for cells in reader:
        if any(c.strip() for c in cells):
            found = dict(zip(header, cells, strict=False))
            rows.append(_Row(where, reader.line_num, found, separator == ","))
    return rows


def import_csv(
    config: Config, raw: bytes, where: str, cycle: str | None = None, force: bool = False
) -> list[str]:
    """Write the team files the sheet describes; their paths from the root."""
    from okrcli.load import load_source
    from okrcli.repo import load_repo
    from okrcli.scaffold import latest_objectives, team_file, team_prefix, write_new

    files = _files(read_rows(raw, where), cycle, config)
    graph = load_repo(config).graph
    taken = set(graph.by_id)
    texts = {}
    for sheet in files.values():
        _give_ids(sheet, taken, team_prefix(latest_objectives(graph, sheet.team), sheet.team))
        rel = team_file(config, sheet.team, sheet.cycle)
        text = _yaml(sheet)
        source = load_source(rel, text.encode("utf-8"))
        if source.doc is None:
            raise OkrError(f"{where}: {rel} would not be valid: {source.problems[0].message}")
        texts[rel] = text
    for rel in texts:
        target = config.root / rel
        if not target.resolve().is_relative_to(config.root.resolve()):  # links followed
            raise OkrError(f"{rel} would be outside the repository; nothing was imported")
        if target.exists() and not force:
            raise OkrError(f"{rel} exists; pass --force to replace it (nothing was imported)")
    from okrcli.edit import write_atomic

    for rel, text in texts.items():
        target = config.root / rel
        if target.exists():
            write_atomic(target, text.encode("utf-8"))
        else:
            write_new(config.root, target, text)
    return list(texts)


def _files(rows: list[_Row], cycle: str | None, config: Config) -> dict[tuple[str, str], _File]:
    from okrcli.scaffold import TEAM_PATTERN

    files: dict[tuple[str, str], _File] = {}
    for row in rows:
        team, row_cycle = row.text("team"), row.text("cycle") or cycle
        if team is None or not TEAM_PATTERN.fullmatch(team):
            raise row.fail(f"`team` is `{team or ''}`: letters, digits, `.`, `-`, `_` only")
        if row_cycle is None:
            raise row.fail("no `cycle` (give the column, or --cycle)")
        if config.cycle(row_cycle) is None:
            raise row.fail(f"unknown cycle `{row_cycle}`")
        if cycle is not None and row_cycle != cycle:
            continue
        sheet = files.setdefault((team, row_cycle), _File(team, row_cycle))
        objective = _objective(row, sheet)
        kr = _key_result(row)
        if kr is not None:
            objective.key_results.append(kr)
    return files


def _objective(row: _Row, sheet: _File) -> _Objective:
    ident, title = row.text("objective id"), row.text("objective title")
    if title is None:
        raise row.fail("no `objective title`")
    key = ident or f"title:{title}"
    if key in sheet.objectives:
        return sheet.objectives[key]
    fields = {
        "id": ident,
        "title": title,
        "type": row.choice("type", _TYPES),
        "parent": row.text("parent"),
        "owner": row.text("objective owner"),
        "weight": row.number("objective weight", 0),
        "status": row.choice("objective status", _STATUSES),
        "confidence": row.number("objective confidence", 0, 10),
        "grade": row.number("objective grade", 0, 1),
        "notes": row.text("objective notes"),
        "initiatives": _initiatives(row, "objective initiatives"),
    }
    found = sheet.objectives[key] = _Objective(fields)
    return found


def _key_result(row: _Row) -> dict[str, Any] | None:
    ident, title = row.text("key result id"), row.text("title")
    kind = row.choice("kind", _KINDS)
    values = {
        "start": row.number("start"),
        "target": row.number("target"),
        "current": row.number("current"),
        "unit": row.text("unit"),
        "above": row.number("above"),
        "below": row.number("below"),
        "done": row.flag("done"),
        "due": row.day("due"),
        "plan": _plan(row),
        "milestones": _milestones(row),
    }
    if (
        ident is None
        and title is None
        and kind is None
        and not any(v is not None for v in values.values())
    ):
        return None  # an objective's own row
    if title is None:
        raise row.fail("a key result needs a `title`")
    kind = kind or _kind(values)
    if kind is None:
        raise row.fail(
            f"key result `{title}` has no measure: give start and target, above or below, "
            "done, milestones, or kind rollup"
        )
    stray = [k for k, v in values.items() if v is not None and k not in _KIND_KEYS[kind]]
    if stray:
        raise row.fail(f"a {kind} key result has no `{stray[0]}`")
    kept = {k: v for k, v in values.items() if k in _KIND_KEYS[kind]}
    if kind == "milestone" and kept["done"] is None:
        kept["done"] = False
    if kind == "rollup":
        kept["rollup"] = True
    return {
        "id": ident,
        "title": title,
        **kept,
        "owner": row.text("owner"),
        "weight": row.number("weight", 0),
        "status": row.choice("status", _STATUSES),
        "confidence": row.number("confidence", 0, 10),
        "grade": row.number("grade", 0, 1),
        "source": _source(row),
        "notes": row.text("notes"),
        "initiatives": _initiatives(row, "initiatives"),
    }


def _kind(values: dict[str, Any]) -> str | None:
    if values["milestones"] is not None:
        return "checklist"
    if values["done"] is not None:
        return "milestone"
    if values["target"] is not None:
        return "metric"
    if values["above"] is not None or values["below"] is not None:
        return "threshold"
    return None


def _milestones(row: _Row) -> list[dict[str, Any]] | None:
    text = row.text("milestones")
    if text is None:
        return None
    items = []
    for line in text.splitlines():
        match = _MILESTONE.match(line.strip())
        if match is None:
            raise row.fail(f"milestone `{line}` is not `[x] title` or `[ ] title`")
        item: dict[str, Any] = {"title": match["title"], "done": match["done"] != " "}
        if match["due"] is not None:
            item["due"] = match["due"]
        if match["weight"] is not None:
            weight = parse_number(match["weight"])
            if weight is None or not math.isfinite(weight) or weight < 0:
                raise row.fail(f"milestone `{line}`: the weight is not a number >= 0")
            item["weight"] = weight
        items.append(item)
    return items


def _initiatives(row: _Row, column: str) -> list[dict[str, Any]] | None:
    text = row.text(column)
    if text is None:
        return None
    items = []
    for line in text.splitlines():
        match = _INITIATIVE.match(line.strip())
        if match is None:
            raise row.fail(f"initiative `{line}` is not `[todo|doing|done|dropped] title`")
        fields = ("title", "owner", "status", "link")  # in the order people write them
        items.append({k: match[k] for k in fields if match[k] is not None})
    return items


def _plan(row: _Row) -> dict[str, Any] | None:
    """`2026-10-31: 95; 2026-11-30: 97` → the waypoints."""
    text = row.text("plan")
    if text is None:
        return None
    plan = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        day, _, value = part.partition(":")
        number = parse_number(value)
        if not _DAY.fullmatch(day.strip()) or number is None or not math.isfinite(number):
            raise row.fail(f"plan waypoint `{part}` is not `YYYY-MM-DD: number`")
        plan[day.strip()] = number
    return plan


def _source(row: _Row) -> Any:
    """A source's name, or `{"name": …, "args": {…}}` as JSON."""
    text = row.text("source")
    if text is None or not text.startswith("{"):
        return text
    try:
        found = json.loads(text)
    except ValueError:
        found = None
    if not isinstance(found, dict) or not isinstance(found.get("name"), str):
        raise row.fail(f'`source` is `{text}`, not a name or {{"name": …, "args": {{…}}}}')
    return found


def _give_ids(sheet: _File, taken: set[str], prefix: str) -> None:
    """Ids for objectives and key results the sheet left without one, as `okr new` makes
    them (`prefix` is the team's, e.g. `PLAT-`)."""
    from okrcli.scaffold import free_objective_id

    for objective in sheet.objectives.values():
        taken.update(kr["id"] for kr in objective.key_results if kr["id"])
        if objective.fields["id"]:
            taken.add(objective.fields["id"])
    for objective in sheet.objectives.values():
        if not objective.fields["id"]:
            count = len(objective.key_results)
            objective.fields["id"] = free_objective_id(prefix, taken, count)
            taken.add(objective.fields["id"])
        n = 0
        for kr in objective.key_results:
            while not kr["id"]:
                n += 1
                if (candidate := f"{objective.fields['id']}.{n}") not in taken:
                    kr["id"] = candidate
                    taken.add(candidate)


def _yaml(sheet: _File) -> str:
    """The team file, in block style, with only the keys that have values."""
    lines = [
        "# Imported from a spreadsheet by `okr import csv`.",
        f"team: {_scalar(sheet.team)}",
        f"cycle: {_scalar(sheet.cycle)}",
        "objectives:",
    ]
    for objective in sheet.objectives.values():
        lines += _mapping(objective.fields, "  - ", "    ")
        if objective.key_results:
            lines.append("    key_results:")
            for kr in objective.key_results:
                milestones = kr.pop("milestones", None)
                lines += _mapping(kr, "      - ", "        ")
                if milestones is not None:
                    lines.append("        milestones:")
                    for item in milestones:
                        lines += _mapping(item, "          - ", "            ")
    return "\n".join(lines) + "\n"


def _mapping(values: dict[str, Any], first: str, rest: str) -> list[str]:
    lines: list[str] = []
    for key, value in values.items():
        if value is not None:
            lines.append(f"{rest if lines else first}{key}: {_scalar(value)}")
    return lines


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._/()&,'-]*")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def _scalar(value: Any) -> str:
    """A YAML scalar: numbers and booleans as such, text plain when that is unambiguous,
    else double-quoted (JSON's quoting is YAML's)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)  # flow style: JSON is YAML
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _RESERVED and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


def read_sheet(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise OkrError(f"{path}: cannot read it ({exc.strerror or exc})") from None
