"""Writes stay inside the repository: a committed symlink must not carry them out of it.

A pull request can commit `.okr_cache`, `okrs`, `.github` or `okr-report` as a symlink to
any folder of the machine that checks it out; okr then refuses to write through it, with
one sentence naming the path.
"""

from __future__ import annotations

from pathlib import Path

from okrcli.errors import OkrError


def outside(root: Path, path: Path) -> Path | None:
    """Where `path` really is (symlinks followed, as far as it exists) when that is outside
    `root`; None when it stays inside."""
    real = path.resolve()
    return None if real.is_relative_to(root.resolve()) else real


def confined(root: Path, path: Path) -> Path:
    """`path`, or one sentence when a symlink takes it outside `root`."""
    if (real := outside(root, path)) is not None:
        raise OkrError(
            f"{path} leads to {real}, outside the repository {root} (through a symlink): "
            "okr does not write there"
        )
    return path
