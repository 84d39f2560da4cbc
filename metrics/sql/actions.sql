-- The follow-up actions in force (contract view `actions`) with every name the pages and the
-- briefing pack show, and where each stands on $today: overdue (past due, neither done nor dropped)
-- or due within $soon days. The view's own is_overdue uses current_date; this takes $today, so a
-- page, a test and a printed pack agree on the day they are about.
WITH source AS (
    SELECT * FROM actions
),

named AS (
    SELECT
        a.action_id, a.meeting_no,
        m.held_on AS meeting_on, m.title_ko AS meeting_ko, m.title_en AS meeting_en,
        a.text_ko, a.text_en,
        a.owner_agency, ag.name_ko AS owner_ko, ag.name_en AS owner_en,
        ag.short_ko AS owner_short_ko, ag.short_en AS owner_short_en,
        a.mission_code, mi.name_ko AS mission_ko, mi.name_en AS mission_en,
        a.sector_code, se.name_ko AS sector_ko, se.name_en AS sector_en,
        a.metric_code, me.name_ko AS metric_ko, me.name_en AS metric_en,
        a.due_on, a.status, st.name_ko AS status_ko, st.name_en AS status_en,
        coalesce(st.sort_order, 9) AS status_order,
        a.is_finished, a.is_demo, a.updated_at, a.updated_by,
        coalesce(ag.sort_order, 99) AS owner_order
    FROM source AS a
    LEFT JOIN meetings AS m USING (meeting_no)
    LEFT JOIN agencies AS ag ON ag.agency_code = a.owner_agency
    LEFT JOIN missions AS mi ON mi.mission_code = a.mission_code
    LEFT JOIN sectors AS se ON se.sector_code = a.sector_code
    LEFT JOIN metrics AS me ON me.metric_code = a.metric_code
    LEFT JOIN action_statuses AS st ON st.status_code = a.status
)

SELECT
    *,
    (due_on - $today::DATE)::INTEGER AS days_left,
    coalesce(due_on < $today::DATE AND NOT is_finished, false) AS overdue,
    coalesce(
        NOT is_finished AND due_on >= $today::DATE AND due_on <= $today::DATE + $soon::INTEGER, false
    ) AS due_soon
FROM named
ORDER BY meeting_no, due_on NULLS LAST, owner_order, action_id
