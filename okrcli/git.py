"""Every git call in one place: small functions over one subprocess each."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from okrcli.errors import OkrError


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run git in `root`; its complaint becomes an OkrError."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            input=stdin,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise OkrError("git is not installed or not on PATH") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1] if message else f"exit {done.returncode}"
        raise OkrError(f"git {args[0]} failed: {detail.removeprefix('fatal: ')}")
    return done.stdout


def work_tree_top(root: Path) -> Path:
    try:
        return Path(git(root, "rev-parse", "--show-toplevel").decode().strip())
    except OkrError:
        raise OkrError(f"{root} is not in a git repository (run `git init`)") from None


@dataclass(frozen=True)
class Revision:
    sha: str
    when: datetime


def resolve_at(root: Path, at: str) -> Revision:
    """A revision name, or a date meaning the last commit on HEAD before its end."""
    work_tree_top(root)
    try:
        day = datetime.fromisoformat(at)
    except ValueError:
        day = None
    if day is not None:
        until = at if "T" in at or " " in at else f"{at} 23:59:59"
        sha = git(root, "rev-list", "-1", f"--before={until}", "HEAD").decode().strip()
        if not sha:
            raise OkrError(f"--at {at}: no commit on HEAD before that date")
    else:
        try:
            sha = git(root, "rev-parse", "--verify", "--quiet", f"{at}^{{commit}}").decode().strip()
        except OkrError:
            sha = ""
        if not sha:
            raise OkrError(f"--at {at}: not a revision or a date (YYYY-MM-DD) in this repository")
    stamp = git(root, "show", "-s", "--format=%cI", sha).decode().strip()
    return Revision(sha, datetime.fromisoformat(stamp))


def tree_files(root: Path, sha: str) -> dict[str, str]:
    """Paths (relative to `root`) → blob ids of every file in `sha` under `root`."""
    out = git(root, "ls-tree", "-r", "-z", "--full-tree", sha)
    prefix = git(root, "rev-parse", "--show-prefix").decode().strip()
    files = {}
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, path = entry.decode("utf-8", "surrogateescape").split("\t", 1)
        mode, kind, blob = meta.split()
        if kind == "blob" and mode != "120000" and path.startswith(prefix):
            files[path[len(prefix) :]] = blob
    return files


def read_blobs(root: Path, blobs: Iterable[str]) -> dict[str, bytes]:
    """Many blobs through one `git cat-file --batch`."""
    wanted = list(dict.fromkeys(blobs))
    if not wanted:
        return {}
    out = git(root, "cat-file", "--batch", stdin="".join(f"{b}\n" for b in wanted).encode())
    found, offset = {}, 0
    for blob in wanted:
        end = out.index(b"\n", offset)
        header = out[offset:end].split()
        if len(header) < 3 or header[1] != b"blob":
            raise OkrError(f"git object {blob} is missing from the repository")
        size = int(header[2])
        found[blob] = out[end + 1 : end + 1 + size]
        offset = end + 1 + size + 1
    return found
