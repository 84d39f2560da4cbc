-- Shared CTEs (no leading WITH): the figures in scope, summed by the caller's grouping.
-- `parts` has the grouping columns, metric_code, part, wv and w:
-- * part 0 (part_sum.sql) sums every figure as stored: wv = sum, w = NULL. It answers for summed
--   metrics; for weighted metrics it is a meaningless sum of scores, thrown away later, because
--   testing metric_code on every figure to leave them out costs more than summing them;
-- * part 1 (part_mean.sql, one block per weighted metric, i.e. satisfaction) weighs each score by
--   its stored weight (the firms figure of its return row): wv = sum of score × weight, w = sum of
--   weights, summed further from the sums the source already holds.
-- So value = wv / coalesce(w, 1) is the sum or the weighted mean, and wv and w of several rows
-- (quarters into a year to date) can be added before dividing. grouped.sql picks the right part.
-- The braces are placeholders that metrics/scope.py fills with SQL structure, never with values.
-- NOT MATERIALIZED: each part scans the table with its own filters pushed down, much cheaper than
-- first writing every figure in scope to a temporary result.
scoped AS NOT MATERIALIZED (
    -- the current quarterly figures the page's filters select: from result_sums (summed over
    -- programs when they were written; warehouse/result_sums.py), or from results_weighted when
    -- the query filters or groups by program. Both have value, wv and w.
    SELECT *
    FROM {source} AS r
    WHERE {where}
),
parts AS NOT MATERIALIZED (
    {parts}
)
