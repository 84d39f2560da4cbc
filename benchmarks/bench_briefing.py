"""How long the briefing pack (회의 자료) takes on the demo warehouse: data, HTML, Chromium's PDF.

Run: .venv/bin/python -m benchmarks.bench_briefing [--db FILE] [--repeat N]

Without --db the demo warehouse is built first (about a minute). Each round times the pack end to
end (metrics.briefing.build_briefing, briefing.outline and briefing.html_writer, ui.export.html_to_pdf
with the charts drawn in the page) and, just before it,
the one-page summary's PDF (build_summary, report_html, html_to_pdf) as the baseline a shared
machine slows down alike. Reported: the medians, the stages of the pack, and pack ÷ summary.
Target: the pack within 10 s.
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from pathlib import Path

from benchmarks.demo_run import main_on_demo
from briefing.html_writer import PLOT_BUDGET_MS, outline_html, page_count
from briefing.outline import build_outline
from metrics.briefing import build_briefing
from metrics.council import now_filters
from metrics.summary import build_summary
from ui.export import html_to_pdf
from ui.report_html import report_html
from warehouse.connection import connection

TARGET_SECONDS = 10.0


def _summary_pdf(db: Path) -> None:
    with connection(db, read_only=True) as con:
        summary = build_summary(con, now_filters(con))
    html_to_pdf(report_html(summary, "ko"))


def _pack(db: Path, today: date) -> tuple[float, float, float, int]:
    """Seconds for the data, the HTML (the outline laid out) and the PDF (charts drawn, printed), and the pages."""
    t0 = time.perf_counter()
    with connection(db, read_only=True) as con:
        briefing = build_briefing(con, today=today)
    t1 = time.perf_counter()
    document = outline_html(build_outline(briefing, "ko", demo=True), draw_in_page=True)
    t2 = time.perf_counter()
    html_to_pdf(document, budget_ms=PLOT_BUDGET_MS)  # as briefing.html_writer.outline_pdf
    return t1 - t0, t2 - t1, time.perf_counter() - t2, page_count(document)


def run(db: Path, repeat: int, today: date) -> None:
    with connection(db):  # a file built by an older release gets the current schema and views
        pass
    _summary_pdf(db)  # warm-up: imports, the first Chromium start
    _pack(db, today)
    packs, summaries, stages = [], [], []
    pages = 0
    for _ in range(repeat):
        start = time.perf_counter()
        _summary_pdf(db)
        summaries.append(time.perf_counter() - start)
        data, html, pdf, pages = _pack(db, today)
        stages.append((data, html, pdf))
        packs.append(data + html + pdf)
    pack, summary = statistics.median(packs), statistics.median(summaries)
    ratio = statistics.median(p / s for p, s in zip(packs, summaries, strict=True))
    print(f"briefing pack ({pages} pages): {pack:.2f} s median of {repeat}")
    for name, i in (("data", 0), ("HTML", 1), ("PDF (Chromium)", 2)):
        print(f"  {name:16s} {statistics.median(s[i] for s in stages):.2f} s")
    print(f"one-page summary PDF (baseline): {summary:.2f} s; pack ÷ summary: {ratio:.2f}")
    print(f"target: the pack within {TARGET_SECONDS:.0f} s — {'yes' if pack <= TARGET_SECONDS else 'NO'}")


def main(argv: list[str] | None = None) -> int:
    return main_on_demo(__doc__.splitlines()[0], run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
