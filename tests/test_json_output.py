"""`--format json` is one compact line for programs, and indented for a person at a terminal."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLE, Okr


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--format", "json"),
        ("score", "--cycle", "all", "--format", "json"),
        ("review", "2026-Q3", "--format", "json"),
    ],
)
def test_piped_json_is_one_line(args: tuple[str, ...], okr: Okr) -> None:
    result = okr(*args, "--root", EXAMPLE)
    assert result.out.count("\n") == 1
    assert json.loads(result.out)["version"] == 1


def test_json_at_a_terminal_is_indented() -> None:
    leader, follower = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1"}
    args = ["check", "--format", "json", "--root", str(EXAMPLE)]
    with subprocess.Popen(
        [sys.executable, "-m", "okrcli", *args], stdout=follower, stderr=follower, env=env
    ) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the command is done
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait()
    os.close(leader)
    text = b"".join(chunks).decode().replace("\r\n", "\n")
    assert text.startswith('{\n  "version": 1,')
    assert json.loads(text)["findings"] == []


def test_streamed_score_json_is_the_whole_document(okr: Okr) -> None:
    from okrcli.config import load_config
    from okrcli.render.score_json import document
    from okrcli.repo import load_repo
    from okrcli.score import score_repo, select

    streamed = json.loads(okr("score", "--cycle", "all", "--format", "json", "--root", EXAMPLE).out)
    repo = load_repo(load_config(EXAMPLE))
    selection = select(repo.graph, repo.today, "all", None)
    whole = json.loads(json.dumps(document(score_repo(repo), selection, repo)))
    assert streamed == whole
    assert len(streamed["objectives"]) == 52
