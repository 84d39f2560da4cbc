-- Year-to-date against the annual target, with the expected pace from prior years.
-- Used by attainment() (one scope per target), scorecard() and pace_curve() (one scope per metric
-- over the filtered figures). A scope is a metric plus the dimensions it is pinned to; NULL means
-- "all" (of the filtered figures), exactly as in the targets view.
-- Parameters: $year (the selected year), $as_of (last quarter counted; 0 = none reported yet).
-- The braces are placeholders for SQL structure that metrics/pace.py fills in (the curve_ ones: extra
-- columns for the pace chart, left out otherwise).
-- Few operators and expressions on purpose: once `parts` has summed the figures only a few
-- hundred rows are left, and DuckDB spends more time planning each extra expression than running it.
WITH {ctes},
scope AS (
    -- gid encodes the granularity as GROUPING() does in `parts` (bit set = not pinned)
    SELECT g.metric_code, g.sector_code, g.mission_code, g.agency_code, g.target, g.unit_order,
           m.sort_order, m.aggregation = 'weighted_mean' AS is_mean, m.higher_is_better,
           (g.sector_code IS NULL)::INTEGER * 4 + (g.mission_code IS NULL)::INTEGER * 2
               + (g.agency_code IS NULL)::INTEGER AS gid
    FROM ({goal}) AS g
    JOIN metrics AS m USING (metric_code)
),
by_year AS (
    -- Each scope's figures per year: quarters reported, the annual total, and the running total
    -- through the as-of quarter (wv/w: see parts). A scope without any figure keeps one row with
    -- year NULL, so it still reaches the result. Part 0 (plain sums) answers for summed metrics,
    -- part 1 (weighted) for weighted means.
    SELECT s.*, q.year,
           count(q.quarter) AS quarters,
           count(q.quarter) FILTER (WHERE q.quarter <= $as_of) AS quarters_to_date,
           sum(q.wv) AS total,
           sum(q.wv) FILTER (WHERE q.quarter <= $as_of) AS wv_to_date,
           sum(q.w) FILTER (WHERE q.quarter <= $as_of) AS w_to_date{curve_by_year}
    FROM scope AS s
    LEFT JOIN parts AS q
        ON q.metric_code = s.metric_code AND q.gid = s.gid AND q.part = s.is_mean::INTEGER
       AND q.sector_code IS NOT DISTINCT FROM s.sector_code
       AND q.mission_code IS NOT DISTINCT FROM s.mission_code
       AND q.agency_code IS NOT DISTINCT FROM s.agency_code
    GROUP BY ALL
),
per_scope AS (
    -- A prior year counts for the pace when the scope has figures in all four quarters (a
    -- reported 0 counts, a missing quarter does not) and a positive annual total; the expected
    -- share is the mean of those years' shares reached by the as-of quarter.
    SELECT metric_code, sector_code, mission_code, agency_code, target, unit_order, sort_order,
           is_mean, higher_is_better, gid,
           count(*) FILTER (WHERE {full_year}) AS full_years,
           avg(wv_to_date / total) FILTER (WHERE {full_year}) AS prior_share,
           -- year to date (Q1 .. as-of) and the same quarters of the year before
           max(wv_to_date / coalesce(w_to_date, 1)) FILTER (WHERE year = $year AND quarters_to_date > 0)
               AS ytd_value,
           coalesce(max(quarters_to_date) FILTER (WHERE year = $year), 0) AS quarters_reported,
           max(wv_to_date / coalesce(w_to_date, 1)) FILTER (WHERE year = $year - 1 AND quarters_to_date > 0)
               AS prev_value{curve_per_scope}
    FROM by_year
    GROUP BY metric_code, sector_code, mission_code, agency_code, target, unit_order, sort_order,
             is_mean, higher_is_better, gid
),
paced AS (
    -- No prior full year: the share is q ÷ 4. A weighted metric (a mean) has no pace.
    SELECT * EXCLUDE (prior_share, full_years),
           CASE WHEN is_mean THEN 0 ELSE full_years END AS prior_years,
           CASE WHEN $as_of = 0 THEN NULL WHEN is_mean THEN 'target'
                WHEN full_years > 0 THEN 'prior_years' ELSE 'linear' END AS pace_basis,
           CASE WHEN NOT is_mean AND $as_of > 0 THEN coalesce(prior_share, $as_of / 4) END
               AS expected_share
    FROM per_scope
),
judged AS (
    -- a mean's expected value is the target itself and it projects as itself; otherwise
    -- expected = share × target and projection = year to date ÷ share; tol is the rounding
    -- slack of the status comparisons (0.35 × 200 must count as 70)
    SELECT *,
           CASE WHEN is_mean THEN target ELSE expected_share * target END AS expected_value,
           CASE WHEN is_mean THEN ytd_value WHEN expected_share > 0 THEN ytd_value / expected_share END
               AS projection,
           1e-9 * greatest(1, abs(expected_value)) AS tol
    FROM paced
)
