"""Year-on-year growth (전년 동기 대비) and rankings of missions.

Rules decided here:
- growth compares the same quarters of the selected year and the year before: quarter_from ..
  the as-of quarter (`latest_period`), so a partial year is compared with the same part of the
  previous year; a quarter missing in either year is simply absent from that year's value;
- growth_pct = (value − prev_value) ÷ prev_value × 100, NULL when prev_value is missing or not
  positive (growth from nothing is undefined, not infinite); `change` = value − prev_value, which
  for satisfaction is a change in points;
- rankings: missions are ranked on their own (mission-level) targets or figures; ties are broken
  by mission code; a mission appears at most once, top first, so with fewer than 2 × n ranked
  missions the bottom list holds only those not already on top; missions without a value (no
  target, no figure, no prior-year base) are not ranked;
- the composite attainment of a mission (metric_code=None) is the mean over its metrics with a
  mission-level target of min(attainment %, 120): capping keeps one over-achieved metric from
  hiding the others (a common rule in Korean public performance evaluation; 120 is our choice).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

import duckdb
import pandas as pd

from metrics import registry
from metrics.actuals import normalise_by
from metrics.attainment import attainment_sql
from metrics.db import fetch_df
from metrics.filters import ALL, Filters
from metrics.period import AsOf, resolve
from metrics.scope import grouped_ctes

COMPOSITE_CAP = 120.0  # % cap per metric in a mission's composite attainment

_GROWTH = """
WITH {ctes},
pivoted AS (
    SELECT {by_select} g.metric_code, any_value(m.sort_order) AS sort_order,
           max(g.value) FILTER (WHERE g.year = $year) AS cur_value,
           max(g.value) FILTER (WHERE g.year = $year - 1) AS prev_value
    FROM grouped AS g
    JOIN metrics AS m USING (metric_code)
    GROUP BY {by_order} g.metric_code
)
SELECT {by_plain} metric_code,
       $year::INTEGER AS year, $quarter_from::INTEGER AS quarter_from, $as_of::INTEGER AS quarter_to,
       cur_value AS value, prev_value, cur_value - prev_value AS change,
       CASE WHEN prev_value > 0 THEN (cur_value - prev_value) / prev_value * 100 END AS growth_pct
FROM pivoted
ORDER BY {by_plain} sort_order
"""


def growth_sql(filters: Filters, by: Sequence[str], as_of: AsOf) -> tuple[str, dict[str, object]]:
    """The growth query for `by` (normalised column names) and its parameters."""
    where = "r.year BETWEEN $year - 1 AND $year"
    if filters.quarter_from > 1 or as_of.quarter < 4:
        where += " AND r.quarter BETWEEN $quarter_from AND $as_of"
    ctes, params = grouped_ctes(filters, keys=("year", *by), where=where)
    text = _GROWTH.format(
        ctes=ctes,
        by_select="".join(f"g.{c}, " for c in by),
        by_order="".join(f"g.{c}, " for c in by),
        by_plain="".join(f"{c}, " for c in by),
    )
    params.update(year=as_of.year, as_of=as_of.quarter, quarter_from=filters.quarter_from)
    return text, params


def growth(
    con: duckdb.DuckDBPyConnection, filters: Filters = ALL, by: str | Sequence[str] = ()
) -> pd.DataFrame:
    """Year-on-year growth over the same quarters, by `by` (+ metric_code).

    Columns: the `by` columns, metric_code (str), year, quarter_from, quarter_to (Int64: the
    quarters compared, in both years), value, prev_value, change, growth_pct (float; see the
    module rules). `by` may not contain year or quarter. Empty when the warehouse has no year.
    """
    cols = normalise_by(by)
    if {"year", "quarter"} & set(cols):
        raise ValueError("growth compares years: group by dimensions, not by year or quarter")
    as_of = resolve(con, filters)
    if as_of.quarter == 0 or as_of.quarter < filters.quarter_from:
        as_of = as_of._replace(year=None)  # nothing to compare yet: empty result, same columns
    text, params = growth_sql(filters, cols, as_of)
    return fetch_df(con, text, params)


_RANKING = """
WITH scored AS (
    {scored}
),
ranked AS (
    SELECT *,
           row_number() OVER (ORDER BY value DESC, mission_code) AS top_rank,
           row_number() OVER (ORDER BY value ASC, mission_code) AS bottom_rank
    FROM scored
    WHERE value IS NOT NULL
)
SELECT side, rank::INTEGER AS rank, mission_code, metric_code, value, metrics::INTEGER AS metrics
FROM (
    SELECT 'top' AS side, top_rank AS rank, * FROM ranked WHERE top_rank <= $n
    UNION ALL
    SELECT 'bottom' AS side, bottom_rank AS rank, * FROM ranked
    WHERE bottom_rank <= $n AND top_rank > $n
)
ORDER BY side DESC, rank
"""

# Mission-level attainment per metric, or the composite over metrics (metric_code NULL).
_SCORED_ATTAINMENT = """SELECT mission_code, {metric} AS metric_code,
           {value} AS value, count(*) AS metrics
    FROM ({inner}) AS a
    WHERE attainment_pct IS NOT NULL
    GROUP BY mission_code"""

# Growth per mission for one metric; the sign follows the metric's direction.
_SCORED_GROWTH = """SELECT mission_code, metric_code, $direction * growth_pct AS value, 1 AS metrics
    FROM ({inner}) AS g"""


def rank_missions(
    con: duckdb.DuckDBPyConnection,
    filters: Filters = ALL,
    *,
    by: Literal["attainment", "growth"] = "attainment",
    metric_code: str | None = None,
    n: int = 5,
) -> pd.DataFrame:
    """Top and bottom n missions by attainment (of one metric, or composite) or by growth of one metric.

    Columns: side ('top' | 'bottom'), rank (Int64, 1 = best on top, 1 = worst at the bottom),
    mission_code, metric_code (NULL for the composite), value (attainment %, composite %, or
    growth % — for a lower-is-better metric the growth sign is flipped, so higher is better),
    metrics (Int64: metrics in the composite, else 1).
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    if metric_code is not None:
        registry.get(metric_code)
        filters = replace(filters, metrics=(metric_code,))
    if by == "attainment":
        inner, params = attainment_sql(con, filters, level="mission")
        value = "avg(least(attainment_pct, $cap))" if metric_code is None else "any_value(attainment_pct)"
        scored = _SCORED_ATTAINMENT.format(
            inner=inner, value=value, metric="NULL::VARCHAR" if metric_code is None else "$rank_metric"
        )
        params.update(cap=COMPOSITE_CAP, rank_metric=metric_code)
    elif by == "growth":
        if metric_code is None:
            raise ValueError(
                "ranking by growth needs a metric_code (growth of different metrics is not comparable)"
            )
        as_of = resolve(con, filters)
        if as_of.quarter == 0 or as_of.quarter < filters.quarter_from:
            as_of = as_of._replace(year=None)
        inner, params = growth_sql(filters, ("mission_code",), as_of)
        scored = _SCORED_GROWTH.format(inner=inner)
        params["direction"] = 1 if registry.get(metric_code).higher_is_better else -1
    else:
        raise ValueError(f"unknown ranking {by!r}; use 'attainment' or 'growth'")
    params["n"] = n
    return fetch_df(con, _RANKING.format(scored=scored), params)
