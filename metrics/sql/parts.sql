-- Shared CTEs (no leading WITH): the figures in scope, aggregated by the caller's grouping;
-- metrics/sql/grouped.sql adds `grouped`, which picks the right part per metric.
-- Output `grouped`: the grouping columns, metric_code, wv, w and value = wv / coalesce(w, 1):
-- * summed metrics: wv = sum of the figures, w = NULL, so value is the sum;
-- * weighted metrics (satisfaction): wv = sum of score × weight, w = sum of weight, so value is
--   the weighted mean, and wv and w can be added up further (quarters into a year to date).
-- Part 0 sums every figure as stored; part 1 re-reads the scores of weighted metrics per return
-- row (year, quarter, agency, mission, sector, program) with that row's weight. Each part is
-- aggregated before the union, so only a few rows meet afterwards. Summing the scores in part 0
-- and discarding them later is deliberate: testing metric_code on every figure costs more.
-- The braces are placeholders that metrics/scope.py fills with SQL structure, never with values.
-- NOT MATERIALIZED: each part scans the table with its own filters pushed down, much cheaper than
-- first writing every figure in scope to a temporary result.
scoped AS NOT MATERIALIZED (
    -- the current quarterly figures the page's filters select
    SELECT r.year, r.quarter, r.agency_code, r.mission_code, r.sector_code, r.program_code,
           r.metric_code, r.value{derived}
    FROM results AS r{join}
    WHERE {where}
),
parts AS NOT MATERIALIZED (
    {parts}
)
