-- Shared CTEs (no leading WITH): the figures in scope, aggregated by the caller's grouping.
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
{parts_ctes},
grouped AS (
    SELECT {keys}metric_code,
           CASE WHEN metric_code IN ({means}) THEN sum(wv) FILTER (WHERE part = 1)
                ELSE sum(wv) FILTER (WHERE part = 0) END AS wv,
           CASE WHEN metric_code IN ({means}) THEN sum(w) FILTER (WHERE part = 1) END AS w,
           CASE WHEN metric_code IN ({means})
                THEN sum(wv) FILTER (WHERE part = 1) / sum(w) FILTER (WHERE part = 1)
                ELSE sum(wv) FILTER (WHERE part = 0) END AS value
    FROM parts
    GROUP BY {keys}metric_code
)
