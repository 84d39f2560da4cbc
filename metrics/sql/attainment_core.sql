-- Year-to-date against the annual target, with the expected pace from prior years.
-- Used by attainment() (one scope per target), scorecard() and pace_curve() (one scope per metric
-- over the filtered figures). A scope is a metric plus the dimensions it is pinned to; NULL means
-- "all" (of the filtered figures), exactly as in the targets view. The goal brings the metric's
-- sort_order, is_mean and higher_is_better along.
-- Parameters: $year (the selected year), $as_of (last quarter counted; 0 = none reported yet).
-- The braces are placeholders for SQL structure that metrics/pace.py fills in (the curve_ ones: extra
-- columns for the pace chart, left out otherwise).
-- `parts` (year_parts.sql, metrics/pace.py YEAR_AGGREGATES) holds one row per scope value, metric
-- and year: qmask (bit q set when quarter q has figures), total (the year), wv_to_date and w_to_date
-- (Q1 through the as-of quarter; wv_to_date / coalesce(w_to_date, 1) is the sum or the weighted
-- mean, see year_parts.sql). Few operators and expressions on purpose: once `parts` has summed the figures
-- only a few hundred rows are left, and DuckDB spends more time planning each extra expression
-- and aggregate than running it.
WITH {ctes},
scope AS (
    -- gid encodes the granularity as GROUPING() does in `parts` (bit set = not pinned)
    SELECT g.*,
           (g.sector_code IS NULL)::INTEGER * 4 + (g.mission_code IS NULL)::INTEGER * 2
               + (g.agency_code IS NULL)::INTEGER AS gid
    FROM ({goal}) AS g
),
per_scope AS (
    -- A prior year counts for the pace when the scope has figures in all four quarters (qmask 30 =
    -- bits 1-4; a reported 0 counts, a missing quarter does not) and a positive annual total; the
    -- expected share is the mean of those years' shares reached by the as-of quarter. A scope
    -- without any figure still gets its row (LEFT JOIN), with no values.
    SELECT s.*,
           count(*) FILTER (WHERE {full_year}) AS full_years,
           avg(q.wv_to_date / q.total) FILTER (WHERE {full_year}) AS prior_share,
           -- year to date (Q1 .. as-of) and the same quarters of the year before
           max(q.wv_to_date / coalesce(q.w_to_date, 1)) FILTER (WHERE q.year = $year) AS ytd_value,
           coalesce(max(bit_count(q.qmask & ((2 << $as_of) - 1))) FILTER (WHERE q.year = $year), 0)
               AS quarters_reported,
           max(q.wv_to_date / coalesce(q.w_to_date, 1)) FILTER (WHERE q.year = $year - 1)
               AS prev_value{curve_per_scope}
    FROM scope AS s
    LEFT JOIN parts AS q
        ON q.metric_code = s.metric_code AND q.gid = s.gid
       AND q.sector_code IS NOT DISTINCT FROM s.sector_code
       AND q.mission_code IS NOT DISTINCT FROM s.mission_code
       AND q.agency_code IS NOT DISTINCT FROM s.agency_code
    GROUP BY ALL
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
