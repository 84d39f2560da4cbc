"""Attainment (달성률): year-to-date actuals against annual targets, with pace, status and projection.

Rules (DOMAIN.md, and the details decided here):
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
  error); metrics whose registry entry says has_target = false never get one;
- target 0 → attainment_pct and projection_pct are NULL (a ratio to zero is undefined); status is
  judged as usual, so any actual ≥ 0 is on track;
- several current targets for the same year and scope should not exist (the loader replaces them);
  if they do, the largest counts;
- with dimension filters, a target is shown only if it pins every filtered dimension to a selected
  value (a sector filter keeps sector targets, not the all-sector one, whose total would include
  sectors that are filtered out); a program filter therefore leaves no target, since targets have
  no program.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from metrics.db import fetch_df, fetch_one
from metrics.filters import ALL, Filters, dimension_predicate
from metrics.pace import _GOAL, LEVEL_SQL, LEVELS, _metric_where, core_sql
from metrics.period import resolve

STATUS_LABELS = {
    "on_track": ("정상", "On track"),
    "at_risk": ("주의", "At risk"),
    "behind": ("미흡", "Behind"),
    "no_data": ("자료없음", "No data"),
}
AT_RISK_FROM = 0.8  # DOMAIN.md: at risk from 80 % of the expected value


def status_label(status: str | None, lang: str = "ko") -> str:
    """Display label of a status code ('' for None)."""
    if status is None or status != status:  # None or NaN
        return ""
    ko, en = STATUS_LABELS[status]
    return ko if lang == "ko" else en


_TARGET_GOAL = """SELECT t.metric_code, t.sector_code, t.mission_code, t.agency_code, max(t.value) AS target,
           0 AS unit_order
    FROM targets AS t
    JOIN metrics AS m USING (metric_code)
    WHERE t.year = $year AND m.has_target AND {target_where}
    GROUP BY ALL"""

# The target for exactly the filtered scope (see scope_target_sql); `code` is the value of the
# dimension a by-scorecard splits on (NULL without one).
_SCOPE_TARGET = """SELECT t.metric_code, {code} AS code, max(t.value) AS target
    FROM targets AS t
    JOIN metrics AS m USING (metric_code)
    WHERE t.year = $year AND m.has_target AND {possible} AND {pins}
    GROUP BY ALL"""

# by -> (column, Filters field, reference view, its order)
SCORECARD_BY = {
    "sector": ("sector_code", "sectors", "sectors", "x.sort_order"),
    "mission": ("mission_code", "missions", "missions", "x.mission_code"),
    "agency": ("agency_code", "agencies", "agencies", "x.sort_order"),
}

# One goal per metric (× each value of the `by` dimension), with the scope's target if any.
_SCORECARD_GOAL = """SELECT m.metric_code, {dims}, t.target, u.unit_order
    FROM metrics AS m
    CROSS JOIN ({units}) AS u
    LEFT JOIN ({target}) AS t ON t.metric_code = m.metric_code AND t.code IS NOT DISTINCT FROM u.code
    WHERE $year IS NOT NULL AND {metric_where}"""

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


def target_where(filters: Filters, alias: str = "t") -> tuple[str, dict[str, object]]:
    """Targets consistent with the filters: each filtered dimension pinned to a selected value."""
    where, params = dimension_predicate(filters, alias, skip=("programs",))
    if filters.programs:
        where = "FALSE"  # targets have no program dimension, so none describes a program's figures
    return where, params


def attainment_sql(
    con: duckdb.DuckDBPyConnection, filters: Filters, level: str | None = None
) -> tuple[str, dict[str, object]]:
    """The attainment query (see `attainment`) and its parameters."""
    if level is not None and level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; use one of {tuple(LEVELS)}")
    as_of = resolve(con, filters)
    where, params = target_where(filters)
    if level is not None:
        where += f" AND {_gid_expr('t')} = $level_gid"
        params["level_gid"] = LEVELS[level]
    goal = _TARGET_GOAL.format(target_where=where)
    params.update(_base_params(as_of.year, as_of.quarter))
    if level is not None:
        gids = {LEVELS[level]}
    else:
        found = fetch_one(con, f"SELECT list(DISTINCT {_gid_expr('g')}) FROM ({goal}) AS g", params)[0]
        gids = set(found or ())
    text, core_params = core_sql(filters, goal, gids or {7}, as_of)
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


def scope_target_sql(filters: Filters, by: str | None = None) -> tuple[str, dict[str, object]]:
    """SQL (metric_code, code, target) for the target of exactly the filtered scope, and parameters.

    The filtered figures have a target only when the filters pin each of sector, mission and agency
    to at most one value and a target exists for that combination with the other dimensions "all";
    a program filter, several values in one dimension, or a region filter without a single mission
    leave the scope without a target (no attainment, not 0 %). With `by`, that dimension is pinned
    to each of its values in turn (`code`), whatever the filter holds for it.
    """
    column = SCORECARD_BY[by][0] if by else None
    pinned = {
        "sector_code": filters.sectors,
        "mission_code": filters.missions,
        "agency_code": filters.agencies,
    }
    possible = not filters.programs and all(len(v) <= 1 for c, v in pinned.items() if c != column)
    if filters.regions and column != "mission_code" and len(filters.missions) != 1:
        possible = False
    params: dict[str, object] = {}
    pins = []
    for c, values in pinned.items():
        if c == column:
            pins.append(f"t.{c} IS NOT NULL")
        else:
            params[f"scope_{c}"] = values[0] if values else None
            pins.append(f"t.{c} IS NOT DISTINCT FROM $scope_{c}")
    text = _SCOPE_TARGET.format(
        code=f"t.{column}" if column else "NULL::VARCHAR",
        possible="TRUE" if possible else "FALSE",
        pins=" AND ".join(pins),
    )
    return text, params


def scorecard(con: duckdb.DuckDBPyConnection, filters: Filters = ALL, by: str | None = None) -> pd.DataFrame:
    """One row per metric (registry order) over the filtered figures: the executive summary.

    The scope's target is the one of exactly the filtered scope (see `scope_target_sql`); metrics
    without one still get their year to date, projection and growth. Empty when there is no year.
    With `by` ('sector', 'mission' or 'agency') there is one block of metric rows per value of that
    dimension that the filters keep (every mission, say, in reference order), each judged against
    its own target, in one pass; the first column is then sector_code, mission_code or agency_code.
    """
    if by is not None and by not in SCORECARD_BY:
        raise ValueError(f"scorecard by {by!r}: use one of {tuple(SCORECARD_BY)}")
    as_of = resolve(con, filters)
    target, params = scope_target_sql(filters, by)
    metric_where, metric_params = _metric_where(filters)
    if by is None:
        goal = _GOAL.format(target=target, metric_where=metric_where)
    else:
        column, field, view, order = SCORECARD_BY[by]
        keep = ("regions", field) if by == "mission" else (field,)
        skip = tuple(
            f for f in ("agencies", "sectors", "missions", "regions", "programs", "metrics") if f not in keep
        )
        where, unit_params = dimension_predicate(filters, "x", skip=skip)
        params.update(unit_params)
        units = f"SELECT x.{column} AS code, row_number() OVER (ORDER BY {order}) AS unit_order FROM {view} AS x WHERE {where}"
        dims = ", ".join(
            f"u.code AS {c}" if c == column else f"NULL::VARCHAR AS {c}"
            for c in ("sector_code", "mission_code", "agency_code")
        )
        goal = _SCORECARD_GOAL.format(units=units, dims=dims, target=target, metric_where=metric_where)
    gid = 7 if by is None else 7 - {"sector": 4, "mission": 2, "agency": 1}[by]
    text, core_params = core_sql(filters, goal, {gid}, as_of)
    params.update(core_params, **metric_params, **_base_params(as_of.year, as_of.quarter))
    by_column = f"{SCORECARD_BY[by][0]}, " if by else ""
    return fetch_df(con, text + _SCORECARD.format(by_column=by_column), params)


scorecard.__doc__ = (scorecard.__doc__ or "") + _COMMON_DOC.format(extra="metric_code (str), ")


def _gid_expr(alias: str) -> str:
    return (
        f"(({alias}.sector_code IS NULL)::INTEGER * 4 + ({alias}.mission_code IS NULL)::INTEGER * 2"
        f" + ({alias}.agency_code IS NULL)::INTEGER)"
    )
