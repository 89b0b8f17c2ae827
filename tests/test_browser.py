"""The report in a real browser: headless Chromium opens it from file://, offline.

Driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`): JSON messages
separated by NUL bytes on file descriptors 3 and 4, so no extra package is needed.
Set OKR_SCREENSHOTS=DIR to keep the screenshots for a person to look at.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_report import _okr_report, acme_history  # noqa: F401  (a module fixture)

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 60  # seconds; a guard against a hung browser, not a speed assertion


def _browser() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


class Browser:
    """One headless Chromium; `open` loads a page and records what it asked for and said."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_browser, self._write = os.pipe()
        self._read, from_browser = os.pipe()
        # Chromium reads commands on fd 3 and writes answers on fd 4.
        self.process = subprocess.Popen(
            [
                binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-extensions", "--disable-background-networking", "--hide-scrollbars",
                "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank",
            ],
            pass_fds=(3, 4),
            preexec_fn=lambda: (os.dup2(to_browser, 3), os.dup2(from_browser, 4)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        attached = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})
        self.session = attached["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=True)

    def _receive(self) -> dict[str, Any]:
        import select

        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._read], [], [], TIMEOUT)
            chunk = os.read(self._read, 1 << 16) if ready else b""
            if not chunk:
                raise RuntimeError("chromium stopped answering")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        found: dict[str, Any] = json.loads(message)
        return found

    def call(self, method: str, params: dict[str, Any] | None = None, session: bool = False) -> Any:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._receive()
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def open(self, url: str, width: int, height: int = 900, mobile: bool = False) -> None:
        self.events.clear()
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}
        self.call("Emulation.setDeviceMetricsOverride", metrics, session=True)
        self.call("Page.navigate", {"url": url}, session=True)
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self.events.append(self._receive())

    def screenshot(self, path: Path) -> None:
        shot = self.call(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": True},
            session=True,
        )
        path.write_bytes(base64.b64decode(shot["data"]))

    def evaluate(self, expression: str) -> Any:
        found = self.call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True
        )
        return found["result"].get("value")

    def requests(self) -> list[str]:
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]

    def complaints(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions, and the browser's own errors."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params["type"] in {"error", "warning"}:
                found.append(" ".join(str(a.get("value")) for a in params["args"]))
            elif method == "Runtime.exceptionThrown":
                found.append(params["exceptionDetails"]["text"])
            elif method == "Log.entryAdded" and params["entry"]["level"] in {"error", "warning"}:
                found.append(params["entry"]["text"])
        return found

    def close(self) -> None:
        with contextlib.suppress(RuntimeError):
            self.call("Browser.close")
        try:
            self.process.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._read)
        os.close(self._write)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    binary = _browser()
    if binary is None:
        pytest.skip("no Chromium found (tried: " + ", ".join(BROWSERS) + "); .ci/run installs it")
    started = Browser(binary, tmp_path_factory.mktemp("profile"))
    yield started
    started.close()


@pytest.fixture(scope="module")
def site(acme_history: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    out = tmp_path_factory.mktemp("site")
    _okr_report(acme_history, out)
    return out


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("OKR_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("page", ["index.html", "team-platform.html", "review-2026-q4.html"])
@pytest.mark.parametrize(("width", "mobile"), [(1280, False), (390, True)])
def test_pages_open_offline_without_errors(
    browser: Browser, site: Path, tmp_path: Path, page: str, width: int, mobile: bool
) -> None:
    url = (site / page).as_uri()
    browser.open(url, width, mobile=mobile)

    assert browser.complaints() == []
    assert browser.requests() == [url]
    # Nothing is wider than the screen: a phone never scrolls sideways.
    assert browser.evaluate("document.documentElement.scrollWidth") <= width
    shot = _shots(tmp_path) / f"{Path(page).stem}-{width}.png"
    browser.screenshot(shot)
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000


def test_the_tree_folds_and_charts_have_a_text_alternative(browser: Browser, site: Path) -> None:
    browser.open((site / "index.html").as_uri(), 1280)
    shown = "document.querySelector('.tree details').querySelector('ul').checkVisibility()"
    assert browser.evaluate(shown) is True
    browser.evaluate("document.querySelector('.tree summary').click()")
    assert browser.evaluate(shown) is False

    browser.open((site / "team-platform.html").as_uri(), 1280)
    unlabelled = """[...document.querySelectorAll('svg.chart')].filter(svg => {
        const ids = (svg.getAttribute('aria-labelledby') || '').split(' ');
        return svg.getAttribute('role') !== 'img' || ids.length !== 2
            || ids.some(id => !document.getElementById(id)?.textContent.trim());
    }).length"""
    assert browser.evaluate("document.querySelectorAll('svg.chart').length") > 5
    assert browser.evaluate(unlabelled) == 0
