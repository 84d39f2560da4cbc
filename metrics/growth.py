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
import numpy as np
import pandas as pd

from metrics import registry
from metrics.actuals import normalise_by
from metrics.attainment import attainment
from metrics.completeness import like_with_like
from metrics.db import fetch_df
from metrics.filters import ALL, Filters
from metrics.judge import ints, texts
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


def growth_sql(
    filters: Filters, by: Sequence[str], as_of: AsOf, alike: str = "TRUE"
) -> tuple[str, dict[str, object]]:
    """The growth query for `by` (normalised column names) and its parameters; `alike` is
    metrics.completeness.like_with_like (the open quarter a year earlier, like with like)."""
    where = f"r.year BETWEEN $year - 1 AND $year AND {alike}"
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
    text, params = growth_sql(filters, cols, as_of, like_with_like(con, filters))
    return fetch_df(con, text, params)


def _ranked(scored: list[tuple[str, str | None, float, int]], n: int) -> pd.DataFrame:
    """Top and bottom n of (mission_code, metric_code, value, metrics) rows; see rank_missions."""
    scored = [s for s in scored if s[2] == s[2]]  # a missing value (NaN) is not ranked
    top = sorted(scored, key=lambda s: (-s[2], s[0]))
    top_rank = {s[0]: rank for rank, s in enumerate(top, start=1)}
    bottom = sorted(scored, key=lambda s: (s[2], s[0]))
    rows = [("top", rank, s) for rank, s in enumerate(top[:n], start=1)]
    rows += [("bottom", rank, s) for rank, s in enumerate(bottom[:n], start=1) if top_rank[s[0]] > n]
    return pd.DataFrame(
        {
            "side": texts([side for side, _, _ in rows]),
            "rank": ints([rank for _, rank, _ in rows]),
            "mission_code": texts([s[0] for _, _, s in rows]),
            "metric_code": texts([s[1] for _, _, s in rows]),
            "value": np.array([s[2] for _, _, s in rows], dtype="float64"),
            "metrics": ints([s[3] for _, _, s in rows]),
        },
        copy=False,
    )


def _scored_attainment(
    att: pd.DataFrame, metric_code: str | None
) -> list[tuple[str, str | None, float, int]]:
    """Per mission with a mission-level attainment: that metric's, or the composite (mean of each
    metric's capped attainment) and how many metrics it averages."""
    values: dict[str, list[float]] = {}
    for mission, pct in zip(att["mission_code"], att["attainment_pct"], strict=True):
        if pct == pct:  # NaN: no attainment (no target, or a target of 0)
            values.setdefault(mission, []).append(pct)
    if metric_code is not None:  # one mission-level target per metric: one value each
        return [(mission, metric_code, v[0], len(v)) for mission, v in values.items()]
    return [
        (mission, None, sum(min(x, COMPOSITE_CAP) for x in v) / len(v), len(v))
        for mission, v in values.items()
    ]


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
        scored = _scored_attainment(attainment(con, filters, level="mission"), metric_code)
    elif by == "growth":
        if metric_code is None:
            raise ValueError(
                "ranking by growth needs a metric_code (growth of different metrics is not comparable)"
            )
        as_of = resolve(con, filters)
        if as_of.quarter == 0 or as_of.quarter < filters.quarter_from:
            as_of = as_of._replace(year=None)
        text, params = growth_sql(filters, ("mission_code",), as_of, like_with_like(con, filters))
        g = fetch_df(con, text, params)
        direction = 1 if registry.get(metric_code).higher_is_better else -1
        scored = [
            (mission, metric, direction * pct, 1)
            for mission, metric, pct in zip(g["mission_code"], g["metric_code"], g["growth_pct"], strict=True)
        ]
    else:
        raise ValueError(f"unknown ranking {by!r}; use 'attainment' or 'growth'")
    return _ranked(scored, n)
