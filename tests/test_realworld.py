"""Every command on OKR repositories shaped like ones organisations have published.

`tests/fixtures/realworld/<org>/` holds five small repositories (GitLab's fiscal-year
cascade, GOV.UK's 4-space YAML with a CRLF file, Wikimedia's flow-style export with a
team at five objectives, beta.gouv.fr in French, Japan's Digital Agency in Japanese).
Each is copied into a real git repository, committed at its cycle's start, and checked in
two or three times with the real `okr checkin` on fixed dates; then every command runs
through the real CLI. Expected scores are worked out by hand below, with the arithmetic.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, Okr, Result, commit_all, git, init_repo

REALWORLD = FIXTURES / "realworld"


@dataclass(frozen=True)
class Org:
    name: str
    start: str  # the first commit, at the cycle's start
    checkins: tuple[tuple[str, tuple[str, ...]], ...]  # (ISO date, `okr checkin` arguments)
    scores: dict[str, float]  # hand-computed scores at HEAD (3 decimals, as JSON has them)
    findings: set[tuple[str, str, int]]  # `okr check` at HEAD: (file, code, line)
    review: str  # the cycle `okr review` grades
    unicode_kr: tuple[str, str, str]  # (id, file, new value) for the one-line check-in
    titles: tuple[str, ...] = field(default=())  # unicode titles the report must show


ORGS = [
    Org(
        name="gitlab",
        start="2025-02-03T09:00:00+00:00",
        checkins=(
            ("2025-02-24T16:00:00+00:00", ("ENG-Q1-1.1", "15.1", "--confidence", "6")),
            ("2025-03-17T16:00:00+00:00", ("GL-FY26-1.1", "420000", "-m", "EMEA deals")),
            ("2025-04-07T16:00:00+00:00", ("VERIFY-Q1-1.1", "110")),
        ),
        scores={
            "ENG-Q1-1.1": 0.4,  # (15.1 - 18.5) / (10 - 18.5) = -3.4 / -8.5
            "ENG-Q1-1": 0.325,  # (0.4 + checklist 1/(1+1+2) = 0.25) / 2; VERIFY-Q1-1 aligns
            #                     to the measured key result ENG-Q1-1.1, so it does not count
            "ENG-Q1-2": 0.667,  # (threshold 99.97 >= 99.95 → 1 + (3 - 4)/(1 - 4) = 1/3) / 2
            "GL-FY26-2.1": 0.439,  # rollup: (2 × 0.325 + 1 × 0.6667) / 3 = 1.3167 / 3
            "GL-FY26-2": 0.219,  # (0.4389 + 0) / 2
            "GL-FY26-1": 0.14,  # (420000 / 1e6 = 0.42 + 0.9 < 1.0 → 0 + CS-Q1-1 = 0) / 3
            "VERIFY-Q1-1": 0.518,  # ((110-320)/(40-320) = 0.75 + (0.1-0.12)/(0.05-0.12)
            #                         = 0.2857) / 2
        },
        findings={
            ("okrs/FY26-Q1/customer-success.yaml", "OKR204", 26),
            ("okrs/FY26-Q1/customer-success.yaml", "OKR209", 10),
        },
        review="FY26-Q1",
        unicode_kr=("GL-FY26-2.2", "okrs/FY26/company.yaml", "91.5"),
        titles=("Be the obvious DevSecOps platform for large enterprises — CI/CD first",),
    ),
    Org(
        name="govuk",
        start="2025-07-01T08:30:00+01:00",
        checkins=(
            ("2025-07-21T15:00:00+01:00", ("SRCH-Q3-1.1", "47.5", "--confidence", "7")),
            ("2025-08-11T15:00:00+01:00", ("PUB-Q3-1.1", "46")),
            ("2025-09-01T15:00:00+01:00", ("SRCH-Q3-2.2", "15250", "-m", "renegotiated")),
        ),
        scores={
            "SRCH-Q3-1": 0.467,  # ((47.5-42.5)/(55-42.5) = 0.4 + 0 + 0.64 <= 0.8 → 1) / 3
            "SRCH-Q3-2": 0.25,  # (0 + (15250-18500)/(12000-18500) = 0.5) / 2
            "GOVUK-2025-1.1": 0.394,  # rollup: (1 × 0.4667 + 0.5 × 0.25) / 1.5
            "GOVUK-2025-1": 0.392,  # (0.3944 + (64.5-61)/(70-61) = 0.3889) / 2
            "PUB-Q3-1": 0.25,  # ((46-12)/(80-12) = 0.5 + 0) / 2
            "GOVUK-2025-2": 0.38,  # ((31-38)/(20-38) = 0.3889 + (1+3)/(1+3+2+2) = 0.5
            #                        + PUB-Q3-1 = 0.25) / 3 = 1.1389 / 3
        },
        findings={
            ("okrs/2025-Q3/publishing.yaml", "OKR103", 21),
            ("okrs/2025-Q3/search.yaml", "OKR209", 11),
            ("okrs/2025-Q3/search.yaml", "OKR209", 34),
        },
        review="2025-Q3",
        unicode_kr=("SRCH-Q3-1.2", "okrs/2025-Q3/search.yaml", "2.4"),
        titles=("Site search understands what people mean, not only the words they type 🔎",),
    ),
    Org(
        name="wikimedia",
        start="2024-07-01T17:00:00+00:00",
        checkins=(
            ("2024-09-16T17:00:00+00:00", ("WE1.1", "29.5")),
            ("2024-12-02T17:00:00+00:00", ("WE2.1", "12", "-m", "Bengali and Yoruba live")),
            ("2025-03-03T17:00:00+00:00", ("WMF-2.1", "1250000")),
        ),
        scores={
            "WE1": 0.2,  # ((29.5-28.5)/(31-28.5) = 0.4 + 0) / 2
            "WE2": 0.2,  # (12/30 = 0.4 + 0) / 2
            "WE3": 0.1,  # (0 + checklist 1/(1+4) = 0.2) / 2
            "WMF-1.1": 0.14,  # rollup: (0.2 + 2 × 0.2 + 0.1 + 0 [SDS1]) / 5; FA1 has weight 0
            "WMF-1": 0.07,  # (0.14 + 0) / 2
            "WMF-2": 0.25,  # (1250000 / 2.5e6 = 0.5 + 0.68 >= 0.7 fails → 0) / 2
        },
        # FA1 has one key result; the foundation file's missing owners are ignored in okr.toml
        findings={
            ("okrs/FY24-25/product-technology.yaml", "OKR201", 28),
            *(("okrs/FY24-25/product-technology.yaml", "OKR209", n) for n in (8, 13, 18, 23)),
        },
        review="FY24-25",
        unicode_kr=("WE1.2", "okrs/FY24-25/product-technology.yaml", "0.08"),
        titles=(
            "📝 Contributor experience: established editors and newcomers get work done faster",
        ),
    ),
    Org(
        name="betagouv",
        start="2025-07-01T09:00:00+02:00",
        checkins=(
            ("2025-07-28T18:00:00+02:00", ("AJ-H2-1.1", "49", "-m", "nouvelle page d’accueil")),
            ("2025-09-15T18:00:00+02:00", ("AJ-H2-1.2", "810", "--confidence", "7")),
            ("2025-10-27T18:00:00+01:00", ("INC-2025-2.1", "41500")),
        ),
        scores={
            "AJ-H2-1": 0.333,  # ((49-38)/(60-38) = 0.5 + (810-620)/(1000-620) = 0.5 + 0) / 3
            "AJ-H2-2": 0.75,  # (99.7 >= 99.5 → 1 + checklist 1/2) / 2
            "INC-2025-1.2": 0.472,  # rollup: (2 × 0.3333 + 1 × 0.75) / 3
            "INC-2025-1": 0.236,  # (0 + 0.4722) / 2
            "INC-2025-2": 0.25,  # ((41500-45000)/(38000-45000) = 0.5 + 0.42 >= 0.5 fails) / 2
        },
        findings={
            ("okrs/2025-H2/aides-jeunes.yaml", "OKR209", 10),
            ("okrs/2025-H2/aides-jeunes.yaml", "OKR209", 36),  # a check-in added a line,
        },
        review="2025-H2",
        unicode_kr=("AJ-H2-1.3", "okrs/2025-H2/aides-jeunes.yaml", "0.06"),
        titles=("Dépenser l'argent public avec sobriété — « mieux vaut arrêter tôt que tard »",),
    ),
    Org(
        name="digital-agency-jp",
        start="2025-10-01T09:00:00+09:00",
        checkins=(
            ("2025-10-20T18:00:00+09:00", ("MN-Q4-1.1", "29.25", "-m", "病院向け説明会を実施")),
            ("2025-11-10T18:00:00+09:00", ("MN-Q4-1.2", "52.5", "--confidence", "4")),
            ("2025-12-01T18:00:00+09:00", ("DA-2.1", "360")),
        ),
        scores={
            "MN-Q4-1": 0.667,  # ((29.25-18.5)/(40-18.5) = 0.5 + (52.5-75)/(30-75) = 0.5
            #                    + 0.3 <= 0.5 → 1) / 3
            "MN-Q4-2": 0.0,  # nothing checked in
            "DA-1.2": 0.333,  # rollup: (0.6667 + 0) / 2
            "DA-1": 0.167,  # (0 + 0.3333) / 2
            "DA-2": 0.25,  # ((360-120)/(600-120) = 0.5 + 0) / 2
        },
        findings={
            ("okrs/2025-Q4/mynumber.yaml", "OKR209", 10),
            ("okrs/2025-Q4/mynumber.yaml", "OKR209", 34),  # a check-in added a line,
        },
        review="2025-Q4",
        unicode_kr=("MN-Q4-2.2", "okrs/2025-Q4/mynumber.yaml", "0.3"),
        titles=("🏥 マイナ保険証だけで、全国どの医療機関でも受付が三十秒以内に終わるようにする",),
    ),
]
BY_NAME = {org.name: org for org in ORGS}


def _cli(root: Path, *args: str, when: str | None = None) -> Result:
    """The real CLI in-process, outside any test's capsys (for the module-wide build)."""
    import contextlib
    import io

    from okrcli.cli import invoke

    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("NO_COLOR", "1")
        env.setenv("GIT_CONFIG_NOSYSTEM", "1")
        env.setenv("HOME", str(root))
        for who in ("AUTHOR", "COMMITTER"):
            if when:
                env.setenv(f"GIT_{who}_DATE", when)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = invoke([*args, "--root", str(root)])
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every org as a git repository: the cycle-start commit, then its dated check-ins."""
    repos = {}
    for org in ORGS:
        root = tmp_path_factory.mktemp("realworld") / org.name
        shutil.copytree(REALWORLD / org.name, root, ignore=shutil.ignore_patterns(".okr_cache"))
        init_repo(root)
        commit_all(root, f"{org.name}: OKRs for the cycle", org.start)
        for when, args in org.checkins:
            done = _cli(root, "checkin", *args, when=when)
            assert done.code == 0, done.err
        repos[org.name] = root
    return repos


@pytest.fixture(params=[org.name for org in ORGS])
def org(request: pytest.FixtureRequest, built: dict[str, Path]) -> Iterator[tuple[Org, Path]]:
    yield BY_NAME[request.param], built[request.param]


def _ok(result: Result, code: int = 0) -> Result:
    assert "Traceback" not in result.out + result.err
    assert result.code == code, result.err
    return result


def _json(result: Result) -> Any:
    doc = json.loads(_ok(result).out)
    assert doc["version"] == 1
    return doc


def test_history_holds_the_start_and_every_checkin(org: tuple[Org, Path]) -> None:
    spec, root = org
    dates = git(root, "log", "--reverse", "--format=%aI").split()
    assert dates == [spec.start, *(when for when, _ in spec.checkins)]


def test_check_reports_the_expected_findings(org: tuple[Org, Path], okr: Okr) -> None:
    spec, root = org
    doc = _json(okr("check", "--root", root, "--format", "json", "--no-cache"))
    found = {(f["path"], f["code"], f["line"]) for f in doc["findings"]}
    assert found == spec.findings
    text = okr("check", "--root", root)
    _ok(text, 1 if doc["summary"]["errors"] else 0)
    listed = [line.split(":")[:2] + [line.split(" ")[1]] for line in text.out.splitlines()[:-1]]
    assert [(path, code, int(line)) for path, line, code in listed] == sorted(
        spec.findings, key=lambda f: (f[0], f[2])
    )


def test_scores_match_the_hand_computed_values(org: tuple[Org, Path], okr: Okr) -> None:
    spec, root = org
    doc = _json(okr("score", "--root", root, "--cycle", "all", "--format", "json"))
    found: dict[str, object] = {}
    for objective in doc["objectives"]:
        found[objective["id"]] = objective["score"]
        found.update({kr["id"]: kr["score"] for kr in objective["key_results"]})
    assert {ident: found[ident] for ident in spec.scores} == spec.scores
    assert doc["skipped"] == []
    assert "-0.0" not in json.dumps(found)


def test_score_and_tree_in_every_format(org: tuple[Org, Path], okr: Okr) -> None:
    spec, root = org
    for command in ("score", "tree"):
        for fmt in ("table", "tree", "markdown"):
            result = _ok(okr(command, "--root", root, "--cycle", "all", "--format", fmt))
            assert all(ident in result.out for ident in spec.scores)
            assert "-0.00" not in result.out
    tree = _ok(okr("tree", "--root", root, "--cycle", "all")).out
    for title in spec.titles:
        assert title in tree


def test_tree_nests_the_deepest_alignment(okr: Okr, built: dict[str, Path]) -> None:
    # GL-FY26-2 ← its rollup GL-FY26-2.1 ← ENG-Q1-1 ← its key result ENG-Q1-1.1 ← VERIFY-Q1-1
    out = _ok(okr("tree", "GL-FY26-2", "--root", built["gitlab"], "--cycle", "all")).out
    chain = ["GL-FY26-2 ", "GL-FY26-2.1 ", "ENG-Q1-1 ", "ENG-Q1-1.1 ", "VERIFY-Q1-1 "]
    lines = out.splitlines()
    rows = [next(n for n, line in enumerate(lines) if ident in line) for ident in chain]
    assert rows == sorted(rows)
    indents = [lines[n].index(ident.strip()) for n, ident in zip(rows, chain, strict=True)]
    assert indents == sorted(indents) and len(set(indents)) == len(indents)


def test_log_lists_the_checkins(org: tuple[Org, Path], okr: Okr) -> None:
    spec, root = org
    doc = _json(okr("log", "--root", root, "--format", "json"))
    checkins = [c for c in doc["checkins"] if c["old"] is not None]
    rows = [(c["date"][:10], c["id"]) for c in checkins]
    assert sorted(rows) == sorted((when[:10], args[0]) for when, args in spec.checkins)
    text = _ok(okr("log", "--root", root)).out
    assert all(args[0] in text for _, args in spec.checkins)


def test_log_series_of_a_rollup_has_no_gaps(org: tuple[Org, Path], okr: Okr) -> None:
    _, root = org
    scored = _json(okr("score", "--root", root, "--cycle", "all", "--format", "json"))
    rollups = [
        kr["id"] for o in scored["objectives"] for kr in o["key_results"] if kr["kind"] == "rollup"
    ]
    series = _json(okr("log", "--root", root, "--format", "json"))["series"]
    assert rollups and all(series[ident] for ident in rollups)
    assert [p for ident in rollups for p in series[ident] if p["score"] is None] == []


def test_diff_of_the_last_checkin(org: tuple[Org, Path], okr: Okr) -> None:
    spec, root = org
    ident = spec.checkins[-1][1][0]
    for fmt in ("text", "markdown"):
        assert ident in _ok(okr("diff", "HEAD~1", "HEAD", "--root", root, "--format", fmt)).out
    doc = _json(okr("diff", "HEAD~1", "HEAD", "--root", root, "--format", "json"))
    assert ident in json.dumps(doc)


def test_review_grades_the_cycle(org: tuple[Org, Path], okr: Okr) -> None:
    spec, root = org
    doc = _json(okr("review", spec.review, "--root", root, "--format", "json"))
    assert doc["over"] is True
    verdicts = {o["id"]: o["score"] for o in doc["objectives"]}
    assert {k: v for k, v in spec.scores.items() if k in verdicts} == {
        k: v for k, v in verdicts.items() if k in spec.scores
    }
    for fmt in ("text", "markdown"):
        assert spec.review in _ok(okr("review", spec.review, "--root", root, "--format", fmt)).out


def test_report_writes_a_site(org: tuple[Org, Path], okr: Okr, tmp_path: Path) -> None:
    import html

    spec, root = org
    out = tmp_path / "site"
    _ok(okr("report", "--root", root, "--cycle", "all", "--out", out))
    pages = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert (out / "index.html").is_file()
    for title in spec.titles:
        assert html.escape(title, quote=False).replace("'", "&#39;") in pages


def test_checkin_on_a_unicode_title_changes_one_line(
    org: tuple[Org, Path], okr: Okr, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec, built_root = org
    root = tmp_path / spec.name
    shutil.copytree(built_root, root)
    ident, rel, value = spec.unicode_kr
    before = (root / rel).read_bytes()
    monkeypatch.setenv("HOME", str(root))
    _ok(okr("checkin", ident, value, "--root", root))
    changed = [
        line
        for line in git(root, "show", "--format=", "HEAD").splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert [line[0] for line in changed] == ["-", "+"]
    assert changed[1].rstrip("\r").endswith(value) or f": {value}" in changed[1]
    after = (root / rel).read_bytes()
    assert after.count(b"\r\n") == before.count(b"\r\n")  # CRLF files stay CRLF
    assert git(root, "status", "--porcelain") == ""
    doc = _json(okr("score", "--root", root, "--cycle", "all", "--format", "json"))
    krs = {kr["id"]: kr for o in doc["objectives"] for kr in o["key_results"]}
    assert krs[ident]["current"] == float(value)


def test_check_as_of_mid_cycle_flags_stale_key_results(okr: Okr, built: dict[str, Path]) -> None:
    # stale_days = 21 at GitLab. On 2025-04-20 VERIFY-Q1-1.1 was checked in 13 days before;
    # ENG-Q1-1.1 (2025-02-24, 55 days) and GL-FY26-1.1 (2025-03-17, 34 days) are stale, as
    # is every key result never checked in since the cycles began on 2025-02-01. Rollups
    # have no value of their own.
    doc = _json(okr("check", "--root", built["gitlab"], "--at", "2025-04-20", "--format", "json"))
    stale = {f["message"].split("`")[1] for f in doc["findings"] if f["code"] == "OKR208"}
    assert stale == {
        "GL-FY26-1.1", "GL-FY26-1.2", "GL-FY26-2.2",
        "ENG-Q1-1.1", "ENG-Q1-1.2", "ENG-Q1-2.1", "ENG-Q1-2.2", "VERIFY-Q1-1.2",
        "CS-Q1-1.1", "CS-Q1-1.2", "CS-Q1-1.3",
    }  # fmt: skip


def test_check_no_cache_writes_no_cache(okr: Okr, tmp_path: Path) -> None:
    root = tmp_path / "gitlab"
    shutil.copytree(REALWORLD / "gitlab", root, ignore=shutil.ignore_patterns(".okr_cache"))
    init_repo(root)
    commit_all(root, "gitlab: OKRs for the cycle", ORGS[0].start)
    _ok(okr("check", "--root", root, "--no-cache"))
    assert not (root / ".okr_cache").exists()


def test_log_columns_line_up_with_wide_author_names(
    okr: Okr, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import unicodedata

    root = tmp_path / "jp"
    shutil.copytree(
        REALWORLD / "digital-agency-jp", root, ignore=shutil.ignore_patterns(".okr_cache")
    )
    init_repo(root)
    commit_all(root, "2025年度 OKR", "2025-10-01T09:00:00+09:00")
    monkeypatch.setenv("HOME", str(root))
    for author, ident, value in (
        ("山田 太郎", "MN-Q4-1.1", "29.25"),
        ("Jürgen Müller", "MN-Q4-2.1", "70"),
    ):
        monkeypatch.setenv("GIT_AUTHOR_NAME", author)
        _ok(okr("checkin", ident, value, "--root", root))
    lines = _ok(okr("log", "--root", root)).out.splitlines()[:2]
    # 山田 太郎 is 5 characters but 9 columns wide; the ids must start in the same column
    columns = [
        sum(2 if unicodedata.east_asian_width(c) == "W" else 1 for c in line[: line.index("MN-")])
        for line in lines
    ]
    assert columns[0] == columns[1] and len(lines[0][: lines[0].index("MN-")]) != len(
        lines[1][: lines[1].index("MN-")]
    )
