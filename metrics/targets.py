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

from metrics.filters import Filters, dimension_predicate

# The granularity bitmask of a target row, as GROUPING(sector_code, mission_code, agency_code).
GID_SQL = (
    "(({a}.sector_code IS NULL)::INTEGER * 4 + ({a}.mission_code IS NULL)::INTEGER * 2"
    " + ({a}.agency_code IS NULL)::INTEGER)"
)

# What the attainment core needs of each goal's metric (metrics/sql/attainment_core.sql).
METRIC_COLUMNS = "m.sort_order, m.aggregation = 'weighted_mean' AS is_mean, m.higher_is_better"

# Every current target of the year in scope (attainment).
_TARGET_GOAL = """SELECT t.metric_code, t.sector_code, t.mission_code, t.agency_code, max(t.value) AS target,
           0 AS unit_order, {metric_columns}
    FROM targets AS t
    JOIN metrics AS m USING (metric_code)
    WHERE t.year = $year AND m.has_target AND {target_where}
    GROUP BY ALL"""

# The target of exactly the filtered scope; `code` is the value of the dimension a by-scorecard
# splits on (NULL without one).
_SCOPE_TARGET = """SELECT t.metric_code, {code} AS code, max(t.value) AS target
    FROM targets AS t
    JOIN metrics AS m USING (metric_code)
    WHERE t.year = $year AND m.has_target AND {possible} AND {pins}
    GROUP BY ALL"""

# One goal per metric over the filtered figures.
METRIC_GOAL = """SELECT m.metric_code, NULL::VARCHAR AS sector_code, NULL::VARCHAR AS mission_code,
           NULL::VARCHAR AS agency_code, t.target, 0 AS unit_order, {metric_columns}
    FROM metrics AS m
    LEFT JOIN ({target}) AS t USING (metric_code)
    WHERE $year IS NOT NULL AND {metric_where}"""

# One goal per metric and value of the `by` dimension (units), in the reference order.
_BY_GOAL = """SELECT m.metric_code, {dims}, t.target, u.unit_order, {metric_columns}
    FROM metrics AS m
    CROSS JOIN ({units}) AS u
    LEFT JOIN ({target}) AS t ON t.metric_code = m.metric_code AND t.code IS NOT DISTINCT FROM u.code
    WHERE $year IS NOT NULL AND {metric_where}"""

# by -> (column, Filters field, reference view, its order)
SCORECARD_BY = {
    "sector": ("sector_code", "sectors", "sectors", "x.sort_order"),
    "mission": ("mission_code", "missions", "missions", "x.mission_code"),
    "agency": ("agency_code", "agencies", "agencies", "x.sort_order"),
}
_FILTER_FIELDS = ("agencies", "sectors", "missions", "regions", "programs", "metrics")


def target_goal_sql(target_where: str) -> str:
    """Goals of attainment(): every current target of the year that satisfies `target_where` (alias t)."""
    return _TARGET_GOAL.format(target_where=target_where, metric_columns=METRIC_COLUMNS)


def target_where(filters: Filters, alias: str = "t") -> tuple[str, dict[str, object]]:
    """Targets consistent with the filters: each filtered dimension pinned to a selected value."""
    where, params = dimension_predicate(filters, alias, skip=("programs",))
    if filters.programs:
        where = "FALSE"  # targets have no program dimension, so none describes a program's figures
    return where, params


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


def metric_goal_sql(filters: Filters, by: str | None = None) -> tuple[str, dict[str, object]]:
    """Goals of a scorecard: each metric (× each kept value of `by`) with its scope's target."""
    if by is not None and by not in SCORECARD_BY:
        raise ValueError(f"scorecard by {by!r}: use one of {tuple(SCORECARD_BY)}")
    target, params = scope_target_sql(filters, by)
    metric_where = "TRUE"
    if filters.metrics:
        names = [f"g_metrics_{i}" for i in range(len(filters.metrics))]
        params.update(zip(names, filters.metrics, strict=True))
        metric_where = f"m.metric_code IN ({', '.join('$' + n for n in names)})"
    if by is None:
        return METRIC_GOAL.format(
            target=target, metric_where=metric_where, metric_columns=METRIC_COLUMNS
        ), params
    column, field, view, order = SCORECARD_BY[by]
    # the units are the reference rows the filters keep (regions keep missions too)
    keep = ("regions", field) if by == "mission" else (field,)
    where, unit_params = dimension_predicate(
        filters, "x", skip=tuple(f for f in _FILTER_FIELDS if f not in keep)
    )
    params.update(unit_params)
    units = (
        f"SELECT x.{column} AS code, row_number() OVER (ORDER BY {order}) AS unit_order "
        f"FROM {view} AS x WHERE {where}"
    )
    dims = ", ".join(
        f"u.code AS {c}" if c == column else f"NULL::VARCHAR AS {c}"
        for c in ("sector_code", "mission_code", "agency_code")
    )
    return (
        _BY_GOAL.format(
            units=units, dims=dims, target=target, metric_where=metric_where, metric_columns=METRIC_COLUMNS
        ),
        params,
    )
