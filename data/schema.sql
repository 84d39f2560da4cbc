-- Storage tables of the warehouse. Pages and outside tools read the contract views (views.sql),
-- never these tables directly. Money is stored in 천달러 (USD thousand); every figure is quarterly.

CREATE TABLE IF NOT EXISTS meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);

-- Reference data, reloaded from data/ref/*.csv whenever those files change.
CREATE TABLE IF NOT EXISTS ref_agencies (
    agency_code VARCHAR PRIMARY KEY, name_ko VARCHAR NOT NULL, name_en VARCHAR NOT NULL,
    short_ko VARCHAR, short_en VARCHAR, sort_order INTEGER
);
CREATE TABLE IF NOT EXISTS ref_sectors (
    sector_code VARCHAR PRIMARY KEY, name_ko VARCHAR NOT NULL, name_en VARCHAR NOT NULL,
    color VARCHAR, sort_order INTEGER
);
CREATE TABLE IF NOT EXISTS ref_programs (
    program_code VARCHAR PRIMARY KEY, name_ko VARCHAR NOT NULL, name_en VARCHAR NOT NULL,
    lead_agency VARCHAR, sort_order INTEGER
);
CREATE TABLE IF NOT EXISTS ref_metrics (
    metric_code VARCHAR PRIMARY KEY, name_ko VARCHAR NOT NULL, name_en VARCHAR NOT NULL,
    unit_ko VARCHAR, unit_en VARCHAR, aggregation VARCHAR NOT NULL, weight_metric VARCHAR,
    higher_is_better BOOLEAN, has_target BOOLEAN, sort_order INTEGER,
    description_ko VARCHAR, description_en VARCHAR
);
CREATE TABLE IF NOT EXISTS ref_regions (
    region_code VARCHAR PRIMARY KEY, name_ko VARCHAR NOT NULL, name_en VARCHAR NOT NULL, sort_order INTEGER
);
CREATE TABLE IF NOT EXISTS ref_missions (
    mission_code VARCHAR PRIMARY KEY, name_ko VARCHAR NOT NULL, name_en VARCHAR NOT NULL,
    mission_type VARCHAR, country_iso2 VARCHAR, country_ko VARCHAR, country_en VARCHAR,
    city_ko VARCHAR, city_en VARCHAR, region_code VARCHAR, lat DOUBLE, lon DOUBLE,
    kbeauty_hub_since INTEGER
);
-- Every spelling a return may use, normalised (see warehouse.names.name_key), per kind of code.
CREATE TABLE IF NOT EXISTS ref_aliases (
    kind VARCHAR NOT NULL,      -- agency | sector | program | metric | mission | region
    alias_key VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    PRIMARY KEY (kind, alias_key)
);

-- One row per loaded file (returns and targets).
CREATE SEQUENCE IF NOT EXISTS submission_seq START 1;
CREATE TABLE IF NOT EXISTS submission (
    submission_id  INTEGER PRIMARY KEY DEFAULT nextval('submission_seq'),
    kind           VARCHAR NOT NULL,          -- results | targets
    file_name      VARCHAR NOT NULL,
    file_sha256    VARCHAR NOT NULL,
    file_bytes     BIGINT,
    reporter       VARCHAR,                   -- who sent it: agency code, or 'agency/mission' for one mission
    agency_codes   VARCHAR,                   -- comma-separated agencies the file covers
    mission_count  INTEGER,
    period_first   VARCHAR,                   -- e.g. 2026Q1
    period_last    VARCHAR,
    layout         VARCHAR,
    basis          VARCHAR,                   -- quarterly | cumulative
    row_count      INTEGER NOT NULL,
    warning_count  INTEGER NOT NULL DEFAULT 0,
    loaded_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    loaded_by      VARCHAR,
    status         VARCHAR NOT NULL,          -- current | partly_superseded | superseded | rolled_back
    rolled_back_at TIMESTAMP,
    rolled_back_by VARCHAR
);

-- Every figure ever loaded, with its lineage. is_current marks the version `results` shows:
-- a later submission covering the same (year, quarter, agency, mission) slice clears it.
CREATE TABLE IF NOT EXISTS fact_result (
    submission_id  INTEGER NOT NULL,
    year           SMALLINT NOT NULL,
    quarter        TINYINT NOT NULL,
    agency_code    VARCHAR NOT NULL,
    mission_code   VARCHAR NOT NULL,
    sector_code    VARCHAR NOT NULL,
    program_code   VARCHAR NOT NULL,
    metric_code    VARCHAR NOT NULL,
    value          DOUBLE NOT NULL,           -- canonical unit, quarterly increment
    reported_value DOUBLE,                    -- as written in the file (before unit or cumulative conversion)
    source_sheet   VARCHAR NOT NULL,
    source_cell    VARCHAR NOT NULL,          -- e.g. D14
    is_current     BOOLEAN NOT NULL,
    weight         DOUBLE,                    -- weighted-mean metrics only (else NULL): see warehouse/weights.py
    cumulative_value DOUBLE                   -- from a 누계 return: the year-to-date figure, canonical unit (else NULL);
                                              -- `value` is re-derived from it when earlier quarters change (etl/rederive.py)
);
-- Warehouses from before the weight column (warehouse.schema fills it in once).
ALTER TABLE fact_result ADD COLUMN IF NOT EXISTS weight DOUBLE;
-- Warehouses from before cumulative_value: their figures keep NULL and are never re-derived.
ALTER TABLE fact_result ADD COLUMN IF NOT EXISTS cumulative_value DOUBLE;

-- Derived from fact_result (warehouse/result_sums.py): the current figures summed over programs,
-- which metrics/ reads unless a query asks for programs. wv = Σ value × weight, w = Σ weight.
CREATE TABLE IF NOT EXISTS result_sums (
    year         SMALLINT NOT NULL,
    quarter      TINYINT NOT NULL,
    agency_code  VARCHAR NOT NULL,
    mission_code VARCHAR NOT NULL,
    sector_code  VARCHAR NOT NULL,
    metric_code  VARCHAR NOT NULL,
    value        DOUBLE NOT NULL,
    wv           DOUBLE,
    w            DOUBLE
);

-- Derived from result_sums (warehouse/result_sums.py): result_sums summed again per quarter at each
-- coarser granularity, gid as GROUPING(sector_code, mission_code, agency_code) sets it (1 = sector
-- and mission, 3 = sector, ... 7 = the total; a dimension not pinned is NULL), so that an attainment
-- or scorecard call reads a few hundred rows instead of summing every result_sums row again.
CREATE TABLE IF NOT EXISTS result_rollup (
    gid          TINYINT NOT NULL,
    year         SMALLINT NOT NULL,
    quarter      TINYINT NOT NULL,
    sector_code  VARCHAR,
    mission_code VARCHAR,
    agency_code  VARCHAR,
    metric_code  VARCHAR NOT NULL,
    value        DOUBLE NOT NULL,
    wv           DOUBLE,
    w            DOUBLE
);

CREATE TABLE IF NOT EXISTS fact_target (
    submission_id INTEGER NOT NULL,
    year          SMALLINT NOT NULL,
    metric_code   VARCHAR NOT NULL,
    sector_code   VARCHAR,                    -- NULL means all sectors
    mission_code  VARCHAR,                    -- NULL means all missions
    agency_code   VARCHAR,                    -- NULL means all agencies
    value         DOUBLE NOT NULL,
    source_sheet  VARCHAR NOT NULL,
    source_cell   VARCHAR NOT NULL,
    is_current    BOOLEAN NOT NULL
);
