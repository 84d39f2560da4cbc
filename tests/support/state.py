"""What a warehouse holds, to compare before and after, and its derived tables checked against their sources.

`snapshot` is every stored table in full: a refused file, a killed load or a failed edit must leave
each of them exactly as it was. The sums are computed here from the contract view and the stored
weights, not with warehouse.result_sums' own SQL.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from warehouse.connection import connection


def snapshot(db: duckdb.DuckDBPyConnection | Path) -> dict[str, list[tuple]]:
    """Every base table of the warehouse, every row, in a comparable order."""
    if isinstance(db, Path):
        with connection(db, read_only=True) as con:
            return snapshot(con)
    tables = [
        t
        for (t,) in db.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND NOT temporary ORDER BY 1"
        ).fetchall()
    ]
    return {t: db.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in tables}


KEY = ["year", "quarter", "agency_code", "mission_code", "sector_code", "metric_code"]


def expected_sums(con) -> pd.DataFrame:
    return con.execute(f"""
        SELECT {", ".join(KEY)}, sum(value) AS value, sum(value * weight) AS wv, sum(weight) AS w
        FROM fact_result WHERE is_current GROUP BY ALL ORDER BY ALL
    """).df()


def stored_sums(con) -> pd.DataFrame:
    return con.execute(f"SELECT {', '.join(KEY)}, value, wv, w FROM result_sums ORDER BY ALL").df()


def assert_in_step(con) -> None:
    expected, stored = expected_sums(con), stored_sums(con)
    assert len(stored) > 0
    pd.testing.assert_frame_equal(stored, expected, check_dtype=False)
    assert_rollup_in_step(con, expected)
    assert_weights_in_step(con)


DIMS = {"sector_code": 4, "mission_code": 2, "agency_code": 1}


def assert_rollup_in_step(con, sums: pd.DataFrame) -> None:
    """result_rollup holds `sums` summed per quarter at each of the seven coarser granularities
    (gid: a bit for each dimension not pinned, which is NULL), computed here in pandas."""
    parts = []
    for gid in range(1, 8):
        pinned = [d for d, bit in DIMS.items() if not gid & bit]
        part = (
            sums.groupby(["year", "quarter", *pinned, "metric_code"])[["value", "wv", "w"]]
            .sum(min_count=1)
            .reset_index()
            .assign(gid=gid)
        )
        parts.append(part.assign(**{d: None for d in DIMS if d not in pinned}))
    columns = ["gid", "year", "quarter", *DIMS, "metric_code", "value", "wv", "w"]
    expected = pd.concat(parts)[columns].sort_values(columns[:7]).reset_index(drop=True)
    stored = con.execute(f"SELECT {', '.join(columns)} FROM result_rollup ORDER BY ALL").df()
    for frame in (expected, stored):
        for d in DIMS:
            frame[d] = frame[d].astype(object).where(frame[d].notna(), None)
    pd.testing.assert_frame_equal(stored, expected, check_dtype=False)


def assert_weights_in_step(con) -> None:
    """Every current score weighs the positive firms figures of its own return row now, else 1."""
    rows = con.execute(
        "SELECT submission_id, year, quarter, agency_code, mission_code, sector_code, program_code, "
        "metric_code, value, weight FROM fact_result WHERE is_current"
    ).fetchall()
    firms: dict[tuple, float] = {}
    for r in rows:
        if r[7] == "firms_supported" and r[8] > 0:
            firms[r[:7]] = firms.get(r[:7], 0) + r[8]
    weights = {r[:7]: r[9] for r in rows if r[7] == "satisfaction"}
    assert weights == {key: firms.get(key, 1) for key in weights}
