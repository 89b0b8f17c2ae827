"""okr: OKRs as plain text in git.

The package is usable as a library; heavy modules load on first use so that
`okr --version` and `okr --help` stay as fast as the CLI framework itself.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "load_repo": "okrcli.repo",
    "Repo": "okrcli.repo",
    "load_config": "okrcli.config",
    "lint": "okrcli.lint",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'okrcli' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
