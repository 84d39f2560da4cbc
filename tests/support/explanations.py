"""A small warehouse where some 2026 targets are at 주의 or 미흡, and an independent oracle of their statuses.

The page fixtures' figures (tests/support/pages.py, 2025 Q1 – 2026 Q2, every quarter closed) with
targets raised so that four of them fall short by 2026 Q2. `oracle_statuses` judges each target
straight from ROWS (year to date against the share 2025 had reached by Q2 × target), without the
app's SQL.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.pages import ROWS, build, total
from tests.support.prepared import copy_of
from warehouse.connection import connection

YEAR, QUARTER = 2026, 2
# (metric, sector, mission, agency) → annual target; every one of them replaces the fixture's
TARGETS = {
    ("firms_supported", None, None, None): 400.0,  # on track
    ("firms_supported", None, None, "mss"): 1000.0,  # 주의: about 81 % of the pace
    ("firms_supported", None, None, "kosme"): 1000.0,  # 미흡
    ("firms_supported", None, "VN-HAN", None): 600.0,  # 주의
    ("firms_supported", None, "US-LAX", None): 100.0,  # on track
    ("firms_supported", "bio", None, None): 500.0,  # 미흡
    ("export_value", "kbeauty", None, None): 3000.0,  # on track
}


def build_short(path: Path) -> Path:
    """The fixture warehouse with TARGETS in force (a copy of one built once)."""
    return copy_of("short", _build_short, path)


def _build_short(path: Path) -> Path:
    build(path)
    with connection(path) as con:
        con.execute("DELETE FROM fact_target")
        con.executemany(
            "INSERT INTO fact_target (submission_id, year, metric_code, sector_code, mission_code, agency_code, "
            "value, source_sheet, source_cell, is_current) VALUES (999, ?, ?, ?, ?, ?, ?, '목표', 'A1', true)",
            [(YEAR, *key, value) for key, value in TARGETS.items()],
        )
        # the fixture numbers its submissions by hand: move the sequence past them for the app's edits
        con.execute(
            "SELECT max(nextval('submission_seq')) FROM range((SELECT max(submission_id) FROM submission))"
        )
    return path


def _where(sector, mission, agency) -> dict:
    where = {}
    if sector:
        where["sector"] = sector
    if mission:
        where["mission"] = mission
    if agency:
        where["agency"] = agency
    return where


def oracle_statuses() -> dict[tuple, str]:
    """Each target's status in 2026 Q2, from ROWS alone."""
    assert ROWS
    out = {}
    for (metric, sector, mission, agency), target in TARGETS.items():
        where = _where(sector, mission, agency)
        ytd = total(metric, year=YEAR, quarter=(1, 2), **where)
        share = total(metric, year=2025, quarter=(1, 2), **where) / total(metric, year=2025, **where)
        expected = share * target
        status = "on_track" if ytd >= expected else "at_risk" if ytd >= 0.8 * expected else "behind"
        out[(metric, sector, mission, agency)] = status
    return out


def oracle_owner(key: tuple) -> str:
    return key[3] or "mss"
