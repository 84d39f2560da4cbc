"""K-beauty hub missions (K-뷰티 거점공관) against the other missions in the K-beauty sector.

Rules decided here:
- a mission is a hub in the selected year when missions.kbeauty_hub_since <= year; the grouping
  is fixed by the selected year for both years compared, so growth shows how the missions
  designated now did against their own previous year;
- only K-beauty figures count (a sector filter is replaced by K-beauty); other filters apply;
- the period is quarter_from .. the as-of quarter (`latest_period`) of the year, compared with the
  same quarters of the year before;
- "other" missions are those with at least one K-beauty figure in either year that are not hubs;
- missions = missions of the group with a K-beauty figure of that metric in the selected period;
  value_per_mission = value ÷ missions for summed metrics (the mean for satisfaction).
"""

from __future__ import annotations

from dataclasses import replace

import duckdb
import pandas as pd

from metrics.db import fetch_df
from metrics.filters import ALL, Filters
from metrics.period import resolve
from metrics.scope import grouped_ctes

SECTOR = "kbeauty"

_BY_MISSION = """
WITH {ctes},
pivoted AS (
    SELECT g.mission_code, g.is_hub, g.metric_code, any_value(m.sort_order) AS sort_order,
           max(g.value) FILTER (WHERE g.year = $year) AS cur_value,
           max(g.value) FILTER (WHERE g.year = $year - 1) AS prev_value
    FROM grouped AS g
    JOIN metrics AS m USING (metric_code)
    GROUP BY g.mission_code, g.is_hub, g.metric_code
)
SELECT $year::INTEGER AS year, $quarter_from::INTEGER AS quarter_from, $as_of::INTEGER AS quarter_to,
       p.mission_code, p.is_hub, ms.kbeauty_hub_since::INTEGER AS hub_since, p.metric_code,
       p.cur_value AS value, p.prev_value,
       CASE WHEN p.prev_value > 0 THEN (p.cur_value - p.prev_value) / p.prev_value * 100 END AS growth_pct
FROM pivoted AS p
LEFT JOIN missions AS ms USING (mission_code)
ORDER BY p.is_hub DESC, p.mission_code, p.sort_order
"""

_BY_GROUP = """
WITH {ctes},
per_year AS (
    -- roll missions up into the two groups; wv and w add up for weighted means too
    SELECT year, is_hub, metric_code, count(*) AS missions, sum(wv) / coalesce(sum(w), 1) AS value
    FROM grouped
    GROUP BY year, is_hub, metric_code
),
pivoted AS (
    SELECT p.is_hub, p.metric_code, any_value(m.sort_order) AS sort_order,
           any_value(m.aggregation) = 'weighted_mean' AS is_mean,
           coalesce(max(p.missions) FILTER (WHERE p.year = $year), 0) AS missions,
           max(p.value) FILTER (WHERE p.year = $year) AS cur_value,
           max(p.value) FILTER (WHERE p.year = $year - 1) AS prev_value
    FROM per_year AS p
    JOIN metrics AS m USING (metric_code)
    GROUP BY p.is_hub, p.metric_code
)
SELECT $year::INTEGER AS year, $quarter_from::INTEGER AS quarter_from, $as_of::INTEGER AS quarter_to,
       CASE WHEN is_hub THEN 'hub' ELSE 'other' END AS "group", metric_code,
       missions::INTEGER AS missions, cur_value AS value,
       CASE WHEN is_mean THEN cur_value WHEN missions > 0 THEN cur_value / missions END
           AS value_per_mission,
       prev_value,
       CASE WHEN prev_value > 0 THEN (cur_value - prev_value) / prev_value * 100 END AS growth_pct
FROM pivoted
ORDER BY "group", sort_order
"""


def kbeauty_comparison(
    con: duckdb.DuckDBPyConnection, filters: Filters = ALL, *, by_mission: bool = False
) -> pd.DataFrame:
    """Hub missions against the other K-beauty missions, per metric (or per mission with by_mission).

    Columns (groups): year, quarter_from, quarter_to (Int64), group ('hub' | 'other'), metric_code,
    missions (Int64), value, value_per_mission, prev_value, growth_pct (float).
    Columns (by_mission): year, quarter_from, quarter_to, mission_code, is_hub (bool), hub_since
    (Int64, NULL if never designated), metric_code, value, prev_value, growth_pct.
    """
    as_of = resolve(con, filters)
    scoped = replace(filters, sectors=(SECTOR,))
    if as_of.quarter == 0 or as_of.quarter < filters.quarter_from:
        as_of = as_of._replace(year=None)  # nothing reported yet: empty result, same columns
    where = "r.year BETWEEN $year - 1 AND $year"
    if filters.quarter_from > 1 or as_of.quarter < 4:
        where += " AND r.quarter BETWEEN $quarter_from AND $as_of"
    ctes, params = grouped_ctes(scoped, keys=("year", "is_hub", "mission_code"), where=where)
    text = (_BY_MISSION if by_mission else _BY_GROUP).format(ctes=ctes)
    params.update(year=as_of.year, as_of=as_of.quarter, quarter_from=filters.quarter_from)
    return fetch_df(con, text, params)
