"""Submission completeness (제출 현황): which missions and agencies reported which quarter.

Rules decided here:
- a (mission, year, quarter) counts as reported when any current figure exists for it among the
  filtered figures (a sector filter asks "did they report K-beauty?"); the same for agencies;
- expected units are every mission (agency) of the reference data kept by the mission/region
  (agency) filters, for each quarter from quarter_from to the as-of quarter (`latest_period`);
  before anything is reported in the year nothing is due, unless quarter_to names the quarter;
- lineage comes from results_lineage: number of returns (submissions) behind the figures and the
  latest loaded_at.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from metrics.db import fetch_df, sql_file
from metrics.filters import ALL, Filters, dimension_predicate
from metrics.period import resolve

_UNITS = {
    "mission": ("mission_code", "agency_code", "agencies"),
    "agency": ("agency_code", "mission_code", "missions"),
}

_COMPLETENESS_SUMMARY = """
SELECT year, quarter, count(*)::INTEGER AS expected, count(*) FILTER (WHERE reported)::INTEGER AS reported,
       count(*) FILTER (WHERE reported) * 100.0 / count(*) AS rate_pct
FROM ({inner}) AS c
GROUP BY ALL
ORDER BY quarter
"""


def completeness_sql(
    con: duckdb.DuckDBPyConnection, filters: Filters, by: str
) -> tuple[str, dict[str, object]]:
    """The completeness grid query and its parameters."""
    key = by.removesuffix("_code")
    if key not in _UNITS:
        raise ValueError(f"completeness is by 'mission' or 'agency', not {by!r}")
    unit, other, other_plural = _UNITS[key]
    as_of = resolve(con, filters)
    where, params = dimension_predicate(filters, "r")
    if key == "mission":
        expected, ref_params = dimension_predicate(
            filters, "m", skip=("agencies", "sectors", "programs", "metrics")
        )
        expected_sql = f"SELECT m.mission_code FROM missions AS m WHERE {expected}"
    else:
        expected, ref_params = dimension_predicate(
            filters, "a", skip=("missions", "regions", "sectors", "programs", "metrics")
        )
        expected_sql = f"SELECT a.agency_code FROM agencies AS a WHERE {expected}"
    params.update(ref_params)
    text = sql_file("completeness").format(
        unit=unit, other=other, other_plural=other_plural, expected=expected_sql, where=where
    )
    params.update(year=as_of.year, as_of=as_of.quarter, quarter_from=filters.quarter_from)
    return text, params


def completeness(con: duckdb.DuckDBPyConnection, filters: Filters = ALL, by: str = "mission") -> pd.DataFrame:
    """One row per expected (quarter, mission) — or (quarter, agency) with by='agency'.

    Columns: year, quarter (Int64), mission_code | agency_code (str), reported (bool), figures
    (Int64), agencies | missions (Int64: how many reported alongside), agency_codes |
    mission_codes (str, comma-separated, NULL when not reported), submissions (Int64: returns
    behind the figures), last_loaded_at (datetime, NULL when not reported).
    """
    text, params = completeness_sql(con, filters, by)
    return fetch_df(con, text, params)


def completeness_summary(
    con: duckdb.DuckDBPyConnection, filters: Filters = ALL, by: str = "mission"
) -> pd.DataFrame:
    """Per quarter: expected and reported missions (or agencies) and the rate.

    Columns: year, quarter, expected, reported (Int64), rate_pct (float).
    """
    text, params = completeness_sql(con, filters, by)
    return fetch_df(con, _COMPLETENESS_SUMMARY.format(inner=text), params)
