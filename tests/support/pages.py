"""A small fixed warehouse for the page tests: every figure is known, so every number on a page is too.

Two agencies (mss, kosme), three missions (VN-HAN, US-LAX — a K-beauty hub from 2026 —, FR-PAR),
two sectors (kbeauty, bio), one program, two metrics (firms_supported, export_value), 2025 Q1–Q4
and 2026 Q1–Q2. Values follow a formula (`firms`, `export`) so tests can compute what a page
should show straight from `ROWS`, independently of the SQL the app runs.
Returns: mss sends each quarter within 20 days; kosme sends 2026 Q2 late; mss has no 2026 Q2
figures for FR-PAR (missing).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.support.metrics import close_all_quarters
from tests.support.prepared import copy_of
from warehouse.connection import open_connection
from warehouse.derived import refresh_derived

AGENCIES = ("mss", "kosme")
MISSIONS = ("VN-HAN", "US-LAX", "FR-PAR")
SECTORS = ("kbeauty", "bio")
PERIODS = ((2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1), (2026, 2))
MISSING = {("mss", "FR-PAR", 2026, 2)}  # a return that never came
LATE = {("kosme", 2026, 2): datetime(2026, 8, 20)}  # due 2026-07-30

_AGENCY = {"mss": 10, "kosme": 4}
_MISSION = {"VN-HAN": 3, "US-LAX": 2, "FR-PAR": 1}
_SECTOR = {"kbeauty": 2, "bio": 1}


def firms(agency: str, mission: str, sector: str, year: int, quarter: int) -> int:
    return _AGENCY[agency] * _MISSION[mission] * _SECTOR[sector] + (year - 2025) * 5 + quarter


def export(agency: str, mission: str, sector: str, year: int, quarter: int) -> float:
    return 10.0 * firms(agency, mission, sector, year, quarter) + 0.5


def _rows() -> list[tuple]:
    rows = []
    for year, quarter in PERIODS:
        for agency in AGENCIES:
            for mission in MISSIONS:
                if (agency, mission, year, quarter) in MISSING:
                    continue
                for sector in SECTORS:
                    if agency == "kosme" and sector == "bio":
                        continue  # kosme works in K-beauty only
                    args = (agency, mission, sector, year, quarter)
                    rows.append((*args, "firms_supported", float(firms(*args))))
                    rows.append((*args, "export_value", export(*args)))
    return rows


# (agency, mission, sector, year, quarter, metric, value)
ROWS = _rows()

# (year, metric, sector, mission, agency, value); None = all
TARGETS = (
    (2026, "firms_supported", None, None, None, 400.0),
    (2026, "firms_supported", "kbeauty", None, None, 300.0),
    (2026, "firms_supported", "bio", None, None, 100.0),
    (2026, "firms_supported", None, "VN-HAN", None, 200.0),
    (2026, "firms_supported", None, "US-LAX", None, 100.0),
    (2026, "firms_supported", None, None, "mss", 250.0),
    (2026, "export_value", "kbeauty", None, None, 3000.0),
)


def total(metric: str, **where) -> float:
    """Sum of ROWS for a metric where each given field is in its allowed values (the test oracle)."""
    fields = ("agency", "mission", "sector", "year", "quarter")
    out = 0.0
    for row in ROWS:
        if row[5] != metric:
            continue
        values = dict(zip(fields, row[:5], strict=True))
        if all(values[k] in (v if isinstance(v, (tuple, list, set)) else (v,)) for k, v in where.items()):
            out += row[6]
    return out


def build(path: Path) -> Path:
    """The fixed warehouse at `path` (a copy of one built once by `_build`)."""
    return copy_of("pages", _build, path)


def _build(path: Path) -> Path:
    """Write the fixed warehouse at `path` (schema and reference data from the project's own files)."""
    con = open_connection(path)
    try:
        submission_id = 0
        for year, quarter in PERIODS:
            for agency in AGENCIES:
                submission_id += 1
                loaded = LATE.get((agency, year, quarter)) or datetime(
                    year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 15
                )
                period = f"{year}Q{quarter}"
                con.execute(
                    "INSERT INTO submission (submission_id, kind, file_name, file_sha256, reporter, agency_codes, "
                    "period_first, period_last, row_count, loaded_at, loaded_by, status) "
                    "VALUES (?, 'results', ?, ?, ?, ?, ?, ?, 0, ?, 'test', 'current')",
                    [
                        submission_id,
                        f"{period}_{agency}.xlsx",
                        f"sha{submission_id}",
                        agency,
                        agency,
                        period,
                        period,
                        loaded,
                    ],
                )
                figures = [r for r in ROWS if r[0] == agency and (r[3], r[4]) == (year, quarter)]
                con.executemany(
                    "INSERT INTO fact_result (submission_id, year, quarter, agency_code, mission_code, sector_code, "
                    "program_code, metric_code, value, source_sheet, source_cell, is_current) "
                    "VALUES (?, ?, ?, ?, ?, ?, 'emb_collab', ?, ?, '실적', 'A1', true)",
                    [(submission_id, r[3], r[4], r[0], r[1], r[2], r[5], r[6]) for r in figures],
                )
                con.execute(
                    "UPDATE submission SET row_count = ? WHERE submission_id = ?",
                    [len(figures), submission_id],
                )
        con.execute(
            "INSERT INTO submission (submission_id, kind, file_name, file_sha256, row_count, status) "
            "VALUES (999, 'targets', 'targets.xlsx', 'sha-t', ?, 'current')",
            [len(TARGETS)],
        )
        con.executemany(
            "INSERT INTO fact_target (submission_id, year, metric_code, sector_code, mission_code, agency_code, value, "
            "source_sheet, source_cell, is_current) VALUES (999, ?, ?, ?, ?, ?, ?, '목표', 'A1', true)",
            list(TARGETS),
        )
        refresh_derived(con)  # weights and result_sums, as etl.store.ledger keeps them
        close_all_quarters(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def add_figure(
    path: Path, agency: str, mission: str, sector: str, year: int, quarter: int, metric: str, value: float
) -> None:
    """Load one more figure, as a new return would (for the cache test)."""
    con = open_connection(path)
    try:
        con.execute(
            "INSERT INTO submission (submission_id, kind, file_name, file_sha256, reporter, agency_codes, period_first, "
            "period_last, row_count, loaded_by, status) VALUES (1000, 'results', 'late.xlsx', 'sha-late', ?, ?, ?, ?, "
            "1, 'test', 'current')",
            [agency, agency, f"{year}Q{quarter}", f"{year}Q{quarter}"],
        )
        con.execute(
            "INSERT INTO fact_result VALUES (1000, ?, ?, ?, ?, ?, 'kstartup_net', ?, ?, NULL, '실적', 'A1', true, NULL, NULL)",
            [year, quarter, agency, mission, sector, metric, value],
        )
        refresh_derived(con)
        close_all_quarters(con)
    finally:
        con.close()


# --- AppTest helpers ------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


def run_page(page: str, db: Path, monkeypatch, **params) -> AppTest:
    """The dashboard on `db`, opened at `page` with these URL parameters (lists for repeated ones)."""
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_ROLE", "admin")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    # straight to the page, as its URL opens it: a first run on 요약 would only cost a page's run
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def run_page_file(
    page: str, db: Path, monkeypatch, *, role: str | None = None, user: str | None = None, lang: str = "ko"
) -> AppTest:
    """One page file run by itself on `db` (no entry script), with a fresh data cache."""
    import streamlit as st

    monkeypatch.setenv("DASHBOARD_DB", str(db))
    for name, value in (("DASHBOARD_ROLE", role), ("DASHBOARD_USER", user)):
        if value is not None:
            monkeypatch.setenv(name, value)
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    if lang != "ko":
        at.query_params["lang"] = lang
    return at.run()


def metrics_shown(at: AppTest) -> list[tuple[str, str]]:
    """(label, value) of every st.metric on the page, in order."""
    return [(m.label, m.value) for m in at.metric]


def table_with(at: AppTest, *columns: str):
    """The first shown table that has all these columns (its DataFrame)."""
    for frame in at.dataframe:
        df = frame.value
        if all(c in df.columns for c in columns):
            return df
    raise AssertionError(
        f"no table with columns {columns}; tables: {[list(d.value.columns) for d in at.dataframe]}"
    )


def set_filter(at: AppTest, key: str, value) -> AppTest:
    """Change a sidebar filter by its key and rerun."""
    widget = at.sidebar.multiselect(key=key) if key not in ("year", "q") else None
    if key == "year":
        widget = at.sidebar.selectbox(key="year")
    elif key == "q":
        widget = at.sidebar.select_slider(key="q")
    widget.set_value(value).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def past_fixture_ids(con) -> None:
    """The fixed warehouse numbers its submissions itself (up to 1000): move the sequence past them."""
    con.execute("SELECT nextval('submission_seq') FROM range(1001)").fetchall()
