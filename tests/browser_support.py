"""A real dashboard server and headless Chromium, for the browser tests and the browser benchmark.

`serve(db, role)` starts `streamlit run dashboard.py` on 127.0.0.1 and a free port and stops it on
exit; `chromium()` opens Debian's Chromium through Playwright. `settled(page)` waits until the
script has finished and every chart is drawn.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCRIPT_DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# Streamlit's plotly component loads lazily: a chart is drawn once its .main-svg exists.
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every(c => c.querySelector('.main-svg'))"""


def playwright_available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return CHROMIUM.exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(
    db: Path, role: str = "admin", script: Path | None = None, log_name: str = "streamlit.log"
) -> Iterator[str]:
    """A Streamlit server for `script` (the dashboard by default) on `db` as `role`; yields its URL."""
    port = free_port()
    env = {**os.environ, "DASHBOARD_DB": str(db), "DASHBOARD_ROLE": role}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    script = script or ROOT / "dashboard.py"
    with open(ARTIFACTS / log_name, "w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(script),
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_healthy(base, proc)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _wait_healthy(base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("streamlit did not start")
        time.sleep(0.3)


@contextlib.contextmanager
def chromium():
    """A headless Chromium browser (Playwright)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def settled(page, timeout_ms: int = 90_000) -> None:
    """Wait until the page's script has run to the end and every plotly chart on it is drawn."""
    page.wait_for_selector('[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] > *')
    page.wait_for_selector(SCRIPT_DONE, timeout=timeout_ms)
    page.wait_for_function(CHARTS_DRAWN, timeout=timeout_ms)
