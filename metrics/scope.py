"""Assembling the shared CTEs that select, weight and group the figures a query works on."""

from __future__ import annotations

from collections.abc import Sequence

from metrics import registry
from metrics.db import sql_file
from metrics.filters import Filters, dimension_predicate

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
    filters: Filters,
    *,
    keys: Sequence[str] = (),
    sets: Sequence[Sequence[str]] | None = None,
    where: str = "TRUE",
    mean_where: str = "TRUE",
    regroup: bool = True,
    weighted: bool = True,
    aggregates: tuple[str, str] = PART_AGGREGATES,
) -> tuple[str, dict[str, object]]:
    """CTE text ending in `grouped` (keys…, metric_code, wv, w, value) and its parameters.

    `keys` are the grouping columns: result columns, or MISSION_ATTRIBUTES, which are joined on
    after summing by mission (a few hundred rows, not every figure). With `sets`, a list of grouping
    sets over `keys` (metric_code is added to each), the rows also have `gid`, the bitmask
    GROUPING(sector_code, mission_code, agency_code), and `keys` must be DIMS plus year and quarter or either.
    With regroup=False the text ends at `parts` (keys…, metric_code, gid, part, wv, w), for
    callers that pick part 0 or 1 themselves, and that may then name their own `aggregates` for
    part 0 and part 1 (from value, and from wv and w). `where` adds to the dimension filters (alias r);
    `mean_where` (plain column names) narrows the periods weighted metrics are read for. The
    metric filter never removes the weight figures: satisfaction still finds its firms.
    weighted=False leaves the weighted metrics out (when the caller knows none is needed).
    """
    dims, params = dimension_predicate(filters, "r", skip=("metrics",))
    attributes = [k for k in keys if k in MISSION_ATTRIBUTES]
    if attributes and (sets is not None or not regroup):
        raise ValueError("mission attributes are for plain groupings")
    if regroup and aggregates != PART_AGGREGATES:
        raise ValueError("grouped.sql reads the standard aggregates; pass regroup=False for others")
    # the parts group by mission where the caller asked for one of its attributes
    part_keys = [k for k in keys if k not in MISSION_ATTRIBUTES]
    if attributes and "mission_code" not in part_keys:
        part_keys.append("mission_code")
    wanted = set(filters.metrics) if filters.metrics else set(registry.codes())
    means = [m for m in registry.all_metrics() if m.is_mean and m.code in wanted and weighted]
    summed = [c for c in registry.codes() if c in wanted and not registry.get(c).is_mean]

    if sets is None:
        select = ", ".join([*part_keys, "metric_code"])
        group_by = select
    else:
        pinned = [d for d in DIMS if any(d in s for s in sets)]
        other = [k for k in keys if k not in DIMS]
        select_parts = other + [d if d in pinned else f"NULL::VARCHAR AS {d}" for d in DIMS]
        if len(sets) == 1:
            # one granularity: a plain GROUP BY, cheaper than GROUPING SETS, and a constant gid
            gid = str(sum(GID_BITS[d] for d in DIMS if d not in sets[0]))
            group_by = ", ".join([*other, *sets[0], "metric_code"])
        else:
            gid = " + ".join(
                f"GROUPING({d}) * {GID_BITS[d]}" if d in pinned else str(GID_BITS[d]) for d in DIMS
            )
            group_by = (
                "GROUPING SETS ("
                + ", ".join("(" + ", ".join([*other, *s, "metric_code"]) + ")" for s in sets)
                + ")"
            )
        select = ", ".join([*select_parts, "metric_code", f"{gid} AS gid"])
        keys = [*other, *DIMS, "gid"]

    parts = []
    if summed:
        metric_where = "TRUE"
        if len(summed) < len(registry.codes()) - len([m for m in registry.all_metrics() if m.is_mean]):
            metric_where = f"metric_code IN ({_param_list('f_sum', summed, params)})"
        parts.append(
            sql_file("part_sum").format(
                select=select, aggregates=aggregates[0], metric_where=metric_where, group_by=group_by
            )
        )
    for i, m in enumerate(means):
        params[f"reg_mean_{i}"] = m.code
        parts.append(
            sql_file("part_mean").format(
                select=select,
                aggregates=aggregates[1],
                group_by=group_by,
                mean=f"$reg_mean_{i}",
                mean_where=mean_where,
            )
        )
    if not parts:  # nothing selected: keep the shape, return no rows
        parts.append(
            sql_file("part_sum").format(
                select=select, aggregates=aggregates[0], metric_where="FALSE", group_by=group_by
            )
        )
    # result_sums has every column but program_code, summed over programs
    by_program = bool(filters.programs) or "program_code" in part_keys
    text = sql_file("parts").format(
        source="results_weighted" if by_program else "result_sums",
        where=f"({dims}) AND ({where})",
        parts="\n    UNION ALL BY NAME\n".join(parts),
    )
    if regroup:
        means_list = _param_list("reg_means", [m.code for m in registry.all_metrics() if m.is_mean], params)
        key_select = "".join(f"{MISSION_ATTRIBUTES.get(k, 'p.' + k)} AS {k}, " for k in keys)
        key_group = "".join(f"{MISSION_ATTRIBUTES.get(k, 'p.' + k)}, " for k in keys)
        join = "\n    LEFT JOIN missions AS ms ON ms.mission_code = p.mission_code" if attributes else ""
        text = sql_file("grouped").format(
            parts_ctes=text, keys=key_select, group_keys=key_group, join=join, means=means_list
        )
    return text, params
