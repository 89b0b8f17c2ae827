"""pre-commit itself runs the okr hook in a real git repository: bad OKRs fail, good ones pass.

The hook runs as `repo: local` with `language: system`, so it needs no network: it calls the
okr installed next to this Python instead of building a fresh environment from an index.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from okrcli.scaffold import init
from tests.conftest import GIT_ENV, ROOT, init_repo

# The scaffold is made on the machine's day, as a user would.
pytestmark = pytest.mark.real_clock

pytest.importorskip("pre_commit")

BIN = Path(sys.executable).parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        **GIT_ENV,
        "HOME": str(repo),
        "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-cache"),
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "NO_COLOR": "1",
    }
    return subprocess.run(list(args), cwd=repo, env=env, capture_output=True, text=True)


def _break_a_key_result(repo: Path) -> Path:
    """Delete the first `target:` line: OKR101, an error."""
    path = next((repo / "okrs").rglob("*.yaml"))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.remove(next(line for line in lines if line.strip().startswith("target:")))
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _commit(repo: Path, message: str) -> subprocess.CompletedProcess[str]:
    _run(repo, "git", "add", "-A")
    return _run(repo, "git", "commit", "-q", "-m", message)


def _manifest_hook() -> dict[str, object]:
    hooks = YAML(typ="safe").load(MANIFEST.read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["okr-check"]
    hook: dict[str, object] = hooks[0]
    return hook


def test_manifest_is_valid() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(MANIFEST)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if not (BIN / "okr").exists():
        pytest.skip("the okr script is not installed next to this Python")
    repo = init_repo(tmp_path / "repo")
    init(repo, date.today())
    return repo


def test_init_config_blocks_a_bad_commit(repo: Path) -> None:
    """The .pre-commit-config.yaml that `okr init` writes, installed as a git hook."""
    installed = _run(repo, sys.executable, "-m", "pre_commit", "install")
    assert installed.returncode == 0, installed.stderr
    good = _commit(repo, "OKRs")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "okr check" in good.stdout + good.stderr and "Passed" in good.stdout + good.stderr

    head = _run(repo, "git", "rev-parse", "HEAD").stdout
    _break_a_key_result(repo)
    bad = _commit(repo, "drop a target")
    output = bad.stdout + bad.stderr
    assert bad.returncode != 0, output
    assert "Failed" in output and "OKR101" in output
    assert _run(repo, "git", "rev-parse", "HEAD").stdout == head  # nothing was committed


def test_manifest_hook_fails_bad_and_passes_good(repo: Path) -> None:
    """This repository's .pre-commit-hooks.yaml hook, run by `pre-commit run` as a local hook."""
    hook = {**_manifest_hook(), "language": "system"}  # no environment built from an index
    hook.pop("minimum_pre_commit_version")
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    with open(repo / ".pre-commit-config.yaml", "w", encoding="utf-8") as out:
        YAML(typ="safe").dump(config, out)
    assert _commit(repo, "OKRs").returncode == 0

    passed = _run(repo, sys.executable, "-m", "pre_commit", "run", "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout

    _break_a_key_result(repo)
    _run(repo, "git", "add", "-A")
    failed = _run(repo, sys.executable, "-m", "pre_commit", "run")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout and "OKR101" in failed.stdout


def test_init_config_and_manifest_agree() -> None:
    """Whichever way a user wires the hook, it runs on the same files the same way."""
    from okrcli.scaffold import template

    local = YAML(typ="safe").load(template("pre-commit-config.yaml"))["repos"][0]["hooks"][0]
    manifest = _manifest_hook()
    for key in ("id", "name", "entry", "files", "pass_filenames"):
        assert local[key] == manifest[key], key
