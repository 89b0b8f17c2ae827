"""The parse cache under `<root>/.okr_cache/`: same answers warm as cold, never in the way."""

from __future__ import annotations

import marshal
import shutil
from pathlib import Path

import pytest

from okrcli import cache
from okrcli.cache import CACHE_DIR
from okrcli.config import load_config
from okrcli.repo import load_repo
from tests.conftest import Okr, Result, commit_all, git, init_repo

PLATFORM = "okrs/2026-Q4/platform.yaml"


@pytest.fixture(autouse=True)
def _no_cache_yet(acme: Path) -> None:
    """examples/acme has a cache wherever someone ran okr in it: start without one."""
    shutil.rmtree(acme / CACHE_DIR, ignore_errors=True)


def _break_something(root: Path) -> None:
    """Findings that point at a key (positions parsed on demand) and at a list item."""
    payments = root / "okrs/2026-Q4/payments.yaml"
    text = payments.read_text(encoding="utf-8")
    payments.write_text(text.replace("target:", "taget:", 1), encoding="utf-8")  # OKR001
    with (root / PLATFORM).open("a", encoding="utf-8") as platform:  # OKR201
        platform.write("\n  - id: PLAT-X\n    title: Bare objective\n")


def _outputs(okr: Okr, root: Path, *extra: str) -> list[Result]:
    return [
        okr("check", "--root", root, *extra),
        okr("check", "--root", root, "--format", "json", *extra),
        okr("score", "--root", root, "--cycle", "all", "--format", "json", *extra),
    ]


def test_warm_runs_answer_as_cold_and_uncached_ones(okr: Okr, acme: Path) -> None:
    _break_something(acme)
    uncached = _outputs(okr, acme, "--no-cache")
    assert not (acme / CACHE_DIR).exists()
    cold = _outputs(okr, acme)
    assert (acme / CACHE_DIR / "load.marshal").is_file()
    warm = _outputs(okr, acme)
    assert uncached == cold == warm
    assert uncached[0].code == 1 and "`taget`" in uncached[0].out and "PLAT-X" in uncached[0].out


def test_cache_folder_ignores_itself_and_leaves_no_temporary_files(okr: Okr, acme: Path) -> None:
    okr("check", "--root", acme)
    okr("check", "--root", acme)
    folder = acme / CACHE_DIR
    assert sorted(p.name for p in folder.iterdir()) == [
        ".gitignore",
        "CACHEDIR.TAG",
        "check.marshal",
        "load.marshal",
        "shapes.marshal",
    ]
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (
        (folder / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )


def test_git_does_not_see_the_cache(okr: Okr, acme_git: Path) -> None:
    okr("check", "--root", acme_git)
    assert git(acme_git, "status", "--porcelain") == ""


def test_an_edited_file_is_parsed_again(okr: Okr, acme: Path) -> None:
    assert okr("check", "--root", acme).code == 0
    _break_something(acme)
    again = okr("check", "--root", acme)
    assert again.code == 1 and "`taget`" in again.out


def test_a_file_broken_after_caching_reports_its_problem(okr: Okr, acme: Path) -> None:
    assert okr("check", "--root", acme).code == 0
    (acme / PLATFORM).write_bytes(b"team: [unclosed\n")
    for _ in range(2):  # cold for that file, then from the cache
        result = okr("check", "--root", acme)
        assert result.code == 1
        assert f"{PLATFORM}:2:1: OKR001 not valid YAML" in result.out


def test_corrupt_cache_is_ignored_and_replaced(okr: Okr, acme: Path) -> None:
    expected = okr("check", "--root", acme, "--no-cache")
    okr("check", "--root", acme)
    stored = [acme / CACHE_DIR / f"{kind}.marshal" for kind in ("load", "check")]
    for each in stored:
        each.write_bytes(each.read_bytes()[:100])  # a half-written file
    assert okr("check", "--root", acme) == expected
    assert cache.read(acme, "load")  # rewritten whole
    assert cache.read(acme, "check")
    for each in stored:
        each.write_bytes(b"\x00not marshal at all")
    assert okr("check", "--root", acme) == expected


def test_cache_of_another_version_is_not_used(okr: Okr, acme: Path) -> None:
    expected = okr("check", "--root", acme, "--no-cache")
    raw = (acme / PLATFORM).read_bytes()
    lie = marshal.dumps(({"team": "nobody"}, {(): (1, 1)}))  # would be OKR001 if believed
    foreign = marshal.dumps((("another okr", "load"), {cache.key(raw): lie}))
    (acme / CACHE_DIR).mkdir()
    (acme / CACHE_DIR / "load.marshal").write_bytes(foreign)
    assert okr("check", "--root", acme) == expected


def test_entries_of_the_wrong_shape_are_misses(okr: Okr, acme: Path) -> None:
    expected = okr("check", "--root", acme, "--no-cache")
    raw = (acme / PLATFORM).read_bytes()
    cache.write(acme, "load", {cache.key(raw): marshal.dumps("not an entry")})
    assert okr("check", "--root", acme) == expected


def test_a_root_where_the_cache_cannot_be_written_still_works(okr: Okr, acme: Path) -> None:
    (acme / CACHE_DIR).write_text("a file where the folder would go")
    result = okr("check", "--root", acme)
    assert result.code == 0 and result.err == ""
    assert (acme / CACHE_DIR).read_text() == "a file where the folder would go"


def test_only_the_files_of_the_last_run_are_kept(acme: Path) -> None:
    config = load_config(acme)
    files = len(load_repo(config, cache=True).files)
    assert len(cache.read(acme, "load")) == files
    (acme / PLATFORM).unlink()
    load_repo(config, cache=True)
    assert len(cache.read(acme, "load")) == files - 1


def test_a_look_at_the_past_keeps_the_work_tree_entries(acme: Path) -> None:
    init_repo(acme)
    commit_all(acme, "OKRs", "2026-10-01T09:00:00+00:00")
    (acme / PLATFORM).write_text(
        (acme / PLATFORM).read_text(encoding="utf-8").replace("title: ", "title: Now ", 1),
        encoding="utf-8",
    )
    config = load_config(acme)
    load_repo(config, cache=True)
    now = cache.read(acme, "load")
    load_repo(config, at="HEAD", cache=True)
    assert set(now) < set(cache.read(acme, "load"))  # the old platform.yaml added, none lost


def test_a_planted_cache_is_not_trusted(
    okr: Okr, acme: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A pull request could commit `.okr_cache/`: entries not sealed with this machine's key
    are ignored, so a bad file cannot be passed off as the parse of a good one."""
    team = next(acme.glob("okrs/2026-Q4/platform.yaml"))
    good = team.read_bytes()
    okr("check", "--root", acme)  # caches the good file's parse
    bad = good.replace(b"target:", b"taget:", 1)
    entries = cache.read(acme, "load")
    entries[cache.key(bad)] = entries[cache.key(good)]  # the bad bytes "parse" as the good ones
    team.write_bytes(bad)

    with monkeypatch.context() as elsewhere:
        elsewhere.setenv("XDG_CACHE_HOME", str(tmp_path / "elsewhere"))
        cache._secret.cache_clear()
        cache.write(acme, "load", entries)  # sealed with another machine's key
    cache._secret.cache_clear()
    assert "`taget`" in okr("check", "--root", acme).out
    assert "`taget`" in _messages(acme)  # the loader, which reads the parse cache

    cache.write(acme, "load", entries)  # the same entries sealed with this machine's key...
    assert "`taget`" not in _messages(acme)  # ...would be trusted


def _messages(root: Path) -> str:
    """The findings of a load of `root` through its parse cache."""
    from okrcli.lint import lint

    return "\n".join(f.message for f in lint(load_repo(load_config(root), cache=True)))


def test_the_stamp_names_every_file_of_okr_but_its_bytecode() -> None:
    # A cache is stamped with okr's own files, so that an edited okr (a development install)
    # never reads what older code wrote: every module, template and data file, by path (from
    # the package), size and modification time.
    package = Path(cache.__file__).parent
    stamp = {path: (size, mtime) for path, size, mtime in cache._code()}
    files = [p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert set(stamp) == {p.relative_to(package).as_posix() for p in files}
    assert any(path.startswith("report/templates/") for path in stamp)
    info = (package / "cli/check.py").stat()
    assert stamp["cli/check.py"] == (info.st_size, info.st_mtime_ns)
