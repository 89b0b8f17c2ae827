"""`okr report` (a static HTML site) and `okr review` (the end-of-cycle review)."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from okrcli.cli import app
from okrcli.cli.options import At, NoCache, Owners, Root, Teams, complete_cycle, focus_of

if TYPE_CHECKING:
    from okrcli.repo import Repo
    from okrcli.review import Timeline


class ReviewFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command()
def review(
    cycle: Annotated[
        str | None,
        typer.Argument(
            metavar="[CYCLE]",
            help="The cycle to review (default: the one `okr score` shows).",
            autocompletion=complete_cycle,
        ),
    ] = None,
    team: Teams = None,
    owner: Owners = None,
    at: At = None,
    output: Annotated[
        ReviewFormat, typer.Option("--format", help="Output format.")
    ] = ReviewFormat.text,
    root: Root = None,
    no_cache: NoCache = False,
) -> None:
    """End-of-cycle review: final scores, misses, sandbagging, moved targets, learnings."""
    from okrcli.errors import OkrError
    from okrcli.review import review as build
    from okrcli.score import score_repo, select

    if cycle == "all":
        raise OkrError("okr review grades one cycle at a time: name it, e.g. `okr review 2026-Q3`")
    missing = "no sandbagging, moved targets or silent key results"
    repo, history = _load(root, at, not no_cache, missing)
    selection = select(repo.graph, repo.today, cycle, focus_of(repo, team, owner))
    board = score_repo(repo)
    result = build(board, selection.objectives, selection.cycles[0], history)
    if output is ReviewFormat.json:
        from okrcli.render import review_json

        typer.echo(review_json.render(result))
    elif output is ReviewFormat.markdown:
        from okrcli.render import review_markdown

        typer.echo(review_markdown.render(result), nl=False)
    else:
        from okrcli.render import review_text

        review_text.render(result)


@app.command()
def report(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Folder to write the site into [default: okr-report].", file_okay=False
        ),
    ] = None,
    cycle: Annotated[
        str | None,
        typer.Option(
            "--cycle",
            metavar="CYCLE|all",
            help="A cycle (with the cycles holding it), or `all` (default: as `okr score`).",
            autocompletion=complete_cycle,
        ),
    ] = None,
    team: Teams = None,
    owner: Owners = None,
    at: At = None,
    root: Root = None,
    no_cache: NoCache = False,
) -> None:
    """A static HTML report: summary, alignment tree, team pages, charts, reviews."""
    from okrcli.render.console import console
    from okrcli.render.progress import progress
    from okrcli.report.site import build_site
    from okrcli.score import score_repo, select

    if out is None:  # the default folder may be a committed symlink; a folder named is not
        from okrcli.confine import confined

        out = confined(Path.cwd(), Path("okr-report"))
    repo, timeline = _load(root, at, not no_cache, "no charts over time")
    selection = select(repo.graph, repo.today, cycle, focus_of(repo, team, owner), enclosing=True)
    board = score_repo(repo)
    with progress("Writing the report", "pages") as update:
        written = build_site(repo, board, selection, out, timeline, update)
    console(sys.stderr).print(f"Wrote {len(written)} pages to {out / 'index.html'}")


def _load(
    root: Path | None, at: str | None, cache: bool, without: str
) -> tuple[Repo, Timeline | None]:
    """The files and their check-ins from git history (None, with the reason and what is
    `without` it on stderr, when there is none). At HEAD the history is read first: its
    parse of each file's newest version is the loader's too."""
    from okrcli.config import load_config
    from okrcli.errors import OkrError
    from okrcli.history import History, read_history
    from okrcli.messages import printable
    from okrcli.repo import load_repo
    from okrcli.review import timeline

    config = load_config(root)

    def history(rev: str) -> History | None:
        try:
            return read_history(config.root, config.paths, rev=rev, cache=cache)
        except OkrError as why:
            sys.stderr.write(
                f"okr: note: no check-in history, so {without}: {printable(str(why))}\n"
            )
            return None

    if at is None:
        read = history("HEAD")
        repo = load_repo(config, cache=cache)
    else:
        repo = load_repo(config, at=at, cache=cache)
        read = history(repo.revision or "HEAD")
    return repo, None if read is None else timeline(read, repo.graph, repo.config)
