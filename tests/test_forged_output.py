"""Text from a file or a file's name cannot forge output: no extra finding line or workflow
command, no terminal control, no markup in markdown, no invalid XML in JUnit."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from okrcli.messages import markdown
from tests.conftest import Okr, commit_all, init_repo, write

HOSTILE_TITLE = (
    "![pixel](https://evil.example/i.png) [log in](https://phish.example) "
    "</table><img src=x onerror=alert(1)> **all on track** | ~~gone~~ `code` \u202egpj.exe"
)
HOSTILE_TEAM = "web\n# All on track\n<!--"
WEB = """\
team: {team}
cycle: 2026-Q4
owner: ann
objectives:
  - id: WEB-1
    title: {title}
    key_results:
      - {{id: WEB-1.1, title: {title}, start: 0, target: 10, current: {current}, unit: x}}
      - {{id: WEB-1.2, title: Pages load fast, done: false}}
"""


def _web(title: str = HOSTILE_TITLE, team: str = HOSTILE_TEAM, current: int = 5) -> str:
    return WEB.format(team=json.dumps(team), title=json.dumps(title), current=current)


def _assert_inert_markdown(text: str) -> None:
    """Nothing GitHub would render as an image, link, HTML, heading or extra table cell."""
    assert "<" not in text and ">" not in text.replace("→", "")
    assert "](" not in text.replace("\\](", "")
    assert "\u202e" not in text
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert not any("All on track" in line and "\\#" not in line for line in headings)
    header = ""
    for line in text.splitlines():
        if line.startswith("|") and not header:
            header = line
        elif not line.startswith("|"):
            header = ""
        elif "WEB-1" in line:
            assert len(_cells(line)) == len(_cells(header))


def _cells(row: str) -> list[str]:
    return re.split(r"(?<!\\)\|", row)


@pytest.fixture
def hostile_repo(tmp_path: Path) -> Path:
    root = init_repo(tmp_path / "repo")
    write(root / "okr.toml", "")
    write(root / "okrs/2026-Q4/web.yaml", _web(title="Faster pages", current=2))
    commit_all(root, "plan", "2026-10-01T09:00:00+00:00")
    write(root / "okrs/2026-Q4/web.yaml", _web())
    commit_all(root, "hostile titles", "2026-10-20T09:00:00+00:00")
    return root


@pytest.mark.parametrize(
    "args",
    [
        ("score", "--format", "markdown"),
        ("review", "2026-Q4", "--format", "markdown"),
        ("diff", "HEAD~1", "HEAD", "--format", "markdown"),
    ],
)
def test_markdown_shows_titles_and_teams_as_text(
    hostile_repo: Path, okr: Okr, args: tuple[str, ...]
) -> None:
    result = okr("--today", "2026-11-24", *args, "--root", hostile_repo)
    assert result.code == 0, result.err
    _assert_inert_markdown(result.out)
    assert "evil.example" in result.out or args[0] == "review"  # shown, as text


def test_markdown_escapes_every_construct() -> None:
    assert markdown("a | b\n# c") == "a \\| b \\# c"
    assert markdown("<b>&amp;</b>") == "&lt;b&gt;&amp;amp;&lt;/b&gt;"
    assert markdown("![i](u) [l](u)") == "\\!\\[i\\](u) \\[l\\](u)"
    assert markdown("*a* _b_ `c` ~d~ \\") == "\\*a\\* \\_b\\_ \\`c\\` \\~d\\~ \\\\"
    assert markdown("\x1b[2J\u202e") == "\\\\x1b\\[2J\\\\u202e"


@pytest.mark.parametrize("command", ["score", "tree"])
def test_team_reaches_the_terminal_escaped(tmp_path: Path, okr: Okr, command: str) -> None:
    write(tmp_path / "okr.toml", "")
    write(tmp_path / "okrs/2026-Q4/web.yaml", _web(title="Fast", team="web\x1b]0;pwned\x07"))
    result = okr("--today", "2026-11-24", command, "--root", tmp_path)
    assert result.code == 0, result.err
    assert "\x1b" not in result.out and "\x07" not in result.out
    assert "web\\x1b]0;pwned\\x07" in result.out


def test_a_file_name_cannot_forge_a_finding_or_workflow_command(tmp_path: Path, okr: Okr) -> None:
    write(tmp_path / "okr.toml", "")
    name = "x\n::error file=README.md,line=1::all good\x1b[2J\u202e.yaml"
    write(tmp_path / "okrs/2026-Q4" / name, "team: [")
    result = okr("check", "--root", tmp_path)
    assert result.code == 1
    lines = result.out.splitlines()
    assert len(lines) == 2  # one finding and the summary
    assert not any(line.startswith("::") for line in lines)
    assert "\x1b" not in result.out and "\u202e" not in result.out
    assert lines[0].startswith("okrs/2026-Q4/x\\n::error file=README.md,line=1::all good\\x1b")
    assert re.search(r"\\u202e\.yaml:\d+:\d+: OKR001", lines[0])


def test_junit_stays_valid_xml_whatever_the_names(tmp_path: Path, okr: Okr) -> None:
    write(tmp_path / "okr.toml", "")
    odd = "\x01\x0b\x0c\ufffe\u202e"
    write(tmp_path / f"okrs/2026-Q4/a{odd}.yaml", "team: [")
    title = "t" + odd
    write(tmp_path / "okrs/2026-Q4/web.yaml", _web(title=title, team="web").replace("x}", "}"))
    result = okr("check", "--format", "junit", "--strict", "--root", tmp_path)
    assert result.code == 1
    suites = ET.fromstring(result.out.split("\n", 1)[1])  # parses: every character is allowed
    names = [case.get("name") for case in suites.iter("testcase")]
    assert "okrs/2026-Q4/a\\x01\\x0b\\x0c\\ufffe\\u202e.yaml" in names
    assert "\\ufffe" in "".join(f.text or "" for f in suites.iter("failure"))


def test_bidi_overrides_in_findings_are_shown_escaped(tmp_path: Path, okr: Okr) -> None:
    write(tmp_path / "okr.toml", "")
    write(tmp_path / "okrs/2026-Q4/web.yaml", "team: web\ncycle: 2026-Q4\nobjectives: \u202eexe\n")
    result = okr("check", "--root", tmp_path)
    assert result.code == 1
    assert "\u202e" not in result.out and "\\u202eexe" in result.out


LINKING_TITLE = (
    "Beat https://evil.example and www.evil.example, ask @ceo or ceo@evil.example, fix #123"
)
LIVE = re.compile(r"https?://|(?<![0-9A-Za-z])www\.|@(?!&#8203;)|(?<!&)#[0-9]")


@pytest.mark.parametrize(
    "args",
    [
        ("score", "--format", "markdown"),
        ("review", "2026-Q4", "--format", "markdown"),
        ("diff", "HEAD~1", "HEAD", "--format", "markdown"),
        ("remind", "--format", "markdown"),
    ],
)
def test_markdown_titles_link_and_ping_nobody(
    tmp_path: Path, okr: Okr, args: tuple[str, ...]
) -> None:
    root = init_repo(tmp_path / "repo")
    write(root / "okr.toml", "")
    write(root / "okrs/2026-Q4/web.yaml", _web(title="Faster pages", team="web", current=2))
    commit_all(root, "plan", "2026-10-01T09:00:00+00:00")
    write(root / "okrs/2026-Q4/web.yaml", _web(title=LINKING_TITLE, team="web"))
    commit_all(root, "linking titles", "2026-10-20T09:00:00+00:00")
    result = okr("--today", "2026-11-24", *args, "--root", root)
    assert result.code == 0, result.err
    assert "evil.example" in result.out  # shown, as text
    assert not LIVE.search(result.out), result.out


def test_markdown_breaks_links_mentions_and_references_with_a_zero_width_space() -> None:
    zw = "&#8203;"
    assert markdown("https://a.example www.a.example WWW.b.example") == (
        f"https:{zw}//a.example www{zw}.a.example WWW{zw}.b.example"
    )
    assert markdown("@ceo a@b.example #123 org/repo#7") == (
        f"@{zw}ceo a@{zw}b.example \\#{zw}123 org/repo\\#{zw}7"
    )
    assert markdown("#hashtag www-site awww.x a:b") == "\\#hashtag www-site awww.x a:b"
    assert markdown("@omar-k", mention=True) == "@omar-k"


def test_remind_pings_an_owner_only_through_okr_toml(tmp_path: Path, okr: Okr) -> None:
    """A file's `owner: "@ceo"` is text; okr.toml's `[owners]` handles are mentions."""
    write(tmp_path / "okr.toml", '[owners]\nann = "@ann-gh"\n')
    web = _web(title="Faster pages", team="web").replace("owner: ann", 'owner: "@ceo"')
    write(tmp_path / "okrs/2026-Q4/web.yaml", web)
    result = okr("--today", "2026-11-24", "remind", "--format", "markdown", "--root", tmp_path)
    assert result.code == 0, result.err
    assert "### @&#8203;ceo\n" in result.out
    write(tmp_path / "okrs/2026-Q4/web.yaml", _web(title="Faster pages", team="web"))
    result = okr("--today", "2026-11-24", "remind", "--format", "markdown", "--root", tmp_path)
    assert "### @ann-gh\n" in result.out
