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

import pytest

ROOT = Path(__file__).resolve().parents[2]
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
# Streamlit loads the code of most elements lazily, showing a grey skeleton until it arrives (a chart
# is not even in the page yet then), and a plotly chart is drawn once its .main-svg exists.
CHARTS_DRAWN = """() => document.querySelector('[data-testid="stSkeleton"]') === null
    && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => c.querySelector('.main-svg'))"""


def playwright_available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return CHROMIUM.exists()


def _missing(what: str) -> None:
    """Skip a test whose tool is missing on a contributor's machine; under CI=true it must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is required under CI=true")
    pytest.skip(f"needs {what}")


def needs_chromium() -> str:
    """The Chromium the app exports with (PDF, PNG, the pack's charts)."""
    from ui.export import chromium_path

    path = chromium_path()
    if path is None:
        _missing("Chromium")
    return path


def needs_playwright() -> None:
    """Playwright driving /usr/bin/chromium, for the tests that load the running app."""
    if not playwright_available():
        _missing("/usr/bin/chromium and playwright")


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
    """Wait until the page's script has run to the end and every element on it, charts too, is drawn."""
    page.wait_for_selector('[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] > *')
    page.wait_for_selector(SCRIPT_DONE, timeout=timeout_ms)
    page.wait_for_function(CHARTS_DRAWN, timeout=timeout_ms)
    laid_out(page, timeout_ms)


# True once the main area's layout has stopped moving: every plotly chart drawn at its container's
# width, and the boxes of its tables, charts, tiles and text blocks the same on three polls in a row.
# Tables and charts measure themselves again after a resize or an expander opens; this is the
# condition to wait for, however slow the machine, instead of a fixed pause.
_LAID_OUT = """() => {
    const plots = [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')];
    const fitted = plots.every(p => {
        const svg = p.querySelector('.main-svg');
        return svg && Math.abs(Number(svg.getAttribute('width')) - p.clientWidth) <= 2;
    });
    const boxes = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"], '
        + '[data-testid="stMain"] .js-plotly-plot, [data-testid="stMain"] [data-testid="stMetric"], '
        + '[data-testid="stMain"] [data-testid="stExpander"], [data-testid="stMain"] table')]
        .map(e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.width, b.height].map(Math.round); });
    const signature = JSON.stringify([window.innerWidth, window.innerHeight, boxes]);
    if (!fitted || signature !== window.__layoutSignature) {
        window.__layoutSignature = signature;
        window.__layoutSteady = 0;
        return false;
    }
    window.__layoutSteady += 1;
    return window.__layoutSteady >= 3;
}"""


def laid_out(page, timeout_ms: int = 90_000) -> None:
    """Wait until the main area's layout has stopped moving (see _LAID_OUT)."""
    page.evaluate("() => { window.__layoutSignature = null; window.__layoutSteady = 0; }")
    page.wait_for_function(_LAID_OUT, polling=150, timeout=timeout_ms)


def resize(page, width: int, height: int, timeout_ms: int = 90_000) -> None:
    """Set the window's size and wait until the page has laid itself out again."""
    page.set_viewport_size({"width": width, "height": height})
    laid_out(page, timeout_ms)


# Click every closed expander of the main area open; how many were closed. An expander's content is
# laid out only once it is open, so what is folded is measured only after this.
OPEN_EXPANDERS = """() => {
    const closed = [...document.querySelectorAll(
        '[data-testid="stMain"] [data-testid="stExpander"] details:not([open]) > summary')];
    closed.forEach(summary => summary.click());
    return closed.length;
}"""


def open_expanders(page) -> int:
    """Open every expander of the main area (those revealed by opening one too); how many were opened."""
    opened = 0
    for _ in range(5):
        clicked = page.evaluate(OPEN_EXPANDERS)
        if not clicked:
            break
        opened += clicked
        settled(page)  # the folded tables and charts lay themselves out
    return opened


# --- what "cut" means, measured in the page -------------------------------------------------------

# st.dataframe tables wider than their frame (a horizontal scrollbar), by index on the page.
OVERFLOWING_TABLES = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].flatMap((frame, i) => {
    const scroller = frame.querySelector('.dvn-scroller');
    return scroller && scroller.scrollWidth > scroller.clientWidth + 1 ? [i] : [];
})"""

# ui.text_table tables (HTML) wider than the page's column, or with a cell whose text runs past it.
OVERFLOWING_TEXT_TABLES = """() => [...document.querySelectorAll('[data-testid="stMain"] table.text-table')].flatMap((table, i) => {
    const room = table.closest('[data-testid="stElementContainer"]') || table.parentElement;
    const wide = table.getBoundingClientRect().right > room.getBoundingClientRect().right + 1;
    const cut = [...table.querySelectorAll('th, td')].some(c => c.scrollWidth > c.clientWidth + 1);
    return wide || cut ? [i] : [];
})"""

# Text shown with an ellipsis: an element whose one line of text is wider than its box. scrollWidth
# cannot tell (Chrome reports the box's own width for Streamlit's .stMarkdownEllipsis, whose text
# sits in an inline <p>), and a label may be cut by a fraction of a pixel ("정정된 실적(본 분…" at
# 119.4 px in a 119.2 px box): the text is measured on its own, in its font, at full precision.
_ELLIPSIS_CUT = """(scope) => [...document.querySelectorAll(scope)].flatMap(root => [root, ...root.querySelectorAll('*')])
    .filter(e => getComputedStyle(e).textOverflow === 'ellipsis' && getComputedStyle(e).overflowX !== 'visible')
    .filter(e => e.getBoundingClientRect().width > 0 && getComputedStyle(e).visibility === 'visible')
    .filter(e => {
        const text = e.innerText.trim();
        if (!text || text.includes('\\n')) return false;
        const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
        let node = walker.nextNode();
        while (node && !node.textContent.trim()) node = walker.nextNode();
        const font = getComputedStyle(node ? node.parentElement : e);
        const probe = document.createElement('span');
        probe.style.cssText = 'position:fixed;left:0;top:0;visibility:hidden;white-space:pre;'
            + `font:${font.font};letter-spacing:${font.letterSpacing};text-transform:${font.textTransform}`;
        probe.textContent = text;
        document.body.appendChild(probe);
        const natural = probe.getBoundingClientRect().width;
        probe.remove();
        const box = getComputedStyle(e), rect = e.getBoundingClientRect();
        const room = rect.width - parseFloat(box.paddingLeft) - parseFloat(box.paddingRight)
            - parseFloat(box.borderLeftWidth) - parseFloat(box.borderRightWidth);
        return natural > room + 0.05;
    })
    .map(e => e.innerText.trim().slice(0, 60))"""

# st.metric labels, values and deltas cut short (an ellipsis or cropped).
CUT_METRIC_TEXTS = f"""() => [...document.querySelectorAll('[data-testid="stMetric"]')].flatMap(tile =>
    [...tile.querySelectorAll(
        '[data-testid="stMetricLabel"] *, [data-testid="stMetricValue"] *, [data-testid="stMetricDelta"] *'
    )].filter(e => !(e instanceof SVGElement))
      .filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
      .map(e => tile.innerText.split('\\n')[0] + ': ' + e.innerText))
    .concat(({_ELLIPSIS_CUT})('[data-testid="stMetric"]'))"""

# Axis labels of one plotly axis drawn on top of each other ("2024년 1분기2024년 2분기").
OVERLAPPING_TICKS = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap((plot, p) =>
    [...plot.querySelectorAll('g.xaxislayer-above, g.yaxislayer-above')].flatMap(axis => {
        const boxes = [...axis.querySelectorAll('g.xtick text, g.ytick text')]
            .map(t => [t.textContent, t.getBoundingClientRect()])
            .filter(([, b]) => b.width > 0);
        const out = [];
        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
            const [ta, a] = boxes[i], [tb, b] = boxes[j];
            const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (dx > 1 && dy > 1) out.push(`chart ${p}: ${ta} / ${tb}`);
        }
        return out;
    }))"""

# Text elements of the main area (button labels too) cut with an ellipsis or cropped by their own box.
CUT_TEXTS = (
    """() => [...document.querySelectorAll(
        '[data-testid="stMain"] [data-testid="stMarkdownContainer"] p, '
        + '[data-testid="stMain"] [data-testid="stCaptionContainer"], '
        + '[data-testid="stMain"] [data-testid="stWidgetLabel"] p, '
        + '[data-testid="stMain"] button [data-testid="stMarkdownContainer"], '
        + '[data-testid="stMain"] [data-testid="stMetricValue"] *')]
    .filter(e => getComputedStyle(e).textOverflow === 'ellipsis' || getComputedStyle(e).overflow === 'hidden')
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => e.innerText.slice(0, 60))
    .concat(("""
    + _ELLIPSIS_CUT
    + """)('[data-testid="stMain"]'))"""
)


def _measure_cut(page) -> dict[str, list]:
    return {
        "tables": page.evaluate(OVERFLOWING_TABLES),
        "text_tables": page.evaluate(OVERFLOWING_TEXT_TABLES),
        "metrics": page.evaluate(CUT_METRIC_TEXTS),
        "ticks": page.evaluate(OVERLAPPING_TICKS),
        "texts": page.evaluate(CUT_TEXTS),
    }


def cut_things(page) -> dict[str, list]:
    """Everything on the page drawn cut short or on top of each other; empty lists when none is.

    A page caught mid-rerun (its style block replaced, a table measuring itself) can look cut for a
    moment on a loaded machine; what counts is what stays cut once the page has settled again, so a
    first finding is measured a second time and only what is found both times is reported.
    """
    first = _measure_cut(page)
    if not any(first.values()):
        return first
    settled(page)
    second = _measure_cut(page)
    return {kind: [x for x in second[kind] if x in first[kind]] for kind in first}
