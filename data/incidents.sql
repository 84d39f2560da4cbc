-- Emergencies (긴급상황): incidents a mission records, and the emergency figures returns report,
-- tied to the incident open at that mission in that quarter. Run by warehouse.schema.ensure_schema
-- after schema.sql and before the reference sync (it creates two ref_* tables the sync fills), so the
-- views below read base tables only: the contract views of views.sql do not exist yet on a new file.

-- Reference lists (data/ref/incident_types.csv, incident_statuses.csv; aliases in ref_aliases).
CREATE TABLE IF NOT EXISTS ref_incident_types (
    type_code VARCHAR PRIMARY KEY, name_ko VARCHAR NOT NULL, name_en VARCHAR NOT NULL, sort_order INTEGER
);
CREATE TABLE IF NOT EXISTS ref_incident_statuses (
    status_code VARCHAR PRIMARY KEY, name_ko VARCHAR NOT NULL, name_en VARCHAR NOT NULL,
    is_active BOOLEAN NOT NULL,   -- open and monitoring are ongoing; closed is history (the rule itself:
                                  -- the incidents view below; tests check this list agrees with it)
    sort_order INTEGER
);

-- Every version of every incident ever recorded. An incident is identified by (mission_code,
-- started_on): an incidents sheet or an edit in the app adds a version for each incident it adds
-- or changes (upsert), and a deletion made in the app adds a version with deleted = true. Each
-- version belongs to a `submission` (kind 'incidents'), so history, same-file-again and rollback
-- work as for returns: the `incidents` view shows, per incident, the latest version whose
-- submission is not rolled back.
CREATE SEQUENCE IF NOT EXISTS incident_seq START 1;
CREATE TABLE IF NOT EXISTS incident (
    version_id    INTEGER PRIMARY KEY DEFAULT nextval('incident_seq'),
    submission_id INTEGER NOT NULL,
    mission_code  VARCHAR NOT NULL,
    started_on    DATE NOT NULL,
    deleted       BOOLEAN NOT NULL DEFAULT false,
    type_code     VARCHAR,            -- unrest | conflict | disaster | trade_measure | other
    ended_on      DATE,               -- NULL: not over yet
    description   VARCHAR,            -- a short description (개요)
    situation     VARCHAR,            -- the mission's situation notes (공관 상황 메모)
    status        VARCHAR,            -- open | monitoring | closed
    recorded_by   VARCHAR,
    source_sheet  VARCHAR,            -- sheet name, or '화면 편집' for an edit in the app
    source_cell   VARCHAR
);

-- Contract view: the incidents in force. incident_id is stable and readable: mission and start date.
-- An incident's state is decided here and only here, and every page and both pack formats read it:
--   is_active (ongoing): status open (진행 중) or monitoring (모니터링), whatever its end date: the end
--                        date is when the acute phase ended, and relief and follow-up go on;
--   is_closed:           status closed (종료), the only state said to have ended ("종료").
-- An incident ended between two days when it is closed and its end date falls between them
-- (metrics.emergency.ENDED_BETWEEN). The register refuses a closed incident without an end date and
-- an end before the start (etl/registers/incidents.py).
CREATE OR REPLACE VIEW incidents AS
WITH standing AS (
    SELECT i.*, s.loaded_at AS recorded_at
    FROM incident AS i
    JOIN submission AS s USING (submission_id)
    WHERE s.status <> 'rolled_back'
    QUALIFY row_number() OVER (PARTITION BY i.mission_code, i.started_on ORDER BY i.version_id DESC) = 1
)
SELECT
    i.mission_code || '-' || strftime(i.started_on, '%Y%m%d') AS incident_id,
    i.mission_code, m.country_iso2, i.type_code, i.started_on, i.ended_on, i.description, i.situation,
    i.status, coalesce(i.status IN ('open', 'monitoring'), false) AS is_active, i.recorded_by, i.recorded_at,
    i.submission_id, coalesce(i.status = 'closed', false) AS is_closed
FROM standing AS i
LEFT JOIN ref_missions AS m USING (mission_code)
WHERE NOT i.deleted;

-- The current affected_firms and relief_cases figures, each with the incident open at its mission
-- in its quarter (NULL when none was recorded). An incident is open in a quarter when its dates
-- overlap the quarter's; incidents at one mission never overlap, but one may end and the next start
-- in the same quarter: the one with more days in the quarter wins, then the later one. An incident
-- not closed (open or monitoring: relief and follow-up go on after the acute phase's end date) also
-- takes the figures reported in quarters after its end date, when no incident's dates cover them.
CREATE OR REPLACE VIEW incident_results AS
WITH figures AS (
    SELECT year, quarter, agency_code, mission_code, sector_code, program_code, metric_code, value,
           make_date(year, 3 * quarter - 2, 1) AS quarter_start,
           (make_date(year, 3 * quarter - 2, 1) + INTERVAL 3 MONTH - INTERVAL 1 DAY)::DATE AS quarter_end
    FROM fact_result                      -- = the `results` view (is_current), which is created later
    WHERE is_current AND metric_code IN ('affected_firms', 'relief_cases')
),
candidates AS (
    SELECT DISTINCT f.mission_code, f.year, f.quarter, i.incident_id, i.started_on,
           date_diff('day', greatest(f.quarter_start, i.started_on),
                     least(f.quarter_end, coalesce(i.ended_on, f.quarter_end))) AS overlap_days
    FROM figures AS f
    JOIN incidents AS i
      ON i.mission_code = f.mission_code
     AND i.started_on <= f.quarter_end
     AND (coalesce(i.ended_on, DATE '9999-12-31') >= f.quarter_start OR NOT i.is_closed)
),
chosen AS (
    SELECT mission_code, year, quarter, incident_id FROM candidates
    QUALIFY row_number() OVER (
        PARTITION BY mission_code, year, quarter ORDER BY overlap_days DESC, started_on DESC) = 1
)
SELECT c.incident_id, f.year, f.quarter, f.agency_code, f.mission_code, f.sector_code, f.program_code,
       f.metric_code, f.value
FROM figures AS f
LEFT JOIN chosen AS c USING (mission_code, year, quarter);

CREATE OR REPLACE VIEW incident_types AS SELECT * FROM ref_incident_types;
CREATE OR REPLACE VIEW incident_statuses AS SELECT * FROM ref_incident_statuses;
