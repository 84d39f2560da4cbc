"""Speed of every metrics function the pages use, on a 1,000,000-row results warehouse.

Run: .venv/bin/python -m benchmarks.bench_metrics [--rows N] [--repeat N]

The warehouse is generated with DuckDB SQL (range() and seeded random()), shaped like wide returns:
one return row per (year, quarter, agency, mission, sector, program) with all 13 metrics, 2023 Q1 –
2026 Q2, so 2026 is a partial year with three full prior years behind its pace. Figures are stored
in period order, as returns are loaded quarter by quarter. Targets for 2026 exist at the total,
sector, mission, agency and sector+mission levels. The derived weights, result_sums (the figures
summed over programs: 182,000 rows here) and result_rollup (those per quarter at each coarser
granularity: 86,632 rows) are built as the loader keeps them; the baseline reads
the 1,000,000 figures themselves, and so do the calls with a program filter.

Each call is timed alternately with the baseline, a plain aggregate over the same rows
(SELECT sector_code, metric_code, sum(value) FROM results GROUP BY ALL), so that both see the same
load on a shared machine; the report gives the median of each and the median of the per-round
ratios (call ÷ the baseline timed just before it), which drifting load disturbs least.
Target: every call under 50 ms and within 3x of the baseline.

"As of" (the council's view, Filters.at): a second table times the calls a page makes for 2025 Q1–Q3
as of the council of 2025-12-19, each against the same call on current figures, alternately; the
warehouse holds one restatement made after that day (KOSME's 2025 Q3), so the as-of calls have an
older version to find. Target: within 3x of the current call. `--as-of` times only those.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import duckdb

from metrics import (
    Filters,
    actuals,
    attainment,
    completeness,
    completeness_summary,
    growth,
    kbeauty_comparison,
    latest_period,
    pace_curve,
    rank_missions,
    scorecard,
)
from warehouse.connection import open_connection
from warehouse.derived import refresh_derived

BASELINE = "SELECT sector_code, metric_code, sum(value) FROM results GROUP BY ALL"
TARGET_MS, TARGET_RATIO = 50.0, 3.0
TARGET_AS_OF_RATIO = 3.0

# One return row per key; key k -> quarter index k // per_quarter (2023Q1 .. 2026Q2, in load order)
# and a distinct combination of agency, mission, sector and program k % per_quarter (mixed radix).
# Every key carries all metrics.
_GENERATE = """
INSERT INTO fact_result
WITH
metric AS (SELECT metric_code, row_number() OVER (ORDER BY sort_order) - 1 AS i FROM ref_metrics),
mission AS (SELECT mission_code, row_number() OVER (ORDER BY mission_code) - 1 AS i FROM ref_missions),
agency AS (SELECT agency_code, row_number() OVER (ORDER BY sort_order) - 1 AS i FROM ref_agencies),
sector AS (SELECT sector_code, row_number() OVER (ORDER BY sort_order) - 1 AS i FROM ref_sectors),
program AS (SELECT program_code, row_number() OVER (ORDER BY sort_order) - 1 AS i FROM ref_programs),
n AS (SELECT count(*) AS metrics, ceil($rows / count(*) / 14)::BIGINT AS per_quarter FROM metric),
cell AS (
    SELECT range AS i, (range // n.metrics) // n.per_quarter AS qi,
           (range // n.metrics) % n.per_quarter AS combo, range % n.metrics AS mi
    FROM range($rows), n
)
SELECT 1 + (c.qi * 5 + c.combo % 5) AS submission_id,
       2023 + c.qi // 4 AS year, c.qi % 4 + 1 AS quarter,
       a.agency_code, ms.mission_code, s.sector_code, p.program_code, m.metric_code,
       CASE m.metric_code
           WHEN 'satisfaction' THEN round(60 + random() * 40)
           WHEN 'export_value' THEN round(random() * 500, 1)
           WHEN 'investment_value' THEN round(random() * 300, 1)
           ELSE floor(random() * 30)
       END AS value,
       NULL AS reported_value, 'bench' AS source_sheet, 'R' || c.i AS source_cell, true AS is_current,
       NULL::DOUBLE AS weight,  -- filled below, as etl.store.ledger stores it
       NULL::DOUBLE AS cumulative_value  -- quarterly figures
FROM cell AS c
JOIN metric AS m ON m.i = c.mi
JOIN agency AS a ON a.i = c.combo % 5
JOIN mission AS ms ON ms.i = (c.combo // 5) % 40
JOIN sector AS s ON s.i = (c.combo // 200) % 5
JOIN program AS p ON p.i = (c.combo // 1000) % 6
"""

# One submission per (quarter, agency), matching the submission_id above.
_SUBMISSIONS = """
INSERT INTO submission (submission_id, kind, file_name, file_sha256, reporter, period_first, period_last,
                        basis, row_count, loaded_at, status)
SELECT 1 + qi * 5 + ai, 'results', 'bench_' || qi || '_' || ai || '.xlsx', md5(qi || '/' || ai),
       a.agency_code, (2023 + qi // 4) || 'Q' || (qi % 4 + 1), (2023 + qi // 4) || 'Q' || (qi % 4 + 1),
       'quarterly', 0, TIMESTAMP '2023-04-10' + INTERVAL (qi * 91) DAY, 'current'
FROM range(14) AS q(qi)
CROSS JOIN (SELECT agency_code, row_number() OVER (ORDER BY sort_order) - 1 AS ai FROM ref_agencies) AS a
"""

# 2026 targets: last year's actual × 1.1 at five granularities (satisfaction: a flat 85 points).
_TARGETS = """
INSERT INTO fact_target
WITH last_year AS (
    SELECT metric_code, sector_code, mission_code, agency_code, sum(value) AS value
    FROM results
    WHERE year = 2025 AND metric_code NOT IN ('satisfaction', 'affected_firms')
    GROUP BY GROUPING SETS ((metric_code), (metric_code, sector_code), (metric_code, mission_code),
                            (metric_code, agency_code), (metric_code, sector_code, mission_code))
)
SELECT 9999, 2026, metric_code, sector_code, mission_code, agency_code, round(value * 1.1), 'bench', 'T', true
FROM last_year
UNION ALL
SELECT 9999, 2026, 'satisfaction', NULL, NULL, NULL, 85, 'bench', 'T', true
"""


# History for "as of" (the council's view): after the council of 2025-12-19, KOSME restated its
# 2025 Q3 (submission 9001, loaded 2026-01-22: every figure of it again, counts × 0.85), so those
# slices have two versions and the as-of calls must find the older one.
COUNCIL_AT = datetime(2025, 12, 19)
_RESTATEMENT = """
INSERT INTO submission (submission_id, kind, file_name, file_sha256, reporter, period_first, period_last,
                        basis, row_count, loaded_at, status, restates)
VALUES (9001, 'results', 'bench_2025Q3_kosme_restated.xlsx', md5('9001'), 'kosme', '2025Q3', '2025Q3',
        'quarterly', 0, TIMESTAMP '2026-01-22', 'current', '2025Q3');
INSERT INTO fact_result
SELECT 9001, year, quarter, agency_code, mission_code, sector_code, program_code, metric_code,
       CASE WHEN metric_code = 'satisfaction' THEN value ELSE round(value * 0.85, 1) END,
       reported_value, source_sheet, source_cell, true, weight, cumulative_value
FROM fact_result
WHERE year = 2025 AND quarter = 3 AND agency_code = 'kosme';
UPDATE fact_result SET is_current = false
WHERE year = 2025 AND quarter = 3 AND agency_code = 'kosme' AND submission_id <> 9001;
UPDATE submission SET status = 'superseded'
WHERE submission_id IN (SELECT DISTINCT submission_id FROM fact_result
                        WHERE year = 2025 AND quarter = 3 AND agency_code = 'kosme' AND NOT is_current);
"""


def build(path: Path, rows: int = 1_000_000) -> None:
    """A warehouse file with `rows` current figures, their submissions, one restatement and 2026 targets."""
    con = open_connection(path)
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute(_SUBMISSIONS)
        con.execute("SELECT setseed(0.42)")
        con.execute(_GENERATE, {"rows": rows})
        con.execute(_RESTATEMENT)
        con.execute(_TARGETS)
        con.execute("COMMIT")
        refresh_derived(con)  # weights and result_sums, as etl.store.ledger would have stored them
        con.execute("CHECKPOINT")
    finally:
        con.close()


def cases() -> list[tuple[str, Callable[[duckdb.DuckDBPyConnection], object]]]:
    """The calls the pages make, with the filters they typically pass (the sidebar always sets a year)."""
    year = Filters(year=2026)
    kbeauty = Filters(year=2026, sectors=("kbeauty",))
    mission = Filters(year=2026, missions=("VN-HAN",))
    program = Filters(year=2026, programs=("emb_collab",))
    return [
        ("latest_period", lambda con: latest_period(con)),
        ("actuals by sector", lambda con: actuals(con, year, by=("sector",))),
        ("actuals by mission", lambda con: actuals(con, year, by=("mission",))),
        ("actuals by region (kbeauty)", lambda con: actuals(con, kbeauty, by=("region",))),
        ("actuals by year, quarter (all years)", lambda con: actuals(con, Filters(), by=("year", "quarter"))),
        (
            "actuals trend (1 mission, 1 metric)",
            lambda con: actuals(
                con, Filters(missions=("VN-HAN",), metrics=("satisfaction",)), by=("year", "quarter")
            ),
        ),
        ("scorecard", lambda con: scorecard(con, year)),
        ("scorecard (one mission)", lambda con: scorecard(con, mission)),
        ("scorecard by mission (40 x 13 rows)", lambda con: scorecard(con, year, by="mission")),
        ("pace_curve", lambda con: pace_curve(con, year)),
        ("attainment level=total", lambda con: attainment(con, year, level="total")),
        ("attainment level=sector", lambda con: attainment(con, year, level="sector")),
        ("attainment level=mission", lambda con: attainment(con, year, level="mission")),
        ("attainment level=agency", lambda con: attainment(con, year, level="agency")),
        ("attainment, all levels (council page)", lambda con: attainment(con, year)),
        # a program filter reads the figures themselves, not result_sums (which has no programs)
        ("scorecard (program filter)", lambda con: scorecard(con, program)),
        ("pace_curve (program filter)", lambda con: pace_curve(con, program)),
        ("actuals by sector (program filter)", lambda con: actuals(con, program, by=("sector",))),
        ("growth by sector", lambda con: growth(con, year, by=("sector",))),
        ("rank_missions attainment", lambda con: rank_missions(con, year, by="attainment")),
        (
            "rank_missions growth",
            lambda con: rank_missions(con, year, by="growth", metric_code="export_value"),
        ),
        ("completeness (missions)", lambda con: completeness(con, year)),
        ("completeness_summary", lambda con: completeness_summary(con, year)),
        ("kbeauty_comparison", lambda con: kbeauty_comparison(con, year)),
    ]


def as_of_cases() -> list[tuple[str, Callable[[duckdb.DuckDBPyConnection, Filters], object]]]:
    """Calls a page makes "as the council saw it": each run with Filters.at set and without."""
    return [
        ("latest_period", lambda con, f: latest_period(con, f)),
        ("actuals by sector", lambda con, f: actuals(con, f, by=("sector",))),
        ("scorecard", lambda con, f: scorecard(con, f)),
        ("scorecard by mission", lambda con, f: scorecard(con, f, by="mission")),
        ("pace_curve", lambda con, f: pace_curve(con, f)),
        ("attainment level=sector", lambda con, f: attainment(con, f, level="sector")),
        ("attainment level=mission", lambda con, f: attainment(con, f, level="mission")),
        ("attainment, all levels", lambda con, f: attainment(con, f)),
        ("completeness (missions)", lambda con, f: completeness(con, f)),
        ("scorecard (program filter)", lambda con, f: scorecard(con, replace(f, programs=("emb_collab",)))),
    ]


# The council's view: 2025 up to Q3 as it stood on the meeting day; against the same call on
# current figures (the same year and quarters, Filters.at unset).
COUNCIL = Filters(year=2025, quarter_to=3, through=20253, at=COUNCIL_AT)


def run_as_of(path: Path, repeat: int = 15, only: str = "") -> list[Row]:
    """(name, as-of median ms, current median ms, ratio, CPU ratio) per as-of case, timed alternately."""
    con = duckdb.connect(str(path), read_only=True)
    current = replace(COUNCIL, at=None)
    out = []
    try:
        for name, call in as_of_cases():
            if only not in name:
                continue
            call(con, COUNCIL)
            call(con, current)
            times, base = [], []
            for _ in range(repeat):
                base.append(_time(lambda call=call: call(con, current)))
                times.append(_time(lambda call=call: call(con, COUNCIL)))
            out.append(
                (
                    f"as of: {name}",
                    statistics.median(t[0] for t in times),
                    statistics.median(b[0] for b in base),
                    statistics.median(t[0] / b[0] for t, b in zip(times, base, strict=True)),
                    statistics.median(t[1] / max(b[1], 1e-3) for t, b in zip(times, base, strict=True)),
                )
            )
    finally:
        con.close()
    return out


Row = tuple[str, float, float, float, float]  # name, median ms, baseline ms, ratio, CPU ratio


def _time(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock ms and CPU ms (all threads of this process) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def run(path: Path, repeat: int = 15, only: str = "") -> list[Row]:
    """(name, median ms, baseline median ms, ratio, CPU ratio) per case whose name contains `only`.

    Ratios are medians of per-round ratios. The CPU ratio compares processor time instead of
    elapsed time, so it says how much work a call does even when other processes share the cores.
    """
    con = duckdb.connect(str(path), read_only=True)

    def baseline() -> None:
        cur = con.cursor()
        cur.execute(BASELINE).df()
        cur.close()

    out = []
    try:
        for _ in range(3):
            baseline()
        for name, call in cases():
            if only not in name:
                continue
            call(con)  # warm-up: first planning, caches
            times, base = [], []
            for _ in range(repeat):
                base.append(_time(baseline))
                times.append(_time(lambda call=call: call(con)))
            ratio = statistics.median(t[0] / b[0] for t, b in zip(times, base, strict=True))
            cpu_ratio = statistics.median(t[1] / max(b[1], 1e-3) for t, b in zip(times, base, strict=True))
            out.append(
                (
                    name,
                    statistics.median(t[0] for t in times),
                    statistics.median(b[0] for b in base),
                    ratio,
                    cpu_ratio,
                )
            )
    finally:
        con.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--only", default="", help="time only the calls whose name contains this")
    parser.add_argument("--db", type=Path, help="reuse (or build once) this warehouse file")
    parser.add_argument("--as-of", action="store_true", help="time only the as-of calls")
    args = parser.parse_args(argv)

    def measure(path: Path) -> int:
        open_connection(path).close()  # a file built by an older release gets the current views
        if not args.as_of:
            report(run(path, args.repeat, args.only))
        return report_as_of(run_as_of(path, args.repeat, args.only))

    if args.db:
        if not args.db.exists():
            build(args.db, args.rows)
        return measure(args.db)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        start = time.perf_counter()
        build(path, args.rows)
        threads = duckdb.connect().execute("SELECT current_setting('threads')").fetchall()[0][0]
        print(
            f"built {args.rows:,} figures in {time.perf_counter() - start:.1f} s; DuckDB threads: {threads}"
        )
        return measure(path)


def report(results: list[Row]) -> int:
    """Print the table; the exit status is 0 (the figures are the report, not a pass/fail)."""
    print(f"{'call':38s} {'median ms':>10s} {'baseline ms':>12s} {'ratio':>6s} {'CPU ratio':>10s}  ok")
    failures = 0
    for name, ms, base_ms, ratio, cpu_ratio in results:
        ok = ms < TARGET_MS and ratio <= TARGET_RATIO
        failures += not ok
        print(
            f"{name:38s} {ms:10.1f} {base_ms:12.1f} {ratio:6.2f} {cpu_ratio:10.2f}  {'yes' if ok else 'NO'}"
        )
    print(f"target: < {TARGET_MS:.0f} ms and <= {TARGET_RATIO:.0f}x baseline; {failures} call(s) miss it")
    return 0


def report_as_of(results: list[Row]) -> int:
    """The as-of table: each call as of the council's day against the same call on current figures."""
    print()
    print(f"{'call':38s} {'as-of ms':>10s} {'current ms':>12s} {'ratio':>6s} {'CPU ratio':>10s}  ok")
    failures = 0
    for name, ms, base_ms, ratio, cpu_ratio in results:
        ok = ratio <= TARGET_AS_OF_RATIO
        failures += not ok
        print(
            f"{name:38s} {ms:10.1f} {base_ms:12.1f} {ratio:6.2f} {cpu_ratio:10.2f}  {'yes' if ok else 'NO'}"
        )
    print(
        f"target: as of a moment <= {TARGET_AS_OF_RATIO:.0f}x the same call on current figures; {failures} miss it"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
