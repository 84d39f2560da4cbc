"""Speed of each dashboard page: an AppTest run on the demo warehouse and on a 1,000,000-row one.

Run: .venv/bin/python -m benchmarks.bench_pages [--rows N] [--repeat N] [--demo-db PATH] [--big-db PATH]

For every page: "cold" is the first run after the page is opened (queries run, figures built);
"warm" is the median of `repeat` reruns of the same view (what a person sees when they come back to
it or touch a widget that changes nothing the page queries: cached answers, cached figures). The
baseline, measured alternately in the same process, is an AppTest run of a one-line page, so the
ratio says how much a page costs beyond Streamlit's own overhead on this machine.
Target (issue 5): every page under 0.5 s warm on the 1M-row warehouse.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGES = (
    "views/summary.py",
    "views/by_sector.py",
    "views/by_mission.py",
    "views/by_year.py",
    "views/by_agency.py",
    "views/emergency.py",
    "views/submissions.py",
)
TARGET_S = 0.5
_BASELINE_PAGE = "import streamlit as st\nst.title('baseline')\n"


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench(db: Path, repeat: int, baseline_script: Path) -> list[tuple[str, float, float, float]]:
    """(page, cold s, warm median s, baseline median s) for each page on this warehouse."""
    os.environ["DASHBOARD_DB"] = str(db)
    os.environ.setdefault("DASHBOARD_ROLE", "admin")
    out = []
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
        at.run()
        cold = _timed(lambda at=at, page=page: at.switch_page(page).run())
        if at.exception:
            raise RuntimeError(f"{page}: {[e.message for e in at.exception]}")
        base_app = AppTest.from_file(str(baseline_script), default_timeout=60)
        base_app.run()
        warm, base = [], []
        for _ in range(repeat):
            base.append(_timed(base_app.run))
            warm.append(_timed(at.run))
        out.append((page, cold, statistics.median(warm), statistics.median(base)))
    return out


def report(title: str, rows: list[tuple[str, float, float, float]]) -> bool:
    print(f"\n{title}")
    print(f"{'page':26} {'cold s':>8} {'warm s':>8} {'baseline s':>11} {'ratio':>7}  target")
    ok = True
    for page, cold, warm, base in rows:
        passed = warm < TARGET_S
        ok &= passed
        print(
            f"{page:26} {cold:8.3f} {warm:8.3f} {base:11.3f} {warm / base:7.1f}  "
            f"{'ok' if passed else 'SLOW'} (< {TARGET_S} s warm)"
        )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--demo-db", type=Path, help="reuse (or build once) this demo warehouse")
    parser.add_argument("--big-db", type=Path, help="reuse (or build once) this large warehouse")
    args = parser.parse_args(argv)

    from benchmarks.bench_metrics import build as build_big
    from etl.demo.build import build_demo

    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        demo = args.demo_db or tmp_dir / "demo.duckdb"
        big = args.big_db or tmp_dir / "big.duckdb"
        if not demo.exists():
            build_demo(demo, returns_dir=tmp_dir / "returns")
        if not big.exists():
            build_big(big, args.rows)
        baseline = tmp_dir / "baseline_page.py"
        baseline.write_text(_BASELINE_PAGE, encoding="utf-8")
        ok = report(f"demo warehouse ({demo})", bench(demo, args.repeat, baseline))
        ok &= report(f"{args.rows:,}-row warehouse ({big})", bench(big, args.repeat, baseline))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
