"""`python -m benchmarks`: every benchmark in turn (load, CLI load as processes, metrics, pages, lock wait, browser, concurrent
sessions, briefing pack as PDF and as HWPX, hostile files), each with its own baseline."""

import sys

from benchmarks import (
    bench_briefing,
    bench_browser,
    bench_cli_load,
    bench_concurrent_sessions,
    bench_hostile,
    bench_hwpx,
    bench_load,
    bench_lock_wait,
    bench_metrics,
    bench_pages,
)


def main() -> int:
    status = 0
    for bench in (
        bench_load,
        bench_cli_load,
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
    return status


if __name__ == "__main__":  # importing this module (a linter, a test) must not start an hour of benchmarks
    sys.exit(main())
