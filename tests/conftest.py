"""Shared test helpers: real files, real git repositories, the real CLI in-process."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "acme"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True, scope="session")
def _own_cache_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    """okr's per-machine files (the cache key, the crash log) go to a folder of the tests."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


PINNED_TODAY = "2026-11-24"  # the day examples/acme's values are "as of"


@pytest.fixture(autouse=True)
def _pinned_today(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs on one fixed day (OKR_TODAY, read by okr in-process and in the
    processes it starts), so no outcome depends on the day the suite runs. A test marked
    `real_clock` runs on the machine's day instead: it builds its dates from that day itself
    (a cycle around today, commits some days ago, `okr init`'s quarter)."""
    from okrcli import clock

    clock.pin(None)  # an in-process run's `--today` outlives it
    if request.node.get_closest_marker("real_clock") is None:
        monkeypatch.setenv("OKR_TODAY", PINNED_TODAY)
    else:
        monkeypatch.delenv("OKR_TODAY", raising=False)


@dataclass
class Result:
    code: int
    out: str
    err: str


Okr = Callable[..., Result]  # the `okr` fixture: okr(*args) -> Result


@pytest.fixture
def okr(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Okr:
    """Run `okr ARGS…` through the real entry point (error handling included)."""
    from okrcli import cli

    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)

    def invoke(*args: str, cwd: Path | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = cli.invoke([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str, date: str | None = None) -> str:
    """Run git with a fixed identity; `date` (ISO) fixes author and committer dates."""
    env = {**os.environ, **GIT_ENV, "HOME": str(cwd)}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def init_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "Test Author")
    git(path, "config", "user.email", "author@example.com")
    return path


def commit_all(path: Path, message: str, date: str) -> str:
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", message, date=date)
    return git(path, "rev-parse", "HEAD").strip()


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    """A copy of examples/acme to change freely (not a git repository)."""
    target = tmp_path / "acme"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".okr_cache"))
    return target


@pytest.fixture
def acme_git(acme: Path) -> Path:
    """examples/acme as a git repository with one commit on 2026-10-01."""
    init_repo(acme)
    commit_all(acme, "OKRs for the quarter", "2026-10-01T09:00:00+00:00")
    return acme


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def own_titles(path: Path) -> None:
    """Rewrite the template's placeholder titles in `path`, as a user would (OKR210)."""
    from okrcli.rules.okr210_placeholder import placeholders

    text = path.read_text(encoding="utf-8")
    for title in placeholders():
        text = text.replace(f"title: {title}\n", f"title: {title}, in our words\n")
    path.write_text(text, encoding="utf-8")
