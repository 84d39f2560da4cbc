"""Attainment (달성률): year-to-date actuals against annual targets, with pace, status and projection.

Rules (docs/reference.md, and the details decided here):
- attainment % = year-to-date ÷ annual target × 100, at the target's own granularity: a target for
  all sectors is compared with the total, a mission's target with that mission's figures;
- year to date = Q1 .. the as-of quarter (`latest_period`); `quarter_from` does not shorten it;
  a quarter with no figures adds nothing (it is not imputed) and `quarters_reported` shows it;
- satisfaction: year to date is the firms-weighted mean, expected value = the target itself;
- status (상태): 'on_track' 정상 where actual ≥ expected (= expected share × target), 'at_risk' 주의
  from 80 % of expected, 'behind' 미흡 below; 'no_data' 자료없음 when the scope has a target but no
  figure this year; NULL without a target. Comparisons allow 1e-9 relative rounding slack.
  For a lower-is-better metric with a target (none today) the test is mirrored: on track at or
  below expected, at risk up to expected ÷ 0.8;
- no target → no attainment: attainment_pct, expected_value, status are NULL (never 0 %, never an
  error);
- target 0 → attainment_pct and projection_pct are NULL (a ratio to zero is undefined); status is
  judged as usual, so any actual ≥ 0 is on track;
- which targets apply under which filters, and duplicates: see metrics.targets.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from metrics import registry
from metrics.db import fetch_all, fetch_df
from metrics.filters import ALL, Filters
from metrics.pace import LEVEL_SQL, LEVELS, core_sql
from metrics.period import resolve
from metrics.targets import GID_SQL, SCORECARD_BY, metric_goal_sql, target_goal_sql, target_where

STATUS_LABELS = {
    "on_track": ("정상", "On track"),
    "at_risk": ("주의", "At risk"),
    "behind": ("미흡", "Behind"),
    "no_data": ("자료없음", "No data"),
}
AT_RISK_FROM = 0.8  # docs/reference.md: at risk from 80 % of the expected value


def status_label(status: str | None, lang: str = "ko") -> str:
    """Display label of a status code ('' for None)."""
    if status is None or status != status:  # None or NaN
        return ""
    ko, en = STATUS_LABELS[status]
    return ko if lang == "ko" else en


_JUDGED_COLUMNS = """
    target, ytd_value, quarters_reported::INTEGER AS quarters_reported,
    CASE WHEN target <> 0 THEN ytd_value / target * 100 END AS attainment_pct,
    expected_share, expected_value,
    CASE WHEN expected_value <> 0 THEN ytd_value / expected_value * 100 END AS vs_expected_pct,
    CASE WHEN target IS NULL THEN NULL
         WHEN ytd_value IS NULL THEN 'no_data'
         WHEN higher_is_better THEN
             CASE WHEN ytd_value >= expected_value - tol THEN 'on_track'
                  WHEN ytd_value >= $at_risk_from * expected_value - tol THEN 'at_risk'
                  ELSE 'behind' END
         ELSE
             CASE WHEN ytd_value <= expected_value + tol THEN 'on_track'
                  WHEN ytd_value <= expected_value / $at_risk_from + tol THEN 'at_risk'
                  ELSE 'behind' END
    END AS status,
    projection,
    CASE WHEN target <> 0 THEN projection / target * 100 END AS projection_pct,
    pace_basis, prior_years::INTEGER AS prior_years,
    prev_value,
    CASE WHEN prev_value > 0 THEN (ytd_value - prev_value) / prev_value * 100 END AS growth_pct
FROM judged
ORDER BY unit_order, sort_order, sector_code NULLS FIRST, mission_code NULLS FIRST, agency_code NULLS FIRST
"""

_ATTAINMENT = (
    """
SELECT $year::INTEGER AS year, nullif($as_of, 0)::INTEGER AS as_of_quarter, {level_sql} AS level,
       metric_code, sector_code, mission_code, agency_code,"""
    + _JUDGED_COLUMNS
)

_SCORECARD = (
    """
SELECT $year::INTEGER AS year, nullif($as_of, 0)::INTEGER AS as_of_quarter, {by_column}metric_code,"""
    + _JUDGED_COLUMNS
)

_COMMON_DOC = """
    Columns: year, as_of_quarter (Int64; as_of_quarter NULL when nothing is reported in the year),
    {extra}target, ytd_value (float), quarters_reported (Int64: quarters up to the as-of quarter
    with figures), attainment_pct, expected_share (share of the annual target due by the as-of
    quarter; NULL for satisfaction), expected_value, vs_expected_pct (ytd ÷ expected × 100),
    status ('on_track' | 'at_risk' | 'behind' | 'no_data' | NULL), projection (year-end),
    projection_pct (projection ÷ target × 100), pace_basis ('prior_years' | 'linear' | 'target'),
    prior_years (Int64: full prior years behind the pace), prev_value (same quarters a year
    earlier), growth_pct (year-on-year, NULL when prev_value is not positive).
"""


def _base_params(year: int | None, as_of: int) -> dict[str, object]:
    return {"year": year, "as_of": as_of, "at_risk_from": AT_RISK_FROM}


def attainment_sql(
    con: duckdb.DuckDBPyConnection, filters: Filters, level: str | None = None
) -> tuple[str, dict[str, object]]:
    """The attainment query (see `attainment`) and its parameters."""
    if level is not None and level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; use one of {tuple(LEVELS)}")
    as_of = resolve(con, filters)
    where, params = target_where(filters)
    if level is not None:
        where += f" AND {GID_SQL.format(a='t')} = $level_gid"
        params["level_gid"] = LEVELS[level]
    goal = target_goal_sql(where)
    params.update(_base_params(as_of.year, as_of.quarter))
    if level is not None:
        gids = {LEVELS[level]}
    else:
        # The targets decide the work: one grouping per granularity present, nothing at all
        # without targets. A plain DISTINCT, has_target from the registry: planning a join costs more.
        shapes = fetch_all(
            con,
            f"SELECT DISTINCT {GID_SQL.format(a='t')}, t.metric_code FROM targets AS t "
            f"WHERE t.year = $year AND {where}",
            params,
        )
        known = {m.code for m in registry.all_metrics() if m.has_target}
        gids = {gid for gid, code in shapes if code in known}
    text, core_params = core_sql(filters, goal, gids or {7}, as_of, empty=not gids)
    params.update(core_params)
    return text + _ATTAINMENT.format(level_sql=LEVEL_SQL), params


def attainment(
    con: duckdb.DuckDBPyConnection, filters: Filters = ALL, level: str | None = None
) -> pd.DataFrame:
    """One row per current target of the year in scope, with its actual, attainment, status and pace.

    `level` keeps one granularity: 'total', 'sector', 'mission', 'agency', 'sector+mission',
    'sector+agency', 'mission+agency', 'sector+mission+agency' (None: every level present; each
    level costs one more pass, so pages should ask for the one they show).
    """
    text, params = attainment_sql(con, filters, level)
    return fetch_df(con, text, params)


attainment.__doc__ = (attainment.__doc__ or "") + _COMMON_DOC.format(
    extra="level (str), metric_code, sector_code, mission_code, agency_code (str; NULL = all),\n    "
)


def scorecard(con: duckdb.DuckDBPyConnection, filters: Filters = ALL, by: str | None = None) -> pd.DataFrame:
    """One row per metric (registry order) over the filtered figures: the executive summary.

    The scope's target is the one of exactly the filtered scope (see `metrics.targets.scope_target_sql`); metrics
    without one still get their year to date, projection and growth. Empty when there is no year.
    With `by` ('sector', 'mission' or 'agency') there is one block of metric rows per value of that
    dimension that the filters keep (every mission, say, in reference order), each judged against
    its own target, in one pass; the first column is then sector_code, mission_code or agency_code.
    """
    goal, params = metric_goal_sql(filters, by)
    as_of = resolve(con, filters)
    gid = 7 if by is None else 7 - {"sector": 4, "mission": 2, "agency": 1}[by]
    text, core_params = core_sql(filters, goal, {gid}, as_of)
    params.update(core_params, **_base_params(as_of.year, as_of.quarter))
    by_column = f"{SCORECARD_BY[by][0]}, " if by else ""
    return fetch_df(con, text + _SCORECARD.format(by_column=by_column), params)


scorecard.__doc__ = (scorecard.__doc__ or "") + _COMMON_DOC.format(extra="metric_code (str), ")
