"""`okr init` and `okr new`: what they write passes `okr check`; they never overwrite a file."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from importlib.util import find_spec
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from okrcli import __version__
from okrcli.cycles import quarter_name
from tests.conftest import Okr, commit_all, init_repo, write

TODAY = date(2026, 11, 10)  # not in a quarter's last weeks, where `okr new` plans the next
QUARTER = quarter_name(TODAY)
INIT_FILES = [
    "okr.toml",
    f"okrs/{QUARTER}/example.yaml",
    ".github/workflows/okr.yml",
    ".github/workflows/okr-weekly.yml",
    ".pre-commit-config.yaml",
]


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKR_TODAY", TODAY.isoformat())


def _placeholders_only(okr: Okr, root: Path, files: int = 1) -> None:
    """`okr check --strict` finds nothing but the template's titles (OKR210), which are
    there to be rewritten."""
    result = okr("check", "--root", root, "--strict")
    findings = result.out.splitlines()[:-1]
    assert result.code == 1 and findings, result.out
    assert all(" OKR210 " in line for line in findings), result.out
    assert f"in {files} file" in result.out.splitlines()[-1]


def test_current_quarter() -> None:
    assert [quarter_name(date(2026, m, 15)) for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [
        "2026-Q1", "2026-Q1", "2026-Q2", "2026-Q2", "2026-Q3", "2026-Q3", "2026-Q4", "2026-Q4",
    ]  # fmt: skip


def test_init_then_check_passes(okr: Okr, tmp_path: Path) -> None:
    result = okr("init", cwd=tmp_path)
    assert result.code == 0, result.err
    assert [line.removeprefix("wrote ") for line in result.out.splitlines()[:-1]] == INIT_FILES
    assert sorted(_tree(tmp_path)) == sorted(INIT_FILES)
    _placeholders_only(okr, tmp_path)


def test_init_in_a_git_repository_then_check_passes(okr: Okr, tmp_path: Path) -> None:
    """With history (OKR207/OKR208 read git), a fresh commit of the scaffold is clean too."""
    init_repo(tmp_path)
    assert okr("init", cwd=tmp_path).code == 0
    commit_all(tmp_path, "okr init", f"{TODAY.isoformat()}T09:00:00+00:00")
    _placeholders_only(okr, tmp_path)


def test_init_makes_the_folder(okr: Okr, tmp_path: Path) -> None:
    assert okr("init", tmp_path / "new" / "okrs-repo").code == 0
    assert sorted(_tree(tmp_path / "new" / "okrs-repo")) == sorted(INIT_FILES)


def test_init_never_overwrites(okr: Okr, tmp_path: Path) -> None:
    write(tmp_path / "okr.toml", "stale_days = 30\n")
    write(tmp_path / ".pre-commit-config.yaml", "repos: []\n")
    result = okr("init", tmp_path)
    assert result.code == 0
    assert "skipped okr.toml (exists)" in result.out.splitlines()
    assert "skipped .pre-commit-config.yaml (exists)" in result.out.splitlines()
    assert "wrote .github/workflows/okr.yml" in result.out.splitlines()
    assert (tmp_path / "okr.toml").read_text(encoding="utf-8") == "stale_days = 30\n"
    assert (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8") == "repos: []\n"

    before = _tree(tmp_path)
    again = okr("init", tmp_path)
    assert again.code == 0
    assert all(line.startswith("skipped ") for line in again.out.splitlines()[:-1])
    assert _tree(tmp_path) == before


def test_init_adds_no_example_beside_real_okrs(okr: Okr, tmp_path: Path) -> None:
    write(tmp_path / "okrs/2026/company.yaml", "team: company\ncycle: 2026\nobjectives: []\n")
    result = okr("init", tmp_path, "--team", "platform")
    assert f"skipped okrs/{QUARTER}/platform.yaml (okrs/**/*.yaml already has OKR files)" in (
        result.out.splitlines()
    )
    assert not (tmp_path / "okrs" / QUARTER).exists()


def test_init_team_option(okr: Okr, tmp_path: Path) -> None:
    assert okr("init", tmp_path, "--team", "growth").code == 0
    text = (tmp_path / f"okrs/{QUARTER}/growth.yaml").read_text(encoding="utf-8")
    assert "team: growth\n" in text
    assert "  - id: GROWTH-1\n" in text
    _placeholders_only(okr, tmp_path)


def test_init_workflow_checks_and_summarises_pull_requests(tmp_path: Path) -> None:
    from okrcli.scaffold import init

    init(tmp_path, TODAY)
    workflow = YAML(typ="safe").load((tmp_path / ".github/workflows/okr.yml").read_text())
    assert "pull_request" in workflow["on"]
    steps = workflow["jobs"]["okr"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert f'pip install "okr=={__version__}"' in runs
    assert "okr check --format github" in runs
    summary = next(step for step in steps if "okr diff" in step.get("run", ""))
    assert summary["run"] == (
        'okr diff --format markdown "origin/${{ github.base_ref }}" HEAD >> "$GITHUB_STEP_SUMMARY"'
    )
    assert "pull_request" in summary["if"]
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0


def test_init_weekly_workflow_syncs_pushes_and_reminds(tmp_path: Path) -> None:
    from okrcli.scaffold import init

    init(tmp_path, date.today())
    workflow = YAML(typ="safe").load((tmp_path / ".github/workflows/okr-weekly.yml").read_text())
    assert workflow["on"]["schedule"] == [{"cron": "0 7 * * 1"}]
    assert workflow["permissions"] == {"contents": "write"}
    steps = workflow["jobs"]["weekly"]["steps"]
    runs = [step.get("run", "") for step in steps]
    sync, push, remind = (runs.index(r) for r in ("okr sync", "git push",
        'okr remind --format markdown >> "$GITHUB_STEP_SUMMARY"'))  # fmt: skip
    assert sync < push < remind
    assert steps[push]["if"] == steps[remind]["if"] == "always()"
    assert f'pip install "okr=={__version__}"' in runs
    assert (
        "${{ secrets.METRICS_TOKEN }}"
        in (tmp_path / ".github/workflows/okr-weekly.yml").read_text()
    )


@pytest.mark.skipif(find_spec("pre_commit") is None, reason="pre-commit is not installed")
def test_init_pre_commit_config_is_valid(tmp_path: Path) -> None:
    from okrcli.scaffold import init

    init(tmp_path, TODAY)
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_new_writes_a_file_that_passes(okr: Okr, tmp_path: Path) -> None:
    write(tmp_path / "okr.toml", "")
    result = okr("new", "platform", "--root", tmp_path)
    assert result.code == 0
    assert result.out.splitlines()[:2] == [
        f"cycle {QUARTER}: the quarter holding {TODAY} (--cycle picks another)",
        f"wrote okrs/{QUARTER}/platform.yaml",
    ]
    text = (tmp_path / f"okrs/{QUARTER}/platform.yaml").read_text(encoding="utf-8")
    assert "team: platform\n" in text and f"cycle: {QUARTER}\n" in text
    assert "owner: platform\n" in text
    _placeholders_only(okr, tmp_path)


def test_new_with_cycle_parent_and_owner(okr: Okr, tmp_path: Path) -> None:
    write(tmp_path / "okr.toml", "")
    assert okr("new", "company", "--cycle", "2026", "--root", tmp_path).code == 0
    result = okr(
        "new", "platform", "--cycle", "2026-Q4", "--parent", "COMPANY-1", "--owner", "dana",
        "--root", tmp_path,
    )  # fmt: skip
    assert result.code == 0, result.err
    text = (tmp_path / "okrs/2026-Q4/platform.yaml").read_text(encoding="utf-8")
    assert "    parent: COMPANY-1\n" in text
    assert "owner: dana\n" in text
    _placeholders_only(okr, tmp_path, files=2)


def test_new_picks_free_ids(okr: Okr, tmp_path: Path) -> None:
    """The same team in two cycles: ids are unique across the repository (no OKR002)."""
    write(tmp_path / "okr.toml", "")
    assert okr("new", "platform", "--cycle", "2026-Q3", "--root", tmp_path).code == 0
    assert okr("new", "platform", "--cycle", "2026-Q4", "--root", tmp_path).code == 0
    text = (tmp_path / "okrs/2026-Q4/platform.yaml").read_text(encoding="utf-8")
    assert "  - id: PLATFORM-2\n" in text and "      - id: PLATFORM-2.3\n" in text
    _placeholders_only(okr, tmp_path, files=2)


def test_new_uses_named_cycles_and_paths(okr: Okr, tmp_path: Path) -> None:
    write(
        tmp_path / "okr.toml",
        'paths = ["goals/**/*.yaml"]\n[cycles]\nFY27 = { start = 2026-02-01, end = 2027-01-31 }\n',
    )
    result = okr("new", "data", "--cycle", "FY27", "--root", tmp_path)
    assert (result.code, result.out.splitlines()[0]) == (0, "wrote goals/FY27/data.yaml")
    _placeholders_only(okr, tmp_path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["platform"], f"okrs/{QUARTER}/platform.yaml exists; okr never overwrites a file"),
        (["ops", "--parent", "PLATFORM-9"], "--parent PLATFORM-9: no objective or key result"),
        (["ops", "--parent", "PLATFRM-1"], "(did you mean `PLATFORM-1`?)"),
        (["ops", "--cycle", "2026-Q5"], "unknown cycle `2026-Q5`"),
        (["ops team"], "team `ops team` may hold only letters, digits"),
    ],
)
def test_new_refuses_with_one_sentence(
    okr: Okr, tmp_path: Path, args: list[str], message: str
) -> None:
    write(tmp_path / "okr.toml", "")
    assert okr("new", "platform", "--root", tmp_path).code == 0
    before = _tree(tmp_path)
    result = okr("new", *args, "--root", tmp_path)
    assert result.code == 2
    assert result.err.count("\n") == 1 and message in result.err, result.err
    assert _tree(tmp_path) == before


def test_new_refuses_a_folder_outside_paths(okr: Okr, tmp_path: Path) -> None:
    write(tmp_path / "okr.toml", 'paths = ["okrs/teams/*.yaml"]\n')
    result = okr("new", "ops", "--cycle", "2026", "--root", tmp_path)
    assert result.code == 2
    assert "okrs/teams/2026/ops.yaml would not be found by `paths`" in result.err


def test_version(okr: Okr) -> None:
    assert okr("--version").out == f"okr {__version__}\n"


def test_shell_completion() -> None:
    """typer's completion: the script, and real completions of commands and choices."""
    okr = Path(sys.executable).parent / "okr"
    if not okr.exists():
        pytest.skip("the okr script is not installed next to this Python")
    # typer guesses the shell from the parent process, which a detached CI job may not have:
    # its switch makes `--show-completion` take the shell as a value instead.
    named = {**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    script = subprocess.run(
        [okr, "--show-completion", "bash"], env=named, capture_output=True, text=True
    )
    assert script.returncode == 0 and "_okr_completion" in script.stdout
    env = {**os.environ, "_OKR_COMPLETE": "complete_bash", "COMP_WORDS": "okr check --format g",
           "COMP_CWORD": "3"}  # fmt: skip
    done = subprocess.run([okr], env=env, capture_output=True, text=True)
    assert done.stdout.split() == ["github", "gitlab"]
