"""Expected pace (진도율): how far into the annual target a scope should be by each quarter.

The rule (docs/reference.md, with the details decided here):
- expected share by quarter q = mean, over prior *full* years, of (sum of Q1..q) ÷ (annual total);
- a prior year is full for a scope when that scope (same metric, same granularity, same filters)
  has figures in all four quarters (a reported 0 counts, a missing quarter does not) and a
  positive annual total; every earlier year in the warehouse is used, not only the last one;
- with no prior full year the share is q ÷ 4 (`pace_basis` = 'linear', else 'prior_years');
- a weighted mean (satisfaction) has no pace: its expected value is the target itself
  (`pace_basis` = 'target', `expected_share` NULL);
- year-end projection = year-to-date ÷ expected share (NULL when the share is 0); a mean projects
  as its year-to-date value.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from metrics.db import fetch_df, sql_file
from metrics.filters import ALL, Filters
from metrics.period import AsOf, resolve, upto_predicate
from metrics.scope import DIMS, GID_BITS, grouped_ctes
from metrics.targets import metric_goal_sql


def level_name(pinned: tuple[str, ...]) -> str:
    """'total', 'sector', 'mission', 'agency' or a '+'-joined combination, in sector/mission/agency order."""
    names = [d.removesuffix("_code") for d in DIMS if d in pinned]
    return "+".join(names) or "total"


def pinned_dims(gid: int) -> tuple[str, ...]:
    """The dimensions a granularity bitmask pins (bit clear = pinned)."""
    return tuple(d for d in DIMS if not gid & GID_BITS[d])


LEVELS = {level_name(pinned_dims(gid)): gid for gid in range(8)}  # level name -> gid
LEVEL_SQL = "CASE gid " + " ".join(f"WHEN {gid} THEN '{name}'" for name, gid in LEVELS.items()) + " END"


# Per scope value, metric and year (attainment_core.sql reads these): the quarters with figures
# as a bitmask, the annual total and the running total through the as-of quarter. Part 0 from
# plain figures, part 1 from a weighted mean's wv and w (see parts.sql).
_QUARTERS = "bit_or(1 << quarter) AS qmask"
YEAR_AGGREGATES = (
    f"{_QUARTERS}, sum(value) AS total, sum(value) FILTER (WHERE quarter <= $as_of) AS wv_to_date, "
    "NULL::DOUBLE AS w_to_date",
    f"{_QUARTERS}, sum(wv) AS total, sum(wv) FILTER (WHERE quarter <= $as_of) AS wv_to_date, "
    "sum(w) FILTER (WHERE quarter <= $as_of) AS w_to_date",
)
# For the pace chart only: the running totals through Q1, Q2 and Q3 (Q4 = total) as well.
_CURVE_AGGREGATES = (
    "".join(f", sum(value) FILTER (WHERE quarter <= {q}) AS wv{q}" for q in (1, 2, 3))
    + "".join(f", NULL::DOUBLE AS w{q}" for q in (1, 2, 3, 4)),
    "".join(f", sum(wv) FILTER (WHERE quarter <= {q}) AS wv{q}" for q in (1, 2, 3))
    + "".join(f", sum(w) FILTER (WHERE quarter <= {q}) AS w{q}" for q in (1, 2, 3, 4)),
)


def core_sql(
    filters: Filters,
    goal: str,
    gids: set[int],
    as_of: AsOf,
    *,
    curve: bool = False,
    weighted: bool = True,
    empty: bool = False,
) -> tuple[str, dict[str, object]]:
    """The shared CTE chain (metrics/sql/attainment_core.sql) for goals at the granularities `gids`.

    Figures of the selected year count up to $as_of; earlier years count whole (for the pace);
    weighted metrics are only read for this year and last, up to the as-of quarter unless `curve`
    (they have no pace). `curve` adds the running values by quarter (cum, prev_cum) to `judged`.
    weighted=False skips the weighted-mean pass (no goal needs it); empty=True reads no figures
    (there is no goal at all), so the result has the right columns and no rows at little cost.
    """
    aggregates = YEAR_AGGREGATES
    if curve:
        aggregates = (YEAR_AGGREGATES[0] + _CURVE_AGGREGATES[0], YEAR_AGGREGATES[1] + _CURVE_AGGREGATES[1])
    ctes, params = grouped_ctes(
        filters,
        keys=("year", *DIMS),
        sets=[pinned_dims(gid) for gid in sorted(gids)],
        where="FALSE" if empty else upto_predicate(as_of),
        weighted=weighted,
        mean_where="year >= $year - 1" + ("" if curve else " AND quarter <= $as_of"),
        regroup=False,
        aggregates=aggregates,
    )
    full_year = "q.year < $year AND q.qmask = 30 AND q.total > 0"
    text = sql_file("attainment_core").format(
        ctes=ctes,
        goal=goal,
        full_year=full_year,
        curve_per_scope=_CURVE_PER_SCOPE.format(full_year=full_year) if curve else "",
    )
    return text, params


# ... and per scope the expected share of every quarter and the running values, this year and last.
_CURVE_PER_SCOPE = """,
           [coalesce(avg(q.wv1 / q.total) FILTER (WHERE {full_year}), 0.25),
            coalesce(avg(q.wv2 / q.total) FILTER (WHERE {full_year}), 0.5),
            coalesce(avg(q.wv3 / q.total) FILTER (WHERE {full_year}), 0.75), 1.0] AS shares,
           [max(q.wv1 / coalesce(q.w1, 1)) FILTER (WHERE q.year = $year),
            max(q.wv2 / coalesce(q.w2, 1)) FILTER (WHERE q.year = $year),
            max(q.wv3 / coalesce(q.w3, 1)) FILTER (WHERE q.year = $year),
            max(q.total / coalesce(q.w4, 1)) FILTER (WHERE q.year = $year)] AS cum,
           [max(q.wv1 / coalesce(q.w1, 1)) FILTER (WHERE q.year = $year - 1),
            max(q.wv2 / coalesce(q.w2, 1)) FILTER (WHERE q.year = $year - 1),
            max(q.wv3 / coalesce(q.w3, 1)) FILTER (WHERE q.year = $year - 1),
            max(q.total / coalesce(q.w4, 1)) FILTER (WHERE q.year = $year - 1)] AS prev_cum"""

_CURVE = """
SELECT $year::INTEGER AS year, metric_code, q.quarter::INTEGER AS quarter,
       CASE WHEN NOT is_mean THEN shares[q.quarter] END AS expected_share,
       CASE WHEN is_mean THEN target ELSE shares[q.quarter] * target END AS expected_value,
       target,
       -- this year's running value only through the as-of quarter
       CASE WHEN q.quarter <= $as_of THEN cum[q.quarter] END AS cum_value,
       prev_cum[q.quarter] AS prev_cum_value
FROM judged
CROSS JOIN range(1, 5) AS q(quarter)
ORDER BY sort_order, q.quarter
"""


def pace_curve(con: duckdb.DuckDBPyConnection, filters: Filters = ALL) -> pd.DataFrame:
    """Expected and actual running totals by quarter for each metric over the filtered figures.

    One row per metric × quarter 1..4 (registry order). Columns: year (Int64), metric_code (str),
    quarter (Int64), expected_share (float: share of the annual target due by that quarter; NULL
    for satisfaction), expected_value (share × target; the target for satisfaction; NULL without
    target), target, cum_value (this year's running total, or running weighted mean, through the
    quarter; NULL after the as-of quarter or when nothing is reported), prev_cum_value (same for
    the year before).
    """
    as_of = resolve(con, filters)
    goal, goal_params = metric_goal_sql(filters)
    text, params = core_sql(filters, goal, {7}, as_of, curve=True)
    params.update(goal_params, year=as_of.year, as_of=as_of.quarter)
    return fetch_df(con, text + _CURVE, params)
