"""How long the HWPX briefing pack (회의 자료 for 한글) takes on the demo warehouse.

Run: .venv/bin/python -m benchmarks.bench_hwpx [--db FILE] [--repeat N]

Without --db the demo warehouse is built first (about a minute). Each round times the pack end to
end as `python -m briefing --format hwpx` makes it (briefing.pack.load, then briefing.pack.render:
the outline, python-hwpx writing the text and tables, the charts drawn by Chromium, the pictures and
the validation) and, just before it, the one-page summary's
PDF (build_summary, report_html, html_to_pdf): one Chromium start and a little data, the baseline a
shared machine slows down alike. Reported: the medians, the stages, and pack ÷ summary.
Target: the pack within 10 s.
"""

from __future__ import annotations

import itertools
import statistics
import time
from datetime import date
from pathlib import Path

from benchmarks.demo_run import main_on_demo
from briefing import pack as packs
from briefing.hwpx_writer import write_hwpx
from briefing.outline import build_outline, draw_charts
from metrics.council import now_filters
from metrics.summary import build_summary
from ui.export import html_to_pdf
from ui.report_html import report_html
from warehouse.connection import connection

TARGET_SECONDS = 10.0
STAGES = ("outline", "charts (Chromium)", "HWPX (write, validate)")


def _summary_pdf(db: Path) -> None:
    with connection(db, read_only=True) as con:
        summary = build_summary(con, now_filters(con))
    html_to_pdf(report_html(summary, "ko"))


def _pack(db: Path, today: date) -> tuple[list[float], int]:
    """Seconds for the data and for the document (outline, text and tables, charts, validation), and
    the file's size."""
    start = time.perf_counter()
    loaded = packs.load(db, 3, today)
    loaded_at = time.perf_counter()
    data = packs.render(loaded, "hwpx", "ko")
    return [loaded_at - start, time.perf_counter() - loaded_at], len(data)


def _stages(db: Path, today: date) -> list[float]:
    """One build stage by stage: where the time goes."""
    loaded = packs.load(db, 3, today)
    marks = [time.perf_counter()]
    outline = build_outline(loaded.briefing, "ko", demo=loaded.demo)
    marks.append(time.perf_counter())
    draw_charts(outline)
    marks.append(time.perf_counter())
    write_hwpx(outline)
    marks.append(time.perf_counter())
    return [b - a for a, b in itertools.pairwise(marks)]


def run(db: Path, repeat: int, today: date) -> bool:
    with connection(db):  # a file built by an older release gets the current schema and views
        pass
    _summary_pdf(db)  # warm-up: imports, the first Chromium start
    _pack(db, today)
    totals, summaries, stages = [], [], []
    size = 0
    for _ in range(repeat):
        start = time.perf_counter()
        _summary_pdf(db)
        summaries.append(time.perf_counter() - start)
        times, size = _pack(db, today)
        stages.append(times)
        totals.append(sum(times))
    total, summary = statistics.median(totals), statistics.median(summaries)
    ratio = statistics.median(p / s for p, s in zip(totals, summaries, strict=True))
    print(f"HWPX briefing pack ({size / 1024:,.0f} KB): {total:.2f} s median of {repeat}")
    for i, name in enumerate(("data", "document")):
        print(f"  {name:24s} {statistics.median(s[i] for s in stages):.2f} s")
    print("  one build, stage by stage:")
    for name, seconds in zip(STAGES, _stages(db, today), strict=True):
        print(f"    {name:22s} {seconds:.2f} s")
    print(f"one-page summary PDF (baseline): {summary:.2f} s; pack ÷ summary: {ratio:.2f}")
    print(f"target: the pack within {TARGET_SECONDS:.0f} s — {'yes' if total <= TARGET_SECONDS else 'NO'}")
    return total <= TARGET_SECONDS


def main(argv: list[str] | None = None) -> int:
    return main_on_demo(__doc__.splitlines()[0], run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
