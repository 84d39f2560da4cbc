-- The CTEs scope_stats.sql starts from (no leading WITH): `parts`, one row per scope value (the
-- dimensions a granularity pins), metric and year, with the aggregates metrics/pace.py names.
-- `wv` is what adds up: the figure itself for a summed metric (w is NULL), score × weight for a
-- weighted mean ({means}: satisfaction), whose weights w add up beside it (the source's wv and w;
-- see warehouse/weights.py). So sum(wv) / coalesce(sum(w), 1) is the sum or the weighted mean, and
-- the sums of several rows (quarters into a year to date) add up before dividing.
-- One aggregate per granularity for every metric: each extra pass over the figures (a separate
-- one for the weighted metric) costs a scan, a hash table and planning time, and planning is much
-- of what these queries cost. A granularity within a finer one asked for too (sector within
-- sector+mission) is summed from that one's rows (metrics/pace.py), not from the figures again.
-- From result_rollup ({gid}: its gid column) each granularity has its own few hundred rows.
-- The braces are placeholders that metrics/pace.py fills with SQL structure, never with values.
scoped AS NOT MATERIALIZED (
    SELECT {gid}year, quarter, sector_code, mission_code, agency_code, metric_code,
           CASE WHEN metric_code IN ({means}) THEN wv ELSE value END AS wv, w
    FROM {source} AS r
    WHERE {where}
),
{finer}parts AS (
    {parts}
)
