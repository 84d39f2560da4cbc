-- Every incident in force with its names, place, and the emergency figures tied to it
-- (incident_results). relief_ratio_pct = relief cases ÷ affected firms × 100 over the incident's
-- quarters (건 per 개사, so it may pass 100). days counts the start day; an incident without an end
-- date runs to $today. is_active (ongoing) and is_closed are the view's: the one rule for its state.
-- $through (20263) keeps the figures of closed quarters only, as every other page does by default;
-- NULL keeps every figure (the preliminary view).
WITH figures AS (
    SELECT incident_id,
           sum(value) FILTER (WHERE metric_code = 'affected_firms') AS affected_firms,
           sum(value) FILTER (WHERE metric_code = 'relief_cases') AS relief_cases,
           count(DISTINCT (year, quarter)) AS quarters_reported
    FROM incident_results
    WHERE incident_id IS NOT NULL AND ($through IS NULL OR year * 10 + quarter <= $through)
    GROUP BY incident_id
)
SELECT i.incident_id, i.mission_code, m.name_ko AS mission_ko, m.name_en AS mission_en,
       m.country_ko, m.country_en, m.lat, m.lon,
       i.type_code, t.name_ko AS type_ko, t.name_en AS type_en,
       i.started_on, i.ended_on, i.description, i.situation,
       i.status, s.name_ko AS status_ko, s.name_en AS status_en, i.is_active, i.is_closed,
       i.recorded_by, i.recorded_at,
       f.affected_firms, f.relief_cases, coalesce(f.quarters_reported, 0) AS quarters_reported,
       f.relief_cases / nullif(f.affected_firms, 0) * 100 AS relief_ratio_pct,
       date_diff('day', i.started_on, coalesce(i.ended_on, $today::DATE)) + 1 AS days
FROM incidents AS i
LEFT JOIN missions AS m USING (mission_code)
LEFT JOIN incident_types AS t USING (type_code)
LEFT JOIN incident_statuses AS s ON s.status_code = i.status
LEFT JOIN figures AS f USING (incident_id)
ORDER BY i.is_active DESC, s.sort_order, i.started_on DESC, i.mission_code
