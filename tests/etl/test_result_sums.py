"""result_sums stays equal to the figures it is derived from, through every way they change.

Returns are real .xlsx files through the loader. The expected sums are computed here from the
contract view `results` and the stored weights, not with warehouse.result_sums' own SQL.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from etl import intake
from etl.problems import Refused
from etl.store.ledger import rollback
from metrics import Filters, actuals, registry, scorecard
from tests.support.state import assert_in_step, stored_sums
from tests.support.upload import PROGRAM, filled_return
from warehouse.connection import connection

VOUCHER = "수출바우처"


def row(mission: str, sector: str, program: str, firms: float, satisfaction: float | None) -> list:
    # the template's columns: mission, sector, program, then the metrics in registry order
    figures = [firms, 4, 1, 50.0, 0, 0, 0, 1, 2, 0, satisfaction]
    return [mission, sector, program, *figures]


def load(con, tmp: Path, name: str, rows: list[list], quarter: int = 1, agency: str = "mofa"):
    path = tmp / name
    filled_return(path, rows, year=2026, quarter=quarter, agency=agency)
    return intake.load(con, path, intake.Actor("test"))


def test_sums_follow_loads_corrections_and_rollbacks(tmp_path: Path) -> None:
    with connection(tmp_path / "w.duckdb") as con:
        # two programs of one mission and sector sum into one row; satisfaction keeps its weights
        first = load(
            con,
            tmp_path,
            "q1.xlsx",
            [
                row("주베트남 대사관", "K-뷰티", PROGRAM, 10, 80),
                row("주베트남 대사관", "K-뷰티", VOUCHER, 30, 60),
                row("주호치민 총영사관", "바이오", PROGRAM, 5, None),
            ],
        )
        assert_in_step(con)
        vn = con.execute(
            "SELECT value, wv, w FROM result_sums WHERE mission_code = 'VN-HAN' AND metric_code = ?",
            ["satisfaction"],
        ).fetchall()
        assert vn == [(140.0, 80 * 10 + 60 * 30, 40.0)]
        load(con, tmp_path, "q2_kosme.xlsx", [row("주베트남 대사관", "IT", VOUCHER, 7, 90)], 2, "kosme")
        assert_in_step(con)
        # a correction replaces Q1 of mofa's Hanoi slice only
        correction = load(con, tmp_path, "q1_fix.xlsx", [row("주베트남 대사관", "K-뷰티", PROGRAM, 12, 70)])
        assert_in_step(con)
        assert con.execute(
            "SELECT value FROM result_sums WHERE quarter = 1 AND mission_code = 'VN-HAN' "
            "AND metric_code = 'firms_supported'"
        ).fetchall() == [(12.0,)]
        rollback(con, correction.result.submission_id, by="test")
        assert_in_step(con)
        rollback(con, first.result.submission_id, by="test")
        assert_in_step(con)
        assert con.execute("SELECT count(*) FROM result_sums WHERE quarter = 1").fetchall() == [(0,)]


def test_a_refused_return_leaves_the_sums_as_they_were(tmp_path: Path) -> None:
    with connection(tmp_path / "w.duckdb") as con:
        load(con, tmp_path, "q1.xlsx", [row("주베트남 대사관", "K-뷰티", PROGRAM, 10, 80)])
        before = stored_sums(con)
        with pytest.raises(Refused):
            load(con, tmp_path, "bad.xlsx", [row("주베트남 대사관", "K-뷰티", PROGRAM, -3, 80)])
        pd.testing.assert_frame_equal(stored_sums(con), before)


def test_a_warehouse_from_before_result_sums_gets_them_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with connection(path) as con:
        load(con, tmp_path, "q1.xlsx", [row("주베트남 대사관", "K-뷰티", PROGRAM, 10, 80)])
        con.execute("DROP TABLE result_sums")
        con.execute("DELETE FROM meta WHERE key = 'result_sums'")
    with connection(path) as con:
        assert_in_step(con)


def test_a_warehouse_from_before_result_rollup_gets_it_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with connection(path) as con:
        load(con, tmp_path, "q1.xlsx", [row("주베트남 대사관", "K-뷰티", PROGRAM, 10, 80)])
        con.execute("DROP TABLE result_rollup")
        con.execute("DELETE FROM meta WHERE key = 'result_rollup'")
        con.execute("DELETE FROM meta WHERE key = 'schema_digest'")
    with connection(path, read_only=True) as con:  # not migrated yet: the metrics read result_sums
        before = scorecard(con, Filters(year=2026))
    with connection(path) as con:
        assert_in_step(con)
    with connection(path, read_only=True) as con:
        pd.testing.assert_frame_equal(scorecard(con, Filters(year=2026)), before)


def test_every_metric_reads_the_same_from_the_sums_as_from_the_figures(demo_db: Path) -> None:
    """A filter on every program sends the same query to the figures themselves (results_weighted)."""
    programs = tuple(con_row[0] for con_row in _programs(demo_db))
    by = ("year", "quarter", "agency", "mission", "sector")
    with connection(demo_db, read_only=True) as con:
        from_sums = actuals(con, Filters(), by=by)
        from_figures = actuals(con, Filters(programs=programs), by=by)
        assert len(from_sums) > 1000
        pd.testing.assert_frame_equal(from_sums, from_figures)
        # satisfaction, a weighted mean, took both paths too
        assert "satisfaction" in set(from_sums["metric_code"])
        means = [m.code for m in registry.all_metrics() if m.is_mean]
        assert means == ["satisfaction"]
        # and the scorecard's year to date, pace and projection, which read every earlier year
        # (a program filter leaves no target, so the target columns differ by design)
        same = ["metric_code", "ytd_value", "quarters_reported", "expected_share", "projection", "prev_value"]
        plain = scorecard(con, Filters(year=2026))[same]
        direct = scorecard(con, Filters(year=2026, programs=programs))[same]
        assert plain["expected_share"].notna().any()
        pd.testing.assert_frame_equal(plain, direct)


def _programs(db: Path) -> list[tuple]:
    with connection(db, read_only=True) as con:
        return con.execute("SELECT program_code FROM programs ORDER BY ALL").fetchall()
