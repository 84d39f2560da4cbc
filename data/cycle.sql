-- The reporting cycle (보고 주기): closed quarters, council meetings, and the history that lets the
-- figures be rebuilt as they stood at any moment (results_as_of in views.sql).

-- A closed quarter (마감). No row: the quarter is open (접수 중). Closing records how complete the
-- quarter was at that moment; reopening deletes the row. Every close and reopen is in quarter_event.
CREATE TABLE IF NOT EXISTS quarter_close (
    year              SMALLINT NOT NULL,
    quarter           TINYINT NOT NULL,
    closed_at         TIMESTAMP NOT NULL,
    closed_by         VARCHAR,
    missions_reported INTEGER,     -- missions whose own (MOFA) return was in
    agencies_reported INTEGER,     -- agencies with any current figure for the quarter
    PRIMARY KEY (year, quarter)
);

CREATE SEQUENCE IF NOT EXISTS quarter_event_seq START 1;
CREATE TABLE IF NOT EXISTS quarter_event (
    event_id          INTEGER PRIMARY KEY DEFAULT nextval('quarter_event_seq'),
    year              SMALLINT NOT NULL,
    quarter           TINYINT NOT NULL,
    action            VARCHAR NOT NULL,   -- close | reopen | auto_close (an older warehouse, deadline passed)
    acted_at          TIMESTAMP NOT NULL,
    acted_by          VARCHAR,
    missions_reported INTEGER,
    agencies_reported INTEGER
);

-- Council meetings (정책협의회 회의): the closed quarter each one reviews.
CREATE TABLE IF NOT EXISTS meeting (
    meeting_no     INTEGER PRIMARY KEY,
    held_on        DATE NOT NULL,
    title_ko       VARCHAR NOT NULL,
    title_en       VARCHAR,
    review_year    SMALLINT NOT NULL,
    review_quarter TINYINT NOT NULL,
    note           VARCHAR,
    updated_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_by     VARCHAR
);

-- Values a figure had before etl/rederive.py derived it again in place (a correction of an earlier
-- quarter of a 누계 return): with them, results_as_of shows a derived figure as it stood then.
CREATE TABLE IF NOT EXISTS fact_result_revision (
    submission_id INTEGER NOT NULL,
    year          SMALLINT NOT NULL,
    quarter       TINYINT NOT NULL,
    agency_code   VARCHAR NOT NULL,
    mission_code  VARCHAR NOT NULL,
    sector_code   VARCHAR NOT NULL,
    program_code  VARCHAR NOT NULL,
    metric_code   VARCHAR NOT NULL,
    value         DOUBLE NOT NULL,      -- the value until replaced_at
    weight        DOUBLE,
    replaced_at   TIMESTAMP NOT NULL
);

-- A return covering a quarter that was closed when it was loaded is a restatement (정정): the
-- closed quarters it covered, e.g. '2025Q3' or '2026Q1,2026Q2'. NULL: none.
ALTER TABLE submission ADD COLUMN IF NOT EXISTS restates VARCHAR;

-- Which (year, quarter, agency, mission) slices each submission wrote: a small index of fact_result
-- (a few rows per return) kept by warehouse/result_sums.py as figures are written, so that
-- results_as_of finds the slices changed after a moment, and their version then, without reading
-- every figure (data/views.sql).
CREATE TABLE IF NOT EXISTS submission_slice (
    submission_id INTEGER NOT NULL,
    year          SMALLINT NOT NULL,
    quarter       TINYINT NOT NULL,
    agency_code   VARCHAR NOT NULL,
    mission_code  VARCHAR NOT NULL
);
