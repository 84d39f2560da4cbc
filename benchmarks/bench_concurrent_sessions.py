"""Load: 20 browser sessions move across the pages while an analyst commits a 2,000-row return.

Run: .venv/bin/python -m benchmarks.bench_concurrent_sessions [--sessions 20] [--rounds 1]
     [--rows 2000] [--max-seconds 360] [--demo-db PATH]

Serves `streamlit run dashboard.py` on a copy of the demo warehouse (built once if --demo-db does not
exist), and opens `--sessions` headless Chromium sessions (one browser, a context each) that open
every page in turn, each starting at a different page. A few seconds in, `python -m etl load`
commits a back-fill return of `--rows` rows into the same warehouse, so pages read while it writes
and every cache is invalidated midway. A page counts from its URL until the script has finished and
every plotly chart is drawn; an error is a Streamlit exception box, the damaged/locked-warehouse
notice, or a page that does not finish within the timeout. The baseline is one session alone on
the same server just before, so the ratio says what the crowd costs on this machine. Sessions open
no new page after `--max-seconds` (the report counts the page loads done), so a busy machine still
gets an answer in a few minutes.
Target: no error on any page; the commit succeeds. Reported: p50/p95 page time, the server's peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# (URL path, whether the page draws a chart on the demo warehouse)
PAGES = (
    ("", True),
    ("by_sector", True),
    ("by_mission", True),
    ("by_year", True),
    ("by_agency", True),
    ("emergency", False),
    ("submissions", True),
    ("history", False),
)
PAGE_TIMEOUT_MS = 180_000
LOAD_AFTER_S = 5.0  # the commit starts once the sessions are under way
# The notices ui/failure.py shows instead of figures: each counts as an error here.
FAILURE_TEXTS = ("웨어하우스를 읽을 수 없습니다", "웨어하우스가 다른 작업으로 잠겨 있습니다")
# Drawn: the script has finished, the page has its heading, and (on a page with charts) the plotly
# component has mounted and drawn every chart; it mounts a moment after the script ends.
DONE = """(charts) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!document.querySelector('[data-testid="stMainBlockContainer"] h1, [data-testid="stMainBlockContainer"] h3'))
    return false;
  const drawn = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  return !charts || (drawn.length > 0 && drawn.every(c => c.querySelector('.main-svg')));
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_kb(pid: int, field: str) -> int:
    """VmRSS (now) or VmHWM (peak since start) of a process, in kB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def serve(db: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "DASHBOARD_DB": str(db), "DASHBOARD_ROLE": "admin"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return proc, base
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"streamlit did not start (see {log})")
        time.sleep(0.3)


async def open_page(context, base: str, path: str, charts: bool) -> tuple[str, float, str | None]:
    """(page, seconds, error or None): one page opened in its own tab, timed until drawn."""
    page = await context.new_page()
    started = time.perf_counter()
    try:
        await page.goto(f"{base}/{path}", timeout=PAGE_TIMEOUT_MS)
        await page.wait_for_function(DONE, arg=charts, timeout=PAGE_TIMEOUT_MS, polling=100)
        seconds = time.perf_counter() - started
        if await page.locator('[data-testid="stException"]').count():
            return path, seconds, "exception box"
        text = await page.locator('[data-testid="stMain"]').inner_text()
        failure = next((t for t in FAILURE_TEXTS if t in text), None)
        return path, seconds, failure
    except Exception as exc:  # a timeout or a crashed tab is an error of that page
        return path, time.perf_counter() - started, f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    finally:
        await page.close()


async def session(
    browser, base: str, start: int, rounds: int, deadline: float
) -> list[tuple[str, float, str | None]]:
    context = await browser.new_context(viewport={"width": 1600, "height": 1200})
    try:
        order = [PAGES[(start + i) % len(PAGES)] for i in range(len(PAGES) * rounds)]
        done = []
        for path, charts in order:
            if time.monotonic() > deadline:
                break
            done.append(await open_page(context, base, path, charts))
            print(
                f"  session {start:2d}: {path or 'summary':<12} {done[-1][1]:6.1f} s {done[-1][2] or ''}",
                flush=True,
            )
        return done
    finally:
        await context.close()


async def crowd(base: str, sessions: int, rounds: int, on_start, max_seconds: float) -> tuple[list, list]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # the baseline: one session, nobody else, over every page
            alone = await session(browser, base, 0, 1, time.monotonic() + max_seconds)
            deadline = time.monotonic() + max_seconds
            loader = asyncio.get_running_loop().run_in_executor(None, on_start)
            results = await asyncio.gather(
                *(session(browser, base, i, rounds, deadline) for i in range(sessions))
            )
            await loader
        finally:
            await browser.close()
    return alone, [r for rs in results for r in rs]


def commit_later(db: Path, workbook: Path, outcome: dict) -> None:
    """The analyst: `python -m etl load` into the served warehouse, a few seconds into the crowd."""
    time.sleep(LOAD_AFTER_S)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "etl", "load", str(workbook), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    outcome.update(
        seconds=time.perf_counter() - started, code=done.returncode, out=(done.stdout + done.stderr)[-400:]
    )


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(q * len(ordered)), len(ordered) - 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1, help="passes over every page per session")
    parser.add_argument("--rows", type=int, default=2000, help="rows of the return committed meanwhile")
    parser.add_argument("--max-seconds", type=float, default=360, help="no new page after this long")
    parser.add_argument("--demo-db", type=Path, help="the demo warehouse to copy (built here if missing)")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"needs {CHROMIUM} and playwright")
        return 1

    from benchmarks.backfill import write_backfill
    from etl.demo.build import build_demo

    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        demo = args.demo_db or tmp_dir / "demo.duckdb"
        if not demo.exists():
            print("building the demo warehouse…", flush=True)
            build_demo(demo, returns_dir=tmp_dir / "returns")
        served = tmp_dir / "served.duckdb"
        shutil.copyfile(demo, served)
        workbook = write_backfill(tmp_dir / "backfill.xlsx", args.rows)
        proc, base = serve(served, tmp_dir / "streamlit.log")
        outcome: dict = {}
        try:
            idle_kb = _rss_kb(proc.pid, "VmRSS")
            started = time.perf_counter()
            alone, crowd_results = asyncio.run(
                crowd(
                    base,
                    args.sessions,
                    args.rounds,
                    lambda: commit_later(served, workbook, outcome),
                    args.max_seconds,
                )
            )
            wall = time.perf_counter() - started
            peak_kb = _rss_kb(proc.pid, "VmHWM")
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    return report(args, alone, crowd_results, outcome, idle_kb, peak_kb, wall)


def report(args, alone, crowd_results, outcome, idle_kb: int, peak_kb: int, wall: float) -> int:
    times = [s for _, s, err in crowd_results if err is None]
    errors = [(p or "summary", err) for p, _, err in crowd_results if err is not None]
    base_times = [s for _, s, err in alone if err is None]
    base_p50 = statistics.median(base_times) if base_times else float("nan")
    planned = args.sessions * len(PAGES) * args.rounds
    print(f"{args.sessions} sessions: {len(crowd_results)} of {planned} page loads done in {wall:.0f} s")
    print(
        f"baseline, one session alone: p50 {base_p50:.2f} s over {len(alone)} pages "
        f"({len(alone) - len(base_times)} errors)"
    )
    timeouts = sum(1 for _, _, err in crowd_results if err and err.startswith("TimeoutError"))
    if timeouts:
        print(f"{timeouts} of the errors are pages not drawn within {PAGE_TIMEOUT_MS / 1000:.0f} s")
    if times:
        p50, p95 = statistics.median(times), quantile(times, 0.95)
        print(f"page time under load: p50 {p50:.2f} s, p95 {p95:.2f} s, max {max(times):.2f} s")
        print(f"ratio to one session alone: p50 {p50 / base_p50:.1f}×, p95 {p95 / base_p50:.1f}×")
        for path, _ in PAGES:
            mine = [s for p, s, err in crowd_results if p == path and err is None]
            if mine:
                print(
                    f"  {path or 'summary':<12} p50 {statistics.median(mine):6.2f} s  p95 {quantile(mine, 0.95):6.2f} s"
                )
    print(f"server RSS: {idle_kb / 1024:.0f} MB after start, peak {peak_kb / 1024:.0f} MB")
    committed = outcome.get("code") == 0
    print(
        f"analyst's commit of a {args.rows:,}-row return: "
        + (f"done in {outcome['seconds']:.1f} s" if committed else f"FAILED ({outcome})")
    )
    print(f"errors on pages: {len(errors)}" + ("" if not errors else " — target 0"))
    for path, err in errors[:20]:
        print(f"  {path}: {err}")
    return 0 if committed and not errors and len(base_times) == len(alone) else 1


if __name__ == "__main__":
    raise SystemExit(main())
