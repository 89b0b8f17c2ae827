"""What `okr checkin` is told, turned into check-in entries: `ID VALUE`, `ID=VALUE` pairs, a
spreadsheet's CSV, or answers typed at a prompt."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from okrcli.cells import delimiter as separator
from okrcli.cells import parse_number
from okrcli.checkin import Entry, show
from okrcli.errors import OkrError

_PAIR = re.compile(r"([A-Za-z0-9._-]+)=(.*)", re.DOTALL)
COLUMNS = ("id", "value", "confidence", "note", "status")


def from_args(
    args: Sequence[str],
    *,
    confidence: str | None = None,
    status: str | None = None,
    note: str | None = None,
    done: str | None = None,
    undone: str | None = None,
) -> list[Entry]:
    """`ID [VALUE]` with the options, or `ID=VALUE…` pairs (the note goes with each of them)."""
    if not args:
        raise OkrError("name a key result: okr checkin ID VALUE (or ID=VALUE …, or --from FILE)")
    pairs = [_PAIR.fullmatch(arg) for arg in args]
    if not any(pairs):
        if len(args) > 2:
            raise OkrError(
                f"one ID and one VALUE, not {len(args)} words: for several key results "
                "write ID=VALUE pairs"
            )
        value = args[1] if len(args) == 2 else None
        return [Entry(args[0], value, confidence, status, note, done, undone)]
    wrong = next((arg for arg, m in zip(args, pairs, strict=True) if m is None), None)
    if wrong is not None:
        raise OkrError(f"`{wrong}` is not an ID=VALUE pair; give every key result as ID=VALUE")
    if confidence is not None or status is not None or done is not None or undone is not None:
        raise OkrError(
            "--confidence, --status, --done and --undone go with one key result; with ID=VALUE "
            "pairs use --from FILE.csv for a confidence per key result"
        )
    return [Entry(m[1], m[2], note=note) for m in pairs if m is not None]


def from_csv(path: Path, note: str | None = None) -> list[Entry]:
    """Rows of `id, value, confidence, note[, status]` as spreadsheets save them: a header
    row, `,`, `;` or a tab between cells, a UTF-8 byte order mark, a decimal comma with `;`."""
    import csv

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise OkrError(f"--from {path}: cannot read it ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise OkrError(f"--from {path}: not UTF-8 text; save the sheet as CSV UTF-8") from None
    lines = text.splitlines()
    if not lines:
        raise OkrError(
            f"--from {path}: the file is empty; it needs a header row {', '.join(COLUMNS[:4])}"
        )
    delimiter = separator(lines[0])
    rows = list(csv.reader(lines, delimiter=delimiter))
    header = [cell.strip().lower() for cell in rows[0]]
    unknown = [name for name in header if name not in COLUMNS]
    if "id" not in header or unknown:
        what = f"unknown column `{unknown[0]}`" if unknown else "no `id` column"
        raise OkrError(f"{path}:1: {what}; the columns are {', '.join(COLUMNS)}")
    entries = []
    for number, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise OkrError(f"{path}:{number}: {len(row)} cells for {len(header)} columns")
        cells = {name: (row[n].strip() if n < len(row) else "") for n, name in enumerate(header)}
        value, level = (_decimal(cells.get(k, ""), delimiter) for k in ("value", "confidence"))
        if not cells["id"]:
            raise OkrError(f"{path}:{number}: no id in this row")
        entries.append(
            Entry(
                cells["id"],
                value,
                confidence=level,
                status=cells.get("status") or None,
                note=cells.get("note") or note,
            )
        )
    if not entries:
        raise OkrError(f"--from {path}: no rows below the header")
    return entries


def _decimal(cell: str, delimiter: str) -> str | None:
    """A cell's number as okr reads it (`97,5` in a sheet saved with `;`, `1,234` with `,`,
    `45%`); a word such as `done`, or `1e999`, stays as written for the check-in to judge."""
    if not cell:
        return None
    number = parse_number(cell, thousands_comma=delimiter == ",")
    return show(number) if number is not None and math.isfinite(number) else cell


Ask = Callable[[str, str], str]  # (question, default) -> the answer typed


def interactive(key_results: Sequence[Any], ask: Ask, note: str | None = None) -> list[Entry]:
    """Ask for each key result's value in turn, its current value as the default; an answer
    equal to it (or Enter) leaves that key result out."""
    entries = []
    for kr in key_results:
        model, kind = kr.key_result, kr.kind
        if kind in ("metric", "threshold"):
            current = model.current if model.current is not None else model.start
            default = "" if current is None else show(current)
        elif kind == "milestone":
            default = "done" if model.done else "undone"
        else:
            continue  # a checklist is ticked by title, a rollup has no value of its own
        answer = ask(f"{kr.id} {kr.title}", default).strip()
        if answer and answer != default:
            entries.append(Entry(kr.id, answer, note=note))
    return entries


def ask_team(config: Any, team: str, ask: Ask, note: str | None = None) -> list[Entry]:
    """`okr checkin --team T`: the team's key results in the cycle `okr score` shows by
    default, asked in file order; from the files `okr score --team T` reads (okrcli/reach.py)
    where the index can tell which."""
    from okrcli.focus import focus
    from okrcli.reach import focus_view
    from okrcli.repo import load_repo
    from okrcli.score import select

    found = focus_view(config, [team], (), None)
    if found is not None:
        chosen = found[1]
    else:
        repo = load_repo(config)
        chosen = select(repo.graph, repo.today, None, focus(repo.graph, [team]))
    return interactive([kr for o in chosen.objectives for kr in o.key_results], ask, note)


def refuse_unknown_options(words: Sequence[str]) -> None:
    """Words are let through as values so that `-5` is one; any other `-x` is a mistyped
    option, said as click would."""
    from okrcli.checkin import number

    for word in words:
        if word.startswith("-") and _PAIR.fullmatch(word) is None:
            try:
                number(word, "")
            except OkrError:
                raise OkrError(f"no such option: {word}") from None
