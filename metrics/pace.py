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
import numpy as np
import pandas as pd

from metrics import registry
from metrics.completeness import like_with_like
from metrics.db import fetch_arrays, sql_file
from metrics.filters import ALL, Filters, dimension_predicate
from metrics.judge import EMPTY_ROW, ScopeStats, curve, ints
from metrics.period import AsOf, resolve, upto_predicate
from metrics.scope import DIMS, GID_BITS
from metrics.source import figures, source_params
from metrics.targets import metric_goals


def level_name(pinned: tuple[str, ...]) -> str:
    """'total', 'sector', 'mission', 'agency' or a '+'-joined combination, in sector/mission/agency order."""
    names = [d.removesuffix("_code") for d in DIMS if d in pinned]
    return "+".join(names) or "total"


def pinned_dims(gid: int) -> tuple[str, ...]:
    """The dimensions a granularity bitmask pins (bit clear = pinned)."""
    return tuple(d for d in DIMS if not gid & GID_BITS[d])


LEVELS = {level_name(pinned_dims(gid)): gid for gid in range(8)}  # level name -> gid
LEVEL_NAMES = {gid: name for name, gid in LEVELS.items()}


# Per scope value, metric and year (scope_stats.sql reads these), as name -> aggregate over
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


def rollup_sources(filters: Filters, gids: set[int]) -> dict[int, int] | None:
    """Granularity -> the result_rollup gid its parts are summed from, or None where the rollup
    cannot serve: figures by program, or a granularity that, with the filtered
    dimensions pinned too, is result_sums' own. Several granularities at once are served only when
    each reads its own rows (attainment's are: its targets pin every filtered dimension)."""
    if filters.programs:
        return None
    filtered = 0
    for dims, bit in ((filters.sectors, 4), (filters.missions or filters.regions, 2), (filters.agencies, 1)):
        filtered |= bit if dims else 0
    sources = {gid: gid & ~filtered for gid in gids}
    if 0 in sources.values() or (len(gids) > 1 and any(s != g for g, s in sources.items())):
        return None
    return sources


def parts_ctes(
    filters: Filters, gids: set[int], where: str, aggregates: dict[str, str], *, rollup: bool = True
) -> tuple[str, dict[str, object]]:
    """The CTE text of metrics/sql/year_parts.sql for the granularities `gids`, and its parameters.

    `where` adds to the dimension filters (alias r). Current figures come from result_rollup where
    it can serve (`rollup_sources`; rollup=False never asks it), each granularity from its own rows
    there, a few hundred; otherwise a program filter reads the figures by program
    (results_weighted) and everything else result_sums (each as of a moment when asked). From those, a
    granularity whose dimensions another one asked for also pins (sector within sector+mission)
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
    sources = rollup_sources(filters, gids) if rollup else None
    finer, parts, gid_column = "", [], ""
    if sources is not None:
        gid_column = "gid, "
        dims_where += f" AND r.gid IN ({', '.join(str(s) for s in sorted(set(sources.values())))})"
        if len(gids) == 1:
            parts.append(_part(pinned_dims(next(iter(gids))), "scoped", aggregates))
        else:  # each granularity reads its own rows, whose dimensions not pinned are NULL already
            parts.append(
                _PART.format(
                    dims=", ".join(DIMS),
                    gid="gid",
                    aggregates=", ".join(f"{expr} AS {name}" for name, expr in aggregates.items()),
                    source="scoped",
                    group_by=", ".join(("gid", "year", *DIMS, "metric_code")),
                )
            )
    else:
        sets = [pinned_dims(gid) for gid in sorted(gids)]
        # the finest granularities are read from the figures; each other one is summed from the
        # finest one with the fewest dimensions that holds all of its own
        finest = [p for p in sets if not any(set(p) < set(q) for q in sets)]
        source_of = {p: min((q for q in finest if set(p) < set(q)), key=len) for p in sets if p not in finest}
        summed = {name: "bit_or(qmask)" if name == "qmask" else f"sum({name})" for name in aggregates}
        for pinned in finest:
            if pinned in source_of.values():
                finer += _FINER.format(name=_finer_name(pinned), part=_part(pinned, "scoped", aggregates))
                parts.append(f"SELECT * FROM {_finer_name(pinned)}")
            else:
                parts.append(_part(pinned, "scoped", aggregates))
        parts += [_part(pinned, _finer_name(source), summed) for pinned, source in source_of.items()]
    kind = "rollup" if sources is not None else "weighted" if filters.programs else "sums"
    text = sql_file("year_parts").format(
        gid=gid_column,
        means=", ".join(f"$reg_mean_{i}" for i in range(len(means))) or "NULL",
        source=figures(filters, kind),
        where=f"({dims_where}) AND ({where})",
        finer=finer,
        parts="\n    UNION ALL\n    ".join(parts),
    )
    return text, params


_FULL_YEAR = "year < $year AND qmask = 30 AND total > 0"
# pace_curve only: per scope the expected share by Q1..Q3 and the running values by quarter, this
# year and last (the Q4 share is the whole year: 1).
_CURVE_STATS = "".join(
    [f",\n       avg(wv{q} / total) FILTER (WHERE {_FULL_YEAR}) AS share{q}" for q in (1, 2, 3)]
    + [
        f",\n       max({wv} / coalesce({w}, 1)) FILTER (WHERE year = {year}) AS {name}{q}"
        for year, name in (("$year", "cum"), ("$year - 1", "prev"))
        for q, wv, w in ((1, "wv1", "w1"), (2, "wv2", "w2"), (3, "wv3", "w3"), (4, "total", "w4"))
    ]
)


def scope_stats(
    con: duckdb.DuckDBPyConnection, filters: Filters, gids: set[int], as_of: AsOf, *, curve: bool = False
) -> ScopeStats:
    """Statistics per scope value with figures at the granularities `gids` (metrics/sql/scope_stats.sql),
    keyed as metrics.judge.ScopeStats says. Figures of the selected year count up to the as-of quarter;
    earlier years count whole (for the pace). `curve` adds what pace_curve needs.
    """
    aggregates = {**YEAR_AGGREGATES, **(_CURVE_AGGREGATES if curve else {})}
    # the open quarter a year earlier, like with like (metrics.completeness.like_with_like): by
    # slice, which result_rollup's coarser rows no longer have
    alike = like_with_like(con, filters)

    def read(rollup: bool) -> dict[str, np.ndarray]:
        ctes, params = parts_ctes(
            filters,
            gids,
            where=f"{upto_predicate(as_of)} AND {alike}",
            aggregates=aggregates,
            rollup=rollup and alike == "TRUE",
        )
        text = sql_file("scope_stats").format(
            ctes=ctes, full_year=_FULL_YEAR, curve=_CURVE_STATS if curve else ""
        )
        params.update(year=as_of.year, as_of=as_of.quarter)
        return fetch_arrays(con, text, params)

    try:
        arrays = read(rollup=True)
    except duckdb.CatalogException:  # a file from before result_rollup, opened read-only: not migrated
        arrays = read(rollup=False)
    keys = [_texts(arrays[c]) for c in ("metric_code", *DIMS)]
    index = {key: i for i, key in enumerate(zip(arrays["gid"].tolist(), *keys, strict=True))}
    columns = {}
    for name, values in arrays.items():
        if name in ("gid", "metric_code", *DIMS):
            continue
        if name in EMPTY_ROW:
            data = np.ma.filled(values.astype("int64"), EMPTY_ROW[name])
            columns[name] = np.append(data, EMPTY_ROW[name])
        else:
            columns[name] = np.append(np.ma.filled(values.astype("float64"), np.nan), np.nan)
    return ScopeStats(index, columns)


def _texts(values: np.ndarray) -> list[str | None]:
    """A VARCHAR column of fetchnumpy as Python values, None for NULL."""
    data = np.ma.getdata(values).tolist()
    return [
        None if masked else v for v, masked in zip(data, np.ma.getmaskarray(values).tolist(), strict=True)
    ]


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
    goals = metric_goals(con, filters, as_of.year)
    stats = scope_stats(con, filters, {7}, as_of, curve=True) if goals else ScopeStats.none(curve=True)
    columns = curve(goals, stats, as_of.quarter)
    year = ints([as_of.year] * len(columns["target"]))
    return pd.DataFrame({"year": year, **columns}, copy=False)
