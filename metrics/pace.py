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

from metrics import registry
from metrics.db import fetch_df, sql_file
from metrics.filters import ALL, Filters, dimension_predicate
from metrics.period import AsOf, resolve, upto_predicate
from metrics.scope import DIMS, GID_BITS
from metrics.source import figures, source_params
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


# Per scope value, metric and year (attainment_core.sql reads these), as name -> aggregate over
# the figures: the quarters with figures as a bitmask, the annual total and the running total
# through the as-of quarter (wv and w: see year_parts.sql).
YEAR_AGGREGATES = {
    "qmask": "bit_or(1 << quarter)",
    "total": "sum(wv)",
    "wv_to_date": "sum(wv) FILTER (WHERE quarter <= $as_of)",
    "w_to_date": "sum(w) FILTER (WHERE quarter <= $as_of)",
}
# For the pace chart only: the running totals through Q1, Q2 and Q3 (Q4 = total) as well.
_CURVE_AGGREGATES = {
    **{f"wv{q}": f"sum(wv) FILTER (WHERE quarter <= {q})" for q in (1, 2, 3)},
    **{f"w{q}": f"sum(w) FILTER (WHERE quarter <= {q})" for q in (1, 2, 3)},
    "w4": "sum(w)",
}

# One granularity of `parts`: the aggregates over {source} (scoped, or a finer granularity's rows).
_PART = "SELECT year, {dims}, metric_code, {gid} AS gid, {aggregates} FROM {source} GROUP BY {group_by}"
# A granularity that coarser ones are summed from, read once.
_FINER = "{name} AS MATERIALIZED (\n    {part}\n),\n"


def _part(pinned: tuple[str, ...], source: str, aggregates: dict[str, str]) -> str:
    """One granularity's rows of `parts` (the dimensions `pinned` keeps) from `source`."""
    return _PART.format(
        dims=", ".join(d if d in pinned else f"NULL::VARCHAR AS {d}" for d in DIMS),
        gid=sum(GID_BITS[d] for d in DIMS if d not in pinned),
        aggregates=", ".join(f"{expr} AS {name}" for name, expr in aggregates.items()),
        source=source,
        group_by=", ".join(("year", *pinned, "metric_code")),
    )


def _finer_name(pinned: tuple[str, ...]) -> str:
    return "finer_" + "_".join(d.removesuffix("_code") for d in pinned)


def parts_ctes(
    filters: Filters, gids: set[int], where: str, aggregates: dict[str, str]
) -> tuple[str, dict[str, object]]:
    """The CTE text of metrics/sql/year_parts.sql for the granularities `gids`, and its parameters.

    `where` adds to the dimension filters (alias r). Only a program filter reads the figures by
    program (results_weighted); everything else reads result_sums, summed over programs already.
    A granularity whose dimensions another one asked for also pins (sector within sector+mission)
    is summed from that one's rows, a few thousand at most, instead of from every figure again:
    the quarter mask ORs and every other aggregate is a sum, so both give the same numbers.
    """
    dims_where, params = dimension_predicate(filters, "r", skip=("metrics",))
    params.update(source_params(filters))
    if filters.metrics:
        names = [f"f_metrics_{i}" for i in range(len(filters.metrics))]
        params.update(zip(names, filters.metrics, strict=True))
        dims_where += f" AND r.metric_code IN ({', '.join('$' + n for n in names)})"
    means = [m.code for m in registry.all_metrics() if m.is_mean]
    params.update((f"reg_mean_{i}", code) for i, code in enumerate(means))
    sets = [pinned_dims(gid) for gid in sorted(gids)]
    # the finest granularities are read from the figures; each other one is summed from the
    # finest one with the fewest dimensions that holds all of its own
    finest = [p for p in sets if not any(set(p) < set(q) for q in sets)]
    source_of = {p: min((q for q in finest if set(p) < set(q)), key=len) for p in sets if p not in finest}
    rollup = {name: "bit_or(qmask)" if name == "qmask" else f"sum({name})" for name in aggregates}
    finer, parts = "", []
    for pinned in finest:
        if pinned in source_of.values():
            finer += _FINER.format(name=_finer_name(pinned), part=_part(pinned, "scoped", aggregates))
            parts.append(f"SELECT * FROM {_finer_name(pinned)}")
        else:
            parts.append(_part(pinned, "scoped", aggregates))
    parts += [_part(pinned, _finer_name(source), rollup) for pinned, source in source_of.items()]
    text = sql_file("year_parts").format(
        means=", ".join(f"$reg_mean_{i}" for i in range(len(means))) or "NULL",
        source=figures(filters, "weighted" if filters.programs else "sums"),
        where=f"({dims_where}) AND ({where})",
        finer=finer,
        parts="\n    UNION ALL\n    ".join(parts),
    )
    return text, params


def core_sql(
    filters: Filters,
    goal: str,
    gids: set[int],
    as_of: AsOf,
    *,
    curve: bool = False,
    empty: bool = False,
) -> tuple[str, dict[str, object]]:
    """The shared CTE chain (metrics/sql/attainment_core.sql) for goals at the granularities `gids`.

    Figures of the selected year count up to $as_of; earlier years count whole (for the pace).
    `curve` adds the running values by quarter (cum, prev_cum) to `judged`. empty=True reads no
    figures (there is no goal at all), so the result has the right columns and no rows at little cost.
    """
    ctes, params = parts_ctes(
        filters,
        gids,
        where="FALSE" if empty else upto_predicate(as_of),
        aggregates={**YEAR_AGGREGATES, **(_CURVE_AGGREGATES if curve else {})},
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
