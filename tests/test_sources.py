"""okr.toml `[sources]` and `[owners]`: read and checked, never run outside `okr sync`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from okrcli.cells import parse_number
from okrcli.config import load_config
from okrcli.errors import OkrError
from okrcli.sources import check_pointer, fill, url_part
from tests.conftest import Okr, write

TEAM = """\
team: platform
cycle: 2026-Q4
owner: dana
objectives:
  - id: PLAT-1
    title: Deploys are boring and safe
    key_results:
      - id: PLAT-1.1
        title: Deploy success rate
        start: 92
        target: 99
        unit: "%"
        source: {source}
      - id: PLAT-1.2
        title: Canary analysis on every service
        done: false
"""


def _repo(root: Path, settings: str, source: str = "deploys") -> Path:
    write(root / "okr.toml", settings)
    write(root / "okrs/2026-Q4/platform.yaml", TEAM.replace("{source}", source))
    return root


def _findings(okr: Okr, root: Path) -> list[tuple[int, str, str]]:
    result = okr("check", "--root", root, "--format", "json")
    assert result.code in (0, 1), result.err
    return [(f["line"], f["code"], f["message"]) for f in json.loads(result.out)["findings"]]


def test_three_kinds_of_source_are_read(tmp_path: Path) -> None:
    config = load_config(
        _repo(
            tmp_path,
            '[sources.deploys]\ncommand = ["./count.sh", "{service}"]\ntimeout = 5\n'
            '[sources.uptime]\nurl = "https://status.example.com/{service}.json"\n'
            'pointer = "/data/0/value"\nheaders = {Authorization = "STATUS_TOKEN"}\n'
            '[sources.nps]\nfile = "metrics/weekly.csv"\ncolumn = "nps"\nrow = 1\n'
            '[owners]\ndana = "@dana-ops"\n',
        )
    )
    deploys, uptime, nps = (config.sources[n] for n in ("deploys", "uptime", "nps"))
    assert (deploys.kind, deploys.command, deploys.timeout) == (
        "command",
        ("./count.sh", "{service}"),
        5,
    )
    assert deploys.placeholders() == {"service"}
    assert (uptime.kind, uptime.pointer, uptime.headers) == (
        "url",
        "/data/0/value",
        (("Authorization", "STATUS_TOKEN"),),
    )
    assert (nps.kind, nps.column, nps.row) == ("file", "nps", 1)
    assert config.owners == {"dana": "@dana-ops"}


@pytest.mark.parametrize(
    ("settings", "line", "message"),
    [
        ('[sources.x]\ncommand = "./count.sh"\n', 2, "`command` must be a list of strings"),
        ("[sources.x]\ntimeout = 3\n", 1, "needs exactly one of `command`, `url` or `file`"),
        ('[sources.x]\nurl = "file:///etc/passwd"\n', 2, "http:// or https://"),
        ('[sources.x]\nurl = "https://a.b/"\npointer = "data/0"\n', 3, "JSON pointer"),
        (
            '[sources.x]\nurl = "https://a.b/"\nheaders = {Authorization = "Bearer s3cret"}\n',
            3,
            "secrets never go in files",
        ),
        ('[sources.x]\ncommand = ["a"]\ncolumn = "n"\n', 3, "are for a CSV `file`"),
        ('[sources.x]\nfile = "a.csv"\nrow = 0\n', 3, "`row` must be a data row"),
        ('[sources.x]\nfile = "a.csv"\ncomand = ["a"]\n', 3, "did you mean `command`?"),
        ('[sources.x]\ncommand = ["a"]\ntimeout = 0\n', 3, "`timeout` must be"),
        ("[owners]\ndana = 3\n", 1, "`owners` must map owners to handles"),
        (  # the line of the source that is wrong, not the first `pointer` in the file
            '[sources.a]\nurl = "https://a.b/"\npointer = "/ok"\n'
            '[sources.x]\nurl = "https://a.b/"\npointer = "data/0"\n',
            6,
            "source `x`: `pointer` must be a JSON pointer",
        ),
    ],
)
def test_a_bad_source_is_one_sentence_at_its_line(
    okr: Okr, tmp_path: Path, settings: str, line: int, message: str
) -> None:
    result = okr("check", "--root", _repo(tmp_path, settings))
    assert result.code == 2
    assert result.err.count("\n") == 1, result.err
    assert f"okr.toml:{line}: " in result.err
    assert message in result.err


def test_a_team_file_naming_an_undefined_source_is_a_finding(okr: Okr, tmp_path: Path) -> None:
    root = _repo(tmp_path, '[sources.deploys]\ncommand = ["./count.sh"]\n', source="deploy")
    assert _findings(okr, root) == [
        (13, "OKR105", "`PLAT-1.1`: source `deploy` is not defined in okr.toml `[sources]` "
         "(did you mean `deploys`?)"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("deploys", "source `deploys` needs args service"),
        (
            "{name: deploys, args: {service: api, region: eu}}",
            "source `deploys` takes no args region",
        ),
    ],
)
def test_args_must_fill_the_placeholders(
    okr: Okr, tmp_path: Path, source: str, message: str
) -> None:
    root = _repo(
        tmp_path, '[sources.deploys]\ncommand = ["./count.sh", "{service}", "{id}"]\n', source
    )
    assert [m for _, code, m in _findings(okr, root) if code == "OKR105"] == [
        f"`PLAT-1.1`: {message}"
    ]


def test_check_never_runs_a_source(okr: Okr, tmp_path: Path) -> None:
    """Sources that would fail, hang or write a file: `okr check` is clean and runs none."""
    witness = tmp_path / "ran"
    script = write(tmp_path / "count.sh", f"#!/bin/sh\ntouch {witness}\nexit 3\n")
    script.chmod(0o755)
    root = _repo(
        tmp_path,
        '[sources.deploys]\ncommand = ["./count.sh", "{service}"]\n'
        '[sources.down]\nurl = "http://127.0.0.1:9/"\npointer = "/v"\n',
        "{name: deploys, args: {service: api}}",
    )
    result = okr("check", "--root", root)
    assert result.code == 0, result.out
    assert not witness.exists()


def test_a_source_on_a_checklist_is_a_finding(okr: Okr, tmp_path: Path) -> None:
    root = _repo(tmp_path, '[sources.deploys]\ncommand = ["./count.sh"]\n')
    path = root / "okrs/2026-Q4/platform.yaml"
    text = path.read_text().replace(
        "done: false", "milestones: [{title: a}]\n        source: deploys"
    )
    path.write_text(text)
    assert (17, "OKR105", "`PLAT-1.2`: a checklist key result cannot take a `source` "
            "(only metric, threshold, milestone)") in _findings(okr, root)  # fmt: skip


def test_fill_is_plain_substitution() -> None:
    assert fill("{a}/{a}-{b}", {"a": "x", "b": "{a}"}) == "x/x-{a}"
    assert fill("q={team}", {"team": "a b/c&d"}, url_part) == "q=a%20b%2Fc%26d"
    assert fill("{0.__class__}", {}) == "{0.__class__}"
    with pytest.raises(OkrError, match=r"no value for `\{team\}`"):
        fill("{team}", {})


def test_pointers() -> None:
    assert all(map(check_pointer, ["", "/", "/data/0/value", "/a~1b/~0"]))
    assert not any(map(check_pointer, ["data", "/a~2", "/a~"]))


@pytest.mark.parametrize(
    ("text", "value"),
    [("45", 45), ("45%", 45), ("97,5", 97.5), ("1,234.5", 1234.5), ("1 234,5", 1234.5),
     (" -3 ", -3), ("2.5e3", 2500.0), ("", None), ("abc", None), ("12 apples", None),
     ("1,234", 1.234)],
)  # fmt: skip
def test_numbers_as_spreadsheets_write_them(text: str, value: float | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,234", 1234), ("-12,345,678.5", -12345678.5), ("97,5", 97.5), ("1,23", 1.23)],
)
def test_in_a_comma_separated_sheet_commas_group_thousands(text: str, value: float) -> None:
    assert parse_number(text, thousands_comma=True) == value
