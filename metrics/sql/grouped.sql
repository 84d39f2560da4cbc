-- The CTEs of parts.sql, then `grouped`: one row per grouping value and metric with
-- wv, w (see parts.sql) and value = the sum, or the weighted mean for weighted metrics.
{parts_ctes},
grouped AS (
    SELECT {keys}metric_code,
           CASE WHEN metric_code IN ({means}) THEN sum(wv) FILTER (WHERE part = 1)
                ELSE sum(wv) FILTER (WHERE part = 0) END AS wv,
           CASE WHEN metric_code IN ({means}) THEN sum(w) FILTER (WHERE part = 1) END AS w,
           CASE WHEN metric_code IN ({means})
                THEN sum(wv) FILTER (WHERE part = 1) / sum(w) FILTER (WHERE part = 1)
                ELSE sum(wv) FILTER (WHERE part = 0) END AS value
    FROM parts
    GROUP BY {keys}metric_code
)
