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

from metrics.completeness import open_coverage, withhold
from metrics.filters import ALL, Filters
from metrics.judge import AT_RISK_FROM, Goal, ScopeStats, goal_gid, ints, judge, texts
from metrics.pace import LEVEL_NAMES, LEVELS, scope_stats
from metrics.period import AsOf, resolve
from metrics.targets import SCORECARD_BY, metric_goals, target_goals

__all__ = ["AT_RISK_FROM", "STATUS_LABELS", "attainment", "scorecard", "status_label"]

STATUS_LABELS = {
    "on_track": ("정상", "On track"),
    "at_risk": ("주의", "At risk"),
    "behind": ("미흡", "Behind"),
    "no_data": ("자료없음", "No data"),
    # an open quarter too thinly reported to judge (metrics.completeness.withhold)
    "withheld": ("판정 보류", "Judgement withheld"),
}


def status_label(status: str | None, lang: str = "ko") -> str:
    """Display label of a status code ('' for None)."""
    if status is None or status != status:  # None or NaN
        return ""
    ko, en = STATUS_LABELS[status]
    return ko if lang == "ko" else en


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


def _judged_frame(
    con: duckdb.DuckDBPyConnection, filters: Filters, as_of: AsOf, goals: list[Goal], keys: dict[str, object]
) -> pd.DataFrame:
    """year, as_of_quarter, the `keys` columns, then the judged columns of `goals` (already in order)."""
    gids = {goal_gid(*g[1:4]) for g in goals}
    stats = scope_stats(con, filters, gids, as_of) if goals else ScopeStats.none()
    n = len(goals)
    head = {
        "year": ints([as_of.year] * n),
        "as_of_quarter": ints([as_of.quarter or None] * n),
    }
    frame = pd.DataFrame({**head, **keys, **judge(goals, stats, as_of.quarter)}, copy=False)
    frame["status"] = withhold(frame["status"], open_coverage(con, filters))  # 판정 보류 when thin
    return frame


def attainment(
    con: duckdb.DuckDBPyConnection, filters: Filters = ALL, level: str | None = None
) -> pd.DataFrame:
    """One row per current target of the year in scope, with its actual, attainment, status and pace.

    `level` keeps one granularity: 'total', 'sector', 'mission', 'agency', 'sector+mission',
    'sector+agency', 'mission+agency', 'sector+mission+agency' (None: every level present; each
    level costs one more pass, so pages should ask for the one they show).
    """
    if level is not None and level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; use one of {tuple(LEVELS)}")
    as_of = resolve(con, filters)
    goals = target_goals(con, filters, as_of.year, None if level is None else LEVELS[level])
    keys = {
        "level": texts([LEVEL_NAMES[goal_gid(*g[1:4])] for g in goals]),
        "metric_code": texts([g.metric_code for g in goals]),
        "sector_code": texts([g.sector_code for g in goals]),
        "mission_code": texts([g.mission_code for g in goals]),
        "agency_code": texts([g.agency_code for g in goals]),
    }
    return _judged_frame(con, filters, as_of, goals, keys)


attainment.__doc__ = (attainment.__doc__ or "") + _COMMON_DOC.format(
    extra="level (str), metric_code, sector_code, mission_code, agency_code (str; NULL = all),\n    "
)


def scorecard(con: duckdb.DuckDBPyConnection, filters: Filters = ALL, by: str | None = None) -> pd.DataFrame:
    """One row per metric (registry order) over the filtered figures: the executive summary.

    The scope's target is the one of exactly the filtered scope (see `metrics.targets.scope_targets`); metrics
    without one still get their year to date, projection and growth. Empty when there is no year.
    With `by` ('sector', 'mission' or 'agency') there is one block of metric rows per value of that
    dimension that the filters keep (every mission, say, in reference order), each judged against
    its own target, in one pass; the first column is then sector_code, mission_code or agency_code.
    """
    if by is not None and by not in SCORECARD_BY:
        raise ValueError(f"scorecard by {by!r}: use one of {tuple(SCORECARD_BY)}")
    as_of = resolve(con, filters)
    goals = metric_goals(con, filters, as_of.year, by)  # in display order
    keys: dict[str, object] = {}
    if by is not None:
        column = SCORECARD_BY[by][0]
        keys[column] = texts([getattr(g, column) for g in goals])
    keys["metric_code"] = texts([g.metric_code for g in goals])
    return _judged_frame(con, filters, as_of, goals, keys)


scorecard.__doc__ = (scorecard.__doc__ or "") + _COMMON_DOC.format(extra="metric_code (str), ")
