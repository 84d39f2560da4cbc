-- Year-to-date against the annual target, with the expected pace from prior years.
-- Used by attainment() (one scope per target), scorecard() and pace_curve() (one scope per metric
-- over the filtered figures). A scope is a metric plus the dimensions it is pinned to; NULL means
-- "all" (of the filtered figures), exactly as in the targets view.
-- Parameters: $year (the selected year), $as_of (last quarter counted; 0 = none reported yet).
-- The braces are placeholders for SQL structure that metrics/pace.py fills in.
-- Few, wide aggregations on purpose: each operator has a fixed cost that dwarfs the few hundred
-- rows left once `grouped` has summed the figures.
WITH {ctes},
goal AS (
    -- columns: metric_code, sector_code, mission_code, agency_code, target (NULL: no target)
    {goal}
),
scope AS (
    -- gid encodes the granularity as GROUPING() does in `grouped` (bit set = not pinned)
    SELECT g.*, m.sort_order, m.aggregation = 'weighted_mean' AS is_mean, m.higher_is_better,
           (g.sector_code IS NULL)::INTEGER * 4 + (g.mission_code IS NULL)::INTEGER * 2
               + (g.agency_code IS NULL)::INTEGER AS gid
    FROM goal AS g
    JOIN metrics AS m USING (metric_code)
),
by_year AS (
    -- Each scope's figures per year: how many quarters were reported, the annual total, and the
    -- running totals through Q1, Q2, Q3 (Q4 = total) and through the as-of quarter. A scope
    -- without any figure keeps one row with year NULL, so it still reaches the result.
    SELECT s.metric_code, s.sector_code, s.mission_code, s.agency_code, q.year,
           count(q.quarter) AS quarters,
           count(q.quarter) FILTER (WHERE q.quarter <= $as_of) AS quarters_to_date,
           sum(q.wv) AS total,
           sum(q.wv) FILTER (WHERE q.quarter <= 1) AS wv1,
           sum(q.wv) FILTER (WHERE q.quarter <= 2) AS wv2,
           sum(q.wv) FILTER (WHERE q.quarter <= 3) AS wv3,
           sum(q.w) FILTER (WHERE q.quarter <= 1) AS w1,
           sum(q.w) FILTER (WHERE q.quarter <= 2) AS w2,
           sum(q.w) FILTER (WHERE q.quarter <= 3) AS w3,
           sum(q.w) AS w4,
           sum(q.wv) FILTER (WHERE q.quarter <= $as_of) AS wv_to_date,
           sum(q.w) FILTER (WHERE q.quarter <= $as_of) AS w_to_date
    FROM scope AS s
    LEFT JOIN grouped AS q
        ON q.metric_code = s.metric_code AND q.gid = s.gid
       AND q.sector_code IS NOT DISTINCT FROM s.sector_code
       AND q.mission_code IS NOT DISTINCT FROM s.mission_code
       AND q.agency_code IS NOT DISTINCT FROM s.agency_code
    GROUP BY ALL
),
by_scope AS (
    -- A prior year counts for the pace when the scope has figures in all four quarters (a
    -- reported 0 counts, a missing quarter does not) and a positive annual total; the expected
    -- share by quarter is the mean of those years' shares. Weighted metrics have no pace.
    SELECT metric_code, sector_code, mission_code, agency_code,
           avg(wv1 / total) FILTER (WHERE {full_year}) AS share1,
           avg(wv2 / total) FILTER (WHERE {full_year}) AS share2,
           avg(wv3 / total) FILTER (WHERE {full_year}) AS share3,
           count(*) FILTER (WHERE {full_year}) AS prior_years,
           -- year to date (Q1 .. as-of) and the same quarters of the year before
           max(wv_to_date / coalesce(w_to_date, 1)) FILTER (WHERE year = $year AND quarters_to_date > 0)
               AS ytd_value,
           coalesce(max(quarters_to_date) FILTER (WHERE year = $year), 0) AS quarters_reported,
           max(wv_to_date / coalesce(w_to_date, 1))
               FILTER (WHERE year = $year - 1 AND quarters_to_date > 0) AS prev_value,
           -- running values by quarter, this year and last (for the pace chart)
           [max(wv1 / coalesce(w1, 1)) FILTER (WHERE year = $year),
            max(wv2 / coalesce(w2, 1)) FILTER (WHERE year = $year),
            max(wv3 / coalesce(w3, 1)) FILTER (WHERE year = $year),
            max(total / coalesce(w4, 1)) FILTER (WHERE year = $year)] AS cum,
           [max(wv1 / coalesce(w1, 1)) FILTER (WHERE year = $year - 1),
            max(wv2 / coalesce(w2, 1)) FILTER (WHERE year = $year - 1),
            max(wv3 / coalesce(w3, 1)) FILTER (WHERE year = $year - 1),
            max(total / coalesce(w4, 1)) FILTER (WHERE year = $year - 1)] AS prev_cum
    FROM by_year
    GROUP BY ALL
),
judged AS (
    SELECT s.*,
           b.* EXCLUDE (metric_code, sector_code, mission_code, agency_code, share1, share2, share3,
                        prior_years),
           CASE WHEN s.is_mean THEN 0 ELSE b.prior_years END AS prior_years,
           -- expected share by quarter 1..4: prior full years, else q ÷ 4; none for a mean
           CASE WHEN NOT s.is_mean THEN
               [coalesce(b.share1, 0.25), coalesce(b.share2, 0.5), coalesce(b.share3, 0.75), 1.0]
           END AS shares,
           CASE WHEN NOT s.is_mean AND $as_of > 0 THEN shares[$as_of] END AS expected_share,
           CASE WHEN $as_of = 0 THEN NULL
                WHEN s.is_mean THEN 'target'
                WHEN b.prior_years > 0 THEN 'prior_years'
                ELSE 'linear' END AS pace_basis,
           -- a mean (satisfaction) has no pace: its expected value is the target itself
           CASE WHEN s.is_mean THEN s.target ELSE expected_share * s.target END AS expected_value,
           -- year-end projection: year to date ÷ expected share (a mean projects as itself)
           CASE WHEN s.is_mean THEN b.ytd_value
                WHEN expected_share > 0 THEN b.ytd_value / expected_share END AS projection
    FROM scope AS s
    JOIN by_scope AS b
        ON b.metric_code = s.metric_code
       AND b.sector_code IS NOT DISTINCT FROM s.sector_code
       AND b.mission_code IS NOT DISTINCT FROM s.mission_code
       AND b.agency_code IS NOT DISTINCT FROM s.agency_code
)
