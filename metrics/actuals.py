"""Actual figures (실적) aggregated by any combination of dimensions."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from metrics.db import fetch_df
from metrics.filters import ALL, Filters
from metrics.scope import grouped_ctes

# What `by` may name; short names (sector, mission, …) are accepted too.
GROUPABLE = ("year", "quarter", "agency_code", "mission_code", "sector_code", "program_code", "region_code")

_ACTUALS = """
WITH {ctes}
-- metrics in registry order, so tables and legends read the same everywhere
SELECT {by_select} g.metric_code, g.value
FROM grouped AS g
JOIN metrics AS m USING (metric_code)
ORDER BY {by_order} m.sort_order
"""


def normalise_by(by: str | Sequence[str]) -> tuple[str, ...]:
    """Grouping columns as result column names, in the order given, without metric_code."""
    items = (by,) if isinstance(by, str) else tuple(by)
    out: list[str] = []
    for item in items:
        name = item if item in GROUPABLE or item == "metric_code" else f"{item}_code"
        if name == "metric_code":
            continue
        if name not in GROUPABLE:
            raise ValueError(f"cannot group by {item!r}; use any of {GROUPABLE}")
        if name not in out:
            out.append(name)
    return tuple(out)


def period_predicate(filters: Filters, alias: str = "r") -> str:
    """The year and quarter-range predicate of a multi-year query (parameters $year, $quarter_*)."""
    parts = []
    if filters.year is not None:
        parts.append(f"{alias}.year = $year")
    if filters.quarter_filtered:
        parts.append(f"{alias}.quarter BETWEEN $quarter_from AND $quarter_to")
    return " AND ".join(parts) or "TRUE"


def actuals(
    con: duckdb.DuckDBPyConnection, filters: Filters = ALL, by: str | Sequence[str] = ()
) -> pd.DataFrame:
    """Figures by `by` (+ metric_code): sums, and satisfaction as a firms-weighted mean.

    A satisfaction score weighs the positive firms_supported figures of its own return row
    (year, quarter, agency, mission, sector, program); with none (no figure, or 0 firms) it
    weighs 1. The metric filter never drops those weights.

    Columns: the `by` columns in the order given (year, quarter: Int64; codes: str), then
    `metric_code` (str) and `value` (float64), rows in `by` order then registry order.
    `year=None` in the filters means every year; the quarter range applies within each year.
    Combinations with no figure are absent (not zero).
    """
    cols = normalise_by(by)
    ctes, params = grouped_ctes(filters, keys=cols, where=period_predicate(filters))
    sql = _ACTUALS.format(
        ctes=ctes,
        by_select="".join(f"{_cast(c)}, " for c in cols),
        by_order="".join(f"g.{c}, " for c in cols),
    )
    params.update(year=filters.year, quarter_from=filters.quarter_from, quarter_to=filters.quarter_to)
    return fetch_df(con, sql, params)


def _cast(column: str) -> str:
    # year and quarter are stored as small integers; pages get plain integers
    return f"g.{column}::INTEGER AS {column}" if column in ("year", "quarter") else f"g.{column}"
