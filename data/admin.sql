-- Reference data an administrator edits in the dashboard (pages/reference.py), kept apart from the
-- CSV-loaded ref_* tables so that a reference reload never overwrites an administrator's choice.

-- K-beauty hub designation (K-뷰티 거점공관). A row overrides ref_missions.kbeauty_hub_since for its
-- mission: since_year is the year designated, NULL means "not a hub" (designation withdrawn).
-- The missions view (views.sql) shows the override where one exists.
CREATE TABLE IF NOT EXISTS admin_kbeauty_hub (
    mission_code VARCHAR PRIMARY KEY,
    since_year   INTEGER,
    note         VARCHAR,
    changed_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
    changed_by   VARCHAR
);

-- Who did what through the dashboard: commits, rollbacks, targets and reference edits.
CREATE SEQUENCE IF NOT EXISTS audit_seq START 1;
CREATE TABLE IF NOT EXISTS audit_log (
    audit_id   INTEGER PRIMARY KEY DEFAULT nextval('audit_seq'),
    acted_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
    actor      VARCHAR,
    role       VARCHAR,
    action     VARCHAR NOT NULL,   -- commit | rollback | targets | kbeauty_hub
    subject    VARCHAR,            -- file name, submission id or mission code
    detail     VARCHAR
);
