"""A visitor's wait: each page in a fresh headless Chromium session, until it is finished and drawn.

Run: .venv/bin/python -m benchmarks.bench_browser [--repeat N] [--demo-db PATH] [--pages by_sector,...]

For every page: open it in a new browser context (no cache, no session: a first visit) and time from
the request until the script has finished and `.main-svg` is inside every
`[data-testid=stPlotlyChart]` (Streamlit's plotly component loads lazily, 2–3 s after the script on
this machine). The baseline, timed the same way in the same run and alternately with the pages, is a
bare Streamlit page with one plotly chart on its own server: the floor any page of ours stands on.
Target (issue 15): every page ≤ 1.3× the baseline (median of `repeat` visits each).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from tests.support.browser import CHARTS_DRAWN, SCRIPT_DONE, chromium, playwright_available, serve

TARGET_RATIO = 1.3
PAGES = ("", "by_sector", "by_mission", "by_year", "by_agency", "emergency", "submissions")
_BASELINE_PAGE = """import plotly.graph_objects as go
import streamlit as st

st.title("baseline")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2])))
"""
_DONE = f"""() => document.querySelector('{SCRIPT_DONE}') !== null
    && document.querySelector('[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] > *') !== null
    && document.querySelectorAll('[data-testid="stPlotlyChart"]').length > 0
    && ({CHARTS_DRAWN})()"""


def visit(browser, url: str) -> float:
    """Seconds from asking for `url` in a fresh session until the page is finished and drawn."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_function(_DONE, timeout=180_000, polling=50)
        return time.perf_counter() - start
    finally:
        context.close()


def bench(
    dashboard: str, baseline: str, pages: tuple[str, ...], repeat: int
) -> list[tuple[str, float, float]]:
    """(page, median s, baseline median s) for each page; baseline visits alternate with the page's."""
    out = []
    with chromium() as browser:
        visit(browser, baseline)  # warm both servers (imports, first-run caches) before timing
        for page in pages:
            visit(browser, f"{dashboard}/{page}")
        for page in pages:
            times, base = [], []
            for _ in range(repeat):
                base.append(visit(browser, baseline))
                times.append(visit(browser, f"{dashboard}/{page}"))
            out.append((page or "summary", statistics.median(times), statistics.median(base)))
            print(f"  {out[-1][0]}: {out[-1][1]:.2f} s, baseline {out[-1][2]:.2f} s", flush=True)
    return out


def report(rows: list[tuple[str, float, float]]) -> bool:
    print(f"{'page':14} {'visit s':>8} {'baseline s':>11} {'ratio':>6}  target")
    ok = True
    for page, seconds, base in rows:
        ratio = seconds / base
        passed = ratio <= TARGET_RATIO
        ok &= passed
        print(
            f"{page:14} {seconds:8.2f} {base:11.2f} {ratio:6.2f}  {'ok' if passed else 'SLOW'} (≤ {TARGET_RATIO}×)"
        )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--demo-db", type=Path, help="reuse (or build once) this demo warehouse")
    parser.add_argument("--pages", help="comma-separated URL paths ('' is 요약); default: every results page")
    args = parser.parse_args(argv)
    if not playwright_available():
        print(
            "skipped: needs /usr/bin/chromium and playwright (scripts/system-deps.sh, requirements-dev.txt)"
        )
        return 0
    pages = tuple(args.pages.split(",")) if args.pages is not None else PAGES

    from etl.demo.build import build_demo

    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        demo = args.demo_db or tmp_dir / "demo.duckdb"
        if not demo.exists():
            build_demo(demo, returns_dir=tmp_dir / "returns")
        baseline_script = tmp_dir / "baseline_page.py"
        baseline_script.write_text(_BASELINE_PAGE, encoding="utf-8")
        with (
            serve(demo, role="viewer", log_name="bench_dashboard.log") as dashboard,
            serve(demo, script=baseline_script, log_name="bench_baseline.log") as baseline,
        ):
            rows = bench(dashboard, baseline, pages, args.repeat)
    print(f"\nfresh Chromium session per visit, 1440 × 900, median of {args.repeat}")
    return 0 if report(rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
