"""Piped `okr score` writes its tables directly; the lines are byte for byte rich's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from okrcli.render import score_table
from tests.conftest import EXAMPLE, FIXTURES, Okr, write

FITS = score_table._plain_fits
REALWORLD = sorted(p.name for p in (FIXTURES / "realworld").iterdir() if p.is_dir())


def _both(okr: Okr, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[str, str]:
    """`okr score ARGS` written directly, then drawn by rich (the plain writer turned off)."""
    taken: list[bool] = []

    def recorded(*a: object) -> bool:
        taken.append(FITS(*a))  # type: ignore[arg-type]
        return taken[-1]

    monkeypatch.setattr(score_table, "_plain_fits", recorded)
    plain = okr("score", "--no-cache", *args)
    assert plain.code == 0, plain.err
    monkeypatch.setattr(score_table, "_plain_fits", lambda *a: False)
    drawn = okr("score", "--no-cache", *args)
    assert drawn.code == 0, drawn.err
    assert taken and all(taken), "the plain writer was not used"
    return plain.out, drawn.out


def test_acme_all_cycles_is_rich_byte_for_byte(
    okr: Okr, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = tmp_path / "acme"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".okr_cache"))
    plain, drawn = _both(okr, monkeypatch, "--root", str(root), "--cycle", "all")
    assert plain == drawn
    assert "ACME-2026-1.1" in plain and " ──" in plain


@pytest.mark.parametrize("org", REALWORLD)
def test_realworld_is_rich_byte_for_byte(
    okr: Okr, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, org: str
) -> None:
    root = tmp_path / org
    shutil.copytree(FIXTURES / "realworld" / org, root, ignore=shutil.ignore_patterns(".okr_cache"))
    for cycle in ([], ["--cycle", "all"]):
        plain, drawn = _both(okr, monkeypatch, "--root", str(root), *cycle)
        assert plain == drawn


HOSTILE = """\
team: "x\\u202etëam 日本"
cycle: 2026-Q4
owner: "o\\tw\\x1bner"
objectives:
  - id: H-1
    title: "bell\\a tab\\t esc\\x1b[31m nl\\n cr\\r 全角タイトル e\\u0301 \\u200b \\
      zwj 👩\\u200d💻 end   "
    owner: "名前"
    key_results:
      - {id: H-1.1, title: "ﾊﾝｶｸ and 한국어 \\u2028 sep \\x85 next", start: 0, target: 9,
         current: 3, unit: "件\\x07"}
      - {id: H-1.2, title: "weightless", start: 0, target: 9, current: 9, unit: p, weight: 0}
      - {id: H-1.3, title: "gone", start: 0, target: 9, current: 1, status: dropped,
         notes: "no\\nlonger   needed"}
      - {id: H-1.4, title: "graded", start: 0, target: 10, current: 2, grade: 0.95, confidence: 7}
      - {id: H-1.5, title: "by hand", start: 0, target: 10, current: 2, status: at_risk}
  - id: H-2
    title: "[bold]not markup[/bold] 🎉"
    key_results:
      - {id: H-2.1, title: "done", done: true}
"""


def test_hostile_titles_are_rich_byte_for_byte(
    okr: Okr, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Control characters, wide and zero-width characters, struck and dim parts, a grade."""
    write(tmp_path / "okr.toml", "")
    write(tmp_path / "okrs" / "2026-Q4" / "hostile.yaml", HOSTILE)
    plain, drawn = _both(okr, monkeypatch, "--root", str(tmp_path))
    assert plain == drawn
    for shown in ("全角タイトル", "\\x1b", "(weight 0)", "(dropped: no longer needed)", "computed"):
        assert shown in plain


def test_a_title_rich_would_cut_or_read_as_markup_goes_through_rich(
    okr: Okr, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A team name wider than its table wraps, and `[` in it is markup, in rich's title:
    those few tables are drawn by rich, so the output stays the same."""
    write(tmp_path / "okr.toml", "")
    long = "word " * 200
    for name, team in (("long", long), ("markup", "[bold]t[/bold]")):
        write(
            tmp_path / "okrs" / "2026-Q4" / f"{name}.yaml",
            f'team: "{team}"\ncycle: 2026-Q4\nowner: o\nobjectives:\n'
            f"  - id: {name.upper()}-1\n    title: T\n    key_results:\n"
            f"      - {{id: {name.upper()}-1.1, title: K, done: false}}\n",
        )
    assert not score_table._plain_fits([(long, [])], score_table._COLUMNS, [2] * 8, _Utf())
    result = okr("score", "--no-cache", "--root", str(tmp_path))
    assert result.code == 0, result.err
    assert "LONG-1.1" in result.out and "MARKUP-1.1" in result.out


class _Utf:
    encoding = "utf-8"


def test_the_tables_are_built_with_the_collector_paused() -> None:
    """Every row's cells live until the tables are written: a collector running meanwhile
    walked them again and again (nearly half of `okr score` at 90,000 key results)."""
    import gc
    import io

    from okrcli.config import load_config
    from okrcli.repo import load_repo
    from okrcli.score import score_repo, select

    repo = load_repo(load_config(EXAMPLE))
    board = score_repo(repo)
    selection = select(repo.graph, repo.today, "all", None)
    collections: list[int] = []

    def counted(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.collect()
    gc.callbacks.append(counted)
    try:
        out = io.StringIO()
        score_table.render(board, selection, out)
    finally:
        gc.callbacks.remove(counted)
    assert "ACME-2026-1.1" in out.getvalue()
    assert collections in ([], [0])  # at most a young one, as the pause ends (before: 8)
