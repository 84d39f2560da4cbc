"""Which targets (목표) a query judges against: the goals fed to the attainment core.

A goal is a metric, the dimensions it pins (NULL = all) and its target (NULL = none). Rules:
- attainment(): every current target of the year that pins each filtered dimension to a selected
  value (a sector filter keeps sector targets, not the all-sector one, whose total would include
  the sectors filtered out); a program filter leaves none, since targets have no program;
- scorecard(): one goal per metric over the filtered figures, whose target is the one of exactly
  that scope — each of sector, mission and agency pinned to at most one value, the others "all";
- metrics whose registry entry says has_target = false never get a target;
- several current targets for one year and scope should not exist (the loader replaces them);
  if they do, the largest counts.
"""

from __future__ import annotations

import duckdb

from metrics import registry
from metrics.db import fetch_all
from metrics.filters import Filters, dimension_predicate
from metrics.judge import Goal

# The current targets of a year that satisfy {where} (alias t), of the metrics that have targets
# ($targeted, in registry order); of several for one scope (which should not exist) the largest.
# In display order: metric, then sector, mission and agency, "all" (NULL) before any one code.
_TARGETS = """SELECT t.metric_code, t.sector_code, t.mission_code, t.agency_code, max(t.value)
    FROM targets AS t
    WHERE t.year = $year AND t.metric_code IN (SELECT unnest($targeted)) AND {where}
    GROUP BY t.metric_code, t.sector_code, t.mission_code, t.agency_code
    ORDER BY list_position($targeted, metric_code), sector_code IS NOT NULL, sector_code,
             mission_code IS NOT NULL, mission_code, agency_code IS NOT NULL, agency_code"""
# A target's granularity, as metrics.judge.goal_gid gives it.
_GID = "((t.sector_code IS NULL)::INT * 4 + (t.mission_code IS NULL)::INT * 2 + (t.agency_code IS NULL)::INT)"

# by -> (column, Filters field, reference view, its order)
SCORECARD_BY = {
    "sector": ("sector_code", "sectors", "sectors", "x.sort_order"),
    "mission": ("mission_code", "missions", "missions", "x.mission_code"),
    "agency": ("agency_code", "agencies", "agencies", "x.sort_order"),
}
_FILTER_FIELDS = ("agencies", "sectors", "missions", "regions", "programs", "metrics")


def _targets(con: duckdb.DuckDBPyConnection, year: int, where: str, params: dict[str, object]) -> list[tuple]:
    """(metric, sector, mission, agency, target) rows as _TARGETS gives them."""
    targeted = [m.code for m in registry.all_metrics() if m.has_target]
    return fetch_all(con, _TARGETS.format(where=where), {**params, "year": year, "targeted": targeted})


def _largest(
    con: duckdb.DuckDBPyConnection, year: int, where: str, params: dict[str, object]
) -> dict[tuple[str, str | None, str | None, str | None], float]:
    """(metric, sector, mission, agency) -> target, as _targets."""
    return {tuple(row[:4]): row[4] for row in _targets(con, year, where, params)}


def target_where(filters: Filters, alias: str = "t") -> tuple[str, dict[str, object]]:
    """Targets consistent with the filters: each filtered dimension pinned to a selected value."""
    where, params = dimension_predicate(filters, alias, skip=("programs",))
    if filters.programs:
        where = "FALSE"  # targets have no program dimension, so none describes a program's figures
    return where, params


def target_goals(
    con: duckdb.DuckDBPyConnection, filters: Filters, year: int | None, gid: int | None = None
) -> list[Goal]:
    """Goals of attainment(): every current target of the year consistent with the filters (at
    granularity `gid` only, when given), in display order (_TARGETS)."""
    if year is None or filters.programs:
        return []
    where, params = target_where(filters)
    if gid is not None:
        where, params = f"({where}) AND {_GID} = $gid", {**params, "gid": gid}
    return [Goal(*row) for row in _targets(con, year, where, params)]


def scope_targets(
    con: duckdb.DuckDBPyConnection, filters: Filters, year: int, by: str | None = None
) -> dict[tuple[str, str | None], float]:
    """(metric, code) -> the target of exactly the filtered scope; `code` is the value of the `by`
    dimension (None without one).

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
    if not possible:
        return {}
    params: dict[str, object] = {}
    pins = []
    for c, values in pinned.items():
        if c == column:
            pins.append(f"t.{c} IS NOT NULL")
        elif values:
            params[f"scope_{c}"] = values[0]
            pins.append(f"t.{c} = $scope_{c}")
        else:
            pins.append(f"t.{c} IS NULL")
    index = ("sector_code", "mission_code", "agency_code").index(column) + 1 if column else None
    return {
        (key[0], key[index] if index else None): target
        for key, target in _largest(con, year, " AND ".join(pins), params).items()
    }


def _units(con: duckdb.DuckDBPyConnection, filters: Filters, by: str) -> list[str]:
    """The codes of the `by` dimension the filters keep, in the reference order (regions keep missions too)."""
    column, field, view, order = SCORECARD_BY[by]
    keep = ("regions", field) if by == "mission" else (field,)
    where, params = dimension_predicate(filters, "x", skip=tuple(f for f in _FILTER_FIELDS if f not in keep))
    rows = fetch_all(
        con, f"SELECT x.{column} FROM {view} AS x WHERE {where} ORDER BY {order}, x.{column}", params
    )
    return [code for (code,) in rows]


def metric_goals(
    con: duckdb.DuckDBPyConnection, filters: Filters, year: int | None, by: str | None = None
) -> list[Goal]:
    """Goals of a scorecard: each metric the filters keep (× each kept value of `by`, in the
    reference order), with its scope's target, in display order. None without a year."""
    if by is not None and by not in SCORECARD_BY:
        raise ValueError(f"scorecard by {by!r}: use one of {tuple(SCORECARD_BY)}")
    if year is None:
        return []
    targets = scope_targets(con, filters, year, by)
    metrics = [m.code for m in registry.all_metrics() if not filters.metrics or m.code in filters.metrics]
    if by is None:
        return [Goal(code, None, None, None, targets.get((code, None))) for code in metrics]
    position = ("sector_code", "mission_code", "agency_code").index(SCORECARD_BY[by][0])
    goals = []
    for unit_order, unit in enumerate(_units(con, filters, by), start=1):
        dims = [unit if i == position else None for i in range(3)]
        goals += [Goal(code, *dims, targets.get((code, unit)), unit_order) for code in metrics]
    return goals
