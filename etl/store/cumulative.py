"""Cumulative (누계) figures become quarterly increments, inside the commit's transaction.

A year-to-date figure for quarter q, minus what the same reporter reported for the earlier quarters
of that year, is the quarter's own figure. The earlier quarters come from this file where it has
them (a back-fill with 1-3분기 누계 rows), else from the warehouse; a slice this file also covers
is about to be replaced, so only the file counts for it. A weighted-mean metric (a score) is never
differenced: which metrics those are is reference data (ref_metrics.aggregation = 'weighted_mean',
data/ref/metrics.csv; satisfaction today). A score's 누계 is the reporter's year-to-date mean, weighted
as metrics/ weighs it (warehouse.weights: the firms figure of the same return row, else 1): the
quarter's own score is derived from it, the earlier quarters' scores and weights and its own weight,
s_q = (M × (Σw_i + w_q) − Σ w_i s_i) ÷ w_q, so that the year-to-date mean the dashboard shows equals
the reported one; a derived score outside 0–max (satisfaction: 0–100) refuses the return, as a
falling 누계 does. The year-to-date figure is stored with the
quarterly one (fact_result.cumulative_value), so that a later correction of an earlier quarter can
derive it again (etl/store/rederive.py).
"""

import duckdb

from etl.check.rules import maxima, maximum_sql
from etl.problems import Problem, Refused, josa, problem
from etl.shape.normalise import period_text
from etl.shape.resolve import name_of

FIGURE = "year, agency_code, mission_code, sector_code, program_code, metric_code"
SLICE = ("year", "quarter", "agency_code", "mission_code")
ROW = "year, quarter, agency_code, mission_code, sector_code, program_code"
# The metrics that are scores, not sums, by the reference data (etl.store.rederive uses it too).
SCORES = "SELECT metric_code FROM ref_metrics WHERE aggregation = 'weighted_mean'"

# A SELECT over {source}: its rows with `value` quarterly and `cumulative_value` the year-to-date figure
# as reported (canonical unit; NULL for a quarterly row).
QUARTERLY = f"""
WITH incoming AS (
    SELECT *, row_number() OVER () AS rid FROM {{source}}
),
file_slices AS (
    SELECT DISTINCT year, quarter, agency_code, mission_code FROM incoming
),
-- The latest earlier year-to-date figure of the same series in this file already holds everything before it.
earlier_cumulative AS (
    SELECT i.rid, arg_max(p.value, p.quarter) AS before, max(p.quarter) AS upto
    FROM incoming AS i JOIN incoming AS p USING ({FIGURE})
    WHERE i.cumulative AND p.cumulative AND p.quarter < i.quarter
    GROUP BY i.rid
),
-- Quarters after that (or from the start of the year): this file's quarterly figures ...
between_in_file AS (
    SELECT i.rid, sum(p.value) AS before
    FROM incoming AS i
    LEFT JOIN earlier_cumulative AS e USING (rid)
    JOIN incoming AS p USING ({FIGURE})
    WHERE i.cumulative AND NOT p.cumulative AND p.quarter < i.quarter AND p.quarter > coalesce(e.upto, 0)
    GROUP BY i.rid
),
-- ... and the warehouse's, for the slices this file does not replace.
between_stored AS (
    SELECT i.rid, sum(r.value) AS before
    FROM incoming AS i
    LEFT JOIN earlier_cumulative AS e USING (rid)
    JOIN results AS r USING ({FIGURE})
    WHERE i.cumulative AND r.quarter < i.quarter AND r.quarter > coalesce(e.upto, 0)
      AND NOT EXISTS (
          SELECT 1 FROM file_slices AS s
          WHERE s.year = r.year AND s.quarter = r.quarter
            AND s.agency_code = r.agency_code AND s.mission_code = r.mission_code)
    GROUP BY i.rid
)
SELECT i.* EXCLUDE (rid, value),
       CASE WHEN NOT i.cumulative OR i.metric_code IN ({SCORES}) THEN i.value  -- scores: SCORE_STEP
            ELSE i.value - coalesce(e.before, 0) - coalesce(f.before, 0) - coalesce(s.before, 0) END AS value,
       CASE WHEN i.cumulative THEN i.value END AS cumulative_value
FROM incoming AS i
LEFT JOIN earlier_cumulative AS e USING (rid)
LEFT JOIN between_in_file AS f USING (rid)
LEFT JOIN between_stored AS s USING (rid)
"""

# Earlier quarters of the year that neither this file nor the warehouse has for a reporter.
MISSING_EARLIER = """
WITH file_slices AS (
    SELECT DISTINCT year, quarter, agency_code, mission_code FROM staged
),
needed AS (
    SELECT DISTINCT s.year, e.quarter, s.agency_code, s.mission_code, s.quarter AS for_quarter
    FROM staged AS s, range(1, 4) AS e(quarter)
    WHERE s.cumulative AND e.quarter < s.quarter
)
SELECT n.year, n.agency_code, n.mission_code, n.for_quarter, list(DISTINCT n.quarter ORDER BY n.quarter)
FROM needed AS n
WHERE NOT EXISTS (
        SELECT 1 FROM file_slices AS f
        WHERE f.year = n.year AND f.quarter = n.quarter
          AND f.agency_code = n.agency_code AND f.mission_code = n.mission_code)
  AND NOT EXISTS (
        SELECT 1 FROM results AS r
        WHERE r.year = n.year AND r.quarter = n.quarter
          AND r.agency_code = n.agency_code AND r.mission_code = n.mission_code)
GROUP BY ALL
ORDER BY ALL
"""

# The weight of each score of `staged` (warehouse.weights: the positive figures of its weight metric on
# the same return row, else 1), and the stored scores with theirs, for the slices this file does not replace.
SCORE_WEIGHTS = f"""
CREATE OR REPLACE TEMP TABLE score_weights AS
WITH file_slices AS (
    SELECT DISTINCT year, quarter, agency_code, mission_code FROM staged
),
reporters AS (
    SELECT DISTINCT year, agency_code, mission_code FROM staged
    WHERE cumulative AND metric_code IN ({SCORES})
),
row_weights AS (
    SELECT {ROW}, metric_code AS weight_metric, sum(value) AS weight
    FROM staged WHERE value > 0 GROUP BY ALL
)
SELECT s.rowid AS row_id, {", ".join(f"s.{c}" for c in FIGURE.split(", "))}, s.quarter,
       coalesce(w.weight, 1) AS weight, NULL::DOUBLE AS value
FROM staged AS s
JOIN ref_metrics AS m ON m.metric_code = s.metric_code AND m.aggregation = 'weighted_mean'
LEFT JOIN row_weights AS w USING ({ROW}, weight_metric)
SEMI JOIN reporters USING (year, agency_code, mission_code)
UNION ALL
SELECT NULL, {", ".join(f"r.{c}" for c in FIGURE.split(", "))}, r.quarter, coalesce(r.w, 1), r.value
FROM results_weighted AS r
SEMI JOIN reporters USING (year, agency_code, mission_code)
WHERE r.metric_code IN ({SCORES})
  AND NOT EXISTS (
      SELECT 1 FROM file_slices AS s
      WHERE s.year = r.year AND s.quarter = r.quarter
        AND s.agency_code = r.agency_code AND s.mission_code = r.mission_code)
"""

# One quarter's 누계 scores: the quarter's own score from the reported mean and the earlier quarters
# (this file's, already derived, and the stored ones), weighted.
SCORE_STEP = f"""
UPDATE staged AS t SET value = d.value
FROM (
    SELECT o.row_id,
           (any_value(c.cumulative_value) * (coalesce(sum(e.weight), 0) + any_value(o.weight))
            - coalesce(sum(e.weight * coalesce(e.value, fs.value)), 0)) / any_value(o.weight) AS value
    FROM score_weights AS o
    JOIN staged AS c ON c.rowid = o.row_id
    LEFT JOIN score_weights AS e
        ON {" AND ".join(f"e.{c} = o.{c}" for c in FIGURE.split(", "))} AND e.quarter < o.quarter
    LEFT JOIN staged AS fs ON fs.rowid = e.row_id
    WHERE c.cumulative AND o.quarter = $quarter
    GROUP BY o.row_id
) AS d
WHERE t.rowid = d.row_id
"""

# A derived score outside what a score can be (0 to the metric's max_per_row, etl.check.rules).
SCORE_OUT_OF_RANGE = """
SELECT source_sheet, source_cell, metric_code, year, quarter, cumulative_value, value
FROM staged
WHERE cumulative AND metric_code IN ({scores})
  AND (value < -1e-9 OR value > {maximum} + 1e-9)
ORDER BY source_sheet, len(source_cell), source_cell
"""

FALLING = """
SELECT source_sheet, source_cell, metric_code, year, quarter, cumulative_value, cumulative_value - value AS before
FROM staged
WHERE cumulative AND value < -1e-9
ORDER BY source_sheet, len(source_cell), source_cell
"""


def to_quarterly(
    con: duckdb.DuckDBPyConnection, source: str, file_name: str, keep_cumulative: bool = False
) -> list[Problem]:
    """Turn `source` into the temp table `staged` of quarterly figures; the warnings. Refused if a 누계 falls.

    With keep_cumulative, `staged` keeps the column cumulative_value (etl.store.ledger stores it, for
    etl.store.rederive).
    """
    con.execute(f"CREATE OR REPLACE TEMP TABLE staged AS {QUARTERLY.format(source=source)}")
    problems = [_falling(*row) for row in con.execute(FALLING).fetchall()]
    problems += _derive_scores(con)
    if problems:
        raise Refused(file_name, problems)
    warnings = [_missing(*row) for row in con.execute(MISSING_EARLIER).fetchall()]
    if not keep_cumulative:
        con.execute("ALTER TABLE staged DROP COLUMN cumulative_value")
    return warnings


def _derive_scores(con: duckdb.DuckDBPyConnection) -> list[Problem]:
    """Each 누계 score of `staged` becomes the quarter's own score, in quarter order; the scores out of range."""
    quarters = con.execute(
        f"SELECT DISTINCT quarter FROM staged WHERE cumulative AND metric_code IN ({SCORES}) ORDER BY 1"
    ).fetchall()
    if not quarters:
        return []
    con.execute(SCORE_WEIGHTS)
    for (quarter,) in quarters:
        con.execute(SCORE_STEP, {"quarter": quarter})
    con.execute("DROP TABLE score_weights")
    sql = SCORE_OUT_OF_RANGE.format(scores=SCORES, maximum=maximum_sql())
    return [_score_out_of_range(*row) for row in con.execute(sql).fetchall()]


def figure_text(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"


def cell_position(cell: str) -> tuple[int, int]:
    """'D14' → (14, 3): the 1-based row and the 0-based column, as etl.problems.problem takes them."""
    row = int("".join(ch for ch in cell if ch.isdigit()))
    col = 0
    for ch in "".join(ch for ch in cell if ch.isalpha()):
        col = col * 26 + ord(ch) - 64
    return row, col - 1


def _falling(sheet, cell, metric, year, quarter, cumulative, before) -> Problem:
    metric_ko, metric_en = name_of("metric", metric)
    row, col = cell_position(cell)
    ko, en = period_text(year, quarter)
    return problem(
        sheet,
        row,
        col,
        f"누계가 줄었습니다: {ko}까지의 {metric_ko} 누계 {josa(figure_text(cumulative), '이/가')} "
        f"이전 분기까지의 합계 {figure_text(before)}보다 작습니다.",
        f"cumulative figure went down: {metric_en} year to date {en} is {figure_text(cumulative)}, "
        f"less than the {figure_text(before)} already reported for the earlier quarters",
        "누계는 연초부터 이 분기까지의 합계입니다. 이 분기만의 실적을 적었다면 기준을 '분기 실적'으로 바꾸고, "
        "이전 분기 실적이 틀렸다면 그 분기를 먼저 정정하세요.",
        "A cumulative figure is the total from January to this quarter. If you entered this quarter alone, "
        "set the basis to quarterly (분기 실적); if an earlier quarter is wrong, correct it first.",
    )


def score_range(metric: str) -> str:
    """'0–100' for satisfaction: what a score of `metric` can be (etl.check.rules.maxima)."""
    top = maxima().get(metric)
    return f"0–{figure_text(top)}" if top is not None else "0 이상"


def _score_out_of_range(sheet, cell, metric, year, quarter, mean, derived) -> Problem:
    metric_ko, metric_en = name_of("metric", metric)
    row, col = cell_position(cell)
    ko, en = period_text(year, quarter)
    span = score_range(metric)
    span_en = span.replace("0 이상", "0 or more")
    return problem(
        sheet,
        row,
        col,
        f"누계 평균에서 구한 분기 점수가 {span} 범위를 벗어납니다: {ko}까지의 {metric_ko} 누계 평균 "
        f"{josa(figure_text(mean), '이/가')} 되려면 이전 분기 점수와 지원기업 수로 보아 {ko} 점수가 "
        f"{josa(figure_text(derived), '이어야/여야')} 합니다.",
        f"the quarter's score derived from the year-to-date mean is outside {span_en}: for a {metric_en} "
        f"year-to-date mean of {figure_text(mean)} by {en}, the earlier quarters' scores and firms would need a "
        f"{en} score of {figure_text(derived)}",
        "누계 기준의 점수는 연초부터 이 분기까지의 평균(지원기업 수 가중)입니다. 이 분기만의 점수를 적었다면 기준을 "
        "'분기 실적'으로 바꾸고, 이전 분기 점수나 지원기업 수가 틀렸다면 그 분기를 먼저 정정하세요.",
        "A year-to-date score is the mean from January to this quarter, weighted by firms supported. If you "
        "entered this quarter's score alone, set the basis to quarterly (분기 실적); if an earlier quarter is "
        "wrong, correct it first.",
    )


def _missing(year, agency, mission, for_quarter, quarters) -> Problem:
    mission_ko, mission_en = name_of("mission", mission)
    agency_ko, agency_en = name_of("agency", agency)
    missing_ko = ", ".join(f"{q}분기" for q in quarters)
    missing_en = ", ".join(f"Q{q}" for q in quarters)
    return problem(
        None,
        None,
        None,
        f"{mission_ko}({agency_ko})의 {year}년 {missing_ko} 실적이 없어 {for_quarter}분기 누계에서 뺄 수 "
        f"없었습니다. {for_quarter}분기 값에 이전 분기 실적이 섞여 있을 수 있습니다.",
        f"{mission_en} ({agency_en}) has no {year} {missing_en} figures, so the Q{for_quarter} year-to-date "
        f"figures were stored as they are and may include earlier quarters",
        f"{missing_ko} 실적을 적재하세요. 그러면 {for_quarter}분기 값이 그 실적을 빼고 다시 계산됩니다.",
        f"Load {missing_en}: the Q{for_quarter} figures are then derived again without them.",
        severity="warning",
    )
