"""Running sources (okr.toml `[sources]`) for `okr sync`, and nothing else.

Every run is bounded: a timeout per source (the whole process group is killed when it
passes), and at most MAX_OUTPUT bytes read. A source's answer is text; `value_of` turns it
into the finite number (or true/false) a key result can take, or one sentence saying why not.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from okrcli.cells import delimiter, parse_number
from okrcli.errors import OkrError
from okrcli.messages import printable
from okrcli.sources import Source, fill, url_part

MAX_OUTPUT = 1024 * 1024  # bytes a source may return
TOO_MUCH = f"more than {MAX_OUTPUT // 2**20} MB; refused"
_CHUNK = 64 * 1024
_MAX_WORKERS = 8
Progress = Callable[[int, int | None], None] | None  # (answered, of how many)


@dataclass(frozen=True)
class Call:
    """One run of a source with its arguments: key results asking the same share it."""

    source: Source
    args: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        return self.source.name


@dataclass(frozen=True)
class Answer:
    """What a call returned (`text`), or why it failed (`error`, one sentence)."""

    text: str | None = None
    error: str | None = None


def run_all(calls: Iterable[Call], root: Path, done: Progress = None) -> dict[Call, Answer]:
    """Every call once, in parallel; a failure is an Answer, never an exception. `done` is
    told how many have answered, of how many, several times a second while they run."""
    unique = list(dict.fromkeys(calls))
    if not unique:
        return {}
    answers: dict[Call, Answer] = {}
    with ThreadPoolExecutor(max_workers=min(_MAX_WORKERS, len(unique))) as pool:
        running = {pool.submit(_answer, call, root): call for call in unique}
        pending = set(running)
        while pending:
            finished, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            answers.update((running[future], future.result()) for future in finished)
            if done is not None:
                done(len(answers), len(unique))
    return {call: answers[call] for call in unique}


def _answer(call: Call, root: Path) -> Answer:
    try:
        return Answer(text=_run(call, root))
    except OkrError as problem:
        return Answer(error=f"source `{call.source.name}`: {problem}")


def _run(call: Call, root: Path) -> str:
    source, args = call.source, dict(call.args)
    if source.command:
        return _run_command([fill(part, args) for part in source.command], root, source.timeout)
    if source.url:
        return _read_url(fill(source.url, args, url_part), source)
    assert source.file is not None
    return _read_file(root, fill(source.file, args), source)


def _decode(raw: bytes) -> str:
    if len(raw) > MAX_OUTPUT:
        raise OkrError(f"returned {TOO_MUCH}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OkrError("returned text that is not UTF-8") from None


def _run_command(argv: list[str], root: Path, timeout: float) -> str:
    try:
        process = subprocess.Popen(
            argv,
            cwd=root,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: a timeout kills its children too
        )
    except OSError as exc:
        raise OkrError(f"cannot run `{argv[0]}`: {exc.strerror or exc}") from None
    assert process.stdout is not None and process.stderr is not None
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [
        threading.Thread(target=_drain, args=(process.stdout, out, process), daemon=True),
        threading.Thread(target=_drain, args=(process.stderr, err, process), daemon=True),
    ]
    for reader in readers:
        reader.start()
    try:
        code = process.wait(timeout)
    except subprocess.TimeoutExpired:
        raise OkrError(f"still running after {_seconds(timeout)}; stopped") from None
    finally:
        _kill(process)  # and whatever it left running, which could hold the pipes open
        for reader in readers:
            reader.join(1)
    stdout = b"".join(out)
    if len(stdout) > MAX_OUTPUT:
        raise OkrError(f"printed {TOO_MUCH}")
    if code != 0:
        first = b"".join(err).decode("utf-8", "replace").strip().splitlines()
        said = f": {first[0]}" if first else ""
        raise OkrError(f"exited with status {code}{said}")
    return _decode(stdout)


def _drain(stream: IO[bytes], into: list[bytes], process: subprocess.Popen[bytes]) -> None:
    """Read `stream` to its end, keeping at most MAX_OUTPUT + 1 bytes; past that, stop the
    process (the output is refused anyway)."""
    kept = 0
    while chunk := stream.read1(_CHUNK):  # type: ignore[attr-defined]
        if kept <= MAX_OUTPUT:
            into.append(chunk)
            kept += len(chunk)
            if kept > MAX_OUTPUT:
                _kill(process)


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _seconds(timeout: float) -> str:
    return f"{timeout:g} second{'s' * (timeout != 1)}"


def _read_url(url: str, source: Source) -> str:
    import urllib.error
    import urllib.request

    headers = {"User-Agent": "okr-sync", "Accept": "application/json, text/plain"}
    for header, variable in source.headers:
        value = os.environ.get(variable)
        if value is None:
            raise OkrError(f"environment variable {variable} (for the {header} header) is not set")
        headers[header] = value
    request = urllib.request.Request(url, headers=headers)
    deadline = time.monotonic() + source.timeout
    try:
        with urllib.request.urlopen(request, timeout=source.timeout) as response:
            raw = _read_bounded(response, deadline, source.timeout)
    except urllib.error.HTTPError as exc:
        raise OkrError(f"{url} answered HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError) or isinstance(exc, TimeoutError):
            raise OkrError(f"{url} did not answer within {_seconds(source.timeout)}") from None
        raise OkrError(f"{url} could not be read: {reason}") from None
    return _decode(raw)


def _read_bounded(stream: Any, deadline: float, timeout: float) -> bytes:
    chunks, size = [], 0
    while chunk := stream.read(_CHUNK):
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_OUTPUT:
            break
        if time.monotonic() > deadline:
            raise OkrError(f"still sending after {_seconds(timeout)}; stopped")
    return b"".join(chunks)


def _read_file(root: Path, rel: str, source: Source) -> str:
    path = (root / rel).resolve()
    if not path.is_relative_to(root.resolve()):
        raise OkrError(f"{rel} is outside the repository; not read")
    try:
        if not path.is_file():
            raise OkrError(f"{rel} is not a file")
        if path.stat().st_size > MAX_OUTPUT:
            raise OkrError(f"{rel} holds {TOO_MUCH}")
        text = _decode(path.read_bytes())
    except OSError as exc:
        raise OkrError(f"{rel} cannot be read: {exc.strerror or exc}") from None
    if source.column is None:
        return text
    return _cell(text, rel, source.column, source.row)


def _cell(text: str, rel: str, column: str, row: int) -> str:
    """The cell of a CSV text at `column` (a header) and data row `row` (1-based, or from
    the end when negative); blank rows do not count."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text.split("\n", 1)[0]))
    rows = [cells for cells in reader if any(c.strip() for c in cells)]
    if not rows or column not in rows[0]:
        raise OkrError(f"{rel} has no column `{column}`")
    data, at = rows[1:], row - 1 if row > 0 else row
    if not -len(data) <= at < len(data):
        raise OkrError(f"{rel} has no data row {row} ({len(data)} rows)")
    index = rows[0].index(column)
    return data[at][index] if index < len(data[at]) else ""


def value_of(text: str, pointer: str | None, kind: str) -> bool | int | float:
    """The value a source's `text` gives a key result of `kind`; OkrError saying why not."""
    if pointer is not None:
        try:
            found: Any = resolve(json.loads(text), pointer)
        except ValueError:
            raise OkrError("did not return JSON (it has a `pointer`)") from None
    else:
        found = text.strip()
    if isinstance(found, bool) or (isinstance(found, str) and found in ("true", "false")):
        if kind != "milestone":
            raise OkrError(f"returned `{str(found).lower()}`, but a {kind} needs a number")
        return found if isinstance(found, bool) else found == "true"
    if kind == "milestone":
        raise OkrError(f"returned {_shown(found)}, but a milestone needs true or false")
    return _number(found)


def _number(found: Any) -> int | float:
    if isinstance(found, (int, float)):
        value: int | float | None = found
    elif isinstance(found, str):
        value = parse_number(found)
    else:
        value = None
    if value is None or not math.isfinite(value):
        raise OkrError(f"returned {_shown(found)}, which is not a finite number")
    return value


def _shown(found: Any) -> str:
    text = found if isinstance(found, str) else json.dumps(found)
    text = text if len(text) <= 40 else text[:40] + "…"
    return f"`{printable(text)}`" if text else "nothing"


def resolve(document: Any, pointer: str) -> Any:
    """The value at an RFC 6901 `pointer` in `document`; OkrError naming what is missing."""
    if pointer == "":
        return document
    here = document
    for token in pointer[1:].split("/"):
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(here, Mapping) and key in here:
            here = here[key]
        elif isinstance(here, list) and key.isdigit() and (key == "0" or key[0] != "0"):
            if int(key) >= len(here):
                raise OkrError(f"JSON pointer {pointer}: no item {key}")
            here = here[int(key)]
        else:
            raise OkrError(f"JSON pointer {pointer}: nothing at `{printable(key)}`")
    return here
