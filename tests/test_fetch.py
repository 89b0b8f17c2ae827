"""Running sources: real processes, a real local HTTP server, real files; every run bounded."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pytest

from okrcli.errors import OkrError
from okrcli.fetch import Call, run_all, value_of
from okrcli.sources import Source
from tests.conftest import write
from tests.localhttp import serving

PY = sys.executable


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, bytes]]] = {}
    seen: ClassVar[list[tuple[str, str | None]]] = []

    def do_GET(self) -> None:
        self.seen.append((self.path, self.headers.get("Authorization")))
        if self.path == "/slow":
            time.sleep(3)
        status, body = self.routes.get(self.path, (404, b"no such page"))
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.seen = []
    with serving(_Handler) as url:
        yield url


def _one(source: Source, root: Path, **args: str) -> str:
    call = Call(source, tuple(sorted(args.items())))
    answer = run_all([call], root)[call]
    if answer.error is not None:
        raise OkrError(answer.error)
    assert answer.text is not None
    return answer.text


def _script(tmp_path: Path, body: str) -> tuple[str, ...]:
    path = write(tmp_path / "source.py", body)
    return (PY, str(path))


def test_a_command_source_runs_without_a_shell(tmp_path: Path) -> None:
    command = _script(tmp_path, "import sys, os\nprint(len(sys.argv[1]), os.getcwd())\n")
    text = _one(Source("n", command=(*command, "{team}; echo owned")), tmp_path, team="a")
    assert text.split() == [str(len("a; echo owned")), str(tmp_path)]


def test_a_url_source_with_a_pointer_and_a_header_from_the_environment(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _Handler.routes = {"/metrics/growth%2Fweb": (200, b'{"data": [{"value": 97.5}]}')}
    monkeypatch.setenv("METRICS_TOKEN", "Bearer abc")
    source = Source(
        "m",
        url=server + "/metrics/{team}",
        pointer="/data/0/value",
        headers=(("Authorization", "METRICS_TOKEN"),),
    )
    text = _one(source, tmp_path, team="growth/web")
    assert value_of(text, source.pointer, "metric") == 97.5
    assert _Handler.seen == [("/metrics/growth%2Fweb", "Bearer abc")]


def test_a_url_source_failing(server: str, tmp_path: Path) -> None:
    _Handler.routes = {}
    with pytest.raises(OkrError, match=r"^source `m`: .*/gone answered HTTP 404 Not Found$"):
        _one(Source("m", url=server + "/gone"), tmp_path)
    with pytest.raises(OkrError, match=r"environment variable NO_SUCH_TOKEN_17 .* is not set"):
        _one(Source("m", url=server + "/", headers=(("X-Key", "NO_SUCH_TOKEN_17"),)), tmp_path)


def test_a_url_source_past_its_timeout(server: str, tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(OkrError, match=r"^source `m`: .*/slow did not answer within 0.5 seconds$"):
        _one(Source("m", url=server + "/slow", timeout=0.5), tmp_path)
    assert time.monotonic() - started < 2.5


def test_a_csv_file_source(tmp_path: Path) -> None:
    write(tmp_path / "metrics/weekly.csv", "\ufeffweek;nps;churn\n1;31;2,5\n2;35;2,1\n;;\n\n")
    last = Source("f", file="metrics/weekly.csv", column="nps")
    assert _one(last, tmp_path) == "35"
    first = Source("f", file="metrics/{name}.csv", column="churn", row=1)
    assert value_of(_one(first, tmp_path, name="weekly"), None, "metric") == 2.5
    with pytest.raises(OkrError, match=r"has no column `NPS`"):
        _one(Source("f", file="metrics/weekly.csv", column="NPS"), tmp_path)
    with pytest.raises(OkrError, match=r"has no data row 3 \(2 rows\)"):
        _one(Source("f", file="metrics/weekly.csv", column="nps", row=3), tmp_path)
    write(tmp_path / "one.csv", "signups\n1400\n1510\n")  # one column: no separator at all
    assert _one(Source("f", file="one.csv", column="signups", row=-2), tmp_path) == "1400"


def test_a_json_file_source(tmp_path: Path) -> None:
    write(tmp_path / "m.json", '{"a/b": {"done": true}, "n": [1, 2]}')
    assert value_of(_one(Source("f", file="m.json"), tmp_path), "/a~1b/done", "milestone") is True
    with pytest.raises(OkrError, match="JSON pointer /n/2: no item 2"):
        value_of(_one(Source("f", file="m.json"), tmp_path), "/n/2", "metric")


def test_a_file_source_stays_in_the_repository(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write(tmp_path / "secret.txt", "42")
    write(root / "x.txt", "1")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    for rel in ("../secret.txt", "link.txt"):
        with pytest.raises(OkrError, match="is outside the repository; not read"):
            _one(Source("f", file=rel), root)


@pytest.mark.parametrize(
    ("printed", "message"),
    [
        ("nan", "source `s`: returned `nan`, which is not a finite number"),
        ("1e999", "source `s`: returned `1e999`, which is not a finite number"),
        ("ok", "source `s`: returned `ok`, which is not a finite number"),
        ("", "source `s`: returned nothing, which is not a finite number"),
        ("true", "source `s`: returned `true`, but a metric needs a number"),
    ],
)
def test_values_that_are_not_finite_numbers_are_refused(
    tmp_path: Path, printed: str, message: str
) -> None:
    source = Source("s", command=_script(tmp_path, f"print({printed!r})\n"))
    text = _one(source, tmp_path)
    with pytest.raises(OkrError) as refused:
        value_of(text, None, "metric")
    assert f"source `s`: {refused.value}" == message


def test_a_milestone_takes_true_or_false_only() -> None:
    assert value_of("false\n", None, "milestone") is False
    with pytest.raises(OkrError, match="returned `1`, but a milestone needs true or false"):
        value_of("1", None, "milestone")


def test_ten_megabytes_of_output_are_refused(tmp_path: Path) -> None:
    command = _script(tmp_path, "import sys\nsys.stdout.write('9' * 10_000_000)\n")
    started = time.monotonic()
    with pytest.raises(OkrError) as refused:
        _one(Source("big", command=command), tmp_path)
    assert str(refused.value) == "source `big`: printed more than 1 MB; refused"
    assert time.monotonic() - started < 10


def test_a_hanging_source_is_stopped_with_its_children(tmp_path: Path) -> None:
    """The child it started dies too: nothing is left holding the pipe open."""
    command = _script(
        tmp_path,
        "import subprocess, sys, time\n"
        f"subprocess.Popen([{PY!r}, '-c', 'import time; time.sleep(60)'])\n"
        "time.sleep(60)\n",
    )
    started = time.monotonic()
    with pytest.raises(OkrError) as refused:
        _one(Source("slow", command=command, timeout=1), tmp_path)
    assert str(refused.value) == "source `slow`: still running after 1 second; stopped"
    assert time.monotonic() - started < 5


def test_a_failing_command_is_named_with_its_first_line_of_stderr(tmp_path: Path) -> None:
    command = _script(tmp_path, "import sys\nsys.exit('token expired\\nmore detail')\n")
    with pytest.raises(OkrError) as refused:
        _one(Source("api", command=command), tmp_path)
    assert str(refused.value) == "source `api`: exited with status 1: token expired"
    with pytest.raises(OkrError, match=r"^source `x`: cannot run `\./nope\.sh`: No such file"):
        _one(Source("x", command=("./nope.sh",)), tmp_path)


def test_each_distinct_call_runs_once_and_all_run_together(tmp_path: Path) -> None:
    log = tmp_path / "runs.log"
    command = _script(
        tmp_path,
        f"import sys, time\nopen({str(log)!r}, 'a').write(sys.argv[1] + '\\n')\n"
        "time.sleep(1)\nprint(len(sys.argv[1]))\n",
    )
    source = Source("s", command=(*command, "{team}"))
    calls = [Call(source, (("team", t),)) for t in ("a", "bb", "a", "ccc", "dddd")]
    started = time.monotonic()
    answers = run_all(calls, tmp_path)
    assert time.monotonic() - started < 3  # four one-second runs, in parallel
    assert sorted(log.read_text().split()) == ["a", "bb", "ccc", "dddd"]
    assert [answers[c].text for c in calls] == ["1\n", "2\n", "1\n", "3\n", "4\n"]


def test_a_child_left_running_does_not_hold_the_answer(tmp_path: Path) -> None:
    """The source printed its number and exited; the child it left behind (with the same
    stdout) is stopped rather than waited for."""
    command = _script(
        tmp_path,
        "import subprocess, sys\n"
        f"subprocess.Popen([{PY!r}, '-c', 'import time; time.sleep(30)'])\n"
        "print(5)\n",
    )
    started = time.monotonic()
    assert _one(Source("bg", command=command, timeout=20), tmp_path) == "5\n"
    assert time.monotonic() - started < 1.5  # not the readers' 1 s wait for each pipe
