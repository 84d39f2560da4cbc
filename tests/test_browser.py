"""Browser smoke test: the real app in headless Chromium, each page by its URL.

Starts `streamlit run dashboard.py` on 127.0.0.1 and a free port, on the demo warehouse; opens each
page; checks that a chart was drawn and no Streamlit exception box appeared; saves a screenshot to
tests/artifacts/ (git-ignored) for a person to look at. Skipped outside CI when Chromium or
Playwright is missing; under CI=true it must run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
# How long to wait for something to appear before failing: only a page that never draws reaches it,
# but a first page on a shared 2-core machine under heavy load can take over a minute.
WAIT_MS = 180_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# (URL path and query, screenshot name, what must be drawn)
PAGES = [
    ("by_sector", "by_sector", ".js-plotly-plot"),
    ("by_mission?measure=attainment&metric=firms_supported&focus=FR-PAR", "by_mission", ".js-plotly-plot"),
    ("by_year", "by_year", ".js-plotly-plot"),
    ("by_agency", "by_agency", ".js-plotly-plot"),
    ("submissions", "submissions", ".js-plotly-plot"),
    ("by_sector?lang=en&sector=kbeauty&sector=bio&q=1-2", "by_sector_en_filtered", ".js-plotly-plot"),
    ("by_mission?lang=en", "by_mission_en", ".js-plotly-plot"),
    # the other pages of the app: they must open without an exception; charts where they have one
    ("", "summary", ".js-plotly-plot"),
    ("emergency", "emergency", None),
    ("upload", "upload", None),
    ("history", "history", None),
    ("targets", "targets", None),
    ("reference", "reference", None),
]


def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    return sync_playwright


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(demo_db):
    if os.environ.get("CI") != "true" and (not CHROMIUM.exists() or _playwright() is None):
        pytest.skip("needs /usr/bin/chromium and playwright (required under CI=true)")
    port = _free_port()
    env = {**os.environ, "DASHBOARD_DB": str(demo_db), "DASHBOARD_ROLE": "admin"}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / "streamlit.log", "w")  # noqa: SIM115  (closed after the server stops)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboard.py",
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
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # a generous bound: starting takes seconds on a busy machine
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("streamlit did not start")
        time.sleep(0.3)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def browser_page(server):
    sync_playwright = _playwright()
    assert sync_playwright is not None, "pip install playwright (requirements-dev.txt)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        # Streamlit scrolls inside its own container, so full_page screenshots stop at the viewport.
        page = browser.new_page(viewport={"width": 1600, "height": 2400})
        page.set_default_timeout(WAIT_MS)
        page.set_default_navigation_timeout(WAIT_MS)
        yield page
        browser.close()


# Every chart drawn (the plotly component loads lazily, seconds after the script has finished) and
# every web font loaded: after this the layout no longer changes, however slow the machine.
_DRAWN = """() => document.fonts.status === 'loaded'
    && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => c.querySelector('.main-svg'))"""


def _wait_until_drawn(page) -> None:
    """Streamlit's run finished, then every chart drawn and the fonts loaded."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=WAIT_MS)
    page.wait_for_function(_DRAWN, timeout=WAIT_MS)


def _wait_for(page, selector: str) -> None:
    """Wait until something matches `selector` (failing after WAIT_MS)."""
    page.locator(selector).first.wait_for(state="attached", timeout=WAIT_MS)


@pytest.mark.parametrize(("path", "name", "drawn"), PAGES, ids=[p[1] for p in PAGES])
def test_page_draws_a_chart_without_error(server, browser_page, path, name, drawn):
    page = browser_page
    page.goto(f"{server}/{path}")
    page.wait_for_selector(drawn or '[data-testid="stMainBlockContainer"] h1', timeout=WAIT_MS)
    _wait_until_drawn(page)
    if drawn is not None:
        # a chart with something in it: bars, lines, markers or heatmap cells, not an empty axis
        _wait_for(page, ".js-plotly-plot g.trace, .js-plotly-plot .heatmaplayer image")
        if name.startswith("by_mission"):
            # the world basemap is served by the app itself (static/topojson), not fetched from a CDN
            _wait_for(page, ".js-plotly-plot .geo .layer.land path")
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    assert page.locator('[data-testid="stException"]').count() == 0
    if drawn is not None:
        assert page.locator(".js-plotly-plot").count() >= 1


def _overflowing_tables(page) -> list[int]:
    """Indexes of the page's st.dataframe tables wider than their frame (a horizontal scrollbar)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].flatMap((frame, i) => {
            const scroller = frame.querySelector('.dvn-scroller');
            return scroller && scroller.scrollWidth > scroller.clientWidth + 1 ? [i] : [];
        })"""
    )


def _cut_tile_texts(page) -> list[str]:
    """The headline tiles' label, value and year-on-year texts cut short (an ellipsis or cropped)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stMetric"]')].flatMap(tile =>
            [...tile.querySelectorAll(
                '[data-testid="stMetricLabel"] *, [data-testid="stMetricValue"] *, [data-testid="stMetricDelta"] *'
            )].filter(e => !(e instanceof SVGElement))
              .filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
              .map(e => tile.innerText.split('\\n')[0] + ': ' + e.innerText))"""
    )


@pytest.mark.parametrize("width", [1280, 1600, 1920])
def test_summary_tables_fit_their_columns(server, browser_page, width):
    """요약 is printed and read by executives: no table there needs a horizontal scrollbar, and the
    six headline tiles show their labels, values and year-on-year lines whole, in either language.
    """
    page = browser_page
    page.set_viewport_size({"width": width, "height": 1600})
    try:
        for query in ("", "?lang=en"):
            page.goto(f"{server}/{query}")
            page.wait_for_selector('[data-testid="stDataFrame"] .dvn-scroller', timeout=WAIT_MS)
            _wait_until_drawn(page)
            assert page.locator('[data-testid="stDataFrame"]').count() == 3
            assert _overflowing_tables(page) == [], (query, width)
            assert page.locator('[data-testid="stMetric"]').count() == 6
            assert _cut_tile_texts(page) == [], (query, width)
    finally:
        page.set_viewport_size({"width": 1600, "height": 2400})
