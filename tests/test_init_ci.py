"""action.yml, the composite GitHub Action: its check step, run by bash as a runner would."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from okrcli.config import load_config
from okrcli.scaffold import init, new_team
from tests.conftest import ROOT, commit_all, git, init_repo, own_titles

# The scaffold is made and committed on the machine's day, as a user would.
pytestmark = pytest.mark.real_clock

ACTION: dict[str, Any] = YAML(typ="safe").load((ROOT / "action.yml").read_text(encoding="utf-8"))
BIN = Path(sys.executable).parent


def _step(name: str) -> dict[str, Any]:
    steps: list[dict[str, Any]] = ACTION["runs"]["steps"]
    return next(step for step in steps if step.get("name") == name)


def test_action_is_composite_with_a_shell_on_every_run_step() -> None:
    assert ACTION["runs"]["using"] == "composite"
    runs = [step for step in ACTION["runs"]["steps"] if "run" in step]
    assert runs and all(step["shell"] == "bash" for step in runs)
    assert set(ACTION["inputs"]) == {"args", "summary", "python-version"}


def _run_check_step(repo: Path, args: str) -> subprocess.CompletedProcess[str]:
    step = _step("okr check")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "OKR_ARGS": args, "NO_COLOR": "1"}  # fmt: skip
    return subprocess.run(
        ["bash", "-e", "-c", step["run"]], cwd=repo, env=env, capture_output=True, text=True
    )


def test_check_step_annotates_and_fails_on_findings(tmp_path: Path) -> None:
    if not (BIN / "okr").exists():
        pytest.skip("the okr script is not installed next to this Python")
    init(tmp_path, date.today())
    example = next((tmp_path / "okrs").rglob("*.yaml"))
    own_titles(example)
    clean = _run_check_step(tmp_path, "--strict")
    assert (clean.returncode, clean.stdout) == (0, "All checks passed (1 file).\n"), clean.stderr

    example.write_text(example.read_text(encoding="utf-8").replace('unit: "%"', ""), "utf-8")
    warned = _run_check_step(tmp_path, "")
    assert warned.returncode == 0  # a warning alone passes ...
    assert warned.stdout.startswith(f"::warning file={example.relative_to(tmp_path)},line=")
    strict = _run_check_step(tmp_path, "--strict okrs")  # ... unless the args say --strict
    assert strict.returncode == 1
    assert ",title=OKR103::OKR103 metric" in strict.stdout


def _pull_request(tmp_path: Path) -> Path:
    """A repository whose `origin/main` is the base and HEAD adds a team's OKRs."""
    repo = init_repo(tmp_path / "repo")
    init(repo, date.today())
    commit_all(repo, "okr init", f"{date.today()}T09:00:00+00:00")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    new_team(load_config(repo), "platform", None, date.today(), parent="EXAMPLE-1")
    commit_all(repo, "platform OKRs", f"{date.today()}T10:00:00+00:00")
    return repo


def _run_summary(repo: Path, script: str, tmp_path: Path) -> str:
    summary = tmp_path / "summary.md"
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "BASE_REF": "main", "GITHUB_STEP_SUMMARY": str(summary), "NO_COLOR": "1"}  # fmt: skip
    done = subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=env, capture_output=True)
    assert done.returncode == 0, done.stderr
    return summary.read_text(encoding="utf-8")


@pytest.mark.parametrize("source", ["action.yml", "okr init workflow"])
def test_summary_step_writes_the_diff(tmp_path: Path, source: str) -> None:
    """The pull-request summary step, as the runner would run it: `okr diff` as markdown."""
    if not (BIN / "okr").exists():
        pytest.skip("the okr script is not installed next to this Python")
    repo = _pull_request(tmp_path)
    if source == "action.yml":
        step = _step("What this pull request does to the OKRs")
        assert step["env"]["BASE_REF"] == "${{ github.base_ref }}"
        script = step["run"]
    else:
        workflow = YAML(typ="safe").load((repo / ".github/workflows/okr.yml").read_text())
        step = next(s for s in workflow["jobs"]["okr"]["steps"] if "okr diff" in s.get("run", ""))
        script = step["run"].replace("${{ github.base_ref }}", "$BASE_REF")
    assert "github.event_name == 'pull_request'" in step["if"]
    summary = _run_summary(repo, script, tmp_path)
    assert "| added | `PLATFORM-1` | objective |" in summary


@pytest.mark.parametrize("source", ["action.yml", "okr init workflow"])
def test_pull_request_check_reports_only_what_the_change_did(tmp_path: Path, source: str) -> None:
    """On a pull request the check step runs `okr check --since` the base branch: a warning
    the base had already is not annotated, one the pull request brings is."""
    if not (BIN / "okr").exists():
        pytest.skip("the okr script is not installed next to this Python")
    repo = init_repo(tmp_path / "repo")
    init(repo, date.today())
    example = next((repo / "okrs").rglob("*.yaml"))
    example.write_text(example.read_text(encoding="utf-8").replace('unit: "%"', ""), "utf-8")
    commit_all(repo, "okr init", f"{date.today()}T09:00:00+00:00")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    new = new_team(load_config(repo), "platform", None, date.today(), parent="EXAMPLE-1")
    team = repo / new.path
    team.write_text(team.read_text(encoding="utf-8").replace('unit: "%"', "", 1), "utf-8")
    commit_all(repo, "platform OKRs", f"{date.today()}T10:00:00+00:00")
    if source == "action.yml":
        step = _step("okr check")
        script = step["run"]
    else:
        workflow = YAML(typ="safe").load((repo / ".github/workflows/okr.yml").read_text())
        step = next(s for s in workflow["jobs"]["okr"]["steps"] if "--since" in s.get("run", ""))
        assert step["if"] == "github.event_name == 'pull_request'"
        script = step["run"].replace("${{ github.base_ref }}", "$BASE_REF")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "BASE_REF": "main", "OKR_ARGS": "", "NO_COLOR": "1"}  # fmt: skip
    done = subprocess.run(
        ["bash", "-e", "-c", script], cwd=repo, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    annotated = [line for line in done.stdout.splitlines() if line.startswith("::")]
    # The base's own missing unit is not annotated; the pull request's is, beside the titles
    # it left as the template wrote them (OKR210).
    assert all(a.startswith(f"::warning file={team.relative_to(repo)},line=") for a in annotated)
    assert len([a for a in annotated if "title=OKR103" in a]) == 1
