-- The CTEs of parts.sql, then `grouped`: one row per grouping value and metric with
-- wv, w (see parts.sql) and value = the sum, or the weighted mean for weighted metrics.
-- Attributes of missions (region, K-beauty hub) are joined here, after the figures were summed
-- by mission: wv and w add up exactly, so the weighted mean stays exact.
{parts_ctes},
grouped AS (
    SELECT {keys}p.metric_code,
           CASE WHEN metric_code IN ({means}) THEN sum(wv) FILTER (WHERE part = 1)
                ELSE sum(wv) FILTER (WHERE part = 0) END AS wv,
           CASE WHEN metric_code IN ({means}) THEN sum(w) FILTER (WHERE part = 1) END AS w,
           CASE WHEN metric_code IN ({means})
                THEN sum(wv) FILTER (WHERE part = 1) / sum(w) FILTER (WHERE part = 1)
                ELSE sum(wv) FILTER (WHERE part = 0) END AS value
    FROM parts AS p{join}
    GROUP BY {group_keys}p.metric_code
)
