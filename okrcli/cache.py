"""A ruff-like cache of work already done, under `<root>/.okr_cache/`.

Entries are keyed by the content of what was read (a hash of a file's bytes), so an edited,
renamed or checked-out file is simply a new key; the whole cache is one marshal file per
kind, stamped with the okr and Python versions and okr's own code, and anything
unreadable, corrupt or stamped otherwise reads as empty. Writes go to a temporary file and
are renamed into place, so a reader never sees half a cache. Nothing here ever fails a
command: a cache that cannot be read or written is work done again.

The folder sits in the repository, where a pull request could plant one; `okr check` is a CI
gate, so a cache is trusted only when it carries a MAC made with this machine's own key
(`$XDG_CACHE_HOME/okr/cache-key`, made on first use). A planted or copied cache reads as
empty, and its bytes are never unmarshalled.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

CACHE_DIR = ".okr_cache"
_FORMAT = 1
_README = b"# Written by okr: a cache of work already done. Safe to delete.\n*\n"
_TAG = (
    b"Signature: 8a477f597d28d172789f06886806bc55\n# okr cache; see https://bford.info/cachedir/\n"
)


def key(raw: bytes) -> bytes:
    """The cache key of some bytes: 16 bytes of BLAKE2b, about 1 GB/s."""
    return hashlib.blake2b(raw, digest_size=16).digest()


@functools.cache
def _code() -> tuple[tuple[str, int, int], ...]:
    """Every file of okr (modules, templates) by size and time: an edited okr (a development
    install) never reads work that older code did. Found by walking the package's folder, so
    the cache imports nothing of the layers that use it; with `os.walk` and paths as strings,
    as every run asks (pathlib's `rglob` took 9 ms of a one-file `okr check`)."""
    package = os.path.dirname(os.path.abspath(__file__))
    found = []
    for folder, dirs, names in os.walk(package):
        dirs[:] = [name for name in dirs if name != "__pycache__"]  # bytecode follows sources
        prefix = folder[len(package) + 1 :].replace(os.sep, "/")
        for name in names:  # templates and data count too
            info = os.stat(os.path.join(folder, name))
            found.append((f"{prefix}/{name}" if prefix else name, info.st_size, info.st_mtime_ns))
    return tuple(sorted(found))


def _stamp(kind: str) -> tuple[Any, ...]:
    from okrcli import __version__

    return (_FORMAT, kind, __version__, sys.version_info[:2], _code())


_MAC_SIZE = 32


@functools.cache
def _secret() -> bytes | None:
    """This machine's key for the cache's MAC, made on first use; None when it cannot be."""
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(home) / "okr" / "cache-key"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(handle, "wb") as out:
                out.write(os.urandom(32))
        secret = path.read_bytes()
    except OSError:
        return None
    return secret if len(secret) == 32 else None


def _mac(body: bytes) -> bytes | None:
    secret = _secret()
    if secret is None:
        return None
    return hashlib.blake2b(body, key=secret, digest_size=_MAC_SIZE).digest()


def _path(root: Path, kind: str) -> Path:
    return root / CACHE_DIR / f"{kind}.marshal"


def _usable(root: Path) -> bool:
    """False when `.okr_cache` is a symlink (a pull request can commit one pointing
    anywhere): okr then neither reads nor writes a cache, and says so once."""
    global _said
    folder = root / CACHE_DIR
    if not folder.is_symlink():
        return True
    if not _said:
        _said = True
        sys.stderr.write(f"okr: warning: {folder} is a symlink; okr runs without its cache\n")
    return False


_said = False


def read(root: Path, kind: str) -> dict[Any, Any]:
    """The entries of one kind of work, or {} when there is no usable cache."""
    try:
        path = _path(root, kind)  # a symlink could name /dev/zero: never followed
        data = path.read_bytes() if _usable(root) and not path.is_symlink() else b""
    except OSError:
        return {}
    body = data[_MAC_SIZE:]
    mac = _mac(body)
    if mac is None or not hmac.compare_digest(mac, data[:_MAC_SIZE]):
        return {}  # not written by okr on this machine
    try:
        stamp, entries = marshal.loads(body)
    except (EOFError, ValueError, TypeError):
        return {}
    if stamp != _stamp(kind) or not isinstance(entries, dict):
        return {}
    return entries


def write(root: Path, kind: str, entries: dict[Any, Any]) -> None:
    """Replace the cache of one kind atomically; a read-only root just goes uncached."""
    folder = root / CACHE_DIR
    if not _usable(root):
        return
    try:
        if not folder.is_dir():
            folder.mkdir()
            (folder / ".gitignore").write_bytes(_README)
            (folder / "CACHEDIR.TAG").write_bytes(_TAG)
        body = marshal.dumps((_stamp(kind), entries))
        mac = _mac(body)
        if mac is None:
            return
        handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{kind}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(mac + body)
            os.replace(temp, _path(root, kind))
        except BaseException:
            os.unlink(temp)
            raise
    except (OSError, ValueError):
        return


class Store:
    """One kind of cached work for one command: what it found, what it added, what it used.

    Each value is kept as its own marshal bytes, so reading the cache costs one small
    object per entry, and a value is built only when it is asked for.
    """

    def __init__(self, root: Path, kind: str) -> None:
        self.root, self.kind = root, kind
        self.entries = read(root, kind)
        self.used: dict[Any, bytes] = {}
        self.added = False

    def get(self, entry_key: Any) -> Any:
        """The value stored under `entry_key`, or None."""
        found = self.entries.get(entry_key)
        if not isinstance(found, bytes):
            return None
        try:
            value = marshal.loads(found)
        except (EOFError, ValueError, TypeError):
            return None
        self.used[entry_key] = found
        return value

    def keep(self, entry_key: Any) -> bool:
        """Mark the entry under `entry_key` used without reading it; False when there is none."""
        found = self.entries.get(entry_key)
        if not isinstance(found, bytes):
            return False
        self.used[entry_key] = found
        return True

    def put(self, entry_key: Any, value: Any) -> None:
        self.put_marshalled(entry_key, marshal.dumps(value))

    def put_marshalled(self, entry_key: Any, value: bytes) -> None:
        """`put` for a value marshalled already (held as bytes, it takes a fraction of the
        memory of its objects)."""
        self.used[entry_key] = self.entries[entry_key] = value
        self.added = True

    def save(self, *, prune: bool) -> None:
        """Write back what changed; `prune` keeps only the entries this run used."""
        if prune and (self.added or len(self.used) != len(self.entries)):
            write(self.root, self.kind, self.used)
        elif self.added:
            write(self.root, self.kind, self.entries)
