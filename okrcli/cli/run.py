"""The one place errors meet the user: a sentence and an exit code, never a traceback."""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

from okrcli.errors import OkrError


def _say(message: str) -> None:
    sys.stderr.write(message.rstrip() + "\n")


def _log_crash() -> Path:
    """Write the traceback where a bug report can quote it."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "okr"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.gettempdir())
    log = folder / "crash.log"
    with open(log, "a", encoding="utf-8") as out:
        out.write(traceback.format_exc() + "\n")
    return log


def run(app: Any, args: list[str] | None = None) -> int:
    import typer
    import typer.main

    args = sys.argv[1:] if args is None else args
    command = typer.main.get_command(app)
    try:
        result = command.main(args=args or ["--help"], prog_name="okr", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except typer.Exit as done:
        return done.exit_code
    except (typer.Abort, KeyboardInterrupt):
        _say("okr: interrupted")
        return 130
    except typer.TyperException as wrong:  # bad flags and arguments
        ctx = getattr(wrong, "ctx", None)
        where = f"; see `{ctx.command_path} --help`" if ctx is not None else ""
        # typer checks choices through pydantic, whose wording leaks into the message
        message = wrong.format_message().replace("Value error, ", "").rstrip(".")
        _say(f"okr: error: {message}{where}")
        return 2
    except OkrError as problem:
        _say(f"okr: error: {problem}")
        return 2
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except Exception as bug:  # the last line of defence: no traceback on the user's screen
        log = _log_crash()
        _say(
            f"okr: internal error: {type(bug).__name__}: {bug} (details in {log}; please report it)"
        )
        return 2
