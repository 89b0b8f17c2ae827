"""A check-in composes the edited file once before the edit and once after: the graph, the
edit and the check of the edit share the first; the check and the validation the second."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from okrcli import edit, yamlread
from tests.conftest import Okr, commit_all, git, init_repo, write
from tests.test_checkin import PLATFORM


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    init_repo(tmp_path)
    write(tmp_path / "okrs" / "2026-Q4" / "platform.yaml", PLATFORM)
    commit_all(tmp_path, "OKRs", "2026-10-01T09:00:00+00:00")
    return tmp_path


@pytest.fixture
def compositions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts libyaml's composer is given, in order (the real composer runs)."""
    seen: list[str] = []
    real = yamlread.compose

    def counted(text: str) -> Any:
        seen.append(text)
        return real(text)

    monkeypatch.setattr(yamlread, "compose", counted)
    monkeypatch.setattr(edit, "compose", counted)
    return seen


def _file(repo: Path) -> Path:
    return repo / "okrs" / "2026-Q4" / "platform.yaml"


def test_a_checkin_composes_the_file_once_and_the_result_once(
    repo: Path, okr: Okr, compositions: list[str]
) -> None:
    before = _file(repo).read_text()
    result = okr("checkin", "PLAT-1.1", "98", "--confidence", "8", "--no-commit", cwd=repo)
    assert result.code == 0, result.err
    assert compositions == [before, _file(repo).read_text()]


def test_a_batch_in_one_file_composes_it_once_and_the_result_once(
    repo: Path, okr: Okr, compositions: list[str]
) -> None:
    before = _file(repo).read_text()
    result = okr("checkin", "PLAT-1.1=98", "PLAT-1.2=done", "--no-commit", cwd=repo)
    assert result.code == 0, result.err
    assert compositions == [before, _file(repo).read_text()]


def test_a_note_without_a_change_composes_nothing_more_and_scores_the_file(
    repo: Path, okr: Okr, compositions: list[str]
) -> None:
    result = okr("checkin", "PLAT-1.1", "-m", "flat", "--no-commit", cwd=repo)
    assert result.code == 0, result.err
    assert result.out.startswith("PLAT-1.1: 97.1 → 97.1 (score 0.68)")
    assert len(compositions) == 1


def test_an_id_written_with_an_escape_is_found_and_edited(repo: Path, okr: Okr) -> None:
    """The file's bytes do not hold `PLAT-1.1` as written: it is composed again to edit."""
    path = _file(repo)
    path.write_text(path.read_text().replace("id: PLAT-1.1", 'id: "PLAT\\x2d1.1"'))
    git(repo, "commit", "-qam", "An escaped id")
    before = path.read_text()
    result = okr("checkin", "PLAT-1.1", "98", cwd=repo)
    assert result.code == 0, result.err
    assert result.out.startswith("PLAT-1.1: 97.1 → 98 (score 0.80); committed ")
    assert path.read_text() == before.replace("current: 97.1 ", "current: 98 ")
