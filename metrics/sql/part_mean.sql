    -- part 1 for one weighted metric (parameter {mean}, weighted by parameter {weight}).
    -- Each score is paired with the positive firms figures of the same return row (year, quarter,
    -- agency, mission, sector, program), so its weight is their sum; a score with none (no firms
    -- figure, or 0 firms) keeps weight 1, one respondent. Pairing raw rows instead of first
    -- summing each side per row key gives the same sums even when a row key repeats, and saves a
    -- grouping of every row key.
    SELECT {select}, 1 AS part, sum(s.value * coalesce(f.value, 1)) AS wv, sum(coalesce(f.value, 1)) AS w
    FROM (
        SELECT year, quarter, agency_code, mission_code, sector_code, program_code,
               {mean} AS metric_code, value
        FROM scoped
        WHERE metric_code = {mean} AND {mean_where}
    ) AS s
    LEFT JOIN (
        SELECT year, quarter, agency_code, mission_code, sector_code, program_code, value
        FROM scoped
        WHERE metric_code = {weight} AND value > 0 AND {mean_where}
    ) AS f USING (year, quarter, agency_code, mission_code, sector_code, program_code)
    GROUP BY {group_by}
