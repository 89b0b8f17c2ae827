"""`okr report`: render the pages with jinja2 and write them into one folder.

The folder is self-contained: CSS and SVG are inline, there is no font, image or script
from anywhere else, so it opens from file:// offline and publishes as-is.
"""

from __future__ import annotations

import base64
import hashlib
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from okrcli import __version__
from okrcli.errors import OkrError
from okrcli.render import review_parts, score_parts
from okrcli.report import pages
from okrcli.review import CheckIn, Review, Timeline, review

if TYPE_CHECKING:
    from okrcli.repo import Repo
    from okrcli.score import Scoreboard, Selection

TEMPLATES = Path(__file__).parent / "templates"
VERDICTS = {  # the review's verdict words → (status key, words, icon)
    "achieved": ("achieved", "achieved", "★"),
    "missed": ("missed", "missed", "✕"),
    "achieved so far": ("on_track", "achieved so far", "✓"),
    "not met yet": ("at_risk", "not met yet", "!"),
}


@dataclass(frozen=True)
class Team:
    name: str
    href: str
    objectives: int
    key_results: int
    counts: list[tuple[str, str, str, int]]


@dataclass(frozen=True)
class Initiative:
    row: pages.Row
    title: str
    owner: str | None
    status: str


NAV_TEAMS = 20  # more teams than this: the overview's list of teams is the way to them


def build_site(
    repo: Repo,
    board: Scoreboard,
    selection: Selection,
    out: Path,
    timeline: Timeline | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> list[Path]:
    """Write index.html, a page per team and a review per cycle into `out`; return them.

    `timeline` (from git history) draws the charts and the review's history sections;
    without it (no git) the pages say what is missing. `progress(done, total)` is told
    after each page.
    """
    team_pages = pages.team_pages(selection)
    checkins = None if timeline is None else timeline.checkins
    rows = pages.build_rows(board, selection, team_pages, checkins)
    reviews = {
        f"review-{pages.slug(cycle.name)}.html": review(
            board, [o for o in selection.objectives if o.cycle == cycle], cycle, timeline
        )
        for cycle in selection.cycles
    }
    nav = [("index.html", "Overview")]
    nav += [(href, f"Review {r.cycle.name}") for href, r in reviews.items()]
    if len(team_pages) <= NAV_TEAMS:
        nav += [(href, team) for team, href in team_pages.items()]
    else:  # every page listing every team would make the site grow with teams²
        nav.append(("index.html#teams-h", f"Teams ({len(team_pages):,})"))
    script = (TEMPLATES / "print.js").read_text(encoding="utf-8")
    site = {
        "version": __version__,
        "css": (TEMPLATES / "style.css").read_text(encoding="utf-8"),
        "script": script,
        # The policy lets exactly this script run: no other inline code, no javascript: URL.
        "script_hash": "sha256-"
        + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode(),
        "nav": nav,
        "today": board.today.isoformat(),
        "revision": repo.revision,
    }
    hrefs = {node.id: row.href for node, row in rows.items()}
    jobs: list[tuple[str, str, Callable[[], dict[str, Any]]]] = [
        ("index.html", "index.html.j2",
         lambda: _index(board, selection, rows, team_pages, repo, checkins)),
    ]  # fmt: skip
    jobs += [
        (href, "team.html.j2", partial(_team, team, href, selection, rows, hrefs))
        for team, href in team_pages.items()
    ]
    jobs += [
        (href, "review.html.j2", partial(_review, result, hrefs))
        for href, result in reviews.items()
    ]
    env = _environment()
    written = []
    for name, template, context in jobs:
        written.append(_write(out, name, env, template, site=site, **context()))
        if progress is not None:
            progress(len(written), len(jobs))
    return written


def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["number"] = _number
    env.globals["web_link"] = _web_link
    return env


def _web_link(url: str) -> bool:
    """Whether an initiative's `link` is safe to make clickable (no `javascript:` and such)."""
    return url.lower().startswith(("https://", "http://", "mailto:"))


def _number(value: float | None, decimals: int | None = None) -> str:
    if value is None:
        return ""
    value += 0.0  # no "-0.00" for a score of minus nothing
    return f"{value:.{decimals}f}" if decimals is not None else score_parts.number(value)


def _index(
    board: Scoreboard,
    selection: Selection,
    rows: Mapping[Any, pages.Row],
    team_pages: Mapping[str, str],
    repo: Repo,
    checkins: Mapping[str, Sequence[CheckIn]] | None,
) -> dict[str, Any]:
    krs = [row for row in rows.values() if not row.is_objective]
    stale_days = repo.config.stale_days
    initiatives = [
        Initiative(row, i.title, i.owner, i.status)
        for row in rows.values()
        for i in row.node.model.initiatives
    ]
    order = {"doing": 0, "todo": 1, "done": 2, "dropped": 3}
    initiatives.sort(key=lambda i: order[i.status])
    counts = {word: sum(i.status == word for i in initiatives) for word in order}
    return {
        "page": "index.html",
        "title": "Overview",
        "summaries": pages.summaries(board, selection),
        "off_track": pages.by_status(krs, "off_track"),
        "at_risk": pages.by_status(krs, "at_risk"),
        "stale": None if checkins is None else pages.stale(krs, board.today, repo.config.stale),
        "stale_days": stale_days,
        "tree": [rows[o] for o in selection.roots()],
        "teams": [_team_summary(team, href, selection, rows) for team, href in team_pages.items()],
        "initiatives": initiatives,
        "initiative_counts": [(word, n) for word, n in counts.items() if n],
    }


def _team_summary(
    team: str, href: str, selection: Selection, rows: Mapping[Any, pages.Row]
) -> Team:
    objectives = [o for o in selection.objectives if o.team == team]
    krs = [rows[kr] for o in objectives for kr in o.key_results]
    counts = [
        (key, *pages.STATUS[key], n)
        for key in ("on_track", "at_risk", "off_track", "achieved", "missed")
        if (n := sum(r.status_key == key for r in krs))
    ]
    return Team(team, href, len(objectives), len(krs), counts)


def _team(
    team: str,
    href: str,
    selection: Selection,
    rows: Mapping[Any, pages.Row],
    hrefs: Mapping[str, str],
) -> dict[str, Any]:
    objectives = [o for o in selection.objectives if o.team == team]
    groups: dict[str, list[pages.Row]] = {}
    for objective in objectives:
        assert objective.cycle is not None
        groups.setdefault(objective.cycle.name, []).append(rows[objective])
    parents = {o.id: hrefs[o.parent.id] for o in objectives if o.parent and o.parent.id in hrefs}
    return {
        "page": href,
        "title": team,
        "team": team,
        "objectives": objectives,
        "cycles": list(groups),
        "groups": list(groups.items()),
        "parents": parents,
        "has_history": any(r.checkins for r in rows.values()),
    }


def _review(result: Review, hrefs: Mapping[str, str]) -> dict[str, Any]:
    return {
        "page": f"review-{pages.slug(result.cycle.name)}.html",
        "title": f"Review {result.cycle.name}",
        "review": result,
        "span": review_parts.span(result),
        "sections": list(review_parts.sections(result)),
        "remarks": list(review_parts.remarks(result)),
        "hrefs": hrefs,
        "verdicts": VERDICTS,
    }


def _write(out: Path, name: str, env: Any, template: str, **context: Any) -> Path:
    """Render one page and put it in place atomically (temp file + os.replace)."""
    text = env.get_template(template).render(**context)
    tmp = None
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=out)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)  # a web page, not a secret: mkstemp's 0600 would stop a server
        os.replace(tmp, out / name)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise OkrError(f"cannot write the report to {out}: {exc.strerror or exc}") from None
    return out / name
