"""result_sums: the current figures summed over programs, kept in step with fact_result.

Every metric except a program breakdown groups figures by period, agency, mission, sector and
metric, so summing the programs away once, when figures are written, leaves metrics/ a fraction of
the rows to read on every page view (a sixth on the 1M-figure benchmark warehouse). Weighted means
stay exact: each row keeps wv = Σ score × weight and w = Σ weight (warehouse/weights.py), and sums
of those add up to the same mean.

The table is derived data. Writers keep it exact in their own transaction: etl.store.ledger refreshes the
(year, quarter, agency, mission) slices a commit or rollback changed, the unit a return replaces.
Anything else that writes fact_result (a migration, a test fixture inserting figures) calls
`refresh_sums(con)` afterwards, which rebuilds it whole.

The same calls keep result_rollup, result_sums summed again per quarter at the seven coarser
granularities (metrics/ reads it for current figures without a program filter): every quarter whose
result_sums rows changed is summed again whole, a few thousand rows.

The same calls keep submission_slice (data/cycle.sql), the slices each submission wrote, which the
as-of macros of data/views.sql read: a commit adds its own submission's slices, a full refresh
rebuilds the table (a rollback or a re-derivation writes no new version, so adds none).
"""

from __future__ import annotations

import duckdb

SLICE = ("year", "quarter", "agency_code", "mission_code")

_SUMS = """
INSERT INTO result_sums
SELECT f.year, f.quarter, f.agency_code, f.mission_code, f.sector_code, f.metric_code,
       sum(f.value) AS value, sum(f.value * f.weight) AS wv, sum(f.weight) AS w
FROM fact_result AS f
{join}
WHERE f.is_current AND {where}
GROUP BY ALL
"""


# Every granularity coarser than result_sums' own, per quarter (gid: as GROUPING() sets it).
_ROLLUP = """
INSERT INTO result_rollup
SELECT GROUPING(sector_code, mission_code, agency_code) AS gid, year, quarter,
       sector_code, mission_code, agency_code, metric_code, sum(value) AS value, sum(wv) AS wv, sum(w) AS w
FROM result_sums
WHERE {where}
GROUP BY GROUPING SETS (
    (year, quarter, metric_code, sector_code, mission_code), (year, quarter, metric_code, sector_code, agency_code),
    (year, quarter, metric_code, sector_code), (year, quarter, metric_code, mission_code, agency_code),
    (year, quarter, metric_code, mission_code), (year, quarter, metric_code, agency_code),
    (year, quarter, metric_code)
)
"""


def refresh_rollup(con: duckdb.DuckDBPyConnection, slices: str | None = None) -> None:
    """Recompute result_rollup from result_sums for the quarters of the slices in table `slices`
    (year, quarter, ...), or all of it when None. Runs inside the caller's transaction, if any."""
    if slices is None:
        con.execute("DELETE FROM result_rollup")
        con.execute(_ROLLUP.format(where="TRUE"))
        return
    quarters = f"(year, quarter) IN (SELECT DISTINCT (year, quarter) FROM {slices})"
    con.execute(f"DELETE FROM result_rollup WHERE {quarters}")
    con.execute(_ROLLUP.format(where=quarters))


_SLICES = """
INSERT INTO submission_slice
SELECT DISTINCT submission_id, year, quarter, agency_code, mission_code FROM fact_result WHERE {where}
"""


def refresh_sums(
    con: duckdb.DuckDBPyConnection, slices: str | None = None, *, submission_id: int | None = None
) -> None:
    """Recompute result_sums for the slices listed in table `slices` (year, quarter, agency_code,
    mission_code), or all of it when None. Runs inside the caller's transaction, if any.

    `submission_id` says that submission now holds every current figure of those slices (a commit:
    a return replaces its slices whole), so only its rows are read; their zone maps let the scan
    skip the rest of fact_result.
    """
    if slices is None:
        con.execute("DELETE FROM result_sums")
        con.execute(_SUMS.format(join="", where="TRUE"))
        con.execute("DELETE FROM submission_slice")
        con.execute(_SLICES.format(where="TRUE"))
        refresh_rollup(con)
        return
    on = " AND ".join(f"x.{c} = s.{c}" for c in SLICE)
    con.execute(f"DELETE FROM result_sums AS x USING {slices} AS s WHERE {on}")
    if submission_id is not None:
        con.execute(_SUMS.format(join="", where="f.submission_id = $id"), {"id": submission_id})
        con.execute("DELETE FROM submission_slice WHERE submission_id = $id", {"id": submission_id})
        con.execute(_SLICES.format(where="submission_id = $id"), {"id": submission_id})
    else:
        keys = ", ".join(SLICE)
        join = f"JOIN (SELECT DISTINCT {keys} FROM {slices}) AS x USING ({keys})"
        con.execute(_SUMS.format(join=join, where="TRUE"))
    refresh_rollup(con, slices)
