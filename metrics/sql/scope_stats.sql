-- What metrics/judge.py needs to judge a goal, per scope value and metric: one row per granularity
-- (gid: a bit set for each of sector, mission, agency it does not pin, as GROUPING() sets them),
-- value of the dimensions it pins (NULL = all of the filtered figures) and metric with figures.
-- `parts` (year_parts.sql) has one row per scope value, metric and year: qmask (bit q set when
-- quarter q has figures), total (the year) and wv_to_date / w_to_date (Q1 through $as_of;
-- wv_to_date / coalesce(w_to_date, 1) is the sum or the weighted mean).
-- A prior year counts for the pace when the scope has figures in all four quarters (qmask 30 = bits
-- 1-4; a reported 0 counts, a missing quarter does not) and a positive annual total; prior_share is
-- the mean of those years' shares reached by the as-of quarter. ytd_value and prev_value are the
-- year to date of $year and the same quarters of the year before; qmask is $year's.
-- Nothing else is computed here: planning each expression costs DuckDB more than running it on
-- these few hundred rows, so the goals, pace, status and projection are worked out in Python.
-- The braces are placeholders that metrics/pace.py fills with SQL structure, never with values.
WITH {ctes}
SELECT gid, sector_code, mission_code, agency_code, metric_code,
       count(*) FILTER (WHERE {full_year}) AS full_years,
       avg(wv_to_date / total) FILTER (WHERE {full_year}) AS prior_share,
       max(wv_to_date / coalesce(w_to_date, 1)) FILTER (WHERE year = $year) AS ytd_value,
       max(qmask) FILTER (WHERE year = $year) AS qmask,
       max(wv_to_date / coalesce(w_to_date, 1)) FILTER (WHERE year = $year - 1) AS prev_value{curve}
FROM parts
GROUP BY ALL
