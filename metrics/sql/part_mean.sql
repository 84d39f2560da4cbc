    -- part 1 for one weighted metric (parameter {mean}, weighted by parameter {weight}).
    -- Per return row: its scores (summed, with their count, should a row key repeat) and its
    -- firms figure. Only a positive firms figure weighs; a score whose row reports no firms, or
    -- 0 firms, counts as one respondent (weight 1).
    SELECT {select}, 1 AS part, sum(s * wt) AS wv, sum(n * wt) AS w
    FROM (
        SELECT year, quarter, agency_code, mission_code, sector_code, program_code{attributes},
               {mean} AS metric_code,
               sum(value) FILTER (WHERE metric_code = {mean}) AS s,
               count(*) FILTER (WHERE metric_code = {mean}) AS n,
               coalesce(CASE WHEN sum(value) FILTER (WHERE metric_code = {weight}) > 0
                             THEN sum(value) FILTER (WHERE metric_code = {weight}) END, 1) AS wt
        FROM scoped
        WHERE metric_code IN ({mean}, {weight}) AND {mean_where}
        GROUP BY ALL
    ) AS row_scores
    WHERE n > 0
    GROUP BY {group_by}
