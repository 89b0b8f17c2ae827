"""`okr report`: the site agrees with `okr score`, draws the history, and is self-contained."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE, Okr, commit_all, git, init_repo

Q4_START = "2026-10-01T09:00:00+00:00"
# (date of the check-ins, share of the way from start to the example's value, author)
STEPS = (
    ("2026-10-16T10:00:00+00:00", 0.4, "Alice Kim"),
    ("2026-11-06T10:00:00+00:00", 0.75, "Bob Osei"),
    ("2026-11-20T10:00:00+00:00", 1.0, "Dana Ortiz"),
)


BY_OKR = ("PLAT-Q4-1.2", "PLAT-Q4-2.1")  # checked in with `okr checkin`, the rest by hand


def _okr(root: Path, *args: str, when: str | None = None, author: str = "Test Author") -> None:
    """The real CLI in-process, in `root`; a check-in commits on `when` by `author`."""
    from okrcli.cli import invoke

    with pytest.MonkeyPatch.context() as env:
        env.setenv("NO_COLOR", "1")
        env.setenv("GIT_CONFIG_NOSYSTEM", "1")
        env.setenv("HOME", str(root))
        for who in ("AUTHOR", "COMMITTER") if when else ():
            env.setenv(f"GIT_{who}_DATE", when)
            env.setenv(f"GIT_{who}_NAME", author)
            env.setenv(f"GIT_{who}_EMAIL", f"{author.split()[0].lower()}@acme.example")
        code = invoke([*args, "--root", str(root)])
    assert code == 0, f"okr {' '.join(args)} failed"


def _okr_report(root: Path, out: Path) -> None:
    _okr(root, "report", "--cycle", "all", "--out", str(out))


def _show(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _value(kr: Any, share: float) -> str:
    return _show(round(kr.start + (kr.current - kr.start) * share, 2))


def _confidence(kr: Any, share: float) -> str:
    return _show(max(kr.confidence - round(3 * (1 - share)), 0))


def _rewind(text: str, shares: dict[str, tuple[Any, float]]) -> str:
    """The file as it was when each key result was its share of the way to its value."""
    lines = text.splitlines(keepends=True)
    block: Any = None
    indent = 0
    for i, line in enumerate(lines):
        depth = len(line) - len(line.lstrip())
        if m := re.match(r"\s*- id: (\S+)", line):
            block, indent = shares.get(m[1]), depth
            continue
        if block is None or (line.strip() and depth <= indent):
            block = None
            continue
        kr, share = block
        if share == 1:
            continue
        if kr.target is not None:
            line = re.sub(r"(current: )\S+", rf"\g<1>{_value(kr, share)}", line)
        if kr.confidence is not None:
            line = re.sub(r"(confidence: )\S+", rf"\g<1>{_confidence(kr, share)}", line)
        if kr.done:
            line = line.replace("done: true", "done: false")
        if kr.milestones and (m := re.search(r"title: (.+?), done: true", line)):
            done = [item.title for item in kr.milestones if item.done]
            if done.index(m[1].strip('"')) >= round(len(done) * share):
                line = line.replace("done: true", "done: false")
        lines[i] = line
    return "".join(lines)


def build_history(target: Path) -> None:
    """examples/acme in a git repository where Q4 began at its start values on 2026-10-01
    and reached the example's values in three rounds of dated check-ins by three people:
    weekly commits by hand, and `okr checkin` (with confidence and a note) for BY_OKR."""
    from okrcli.config import load_config
    from okrcli.repo import load_repo

    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".okr_cache"))
    init_repo(target)
    repo = load_repo(load_config(target))
    files: dict[Path, dict[str, Any]] = {}
    for node in repo.graph.key_results:
        kind = node.key_result.kind()
        if node.objective.cycle.name == "2026-Q4" and kind in {"metric", "milestone", "checklist"}:
            files.setdefault(target / node.file.rel, {})[node.id] = node.key_result
    originals = {path: path.read_text(encoding="utf-8") for path in files}

    def write(path: Path, share: float, previous: float) -> None:
        shares = {i: (kr, previous if i in BY_OKR else share) for i, kr in files[path].items()}
        path.write_text(_rewind(originals[path], shares), encoding="utf-8")

    for path in files:
        write(path, 0.0, 0.0)
    commit_all(target, "Q4 OKRs", Q4_START)
    previous = 0.0
    for when, share, author in STEPS:
        for path in files:
            write(path, share, previous)
            git(target, "add", "-A")
            message = f"{path.stem}: numbers for the week of {when[:10]}"
            email = f"{author.split()[0].lower()}@acme.example"
            git(target, "commit", "-q", f"--author={author} <{email}>", "-m", message, date=when)
        for krs in files.values():
            for ident in set(krs) & set(BY_OKR):
                kr, note = krs[ident], f"{author.split()[0]} read it off the dashboard"
                args = [ident, _value(kr, share), "--confidence", _confidence(kr, share)]
                _okr(target, "checkin", *args, "-m", note, when=when, author=author)
        previous = share


@pytest.fixture(scope="module")
def acme_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("history") / "acme"
    build_history(target)
    return target


class Page(HTMLParser):
    """Every element's attributes, the text of <style> blocks, and each page's data items."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.styles: list[str] = []
        self._in_style = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)

    def items(self) -> dict[str, str]:
        """data-id → data-score of every objective and key result drawn on the page."""
        return {a["data-id"]: a["data-score"] for _, a in self.elements if "data-id" in a}

    def charts(self, kind: str) -> set[str]:
        return {
            a["data-kr"] for tag, a in self.elements if tag == "svg" and a.get("data-chart") == kind
        }

    def references(self) -> Iterator[str]:
        """Every URL the page names: src, href, xlink:href, srcset, url() in styles."""
        for _, attrs in self.elements:
            for name in ("src", "href", "xlink:href", "action", "poster", "data"):
                if name in attrs:
                    yield attrs[name]
            if "srcset" in attrs:
                yield from (part.split()[0] for part in attrs["srcset"].split(",") if part.strip())
            yield from re.findall(r"url\(\s*['\"]?([^'\")]+)", attrs.get("style", ""))
        for css in self.styles:
            yield from re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
            yield from re.findall(r"@import\s+['\"]([^'\"]+)", css)


def _pages(out: Path) -> dict[str, Page]:
    return {p.name: Page(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.html"))}


@pytest.fixture(scope="module")
def site(acme_history: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    _okr_report(acme_history, out)
    return out


def test_every_objective_and_key_result_has_the_score_of_okr_score(
    acme_history: Path, site: Path, okr: Okr
) -> None:
    result = okr("score", "--cycle", "all", "--format", "json", "--root", acme_history)
    assert result.code == 0, result.err
    expected = {}
    for objective in json.loads(result.out)["objectives"]:
        expected[objective["id"]] = objective["score"]
        expected |= {kr["id"]: kr["score"] for kr in objective["key_results"]}
    assert len(expected) > 150

    pages = _pages(site)
    tree = pages["index.html"].items()
    on_team_pages: dict[str, str] = {}
    for name, page in pages.items():
        if name.startswith("team-"):
            on_team_pages |= page.items()
    for where in (tree, on_team_pages):
        shown = {key: None if text == "" else float(text) for key, text in where.items()}
        assert shown == expected


def test_key_results_with_check_ins_have_charts(acme_history: Path, site: Path) -> None:
    from okrcli.config import load_config
    from okrcli.history import read_history
    from okrcli.repo import load_repo
    from okrcli.review import timeline

    repo = load_repo(load_config(acme_history))
    history = read_history(acme_history, repo.config.paths)
    checked_in = {
        ident
        for ident, entries in timeline(history, repo.graph).checkins.items()
        if any(not c.added for c in entries)
    }
    assert len(checked_in) > 30
    value_charts, confidence_charts = set(), set()
    for page in _pages(site).values():
        value_charts |= page.charts("value")
        confidence_charts |= page.charts("confidence")
    assert checked_in <= value_charts
    with_confidence = {
        kr.id for kr in repo.graph.key_results if kr.id in checked_in and kr.model.confidence
    }
    assert with_confidence and with_confidence <= confidence_charts


def test_a_chart_shows_each_check_in_with_its_author_date_and_note(site: Path) -> None:
    text = (site / "team-platform.html").read_text(encoding="utf-8")
    chart = re.search(r'<svg[^>]*data-chart="value" data-kr="PLAT-Q4-1.2".*?</svg>', text, re.S)
    assert chart is not None
    svg = chart.group(0)
    assert "<title id=" in svg and "<desc id=" in svg
    tips = re.findall(r"<circle[^>]*><title>([^<]*)</title>", svg)
    assert tips[0].startswith("2026-10-01 · Test Author · 900 ms (written)")
    assert "2026-10-16 · Alice Kim · 708 ms — Alice read it off the dashboard" in tips
    assert tips[-1].startswith("2026-11-20 · Dana Ortiz · 420 ms")
    for guide in ("start 900 ms", "target 300 ms"):
        assert f">{guide}</text>" in svg
    assert 'class="g-pace"' in svg


def test_the_site_references_nothing_outside_its_folder(site: Path) -> None:
    links = {  # the initiatives' own links are the one way out, and only on a click
        m.group(1)
        for path in EXAMPLE.glob("okrs/**/*.yaml")
        for m in re.finditer(r'link: "([^"]+)"', path.read_text(encoding="utf-8"))
    }
    pages = _pages(site)
    ids = {name: {a["id"] for _, a in page.elements if "id" in a} for name, page in pages.items()}
    seen = 0
    for name, page in pages.items():
        for url in page.references():
            seen += 1
            if url in links:
                continue
            assert not re.match(r"[a-z][a-z0-9+.-]*:|//", url, re.I), f"{name}: {url}"
            target, _, fragment = url.partition("#")
            assert target == "" or target in pages, f"{name}: {url} is not in the site"
            assert not fragment or fragment in ids[target or name], f"{name}: {url} leads nowhere"
    assert seen > 100


def test_only_web_links_are_clickable(acme: Path, tmp_path: Path, okr: Okr) -> None:
    path = acme / "okrs/2026-Q4/platform.yaml"
    text = path.read_text(encoding="utf-8")
    link = 'link: "https://github.com/acme/infra/pull/2031"'
    assert link in text
    path.write_text(text.replace(link, 'link: "javascript:alert(1)"'), encoding="utf-8")

    assert okr("report", "--out", tmp_path / "site", "--root", acme).code == 0

    page = (tmp_path / "site/team-platform.html").read_text(encoding="utf-8")
    assert 'href="javascript' not in page and ">javascript:alert(1)</span>" in page
    assert 'href="https://linear.app/acme/issue/PLAT-455"' in page


def test_every_page_is_written_and_only_once_in_place(site: Path) -> None:
    names = sorted(p.name for p in site.iterdir())
    teams = {p.stem for p in EXAMPLE.glob("okrs/*/*.yaml")}
    assert names == sorted(
        ["index.html", "review-2026.html", "review-2026-q3.html", "review-2026-q4.html"]
        + [f"team-{team}.html" for team in teams]
    )


def test_without_git_the_report_says_what_is_missing(acme: Path, tmp_path: Path, okr: Okr) -> None:
    out = tmp_path / "site"
    result = okr("report", "--out", out, "--root", acme)
    assert result.code == 0, result.err
    assert "no check-in history" in result.err
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Needs git history" in index
    assert not any(_pages(out)[name].charts("value") for name in _pages(out))


def test_report_as_of_a_date_uses_the_files_of_then(
    acme_history: Path, tmp_path: Path, okr: Okr
) -> None:
    out = tmp_path / "site"
    result = okr("report", "--at", "2026-10-20", "--out", out, "--root", acme_history)
    assert result.code == 0, result.err
    items = Page((out / "team-platform.html").read_text(encoding="utf-8")).items()
    assert items["PLAT-Q4-1.2"] == "0.32"  # 900 → 708 ms of 900 → 300 ms
    assert "as of 2026-10-20" in (out / "index.html").read_text(encoding="utf-8")


def test_an_unwritable_folder_is_one_sentence(acme: Path, tmp_path: Path, okr: Okr) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = okr("report", "--out", blocker / "site", "--root", acme)
    assert result.code == 2
    last = result.err.splitlines()[-1]
    assert last == f"okr: error: cannot write the report to {blocker / 'site'}: Not a directory"
    assert "Traceback" not in result.err


def test_head_is_the_last_check_in(acme_history: Path) -> None:
    """The fixture itself: the files at HEAD are the example's, reached by check-ins."""
    assert git(acme_history, "status", "--porcelain") == ""
    log = git(acme_history, "log", "--reverse", "--format=%ad %an", "--date=short")
    rounds = sorted(set(log.splitlines()))
    assert rounds == ["2026-10-01 Test Author", "2026-10-16 Alice Kim", "2026-11-06 Bob Osei",
                      "2026-11-20 Dana Ortiz"]  # fmt: skip
    for path in EXAMPLE.glob("okrs/2026-Q4/*.yaml"):
        mine = acme_history / path.relative_to(EXAMPLE)
        assert mine.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_many_teams_are_reached_from_the_overview_not_from_every_page(
    tmp_path: Path, okr: Okr
) -> None:
    """Past NAV_TEAMS, a nav naming every team on every page would grow with teams²."""
    from okrcli.report.site import NAV_TEAMS

    root = tmp_path / "org"
    teams = [f"team-{n:02d}" for n in range(NAV_TEAMS + 5)]
    assert okr("init", root, "--team", teams[0]).code == 0
    for team in teams[1:]:
        made = okr("new", team, "--cycle", "2026-Q4", "--root", root)
        assert made.code == 0, made.err
    out = tmp_path / "site"
    assert okr("report", "--cycle", "all", "--out", out, "--root", root).code == 0

    page = (out / "team-team-07.html").read_text(encoding="utf-8")
    nav = page[page.index("<nav") : page.index("</nav>")]
    assert f'href="index.html#teams-h">Teams ({len(teams)})</a>' in nav
    assert "team-team-" not in nav
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="team-{team}.html"' in index for team in teams)
    assert sorted(p.name for p in out.glob("team-*.html")) == [f"team-{t}.html" for t in teams]
