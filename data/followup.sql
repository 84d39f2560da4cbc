-- Explanations (사유·대책) and follow-up actions (후속 조치): what an agency answers for a target at
-- 주의/미흡 in a closed quarter, and what a council meeting agreed. Run by warehouse.schema.ensure_schema
-- after schema.sql and before the reference sync (ref_action_statuses is filled from
-- data/ref/action_statuses.csv), so the views below read base tables only.
--
-- Versioning as for incidents: every row is one version and belongs to a `submission` (kind
-- 'explanations', 'actions' or 'action_notes'), whether it came from a register file, a return's
-- 사유 sheet or an edit in the app. History, same-file-again and rollback work as for returns: the
-- views show, per key, the latest version whose submission is not rolled back; a deletion is a
-- version with deleted = true.

CREATE TABLE IF NOT EXISTS ref_action_statuses (
    status_code VARCHAR PRIMARY KEY, name_ko VARCHAR NOT NULL, name_en VARCHAR NOT NULL,
    is_finished BOOLEAN NOT NULL,   -- done and dropped are finished: never overdue
    sort_order INTEGER
);

-- One explanation per target and closed quarter. The target is named by its dimensions as in
-- `targets` (NULL meaning all); the key is (year, quarter, metric, sector, mission, agency).
CREATE SEQUENCE IF NOT EXISTS explanation_seq START 1;
CREATE TABLE IF NOT EXISTS explanation (
    version_id      INTEGER PRIMARY KEY DEFAULT nextval('explanation_seq'),
    submission_id   INTEGER NOT NULL,
    year            SMALLINT NOT NULL,     -- the closed quarter explained
    quarter         TINYINT NOT NULL,
    metric_code     VARCHAR NOT NULL,
    sector_code     VARCHAR,
    mission_code    VARCHAR,
    agency_code     VARCHAR,
    deleted         BOOLEAN NOT NULL DEFAULT false,
    owner_agency    VARCHAR NOT NULL,      -- the target's agency, else MSS (secretariat); admin may reassign
    cause           VARCHAR,               -- 원인
    measures        VARCHAR,               -- 대책
    recover_year    SMALLINT,              -- 회복 예상 분기
    recover_quarter TINYINT,
    written_by      VARCHAR,
    source_sheet    VARCHAR,               -- sheet name, or '화면 편집' for an edit in the app
    source_cell     VARCHAR
);

-- Follow-up actions agreed by a meeting. action_id is stable across versions (a register row's 번호).
CREATE SEQUENCE IF NOT EXISTS action_seq START 1;
CREATE TABLE IF NOT EXISTS action (
    version_id    INTEGER PRIMARY KEY DEFAULT nextval('action_seq'),
    submission_id INTEGER NOT NULL,
    action_id     INTEGER NOT NULL,
    deleted       BOOLEAN NOT NULL DEFAULT false,
    meeting_no    INTEGER NOT NULL,
    text_ko       VARCHAR NOT NULL,
    text_en       VARCHAR,
    owner_agency  VARCHAR NOT NULL,
    mission_code  VARCHAR,
    sector_code   VARCHAR,
    metric_code   VARCHAR,
    due_on        DATE,
    status        VARCHAR NOT NULL,        -- planned | in_progress | done | dropped
    is_demo       BOOLEAN NOT NULL DEFAULT false,
    updated_by    VARCHAR,
    source_sheet  VARCHAR,
    source_cell   VARCHAR
);

-- Dated progress notes on an action. Notes are added, not edited: note_id is stable, a correction
-- is a new version of the note (or deleted = true).
CREATE SEQUENCE IF NOT EXISTS action_note_seq START 1;
CREATE TABLE IF NOT EXISTS action_note (
    version_id    INTEGER PRIMARY KEY DEFAULT nextval('action_note_seq'),
    submission_id INTEGER NOT NULL,
    note_id       INTEGER NOT NULL,
    action_id     INTEGER NOT NULL,
    deleted       BOOLEAN NOT NULL DEFAULT false,
    noted_on      DATE NOT NULL,
    text          VARCHAR NOT NULL,
    written_by    VARCHAR,
    is_demo       BOOLEAN NOT NULL DEFAULT false,
    source_sheet  VARCHAR,
    source_cell   VARCHAR
);

-- Contract view: the explanation in force per target and quarter; written_at is when its version
-- was stored. recover_by reads '2026Q4'.
CREATE OR REPLACE VIEW explanations AS
WITH standing AS (
    SELECT e.*, s.loaded_at AS written_at
    FROM explanation AS e
    JOIN submission AS s USING (submission_id)
    WHERE s.status <> 'rolled_back'
    QUALIFY row_number() OVER (
        PARTITION BY e.year, e.quarter, e.metric_code, e.sector_code, e.mission_code, e.agency_code
        ORDER BY e.version_id DESC
    ) = 1
)
SELECT
    year, quarter, metric_code, sector_code, mission_code, agency_code, owner_agency, cause, measures,
    CASE WHEN recover_year IS NOT NULL THEN recover_year || 'Q' || recover_quarter END AS recover_by,
    written_by, written_at, submission_id
FROM standing
WHERE NOT deleted;

-- The explanations as they stood at moment ts (a council meeting): per target and quarter, the
-- latest version whose submission was loaded by ts and not yet rolled back by ts; the columns of
-- `explanations`. For metrics/ (Filters.at), as results_as_of is for the figures.
CREATE OR REPLACE MACRO explanations_as_of(ts) AS TABLE
WITH standing AS (
    SELECT e.*, s.loaded_at AS written_at
    FROM explanation AS e
    JOIN submission AS s USING (submission_id)
    WHERE s.loaded_at <= ts AND (s.rolled_back_at IS NULL OR s.rolled_back_at > ts)
    QUALIFY row_number() OVER (
        PARTITION BY e.year, e.quarter, e.metric_code, e.sector_code, e.mission_code, e.agency_code
        ORDER BY e.version_id DESC
    ) = 1
)
SELECT
    year, quarter, metric_code, sector_code, mission_code, agency_code, owner_agency, cause, measures,
    CASE WHEN recover_year IS NOT NULL THEN recover_year || 'Q' || recover_quarter END AS recover_by,
    written_by, written_at, submission_id
FROM standing
WHERE NOT deleted;

-- Contract view: the actions in force. updated_at is when the current version was stored;
-- is_overdue: past due and neither done nor dropped (as of today).
CREATE OR REPLACE VIEW actions AS
WITH standing AS (
    SELECT a.*, s.loaded_at AS updated_at
    FROM action AS a
    JOIN submission AS s USING (submission_id)
    WHERE s.status <> 'rolled_back'
    QUALIFY row_number() OVER (PARTITION BY a.action_id ORDER BY a.version_id DESC) = 1
)
SELECT
    a.action_id, a.meeting_no, a.text_ko, a.text_en, a.owner_agency, a.mission_code, a.sector_code,
    a.metric_code, a.due_on, a.status, a.updated_at, a.updated_by, a.is_demo,
    coalesce(st.is_finished, false) AS is_finished,
    a.due_on < current_date AND NOT coalesce(st.is_finished, false) AS is_overdue,
    a.submission_id
FROM standing AS a
LEFT JOIN ref_action_statuses AS st ON st.status_code = a.status
WHERE NOT a.deleted;

-- Contract view: the notes in force, of actions in force, oldest first per action.
CREATE OR REPLACE VIEW action_notes AS
WITH standing AS (
    SELECT n.*, s.loaded_at AS recorded_at
    FROM action_note AS n
    JOIN submission AS s USING (submission_id)
    WHERE s.status <> 'rolled_back'
    QUALIFY row_number() OVER (PARTITION BY n.note_id ORDER BY n.version_id DESC) = 1
)
SELECT n.action_id, n.noted_on, n.text, n.written_by, n.note_id, n.is_demo, n.recorded_at, n.submission_id
FROM standing AS n
WHERE NOT n.deleted
  AND n.action_id IN (SELECT action_id FROM actions)
ORDER BY n.action_id, n.noted_on, n.note_id;

CREATE OR REPLACE VIEW action_statuses AS SELECT * FROM ref_action_statuses;
