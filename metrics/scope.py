"""Assembling the shared CTEs that select, weight and group the figures a query works on."""

from __future__ import annotations

from collections.abc import Sequence

from metrics import registry
from metrics.db import sql_file
from metrics.filters import Filters, dimension_predicate
from metrics.source import figures, source_params

# Columns a query may group by that are attributes of the mission, not of the figure.
MISSION_ATTRIBUTES = {
    "region_code": "ms.region_code",
    # A K-beauty hub in the selected year ($year): designated that year or earlier.
    "is_hub": "coalesce(ms.kbeauty_hub_since <= $year, false)",
}
DIMS = ("sector_code", "mission_code", "agency_code")  # the dimensions targets can pin
GID_BITS = {"sector_code": 4, "mission_code": 2, "agency_code": 1}  # as GROUPING() sets them
# The aggregate columns of part 0 (summed figures) and part 1 (a weighted mean); see parts.sql.
PART_AGGREGATES = ("sum(value) AS wv, NULL::DOUBLE AS w", "sum(wv) AS wv, sum(w) AS w")


def _param_list(prefix: str, values: Sequence[str], params: dict[str, object]) -> str:
    names = [f"{prefix}_{i}" for i in range(len(values))]
    params.update(zip(names, values, strict=True))
    return ", ".join("$" + n for n in names) if names else "NULL"


def grouped_ctes(
    filters: Filters, *, keys: Sequence[str] = (), where: str = "TRUE"
) -> tuple[str, dict[str, object]]:
    """CTE text ending in `grouped` (keys…, metric_code, wv, w, value) and its parameters.

    `keys` are the grouping columns: result columns, or MISSION_ATTRIBUTES, which are joined on
    after summing by mission (a few hundred rows, not every figure). `where` adds to the dimension
    filters (alias r). The metric filter never removes the weight figures: satisfaction still finds
    its firms. (Attainment, scorecards and the pace read metrics/sql/year_parts.sql instead.)
    """
    dims, params = dimension_predicate(filters, "r", skip=("metrics",))
    params.update(source_params(filters))
    attributes = [k for k in keys if k in MISSION_ATTRIBUTES]
    # the parts group by mission where the caller asked for one of its attributes
    part_keys = [k for k in keys if k not in MISSION_ATTRIBUTES]
    if attributes and "mission_code" not in part_keys:
        part_keys.append("mission_code")
    wanted = set(filters.metrics) if filters.metrics else set(registry.codes())
    means = [m for m in registry.all_metrics() if m.is_mean and m.code in wanted]
    summed = [c for c in registry.codes() if c in wanted and not registry.get(c).is_mean]
    select = group_by = ", ".join([*part_keys, "metric_code"])

    sum_where = "TRUE" if summed else "FALSE"  # nothing selected: keep the shape, return no rows
    if summed and len(summed) < len(registry.codes()) - len([m for m in registry.all_metrics() if m.is_mean]):
        sum_where = f"metric_code IN ({_param_list('f_sum', summed, params)})"
    for i, m in enumerate(means):
        params[f"reg_mean_{i}"] = m.code
    parts = []
    if summed or not means:
        parts.append(
            sql_file("part_sum").format(
                select=select, aggregates=PART_AGGREGATES[0], metric_where=sum_where, group_by=group_by
            )
        )
    parts += [
        sql_file("part_mean").format(
            select=select, aggregates=PART_AGGREGATES[1], group_by=group_by, mean=f"$reg_mean_{i}"
        )
        for i in range(len(means))
    ]
    # result_sums has every column but program_code, summed over programs
    by_program = bool(filters.programs) or "program_code" in part_keys
    text = sql_file("parts").format(
        source=figures(filters, "weighted" if by_program else "sums"),
        where=f"({dims}) AND ({where})",
        parts="\n    UNION ALL BY NAME\n".join(parts),
    )
    means_list = _param_list("reg_means", [m.code for m in registry.all_metrics() if m.is_mean], params)
    key_select = "".join(f"{MISSION_ATTRIBUTES.get(k, 'p.' + k)} AS {k}, " for k in keys)
    key_group = "".join(f"{MISSION_ATTRIBUTES.get(k, 'p.' + k)}, " for k in keys)
    join = "\n    LEFT JOIN missions AS ms ON ms.mission_code = p.mission_code" if attributes else ""
    text = sql_file("grouped").format(
        parts_ctes=text, keys=key_select, group_keys=key_group, join=join, means=means_list
    )
    return text, params


def mission_predicate(filters: Filters, alias: str) -> tuple[str, dict[str, object]]:
    """The mission and region filters alone, over a relation (alias) with mission_code."""
    return dimension_predicate(Filters(missions=filters.missions, regions=filters.regions), alias)
