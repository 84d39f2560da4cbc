-- Figures of the quarters a council had seen (up to $review, e.g. 20253) whose value now differs
-- from the value they had at the meeting ($at): replaced by a later return, withdrawn by a rollback
-- or by a return that left them out, or derived again from a 누계 return after an earlier quarter
-- changed. One row per figure (by program), with what caused the change: which file, who, when.
WITH seen AS (
    SELECT submission_id, year, quarter, agency_code, mission_code, sector_code, program_code,
           metric_code, value
    FROM results_weighted_as_of($at::TIMESTAMP)
    WHERE year * 10 + quarter <= $review
),
present AS (
    SELECT submission_id, year, quarter, agency_code, mission_code, sector_code, program_code,
           metric_code, value
    FROM fact_result
    WHERE is_current AND year * 10 + quarter <= $review
),
changed AS (
    SELECT year, quarter, agency_code, mission_code, sector_code, program_code, metric_code,
           s.value AS old_value, p.value AS new_value,
           s.submission_id AS old_submission, p.submission_id AS new_submission
    FROM seen AS s
    FULL JOIN present AS p
        USING (year, quarter, agency_code, mission_code, sector_code, program_code, metric_code)
    WHERE s.value IS NULL OR p.value IS NULL OR abs(s.value - p.value) > 1e-9
),
slice_now AS (  -- the return that holds each slice now (a figure it left out was withdrawn by it)
    SELECT year, quarter, agency_code, mission_code, max(submission_id) AS submission_id
    FROM present
    GROUP BY ALL
),
revisions AS (  -- each time a current figure was derived again, with the value it took then
    SELECT r.submission_id, r.year, r.quarter, r.agency_code, r.mission_code, r.sector_code,
           r.program_code, r.metric_code, r.replaced_at, r.value,
           coalesce(lead(r.value) OVER (
               PARTITION BY r.submission_id, r.year, r.quarter, r.agency_code, r.mission_code,
                            r.sector_code, r.program_code, r.metric_code
               ORDER BY r.replaced_at), p.value) AS value_after
    FROM fact_result_revision AS r
    JOIN present AS p
        USING (submission_id, year, quarter, agency_code, mission_code, sector_code, program_code, metric_code)
),
rederived AS (  -- the last time since the meeting a figure's value was derived again (a weight alone
                -- changing is no change of value): the commit or rollback that made it what it is now
    SELECT submission_id, year, quarter, agency_code, mission_code, sector_code, program_code,
           metric_code, max(replaced_at) AS replaced_at
    FROM revisions
    WHERE replaced_at > $at::TIMESTAMP AND abs(value - value_after) > 1e-9
    GROUP BY ALL
),
caused AS (
    SELECT c.*,
           -- a version derived again since it was loaded holds the value that derivation gave it
           -- (a replacing return later derived again by a correction: the correction made it)
           CASE
               WHEN c.old_submission = c.new_submission OR d.replaced_at IS NOT NULL THEN 'rederived'
               WHEN c.new_submission IS NULL THEN 'withdrawn'
               WHEN c.old_submission IS NULL THEN 'added'
               ELSE 'replaced'
           END AS change,
           CASE
               WHEN c.old_submission = c.new_submission OR d.replaced_at IS NOT NULL THEN (
                   SELECT max(s.submission_id) FROM submission AS s
                   WHERE s.loaded_at = d.replaced_at OR s.rolled_back_at = d.replaced_at
               )
               WHEN c.new_submission IS NULL THEN coalesce(n.submission_id, c.old_submission)
               WHEN c.old_submission IS NULL OR c.new_submission > c.old_submission THEN c.new_submission
               ELSE c.old_submission  -- rolled back: an earlier version is current again
           END AS cause_submission,
           d.replaced_at
    FROM changed AS c
    LEFT JOIN slice_now AS n USING (year, quarter, agency_code, mission_code)
    LEFT JOIN rederived AS d
        ON d.submission_id = c.new_submission AND d.year = c.year AND d.quarter = c.quarter
       AND d.agency_code = c.agency_code AND d.mission_code = c.mission_code
       AND d.sector_code = c.sector_code AND d.program_code = c.program_code
       AND d.metric_code = c.metric_code
)
SELECT c.year::INTEGER AS year, c.quarter::INTEGER AS quarter, c.agency_code, c.mission_code,
       c.sector_code, c.program_code, c.metric_code, c.old_value, c.new_value,
       coalesce(c.new_value, 0) - coalesce(c.old_value, 0) AS change_value, c.change,
       c.cause_submission::INTEGER AS submission_id, s.file_name,
       (s.rolled_back_at > $at::TIMESTAMP AND s.submission_id IS DISTINCT FROM c.new_submission) AS by_rollback,
       CASE WHEN s.rolled_back_at > $at::TIMESTAMP AND s.submission_id IS DISTINCT FROM c.new_submission
            THEN s.rolled_back_by ELSE s.loaded_by END AS changed_by,
       CASE WHEN s.rolled_back_at > $at::TIMESTAMP AND s.submission_id IS DISTINCT FROM c.new_submission
            THEN s.rolled_back_at WHEN c.change = 'rederived' THEN c.replaced_at ELSE s.loaded_at END AS changed_at
FROM caused AS c
LEFT JOIN submission AS s ON s.submission_id = c.cause_submission
ORDER BY c.year, c.quarter, c.agency_code, c.mission_code, c.sector_code, c.program_code, c.metric_code
