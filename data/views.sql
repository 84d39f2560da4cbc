-- The warehouse contract (../shared/DOMAIN.md): other tools query these views by these names.

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
    rolled_back_at, rolled_back_by
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
