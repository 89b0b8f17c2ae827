"""The one exception type users see: a sentence, never a traceback."""

from __future__ import annotations


class OkrError(Exception):
    """A problem the user can fix; the CLI prints it as one line and exits 2."""
