"""result_sums: the current figures summed over programs, kept in step with fact_result.

Every metric except a program breakdown groups figures by period, agency, mission, sector and
metric, so summing the programs away once, when figures are written, leaves metrics/ a fraction of
the rows to read on every page view (a sixth on the 1M-figure benchmark warehouse). Weighted means
stay exact: each row keeps wv = Σ score × weight and w = Σ weight (warehouse/weights.py), and sums
of those add up to the same mean.

The table is derived data. Writers keep it exact in their own transaction: etl.store refreshes the
(year, quarter, agency, mission) slices a commit or rollback changed, the unit a return replaces.
Anything else that writes fact_result (a migration, a test fixture inserting figures) calls
`refresh_sums(con)` afterwards, which rebuilds it whole.
"""

from __future__ import annotations

import duckdb

SLICE = ("year", "quarter", "agency_code", "mission_code")

_SUMS = """
SELECT f.year, f.quarter, f.agency_code, f.mission_code, f.sector_code, f.metric_code,
       sum(f.value) AS value, sum(f.value * f.weight) AS wv, sum(f.weight) AS w
FROM fact_result AS f
{join}
WHERE f.is_current
GROUP BY ALL
"""


def refresh_sums(con: duckdb.DuckDBPyConnection, slices: str | None = None) -> None:
    """Recompute result_sums for the slices listed in table `slices` (year, quarter, agency_code,
    mission_code), or all of it when None. Runs inside the caller's transaction, if any."""
    if slices is None:
        con.execute("DELETE FROM result_sums")
        con.execute("INSERT INTO result_sums " + _SUMS.format(join=""))
        return
    on = " AND ".join(f"x.{c} = s.{c}" for c in SLICE)
    con.execute(f"DELETE FROM result_sums AS x USING {slices} AS s WHERE {on}")
    join = f"JOIN (SELECT DISTINCT {', '.join(SLICE)} FROM {slices}) AS x USING ({', '.join(SLICE)})"
    con.execute("INSERT INTO result_sums " + _SUMS.format(join=join))
