"""`python -m benchmarks`: every benchmark in turn (load, metrics, pages, lock wait, browser, concurrent
sessions, briefing pack as PDF and as HWPX, hostile files), each with its own baseline."""

import sys

from benchmarks import (
    bench_briefing,
    bench_browser,
    bench_concurrent_sessions,
    bench_hostile,
    bench_hwpx,
    bench_load,
    bench_lock_wait,
    bench_metrics,
    bench_pages,
)

status = 0
for bench in (
    bench_load,
    bench_metrics,
    bench_pages,
    bench_lock_wait,
    bench_browser,
    bench_concurrent_sessions,
    bench_briefing,
    bench_hwpx,
    bench_hostile,
):
    print(f"\n=== {bench.__name__} ===", flush=True)
    status |= bench.main([])
sys.exit(status)
