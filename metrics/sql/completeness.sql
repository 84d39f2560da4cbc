-- Which missions (or agencies) reported which quarter of the selected year.
-- Whose figures make a unit's quarter count as reported is {own}: for a mission, its own return,
-- which comes through MOFA (agency_code = $mission_reporter); for an agency, any of its figures.
-- The other agencies' figures at a mission still show in the counterpart columns. Lineage
-- (results_lineage) adds which returns the counted figures came from and when.
-- Expected: every mission (agency) of the reference data that the filters keep, for each quarter
-- from quarter_from to the as-of quarter. Placeholders: {unit} (mission_code | agency_code),
-- {expected} (the reference rows kept), {where} (filters over the figures, alias r), {own}.
WITH
expected AS (
    SELECT u.{unit}, q.quarter
    FROM ({expected}) AS u
    CROSS JOIN range($quarter_from, $as_of + 1) AS q(quarter)
),
per_return AS (
    -- first down to one row per unit, quarter, counterpart and return: the DISTINCT counts below
    -- then work on a few hundred rows instead of every figure
    SELECT r.{unit}, r.quarter, r.{other}, r.submission_id, {own} AS own,
           count(*) AS figures, max(r.loaded_at) AS loaded_at
    FROM {lineage} AS r
    WHERE r.year = $year AND r.quarter BETWEEN $quarter_from AND $as_of AND {where}
    GROUP BY r.{unit}, r.quarter, r.{other}, r.submission_id
),
reported AS (
    SELECT {unit}, quarter,
           sum(figures) FILTER (WHERE own) AS figures,
           count(DISTINCT {other}) AS {other_plural},
           string_agg(DISTINCT {other}, ',' ORDER BY {other}) AS {other}s,
           count(DISTINCT submission_id) FILTER (WHERE own) AS submissions,
           max(loaded_at) FILTER (WHERE own) AS last_loaded_at
    FROM per_return
    GROUP BY {unit}, quarter
)
SELECT $year::INTEGER AS year, e.quarter::INTEGER AS quarter, e.{unit},
       rp.figures IS NOT NULL AS reported,
       coalesce(rp.figures, 0)::INTEGER AS figures,
       coalesce(rp.{other_plural}, 0)::INTEGER AS {other_plural},
       rp.{other}s,
       coalesce(rp.submissions, 0)::INTEGER AS submissions,
       rp.last_loaded_at
FROM expected AS e
LEFT JOIN reported AS rp USING ({unit}, quarter)
ORDER BY e.quarter, e.{unit}
