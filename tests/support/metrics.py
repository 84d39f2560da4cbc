"""Small fixed warehouses for the metrics tests, with every figure written out by hand.

The golden data (synthetic) — export_value by quarter, agency mss / program emb_collab unless noted:

    mission  sector   2024 Q1-Q4        2025 Q1-Q4        2026 Q1-Q2
    VN-HAN   kbeauty  10  20  30  40    20  20  20  40    30  40
    SG-SIN   it       10  10  10  –     25  25  25  25    10  –
    JP-TYO   kbeauty  –   –   –   –      5   5   5   5     8  12   (kosme, gbc; a K-beauty hub since 2026)
    total             20  30  40  40    50  50  50  70    48  52

US-LAX has a target and no figures at all. The tests work their expectations out from this table.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from tests.support.prepared import copy_of
from warehouse.connection import open_connection
from warehouse.derived import refresh_derived

MSS = ("mss", "emb_collab")
KOSME = ("kosme", "gbc")

EXPORT = {
    ("VN-HAN", "kbeauty", MSS): {2024: [10, 20, 30, 40], 2025: [20, 20, 20, 40], 2026: [30, 40]},
    ("SG-SIN", "it", MSS): {2024: [10, 10, 10, None], 2025: [25, 25, 25, 25], 2026: [10, None]},
    ("JP-TYO", "kbeauty", KOSME): {2025: [5, 5, 5, 5], 2026: [8, 12]},
}

# (year, quarter, agency, mission, sector, program, metric, value) beyond export_value
OTHER_FIGURES = [
    # satisfaction, weighted by the firms_supported of the same return row
    (2026, 1, "mss", "VN-HAN", "kbeauty", "emb_collab", "satisfaction", 90),
    (2026, 1, "mss", "VN-HAN", "kbeauty", "emb_collab", "firms_supported", 30),
    (2026, 1, "mss", "SG-SIN", "it", "emb_collab", "satisfaction", 70),
    (2026, 1, "mss", "SG-SIN", "it", "emb_collab", "firms_supported", 10),
    (2026, 1, "kosme", "VN-HAN", "kbeauty", "gbc", "satisfaction", 60),  # no firms figure: weight 1
    (2026, 2, "mss", "VN-HAN", "kbeauty", "emb_collab", "satisfaction", 80),
    (2026, 2, "mss", "VN-HAN", "kbeauty", "emb_collab", "firms_supported", 0),  # 0 firms: weight 1
    (2026, 1, "kosme", "JP-TYO", "kbeauty", "gbc", "firms_supported", 20),
    (2025, 1, "mss", "VN-HAN", "kbeauty", "emb_collab", "satisfaction", 70),
    (2025, 1, "mss", "VN-HAN", "kbeauty", "emb_collab", "firms_supported", 10),
    # a metric with data and no target
    (2026, 1, "mss", "VN-HAN", "kbeauty", "emb_collab", "buyer_meetings", 5),
    # a target of zero
    (2026, 1, "mss", "VN-HAN", "kbeauty", "emb_collab", "mou_signed", 2),
    # no prior years at all: linear pace
    (2026, 1, "mss", "VN-HAN", "kbeauty", "emb_collab", "relief_cases", 1),
    (2026, 2, "mss", "VN-HAN", "kbeauty", "emb_collab", "relief_cases", 1),
    # lower is better, no target
    (2026, 2, "mss", "VN-HAN", "kbeauty", "emb_collab", "affected_firms", 3),
]

# (year, metric, sector, mission, agency, value); None = all
TARGETS = [
    (2026, "export_value", None, None, None, 250),
    (2026, "export_value", "kbeauty", None, None, 200),
    (2026, "export_value", None, "VN-HAN", None, 200),
    (2026, "export_value", None, "SG-SIN", None, 100),
    (2026, "export_value", None, "JP-TYO", None, 40),
    (2026, "export_value", None, "US-LAX", None, 50),
    (2026, "export_value", None, None, "kosme", 30),
    (2026, "export_value", "kbeauty", "VN-HAN", None, 100),
    (2026, "firms_supported", None, "VN-HAN", None, 100),
    (2026, "firms_supported", None, "JP-TYO", None, 10),
    (2026, "satisfaction", None, None, None, 85),
    (2026, "mou_signed", None, None, None, 0),
    (2026, "relief_cases", None, None, None, 8),
    (2026, "affected_firms", None, None, None, 1),  # the registry says no target: ignored
    (2025, "export_value", None, None, None, 200),
]


def _build_empty(path: Path) -> None:
    open_connection(path).close()


def new_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """An empty warehouse with schema and reference data (a copy of one built once)."""
    return open_connection(empty_warehouse(path))


def empty_warehouse(path: Path) -> Path:
    """`path`, now a copy of the empty warehouse (schema and reference data, ~0.05 s where building
    one takes ~0.4 s of CPU), for a test that opens it itself (`warehouse.connection.connection`)."""
    return copy_of("empty", _build_empty, path)


def add_submission(
    con: duckdb.DuckDBPyConnection,
    year: int,
    quarter: int,
    agency: str,
    loaded_at: datetime,
    kind: str = "results",
) -> int:
    """A current submission row; returns its id."""
    return con.execute(
        """INSERT INTO submission (kind, file_name, file_sha256, reporter, agency_codes, period_first,
                                   period_last, basis, row_count, loaded_at, status)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'quarterly', 0, ?, 'current')
           RETURNING submission_id""",
        [
            kind,
            f"{agency}_{year}Q{quarter}.xlsx",
            f"sha-{kind}-{agency}-{year}-{quarter}",
            agency,
            agency,
            f"{year}Q{quarter}",
            f"{year}Q{quarter}",
            loaded_at,
        ],
    ).fetchall()[0][0]


def add_figures(con: duckdb.DuckDBPyConnection, rows: list[tuple], *, current: bool = True) -> None:
    """Insert (year, quarter, agency, mission, sector, program, metric, value) figures, one return per
    (year, quarter, agency), loaded on the 10th of the month after the quarter."""
    ids: dict[tuple, int] = {}
    for year, quarter, agency, *_ in rows:
        key = (year, quarter, agency)
        if key not in ids:
            existing = con.execute(
                "SELECT submission_id FROM submission WHERE file_sha256 = ?",
                [f"sha-results-{agency}-{year}-{quarter}"],
            ).fetchall()
            month = quarter * 3 + 1
            loaded = datetime(year + (month > 12), (month - 1) % 12 + 1, 10)
            ids[key] = existing[0][0] if existing else add_submission(con, year, quarter, agency, loaded)
    con.executemany(
        "INSERT INTO fact_result VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'data', ?, ?, NULL, NULL)",
        [(ids[(r[0], r[1], r[2])], *r, r[7], f"C{i + 2}", current) for i, r in enumerate(rows)],
    )
    refresh_derived(con)  # weights and result_sums, as etl.store.ledger would have stored them
    close_all_quarters(con)


def close_all_quarters(con: duckdb.DuckDBPyConnection) -> None:
    """Close every quarter with figures, as the secretariat has in a warehouse in use (ui.cycle).

    Fixture figures may be for quarters that have not ended, which warehouse.cycle would refuse to
    close: written directly. Tests of open quarters reopen or delete what they need.
    """
    con.execute(
        "INSERT OR IGNORE INTO quarter_close SELECT year, quarter, TIMESTAMP '2026-01-01', 'fixture', "
        "missions_reported, agencies_reported FROM quarter_reporting"
    )


def add_targets(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    """Insert current (year, metric, sector, mission, agency, value) targets."""
    sid = add_submission(con, 0, 0, "mss", datetime(2026, 1, 5), kind="targets") if rows else 0
    con.executemany(
        "INSERT INTO fact_target VALUES (?, ?, ?, ?, ?, ?, ?, '목표', ?, true)",
        [(sid, *r, f"F{i + 2}") for i, r in enumerate(rows)],
    )


def export_rows() -> list[tuple]:
    """The export_value table of the module docstring as figures."""
    rows = []
    for (mission, sector, (agency, program)), years in EXPORT.items():
        for year, values in years.items():
            for quarter, value in enumerate(values, start=1):
                if value is not None:
                    rows.append((year, quarter, agency, mission, sector, program, "export_value", value))
    return rows


def _build_golden(path: Path) -> None:
    con = new_warehouse(path)
    add_figures(con, export_rows() + OTHER_FIGURES)
    # a superseded figure: must never count
    add_figures(
        con, [(2026, 2, "mss", "VN-HAN", "kbeauty", "emb_collab", "export_value", 999)], current=False
    )
    add_targets(con, TARGETS)
    con.close()


def golden_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """The golden warehouse of this module (a copy of one built once), open read-write."""
    return open_connection(copy_of("golden", _build_golden, path))
