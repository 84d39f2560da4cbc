"""The period a page reports on: the selected year and the quarter it is "as of"."""

from __future__ import annotations

from typing import NamedTuple

import duckdb

from metrics.db import fetch_one
from metrics.filters import ALL, Filters
from metrics.source import figures, source_params


class Period(NamedTuple):
    """A year and the last quarter counted in it (year-to-date runs Q1..quarter)."""

    year: int
    quarter: int


class AsOf(NamedTuple):
    """What a one-year function works on: year (None: no data), quarter (0: none yet), later data?"""

    year: int | None
    quarter: int
    has_later: bool  # figures exist after (year, quarter), so queries must cut them off


# The latest period with figures, and the latest quarter with figures in the chosen year. One
# ungrouped aggregate over result_sums (the figures summed over programs, the same periods as
# `results`): about 2 ms on a million figures, where scalar subqueries or a GROUP BY year cost as
# much as a full aggregate. Deliberately ignores the dimension filters: every page shows the same
# "as of" quarter, so a mission that has not reported the latest quarter shows a gap instead of
# an earlier as-of date. As of a moment the periods come from the returns standing then
# (metrics/source.py "periods"), not from every figure rebuilt as it stood.
_LATEST = """
SELECT max(year * 10 + quarter)::INTEGER AS last_period,
       max(quarter) FILTER (WHERE year = $year)::INTEGER AS last_quarter
FROM {source}
"""


def resolve(con: duckdb.DuckDBPyConnection, filters: Filters = ALL) -> AsOf:
    """The year and as-of quarter a one-year function uses (see `latest_period`)."""
    last_period, last_quarter = fetch_one(
        con,
        _LATEST.format(source=figures(filters, "periods")),
        {"year": filters.year, **source_params(filters)},
    )
    if filters.year is not None:
        year, quarter = filters.year, last_quarter or 0
    elif last_period is not None:
        year, quarter = divmod(last_period, 10)
    else:
        return AsOf(None, 0, False)
    as_of = filters.quarter_to if filters.quarter_to < 4 else quarter
    has_later = (last_period is not None and last_period // 10 > year) or quarter > as_of
    return AsOf(int(year), int(as_of), bool(has_later))


def latest_period(con: duckdb.DuckDBPyConnection, filters: Filters = ALL) -> Period | None:
    """The "as of" period: the latest quarter with data in the year, or quarter_to when the range is narrowed.

    The year is `filters.year`, else the latest year with figures. Returns None when there is no
    such year, or when the chosen year has no figures and the range is the whole year.
    """
    as_of = resolve(con, filters)
    if as_of.year is None or as_of.quarter == 0:
        return None
    return Period(as_of.year, as_of.quarter)


def upto_predicate(as_of: AsOf, alias: str = "r") -> str:
    """Figures up to the as-of quarter of the year ($year, $as_of); TRUE when nothing lies beyond."""
    if not as_of.has_later:
        return "TRUE"  # a filter that removes nothing still costs a pass over every figure
    return f"{alias}.year <= $year AND ({alias}.year < $year OR {alias}.quarter <= $as_of)"
