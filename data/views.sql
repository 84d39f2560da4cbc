-- The warehouse contract (docs/reference.md): other tools query these views by these names.

CREATE OR REPLACE VIEW results AS
SELECT year, quarter, agency_code, mission_code, sector_code, program_code, metric_code, value
FROM fact_result
WHERE is_current;

-- Internal (not contract), for metrics/: `results` with the parts of a weighted mean, as in
-- result_sums (wv = value × weight, w = the stored weight; NULL for summed metrics).
CREATE OR REPLACE VIEW results_weighted AS
SELECT year, quarter, agency_code, mission_code, sector_code, program_code, metric_code, value,
       value * weight AS wv, weight AS w
FROM fact_result
WHERE is_current;

CREATE OR REPLACE VIEW targets AS
SELECT year, metric_code, sector_code, mission_code, agency_code, value
FROM fact_target
WHERE is_current;

CREATE OR REPLACE VIEW submissions AS
SELECT
    submission_id, kind, file_name, file_sha256, file_bytes, reporter, agency_codes, mission_count,
    period_first, period_last, layout, basis, row_count, warning_count, loaded_at, loaded_by, status,
    rolled_back_at, rolled_back_by, restates
FROM submission;

-- Lineage of the current figures: which file, sheet and cell each one came from.
CREATE OR REPLACE VIEW results_lineage AS
SELECT f.* EXCLUDE (weight, cumulative_value), s.file_name, s.file_sha256, s.loaded_at
FROM fact_result AS f
JOIN submission AS s USING (submission_id)
WHERE f.is_current;

CREATE OR REPLACE VIEW agencies AS SELECT * FROM ref_agencies;
CREATE OR REPLACE VIEW sectors AS SELECT * FROM ref_sectors;
CREATE OR REPLACE VIEW programs AS SELECT * FROM ref_programs;
CREATE OR REPLACE VIEW metrics AS SELECT * FROM ref_metrics;
CREATE OR REPLACE VIEW regions AS SELECT * FROM ref_regions;

-- kbeauty_hub_since: an administrator's designation (admin_kbeauty_hub, data/admin.sql) overrides
-- the reference CSV's.
CREATE OR REPLACE VIEW missions AS
SELECT m.* REPLACE (
           CASE WHEN h.mission_code IS NOT NULL THEN h.since_year ELSE m.kbeauty_hub_since END
               AS kbeauty_hub_since
       ),
       r.name_ko AS region_ko, r.name_en AS region_en, m.region_code AS region
FROM ref_missions AS m
LEFT JOIN ref_regions AS r USING (region_code)
LEFT JOIN admin_kbeauty_hub AS h USING (mission_code);

-- The reporting cycle (data/cycle.sql). Internal: how many missions and agencies have current
-- figures per quarter. A mission counts when its own return is in, which comes through MOFA: the
-- rule of metrics/completeness.py (MISSION_REPORTER).
CREATE OR REPLACE VIEW quarter_reporting AS
SELECT year, quarter,
       count(DISTINCT mission_code) FILTER (WHERE agency_code = 'mofa')::INTEGER AS missions_reported,
       count(DISTINCT agency_code)::INTEGER AS agencies_reported,
       count(DISTINCT mission_code)::INTEGER AS missions_with_figures  -- any agency's figures
FROM result_sums
GROUP BY ALL;

-- Every quarter with figures or a close: open (접수 중) or closed (마감). A closed quarter shows the
-- completeness recorded when it was closed; an open one, how far its returns have arrived.
CREATE OR REPLACE VIEW quarters AS
WITH periods AS (
    SELECT year, quarter FROM quarter_reporting
    UNION
    SELECT year, quarter FROM quarter_close
)
SELECT p.year::INTEGER AS year, p.quarter::INTEGER AS quarter,
       CASE WHEN c.year IS NULL THEN 'open' ELSE 'closed' END AS state,
       c.closed_at, c.closed_by,
       coalesce(c.missions_reported, r.missions_reported, 0)::INTEGER AS missions_reported,
       coalesce(c.agencies_reported, r.agencies_reported, 0)::INTEGER AS agencies_reported
FROM periods AS p
LEFT JOIN quarter_close AS c USING (year, quarter)
LEFT JOIN quarter_reporting AS r USING (year, quarter);

CREATE OR REPLACE VIEW meetings AS
SELECT meeting_no, held_on, title_ko, title_en, review_year, review_quarter
FROM meeting;

-- Internal (not contract): the (year, quarter, agency, mission) slices whose figures changed after
-- moment ts: covered by a return loaded, or rolled back, after ts, or holding a figure derived
-- again from a 누계 return after ts (fact_result_revision). Every other slice stands now as it
-- stood at ts, so only these need the search for the version current then.
CREATE OR REPLACE MACRO slices_changed_after(ts) AS TABLE
WITH later AS (
    SELECT submission_id FROM submission
    WHERE kind = 'results' AND (loaded_at > ts OR rolled_back_at > ts)
)
SELECT DISTINCT year, quarter, agency_code, mission_code
FROM submission_slice SEMI JOIN later USING (submission_id)
UNION
SELECT DISTINCT year, quarter, agency_code, mission_code
FROM fact_result_revision
WHERE replaced_at > ts;

-- Internal (not contract): the figures of the slices changed after ts as they stood at ts, with
-- the columns of results_weighted_as_of. For each such slice the version then current is the
-- latest submission loaded by ts and not yet rolled back by ts (how etl/store.py supersedes and
-- restores); a figure derived again since (fact_result_revision) shows the value it had at ts.
CREATE OR REPLACE MACRO changed_results_as_of(ts) AS TABLE
WITH changed AS (
    SELECT * FROM slices_changed_after(ts)
),
standing AS (
    SELECT submission_id FROM submission
    WHERE kind = 'results' AND loaded_at <= ts AND (rolled_back_at IS NULL OR rolled_back_at > ts)
),
versions AS (  -- submission_slice: a few rows per return, not every figure
    SELECT year, quarter, agency_code, mission_code, max(submission_id) AS submission_id
    FROM submission_slice
    SEMI JOIN changed USING (year, quarter, agency_code, mission_code)
    SEMI JOIN standing USING (submission_id)
    GROUP BY ALL
),
revised AS (
    SELECT submission_id, year, quarter, agency_code, mission_code, sector_code, program_code, metric_code,
           arg_min(value, replaced_at) AS value, arg_min(weight, replaced_at) AS weight, true AS revised
    FROM fact_result_revision
    WHERE replaced_at > ts
    GROUP BY ALL
)
SELECT f.submission_id, f.year, f.quarter, f.agency_code, f.mission_code, f.sector_code, f.program_code,
       f.metric_code, coalesce(r.value, f.value) AS value,
       coalesce(r.value, f.value) * CASE WHEN r.revised THEN r.weight ELSE f.weight END AS wv,
       CASE WHEN r.revised THEN r.weight ELSE f.weight END AS w
FROM fact_result AS f
SEMI JOIN versions USING (submission_id, year, quarter, agency_code, mission_code)
LEFT JOIN revised AS r
    ON r.submission_id = f.submission_id AND r.year = f.year AND r.quarter = f.quarter
   AND r.agency_code = f.agency_code AND r.mission_code = f.mission_code AND r.sector_code = f.sector_code
   AND r.program_code = f.program_code AND r.metric_code = f.metric_code;

-- Internal (not contract): results_weighted as it stood at moment ts. Slices unchanged since ts
-- are read as they are now (is_current); the changed ones as they were (changed_results_as_of).
CREATE OR REPLACE MACRO results_weighted_as_of(ts) AS TABLE
SELECT f.submission_id, f.year, f.quarter, f.agency_code, f.mission_code, f.sector_code, f.program_code,
       f.metric_code, f.value, f.value * f.weight AS wv, f.weight AS w
FROM fact_result AS f
ANTI JOIN slices_changed_after(ts) AS c USING (year, quarter, agency_code, mission_code)
WHERE f.is_current
UNION ALL
SELECT * FROM changed_results_as_of(ts);

-- Internal (not contract): result_sums (the figures summed over programs) as they stood at moment
-- ts, for metrics/: unchanged slices straight from result_sums, changed ones summed from
-- changed_results_as_of. The same numbers as summing results_weighted_as_of(ts) over programs.
CREATE OR REPLACE MACRO result_sums_as_of(ts) AS TABLE
SELECT year, quarter, agency_code, mission_code, sector_code, metric_code, value, wv, w
FROM result_sums
ANTI JOIN slices_changed_after(ts) AS c USING (year, quarter, agency_code, mission_code)
UNION ALL
SELECT year, quarter, agency_code, mission_code, sector_code, metric_code,
       sum(value) AS value, sum(wv) AS wv, sum(w) AS w
FROM changed_results_as_of(ts)
GROUP BY ALL;

-- Internal (not contract): result_rollup (result_sums summed per quarter at each coarser
-- granularity) as it stood at moment ts, for metrics/. A quarter none of whose slices changed after
-- ts reads its rollup rows as they are now; the quarters with a changed slice give their
-- result_sums_as_of rows once per granularity (gid), unsummed, with the dimensions it does not
-- pin set NULL: whoever reads this sums by granularity anyway.
CREATE OR REPLACE MACRO result_rollup_as_of(ts) AS TABLE
WITH changed AS (
    SELECT DISTINCT year, quarter FROM slices_changed_after(ts)
)
SELECT gid, year, quarter, sector_code, mission_code, agency_code, metric_code, value, wv, w
FROM result_rollup
ANTI JOIN changed USING (year, quarter)
UNION ALL
SELECT g.gid::TINYINT AS gid, s.year, s.quarter,
       CASE WHEN g.gid & 4 = 0 THEN s.sector_code END AS sector_code,
       CASE WHEN g.gid & 2 = 0 THEN s.mission_code END AS mission_code,
       CASE WHEN g.gid & 1 = 0 THEN s.agency_code END AS agency_code,
       s.metric_code, s.value, s.wv, s.w
FROM (SELECT * FROM result_sums_as_of(ts) SEMI JOIN changed USING (year, quarter)) AS s
CROSS JOIN range(1, 8) AS g(gid);

-- Internal (not contract): the periods (year, quarter) that had figures at moment ts, for the as-of
-- quarter of metrics/period.py. A slice had figures then when a submission standing at ts (loaded
-- by ts and not rolled back by ts: how changed_results_as_of picks the version) wrote figures for
-- it, which submission_slice lists; so these are the periods of results_as_of(ts), found from a
-- few rows per return instead of every figure.
CREATE OR REPLACE MACRO periods_as_of(ts) AS TABLE
SELECT DISTINCT year, quarter
FROM submission_slice
SEMI JOIN (
    SELECT submission_id FROM submission
    WHERE kind = 'results' AND loaded_at <= ts AND (rolled_back_at IS NULL OR rolled_back_at > ts)
) USING (submission_id);

-- The contract: `results` as it stood at moment ts (a TIMESTAMP), e.g. a council meeting's date.
CREATE OR REPLACE MACRO results_as_of(ts) AS TABLE
SELECT year, quarter, agency_code, mission_code, sector_code, program_code, metric_code, value
FROM results_weighted_as_of(ts);
