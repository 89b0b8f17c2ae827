"""Every git call in one place: small functions over one subprocess each."""

from __future__ import annotations

import contextlib
import queue
import signal
import subprocess
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from okrcli import clock
from okrcli.errors import OkrError
from okrcli.yamlread import MAX_BYTES


class GitMissing(OkrError):
    """No git to run: not to be mistaken for a folder that is not a repository."""

    def __init__(self) -> None:
        super().__init__("git is not installed or not on PATH")


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
        raise GitMissing from None
    if done.returncode != 0:
        raise OkrError(f"git {args[0]} failed: {_complaint(done.stderr, done.returncode)}")
    return done.stdout


def _complaint(stderr: bytes, code: int) -> str:
    """git's own reason: its `fatal:` or `error:` line (advice follows it), else the last line
    (a hook's message)."""
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    reasons = [line for line in lines if line.startswith(("fatal: ", "error: "))]
    if code < 0 and not lines:
        return f"killed by {signal.Signals(-code).name}"
    detail = reasons[0] if reasons else lines[-1] if lines else f"exit {code}"
    return detail.removeprefix("fatal: ").removeprefix("error: ").rstrip(".")


def work_tree_top(root: Path) -> Path:
    try:
        return Path(git(root, "rev-parse", "--show-toplevel").decode().strip())
    except GitMissing:
        raise
    except OkrError as problem:
        refuse_bare(root)
        if "not a git repository" in str(problem):
            raise OkrError(f"{root} is not in a git repository (run `git init`)") from None
        raise OkrError(f"{root}: git cannot open the repository: {problem}") from None


def folder_in_work_tree(root: Path) -> str:
    """`root`'s folder inside its git work tree ("teams/okr/", or "" at the top or outside git):
    CI tools resolve paths against the repository, not against the OKR root."""
    try:
        return git(root, "rev-parse", "--show-prefix").decode().strip()
    except OkrError:
        return ""


def refuse_bare(root: Path) -> None:
    """A bare repository has history but no files: say so rather than find nothing."""
    try:
        bare = git(root, "rev-parse", "--is-bare-repository").strip() == b"true"
    except OkrError:
        return
    if bare:
        raise OkrError(f"{root} is a bare git repository, with no files: run okr in a clone of it")


@dataclass(frozen=True)
class Revision:
    sha: str
    when: datetime


def resolve_at(root: Path, at: str, option: str = "--at") -> Revision:
    """A revision name, or a date meaning the last commit on HEAD before its end (`option`
    names where the user gave it)."""
    work_tree_top(root)
    try:
        day = datetime.fromisoformat(at)
    except ValueError:
        day = None
    if day is not None:
        clock.checked(day.date(), at, option)
        until = at if "T" in at or " " in at else f"{at} 23:59:59"
        sha = git(root, "rev-list", "-1", f"--before={until}", "HEAD").decode().strip()
        if not sha:
            why = f"; {SHALLOW_FIX}" if is_shallow(root) else ""
            raise OkrError(f"{option} {at}: no commit on HEAD before that date{why}")
    else:
        try:
            sha = git(root, "rev-parse", "--verify", "--quiet", f"{at}^{{commit}}").decode().strip()
        except OkrError:
            sha = ""
        if not sha and head(root) is None:
            raise OkrError(f"{option} {at}: the repository has no commits yet")
        if not sha:
            why = f"; {SHALLOW_FIX}" if is_shallow(root) else ""
            raise OkrError(
                f"{option} {at}: not a revision or a date (YYYY-MM-DD) in this repository{why}"
            )
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


def blob_sizes(root: Path, blobs: Iterable[str]) -> dict[str, int]:
    """The size of each blob, from one `git cat-file --batch-check` (nothing is read)."""
    wanted = list(dict.fromkeys(blobs))
    if not wanted:
        return {}
    out = git(root, "cat-file", "--batch-check", stdin="".join(f"{b}\n" for b in wanted).encode())
    sizes = {}
    for blob, line in zip(wanted, out.decode().splitlines(), strict=True):
        header = line.split()
        if len(header) < 3 or header[1] != "blob":
            raise OkrError(f"git object {blob} is missing from the repository")
        sizes[blob] = int(header[2])
    return sizes


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


def is_shallow(root: Path) -> bool:
    return git(root, "rev-parse", "--is-shallow-repository").strip() == b"true"


SHALLOW_FIX = (
    "this is a shallow clone, so its history is incomplete: run `git fetch --unshallow` "
    "(in GitHub Actions, check out with `fetch-depth: 0`)"
)


def require_history(root: Path) -> None:
    """For commands that read history: a git repository with all of it."""
    work_tree_top(root)
    if is_shallow(root):
        raise OkrError(SHALLOW_FIX)


def head(root: Path, rev: str = "HEAD") -> str | None:
    """The commit `rev` names, or None in a repository without commits yet."""
    try:
        return git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
    except OkrError:
        return None


def is_ancestor(root: Path, older: str, newer: str) -> bool:
    try:
        git(root, "merge-base", "--is-ancestor", older, newer)
    except OkrError:
        return False
    return True


def check_identity(root: Path) -> None:
    """Refuse before editing anything when a commit would fail for want of a name."""
    for who in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"):
        try:
            git(root, "-c", "user.useConfigOnly=true", "var", who)
        except OkrError:
            raise OkrError(
                "git does not know who you are, so it cannot commit the check-in: run "
                '`git config user.name "Your Name"` and `git config user.email you@example.com` '
                "(or pass --no-commit)"
            ) from None


def file_status(root: Path, rel: str) -> str:
    """`git status --porcelain` for one path: "" when committed and unchanged."""
    out = git(root, "status", "--porcelain", "--untracked-files=all", "--", rel)
    return out.decode("utf-8", "replace").strip()


_IN_PROGRESS = {
    "MERGE_HEAD": "a merge",
    "rebase-merge": "a rebase",
    "rebase-apply": "a rebase or `git am`",
    "CHERRY_PICK_HEAD": "a cherry-pick",
    "REVERT_HEAD": "a revert",
}


def git_path(root: Path, name: str) -> Path:
    """Where git keeps `name` (MERGE_HEAD, a lock file…) for the work tree at `root`."""
    return root / git(root, "rev-parse", "--git-path", name).decode().strip()


def operation_in_progress(root: Path) -> str | None:
    """The merge, rebase, cherry-pick or revert the repository is in the middle of."""
    for name, what in _IN_PROGRESS.items():
        if git_path(root, name).exists():
            return what
    return None


def commit_paths(root: Path, paths: Iterable[str], message: str, allow_empty: bool = False) -> str:
    """Commit just `paths` (never anything else staged), running the user's hooks;
    `allow_empty` makes the commit even when none of them changed (its message is the news)."""
    empty = ("--allow-empty",) if allow_empty else ()
    git(root, "commit", "--quiet", *empty, "--only", "--file=-", "--", *paths,
        stdin=message.encode())  # fmt: skip
    return git(root, "rev-parse", "HEAD").decode().strip()


class PatchLog:
    """`git log -p`, newest commit first, read ahead on a thread: git works out the diffs
    while the caller parses the versions it asked for, instead of waiting on a full pipe.

    One process for the whole history, patches without context, full blob ids and no
    rename pairing, so each changed file shows both its blobs. Pathspecs are folders
    (a `:(glob)` pathspec makes git match every path of every commit, a third slower): the
    caller keeps the paths its globs match.
    """

    _AHEAD = 256  # chunks of at most a pipe's size held unread: a few MB, not the whole log

    def __init__(self, root: Path, fmt: str, revs: Iterable[str], folders: Iterable[str]) -> None:
        args = [
            "git", "-C", str(root), "-c", "core.quotePath=false",
            # a version over the size okr reads is a "binary" change: its text is not sent
            "-c", f"core.bigFileThreshold={MAX_BYTES}", "log", "--date-order", "-p",
            "-U0", "--full-index", "--no-renames", "--no-color", "--no-ext-diff",
            "--no-textconv", "--relative", f"--format={fmt}", *revs, "--",
            *(f":(literal){folder}" if folder else "." for folder in folders),
        ]  # fmt: skip
        self.process = _popen(args)
        self._chunks: queue.Queue[bytes] = queue.Queue(self._AHEAD)
        self._reader = threading.Thread(target=self._read_ahead, daemon=True)
        self._reader.start()
        self._ended = False

    def _read_ahead(self) -> None:
        read = self.process.stdout.read1
        while chunk := read(1 << 20):
            self._chunks.put(chunk)
        self._chunks.put(b"")

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self._chunks.get():
            yield chunk
        self._ended = True

    def close(self) -> None:
        """Wait for git; its complaint becomes an OkrError. A log left unread is stopped."""
        if not self._ended:
            self.process.kill()
            while self._reader.is_alive():  # it may wait to hand over a chunk
                with contextlib.suppress(queue.Empty):
                    self._chunks.get(timeout=0.05)
        self._reader.join()
        self.process.stdin.close()
        self.process.stdout.close()
        if self._ended:
            finish(self.process, "log")
        else:
            self.process.wait()
            self.process.stderr.close()


class Messages:
    """`git log --grep` for the commits `revs` names whose message matches `pattern`, whatever
    they changed (none of the files, for an empty commit), run while the caller does other
    work: `read` waits for it."""

    def __init__(self, root: Path, fmt: str, revs: Iterable[str], pattern: str) -> None:
        args = ["git", "-C", str(root), "log", "--date-order", "--no-color", "-E",
                f"--grep={pattern}", f"--format={fmt}", *revs, "--"]  # fmt: skip
        self.process = _popen(args)
        self.process.stdin.close()

    def read(self) -> bytes:
        out: bytes = self.process.stdout.read()
        self.process.stdout.close()
        finish(self.process, "log")
        self.process.stderr.close()
        return out


def _popen(args: list[str]) -> Any:
    try:
        return subprocess.Popen(
            args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
    except FileNotFoundError:
        raise GitMissing from None


def finish(process: Any, what: str) -> None:
    """Wait for a process from this module; its complaint becomes an OkrError."""
    stderr = process.stderr.read()
    if process.wait() != 0:
        raise OkrError(f"git {what} failed: {_complaint(stderr, process.returncode)}")


class BlobReader:
    """One `git cat-file --batch` answering blob requests one at a time, as they come (and
    one `--batch-check` telling sizes, so that a blob too big to read is never sent)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.process: Any = None
        self.sizes: Any = None

    def size(self, blob: str) -> int:
        if self.sizes is None:
            self.sizes = _popen(["git", "-C", str(self.root), "cat-file", "--batch-check"])
        self.sizes.stdin.write(f"{blob}\n".encode())
        self.sizes.stdin.flush()
        header = self.sizes.stdout.readline().split()
        if len(header) < 3 or header[1] != b"blob":
            raise OkrError(f"git object {blob} is missing from the repository")
        return int(header[2])

    def read(self, blob: str) -> bytes:
        if self.process is None:
            self.process = _popen(["git", "-C", str(self.root), "cat-file", "--batch"])
        self.process.stdin.write(f"{blob}\n".encode())
        self.process.stdin.flush()
        header = self.process.stdout.readline().split()
        if len(header) < 3 or header[1] != b"blob":
            raise OkrError(f"git object {blob} is missing from the repository")
        data: bytes = self.process.stdout.read(int(header[2]) + 1)
        return data[:-1]

    def close(self) -> None:
        for process in (self.process, self.sizes):
            if process is not None:
                process.stdin.close()
                finish(process, "cat-file")
        self.process = self.sizes = None


def default_branch(root: Path) -> str | None:
    """The branch pull requests go into: origin's HEAD, else a local main or master."""
    try:
        ref = git(root, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
    except OkrError:
        ref = b""
    if ref.strip():
        return ref.decode().strip()
    return next((name for name in ("main", "master") if head(root, f"refs/heads/{name}")), None)


def merge_base(root: Path, one: str, other: str) -> str:
    try:
        return git(root, "merge-base", one, other).decode().strip()
    except OkrError:
        raise OkrError(f"{one} and {other} have no commit in common; name a BASE") from None


def branch(root: Path) -> str | None:
    """The branch HEAD is on; None on a detached HEAD."""
    try:
        return git(root, "symbolic-ref", "--quiet", "--short", "HEAD").decode().strip() or None
    except OkrError:
        return None
