"""Nothing outside the repository is read or written, whatever a pull request commits:
symlinked folders, `paths` globs, `.okr_cache`, the report's folder, `okr init` and
`okr new`. Each refusal is one sentence naming the path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from okrcli.globs import compile_glob
from tests.conftest import Okr, write

SECRET = """\
team: secret
cycle: 2026-Q4
objectives:
  - id: SECRET-1
    title: The database password is hunter2
    key_results:
      - {id: SECRET-1.1, title: hunter2, start: 0, target: 1}
"""
VALID = """\
team: web
cycle: 2026-Q4
owner: ann
objectives:
  - id: WEB-1
    title: Faster pages
    key_results:
      - {id: WEB-1.1, title: Load time, start: 4, target: 2, current: 3, unit: s}
      - {id: WEB-1.2, title: Audit score, start: 60, target: 90, current: 70, unit: points}
"""


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the repository, with a secret that looks like an OKR file."""
    folder = tmp_path / "outside"
    write(folder / "2026-Q4/secret.yaml", SECRET)
    return folder


@pytest.fixture
def root(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    write(repo / "okr.toml", "")
    return repo


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("command", [("check",), ("score", "--format", "json"), ("tree",)])
def test_a_symlinked_okrs_folder_is_not_followed(
    root: Path, outside: Path, okr: Okr, command: tuple[str, ...]
) -> None:
    (root / "okrs").symlink_to(outside)
    result = okr(*command, "--root", root)
    assert "hunter2" not in result.out + result.err
    if command == ("check",):
        assert result.code == 1
        assert result.out.splitlines()[0] == (
            "okrs:1:1: OKR001 symlinked folder is not followed; move the files into the repository"
        )


def test_a_symlinked_folder_a_glob_starts_from_is_not_followed(
    root: Path, outside: Path, okr: Okr
) -> None:
    write(root / "okr.toml", 'paths = ["plans/**/*.yaml"]\n')
    (root / "plans").symlink_to(outside)
    result = okr("check", "--root", root)
    assert result.code == 1
    assert "plans:1:1: OKR001 symlinked folder is not followed" in result.out
    assert "hunter2" not in result.out


def test_okrs_linked_to_the_file_system_root_walks_nothing(root: Path, okr: Okr) -> None:
    (root / "okrs").symlink_to("/")
    result = okr("check", "--root", root)
    assert result.code == 1
    assert result.out == (
        "okrs:1:1: OKR001 symlinked folder is not followed; move the files into the repository\n"
        "Found 1 error in 0 files.\n"
    )


def test_a_file_named_under_a_symlinked_folder_is_not_read(
    root: Path, outside: Path, okr: Okr
) -> None:
    (root / "okrs").symlink_to(outside)
    result = okr("check", "--root", root, root / "okrs/2026-Q4/secret.yaml")
    assert "hunter2" not in result.out
    assert "is in a symlinked folder outside the repository; not read" in result.out


@pytest.mark.parametrize(
    ("glob", "message"),
    [
        ("../outside/**/*.yaml", "glob `../outside/**/*.yaml` goes up with `..`"),
        ("okrs/../../outside/*/*.yaml", "goes up with `..`; globs stay inside the repository"),
        ("/etc/**", "glob `/etc/**` is absolute; globs are relative to the repository's root"),
        ("okrs/[z-a]*.yaml", "glob `okrs/[z-a]*.yaml` is not valid: bad character range z-a"),
    ],
)
@pytest.mark.parametrize("key", ["paths", "per-file-ignores"])
def test_hostile_globs_are_one_sentence(
    root: Path, outside: Path, okr: Okr, glob: str, message: str, key: str
) -> None:
    setting = f"paths = [{glob!r}]\n" if key == "paths" else f"[per-file-ignores]\n{glob!r} = []\n"
    write(root / "okr.toml", setting.replace("'", '"'))
    result = okr("check", "--root", root)
    assert result.code == 2
    assert result.err.startswith(f"okr: error: {root / 'okr.toml'}:")
    assert f"`{key}`: " in result.err and message in result.err
    assert len(result.err.splitlines()) == 1


@pytest.mark.parametrize(
    ("glob", "path", "matched"),
    [
        ("okrs/[]x]*.yaml", "okrs/]a.yaml", True),  # `]` first in a class is a character
        ("okrs/[]x", "okrs/[]x", True),  # a `[` that never closes is a character
        ("okrs/[!a]*.yaml", "okrs/b.yaml", True),
        ("okrs/[!a]*.yaml", "okrs/x/b.yaml", False),  # a class never matches a folder
        ("okrs/**/*.yaml", "okrs/a/b/c.yaml", True),
        ("a/**/b/**/c", "a/x/y/b/z/c", True),
        ("a/**/b/**/c", "a/x/y/z/c", False),
        ("*a*a*b", "xaYaZb", True),
        ("*a*a*b", "xaYbZa", False),
    ],
)
def test_globs_match_as_documented(glob: str, path: str, matched: bool) -> None:
    assert compile_glob(glob).fullmatch(path) is matched


@pytest.mark.parametrize(
    ("paths", "kept"),
    [
        (["plans/*.yaml"], ["plans/a.yaml"]),  # one expression for the whole path
        (["plans/**/q*/**/*.yml"], ["plans/q1/b.yml", "plans/x/q2/y/c.yml"]),  # name by name
        (
            ["plans/*.yaml", "plans/**/q*/**/*.yml"],
            ["plans/a.yaml", "plans/q1/b.yml", "plans/x/q2/y/c.yml"],
        ),
    ],
)
def test_a_walk_keeps_the_files_a_glob_matches(
    tmp_path: Path, paths: list[str], kept: list[str]
) -> None:
    from okrcli.config import load_config
    from okrcli.repo import discover

    for rel in ["plans/a.yaml", "plans/q1/b.yml", "plans/x/q2/y/c.yml", "plans/x/d.yml",
                "plans/sub/e.yaml", "plans/q3.yaml.bak"]:  # fmt: skip
        write(tmp_path / rel, VALID)
    write(tmp_path / "okr.toml", "paths = [" + ", ".join(f'"{p}"' for p in paths) + "]\n")
    assert discover(load_config(tmp_path)) == (kept, [])


def test_a_pathological_glob_against_long_names_is_fast(root: Path) -> None:
    """`*a*a*…*b` against names of `a`s backtracked for minutes as one regular expression;
    the run is bounded by the timeout, not timed."""
    stars = "*a" * 12 + "*b"
    write(root / "okr.toml", f'paths = ["okrs/{stars}", "**/{stars}/**/{stars}/*.yaml"]\n')
    for depth in range(1, 4):
        write(root / "okrs" / "/".join(["a" * 200] * depth) / ("a" * 199), VALID)
    command = [sys.executable, "-m", "okrcli", "check", "--root", str(root)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout) == (0, "All checks passed (0 files).\n"), done.stderr


def test_a_symlinked_cache_folder_is_neither_read_nor_written(
    root: Path, outside: Path, okr: Okr
) -> None:
    write(root / "okrs/2026-Q4/web.yaml", VALID)
    before = _listing(outside)
    (root / ".okr_cache").symlink_to(outside)
    result = okr("check", "--root", root)
    assert result.code == 0, result.out
    assert f"okr: warning: {root / '.okr_cache'} is a symlink; okr runs without its cache" in (
        result.err
    )
    assert _listing(outside) == before


def test_a_cache_file_linked_to_a_device_is_not_read(root: Path, okr: Okr) -> None:
    write(root / "okrs/2026-Q4/web.yaml", VALID)
    assert okr("check", "--root", root).code == 0  # makes the cache
    cache = root / ".okr_cache/load.marshal"
    cache.unlink()
    cache.symlink_to("/dev/zero")  # read whole, it never ends
    assert okr("check", "--root", root).code == 0


def test_the_default_report_folder_is_not_followed_out(
    root: Path, outside: Path, okr: Okr, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(root / "okrs/2026-Q4/web.yaml", VALID)
    before = _listing(outside)
    (root / "okr-report").symlink_to(outside)
    monkeypatch.chdir(root)
    result = okr("report", "--root", root)
    assert result.code == 2
    assert result.err == (
        f"okr: error: okr-report leads to {outside}, outside the repository {root} "
        "(through a symlink): okr does not write there\n"
    )
    assert _listing(outside) == before
    named = okr("report", "--root", root, "--out", "okr-report")  # the user's own choice
    assert named.code == 0, named.err
    assert (outside / "index.html").is_file()


@pytest.mark.parametrize("linked", [".github", "okrs"])
def test_init_does_not_write_through_a_symlinked_folder(
    tmp_path: Path, outside: Path, okr: Okr, linked: str
) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    before = _listing(outside)
    (root / linked).symlink_to(outside)
    result = okr("--today", "2026-11-24", "init", root)
    assert result.code == 2
    assert f"outside the repository {root.resolve()} (through a symlink)" in result.err
    assert _listing(outside) == before


def test_new_writes_nowhere_above_the_root(root: Path, tmp_path: Path, okr: Okr) -> None:
    write(
        root / "okr.toml",
        'paths = ["*.yaml"]\n[cycles]\n".." = {start = 2026-01-01, end = 2026-12-31}\n',
    )
    result = okr("new", "web", "--cycle", "..", "--root", root)
    assert result.code == 2
    assert "cycle name `..` may hold only letters" in result.err
    write(root / "okr.toml", "")
    assert okr("new", "web", "--cycle", "..", "--root", root).code == 2
    assert not (tmp_path / "web.yaml").exists()
    assert os.listdir(tmp_path) == ["repo"]
