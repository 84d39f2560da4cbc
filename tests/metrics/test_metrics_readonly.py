"""Every public metrics function works on a read-only connection and never imports the UI."""

import subprocess
import sys

import pandas as pd
import pytest

import metrics
from tests.support.metrics import golden_warehouse
from warehouse.connection import open_connection


def test_every_function_runs_read_only(tmp_path):
    path = tmp_path / "w.duckdb"
    golden_warehouse(path).close()
    con = open_connection(path, read_only=True)
    try:
        f = metrics.Filters(year=2026)
        frames = [
            metrics.actuals(con, f, by=("region", "sector")),
            metrics.scorecard(con, f),
            metrics.scorecard(con, f, by="agency"),
            metrics.attainment(con, f),
            metrics.pace_curve(con, f),
            metrics.growth(con, f, by="mission"),
            metrics.rank_missions(con, f),
            metrics.completeness(con, f),
            metrics.completeness_summary(con, f, by="agency"),
            metrics.kbeauty_comparison(con, f),
        ]
        assert all(isinstance(df, pd.DataFrame) and not df.empty for df in frames)
        assert metrics.latest_period(con) == (2026, 2)
    finally:
        con.close()


@pytest.mark.process
def test_metrics_never_imports_streamlit_or_plotly():
    code = "import sys, metrics, metrics.registry; sys.exit(any(m in sys.modules for m in ('streamlit', 'plotly')))"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_fetch_df_passes_only_the_parameters_the_query_uses(tmp_path):
    from metrics.db import fetch_df

    con = open_connection(tmp_path / "w.duckdb")
    try:
        # $unused appears only in a comment; DuckDB would refuse it as an extra parameter
        df = fetch_df(
            con,
            "-- $unused is not a parameter\nSELECT $a::INTEGER AS n, NULL::VARCHAR AS s",
            {"a": 1, "unused": 2},
        )
    finally:
        con.close()
    assert str(df["n"].dtype) == "Int64" and df["n"].iloc[0] == 1
    assert pd.api.types.is_string_dtype(df["s"]) and df["s"].isna().all()
