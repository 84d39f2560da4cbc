"""Figures derived from a 누계 return follow later corrections of the earlier quarters they depend on.

A figure stored from a cumulative return (fact_result.cumulative_value set, canonical unit) is its
year-to-date figure minus what the same reporter had for the earlier quarters of that year when
it was loaded. When a commit or a rollback changes some (year, quarter, agency, mission) slices,
the current cumulative-derived figures of those slices and the later quarters of the same year
and reporter are derived again, in place and in quarter order (a re-derived quarter counts for
the next): value = cumulative_value − Σ the current figures of the same series (sector, program,
metric) in the earlier quarters. Mission said 25 by Q2 and Q1 is corrected from 10 to 12: Q2
becomes 13; rolling the correction back makes it 15 again.

The row keeps its submission, file and cell: only `value` changes (and, for a firms figure, the
weight of the satisfaction score on the same return row, warehouse.weights), so no submission's
status changes either. The value it replaces is kept in fact_result_revision with the moment, so the
figures can still be shown as they stood before (results_as_of, data/views.sql). A weighted-mean
metric (a score) is never differenced (ref_metrics.aggregation,
as in etl.store.cumulative). Figures stored before cumulative_value existed have it NULL and are left
as they are.

A change that would make such a figure negative (the earlier quarters now add up to more than the
mission reported by the later quarter) is a problem; the caller refuses the file or the rollback,
so nothing is stored. Runs inside the caller's transaction; the weights and result_sums follow
the figures changed.

`derive_again` is the computation alone, over any relation of current figures, and writes temp
tables only: the upload preview (etl.returns.preview) runs it on a read-only connection over the stored
figures with the upload in place of the slices it covers, so it finds what the commit would; the
rollback confirmation (etl.returns.preview.rollback_impact) does the same over the figures as they would be
after the rollback.
"""

from __future__ import annotations

import duckdb

from etl.check.rules import maximum_sql
from etl.problems import Problem, josa, problem
from etl.shape.normalise import period_text
from etl.shape.resolve import name_of
from etl.store.cumulative import SCORES, cell_position, figure_text, score_range
from warehouse.result_sums import refresh_sums
from warehouse.weights import ROW_KEY, reweigh

SERIES = ("year", "agency_code", "mission_code", "sector_code", "program_code", "metric_code")
KEY = ("year", "quarter", "agency_code", "mission_code", "sector_code", "program_code", "metric_code")
TOLERANCE = 1e-9
COLUMNS = ", ".join(("submission_id", *KEY, "value", "cumulative_value"))

# The current figures as stored (a commit after its write, a rollback after its swap).
STORED = f"(SELECT {COLUMNS} FROM fact_result WHERE is_current)"

# The cumulative-derived figures of {{current}} from the first changed quarter of each (year, agency,
# mission) on; `$skip` is a commit's own submission, derived from the same figures a moment ago.
CANDIDATES = f"""
CREATE OR REPLACE TEMP TABLE rederive_candidates AS
WITH changed AS (
    SELECT year, agency_code, mission_code, min(quarter) AS from_quarter FROM {{changed}} GROUP BY ALL
)
SELECT f.submission_id, {", ".join(f"f.{c}" for c in KEY)}, f.cumulative_value
FROM {{current}} AS f
JOIN changed AS c USING (year, agency_code, mission_code)
WHERE f.cumulative_value IS NOT NULL
  AND f.quarter >= c.from_quarter AND f.submission_id IS DISTINCT FROM $skip
"""

# A working copy of the current figures of the candidates' return rows (their series, and the
# figures that weigh a score): re-derived values go here, so the next quarter sees them without
# anything stored being written.
ROWS = ("year", "agency_code", "mission_code", "sector_code", "program_code")
WORKING = f"""
CREATE OR REPLACE TEMP TABLE rederive_current AS
SELECT f.* FROM {{current}} AS f
SEMI JOIN (SELECT DISTINCT {", ".join(ROWS)} FROM rederive_candidates) AS c USING ({", ".join(ROWS)})
"""

# One quarter's candidates with their new value, from the working figures of the earlier quarters.
NEW_VALUES = """
CREATE OR REPLACE TEMP TABLE rederive_quarter AS
WITH earlier AS (
    SELECT c.submission_id, {key}, c.cumulative_value, coalesce(sum(r.value), 0) AS before
    FROM rederive_candidates AS c
    LEFT JOIN rederive_current AS r ON {series} AND r.quarter < c.quarter
    WHERE c.quarter = $quarter AND c.metric_code NOT IN ({scores})
    GROUP BY ALL
)
SELECT *, cumulative_value - before AS value FROM earlier
""".format(
    key=", ".join(f"c.{c}" for c in KEY), series=" AND ".join(f"r.{c} = c.{c}" for c in SERIES), scores=SCORES
)

# One quarter's scores, once its summed figures are derived (a score weighs its row's firms):
# the quarter's own score that makes the weighted mean of the year so far the reported 누계 mean,
# value = (M × (Σw_i + w_q) − Σ w_i s_i) ÷ w_q (etl.store.cumulative); `before` is the earlier weight.
SCORE_VALUES = """
CREATE OR REPLACE TEMP TABLE rederive_quarter AS
WITH row_weights AS (
    SELECT submission_id, {row}, metric_code AS weight_metric, sum(value) AS weight
    FROM rederive_current WHERE value > 0 GROUP BY ALL
),
weighted AS (
    SELECT r.*, coalesce(w.weight, 1) AS weight
    FROM rederive_current AS r
    JOIN ref_metrics AS m ON m.metric_code = r.metric_code AND m.aggregation = 'weighted_mean'
    LEFT JOIN row_weights AS w
        ON w.submission_id IS NOT DISTINCT FROM r.submission_id AND {row_on} AND w.weight_metric = m.weight_metric
),
earlier AS (
    SELECT c.submission_id, {key}, c.cumulative_value, any_value(o.weight) AS own_weight,
           coalesce(sum(e.weight), 0) AS before, coalesce(sum(e.weight * e.value), 0) AS weighted_before
    FROM rederive_candidates AS c
    JOIN weighted AS o ON o.submission_id IS NOT DISTINCT FROM c.submission_id AND {own_on}
    LEFT JOIN weighted AS e ON {series} AND e.quarter < c.quarter
    WHERE c.quarter = $quarter AND c.metric_code IN ({scores})
    GROUP BY ALL
)
SELECT submission_id, {plain_key}, cumulative_value, before,
       (cumulative_value * (before + own_weight) - weighted_before) / own_weight AS value
FROM earlier
""".format(
    row=", ".join(ROW_KEY),
    row_on=" AND ".join(f"w.{c} = r.{c}" for c in ROW_KEY),
    key=", ".join(f"c.{c}" for c in KEY),
    plain_key=", ".join(KEY),
    own_on=" AND ".join(f"o.{c} = c.{c}" for c in KEY),
    series=" AND ".join(f"e.{c} = c.{c}" for c in SERIES),
    scores=SCORES,
)

# The figures whose value changes in this quarter; then the working copy takes the new values.
CHANGES = """
INSERT INTO rederived
SELECT n.submission_id, {columns}, n.value
FROM rederive_quarter AS n
JOIN rederive_current AS f ON f.submission_id IS NOT DISTINCT FROM n.submission_id AND {key}
WHERE abs(f.value - n.value) > {tolerance}
""".format(
    key=" AND ".join(f"f.{c} = n.{c}" for c in KEY),
    columns=", ".join(f"n.{c}" for c in KEY),
    tolerance=TOLERANCE,
)
STEP = """
UPDATE rederive_current AS f SET value = n.value
FROM rederived AS n
WHERE f.submission_id IS NOT DISTINCT FROM n.submission_id AND n.quarter = $quarter AND {key}
""".format(key=" AND ".join(f"f.{c} = n.{c}" for c in KEY))

# Before writing: the values they replace, kept with the moment (the transaction's) for results_as_of.
REVISE = """
INSERT INTO fact_result_revision
SELECT f.submission_id, {columns}, f.value, f.weight, current_timestamp::TIMESTAMP
FROM fact_result AS f
JOIN rederived AS n ON f.submission_id = n.submission_id AND {key}
WHERE f.is_current
""".format(columns=", ".join(f"f.{c}" for c in KEY), key=" AND ".join(f"f.{c} = n.{c}" for c in KEY))

# ... and the scores weighed by those figures (warehouse.weights.reweigh), whose weight changes with them.
REVISE_WEIGHTS = """
INSERT INTO fact_result_revision
SELECT f.submission_id, {columns}, f.value, f.weight, current_timestamp::TIMESTAMP
FROM fact_result AS f
SEMI JOIN rederived_rows AS n USING (submission_id, {row_key})
WHERE f.is_current AND f.metric_code IN ({scores})
  AND NOT EXISTS (SELECT 1 FROM rederived AS n WHERE n.submission_id = f.submission_id AND {key})
""".format(
    columns=", ".join(f"f.{c}" for c in KEY),
    row_key=", ".join(ROW_KEY),
    scores=SCORES,
    key=" AND ".join(f"f.{c} = n.{c}" for c in KEY),
)

# Writing the re-derived values: the submission that stored the figure still holds it.
APPLY = """
UPDATE fact_result AS f SET value = n.value
FROM rederived AS n
WHERE f.is_current AND f.submission_id = n.submission_id AND {key}
""".format(key=" AND ".join(f"f.{c} = n.{c}" for c in KEY))

# A re-derived score outside what a score can be (0 to the metric's max_per_row, etl.check.rules).
OUT_OF_RANGE = """
SELECT {key}, cumulative_value, value FROM rederive_quarter
WHERE value < -{tolerance} OR value > {maximum} + {tolerance}
ORDER BY ALL
"""

NEGATIVE = f"""
SELECT {", ".join(KEY)}, cumulative_value, before FROM rederive_quarter
WHERE value < -{TOLERANCE}
ORDER BY ALL
"""

# Where the file being committed holds the series: its figure in the latest earlier quarter.
OWN_CELL = """
SELECT source_sheet, source_cell FROM {{own}}
WHERE quarter < $quarter AND {series}
ORDER BY quarter DESC LIMIT 1
""".format(series=" AND ".join(f"{c} = ${c}" for c in SERIES))

WORK_TABLES = ("rederive_candidates", "rederive_current", "rederive_quarter")


def derive_again(
    con: duckdb.DuckDBPyConnection,
    changed: str,
    current: str = STORED,
    *,
    skip: int | None = None,
    own: str | None = None,
) -> list[Problem]:
    """Derive again, into the temp table `rederived`, the figures the slices in `changed` bear on.

    `current` is a relation of the current figures (columns submission_id, the key, value,
    cumulative_value). `own` is the file being committed, a relation of its figures with
    source_sheet and source_cell (None for a rollback): a problem then points at its cell and says
    "with this file". `rederived` (submission_id, the key, value) lists every figure whose value
    would change; with problems, the caller must not store them. Writes temp tables only.
    """
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE rederived AS SELECT {', '.join(('submission_id', *KEY, 'value'))} "
        f"FROM {current} WHERE false"
    )
    con.execute(CANDIDATES.format(changed=changed, current=current), {"skip": skip})
    quarters = [
        r[0] for r in con.execute("SELECT DISTINCT quarter FROM rederive_candidates ORDER BY 1").fetchall()
    ]
    problems: list[Problem] = []
    if quarters:
        con.execute(WORKING.format(current=current))
    out_of_range = OUT_OF_RANGE.format(key=", ".join(KEY), tolerance=TOLERANCE, maximum=maximum_sql())
    for quarter in quarters:
        con.execute(NEW_VALUES, {"quarter": quarter})
        problems += [_negative(con, own, *row) for row in con.execute(NEGATIVE).fetchall()]
        con.execute(CHANGES)
        con.execute(STEP, {"quarter": quarter})
        # then the scores, which their row's figures of this quarter weigh
        con.execute(SCORE_VALUES, {"quarter": quarter})
        problems += [_out_of_range(con, own, *row) for row in con.execute(out_of_range).fetchall()]
        con.execute(CHANGES)
        con.execute(STEP, {"quarter": quarter})
    for table in WORK_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return problems


def rederive_later(
    con: duckdb.DuckDBPyConnection, changed: str, *, submission_id: int | None = None
) -> tuple[int, list[Problem]]:
    """Derive again and store the cumulative-derived figures the slices in table `changed` bear on.

    `submission_id` is a commit's: its own figures are skipped and a problem points at its cell.
    Returns how many figures changed and the problems; with problems the caller must roll back.
    """
    own = (
        None
        if submission_id is None
        else f"(SELECT * FROM fact_result WHERE submission_id = {int(submission_id)})"
    )
    problems = derive_again(con, changed, skip=submission_id, own=own)
    changed_figures = con.execute("SELECT count(*) FROM rederived").fetchall()[0][0]
    if changed_figures and not problems:
        con.execute(REVISE)
        con.execute(APPLY)
        # a score on a re-derived firms figure's row weighs the new figure (warehouse.weights)
        con.execute(
            "CREATE OR REPLACE TEMP TABLE rederived_rows AS "
            f"SELECT DISTINCT submission_id, {', '.join(ROW_KEY)} FROM rederived"
        )
        con.execute(REVISE_WEIGHTS)
        reweigh(con, "rederived_rows")
        con.execute(
            "CREATE OR REPLACE TEMP TABLE rederived_slices AS "
            "SELECT DISTINCT year, quarter, agency_code, mission_code FROM rederived"
        )
        refresh_sums(con, "rederived_slices")
    # on an error the caller rolls back, which takes these temp tables with it
    for table in ("rederived", "rederived_rows", "rederived_slices"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return changed_figures, problems


def _own_cell(con, own, year, quarter, agency, mission, sector, program, metric):
    """Where the file being committed holds the series (its latest earlier quarter): sheet, row, col."""
    if own is None:
        return None, None, None
    series = dict(zip(SERIES, (year, agency, mission, sector, program, metric), strict=True))
    cell = con.execute(OWN_CELL.format(own=own), {"quarter": quarter, **series}).fetchall()
    if not cell:
        return None, None, None
    return cell[0][0], *cell_position(cell[0][1])


def _out_of_range(
    con, own, year, quarter, agency, mission, sector, program, metric, mean, derived
) -> Problem:
    sheet, row, col = _own_cell(con, own, year, quarter, agency, mission, sector, program, metric)
    mission_ko, mission_en = name_of("mission", mission)
    agency_ko, agency_en = name_of("agency", agency)
    metric_ko, metric_en = name_of("metric", metric)
    ko, en = period_text(year, quarter)
    span = score_range(metric)
    span_en = span.replace("0 이상", "0 or more")
    doing_ko, doing_en = (
        ("이 파일을 적재하면", "with this file")
        if own is not None
        else (
            "이 제출을 취소하면",
            "after this rollback",
        )
    )
    return problem(
        sheet,
        row,
        col,
        f"이후 분기 점수가 {span} 범위를 벗어납니다: {mission_ko}({agency_ko})의 {metric_ko} {ko}까지 누계 평균 "
        f"{josa(figure_text(mean), '으로/로')} 보고되었는데, {doing_ko} 이전 분기 점수와 지원기업 수로 보아 "
        f"{ko} 점수가 {josa(figure_text(derived), '이/가')} 되어야 합니다.",
        f"a later quarter's score would be outside {span_en}: {mission_en} ({agency_en}) reported a {metric_en} "
        f"year-to-date mean of {figure_text(mean)} by {en}, but {doing_en} the earlier quarters' scores and "
        f"firms would need a {en} score of {figure_text(derived)}",
        f"{ko} 누계 평균이 틀렸다면 그 분기를 바로잡아 먼저 적재하세요. 이전 분기의 점수나 지원기업 수가 틀렸다면 "
        "고쳐서 다시 올리세요.",
        f"If the {en} year-to-date mean is wrong, load that quarter corrected first; if an earlier quarter's "
        "score or firms are wrong, correct them and upload again.",
    )


def _negative(
    con, own, year, quarter, agency, mission, sector, program, metric, cumulative, before
) -> Problem:
    sheet, row, col = _own_cell(con, own, year, quarter, agency, mission, sector, program, metric)
    mission_ko, mission_en = name_of("mission", mission)
    agency_ko, agency_en = name_of("agency", agency)
    sector_ko, sector_en = name_of("sector", sector)
    program_ko, program_en = name_of("program", program)
    metric_ko, metric_en = name_of("metric", metric)
    ko, en = period_text(year, quarter)
    earlier_ko = "1분기" if quarter == 2 else f"1–{quarter - 1}분기"
    earlier_en = "Q1" if quarter == 2 else f"Q1–Q{quarter - 1}"
    cumulative_ko, before_ko = figure_text(cumulative), figure_text(before)
    if own is not None:
        doing_ko, doing_en = "이 파일을 적재하면", "with this file"
        fix_ko = (
            f"{ko} 누계도 틀렸다면 바로잡은 {quarter}분기 실적을 먼저 적재하거나 이 파일에 함께 넣어 보내세요. "
            "이 파일의 값이 틀렸다면 고쳐서 다시 올리세요."
        )
        fix_en = (
            f"If the {en} year-to-date figure is wrong too, load that quarter's return corrected first or send "
            "it in this file; if this file is wrong, correct it and upload it again."
        )
    else:
        doing_ko, doing_en = "이 제출을 취소하면", "after this rollback"
        fix_ko = f"{ko} 누계 실적을 바로잡아 먼저 적재한 뒤 다시 취소하세요."
        fix_en = f"Load the {en} return corrected first, then roll back again."
    return problem(
        sheet,
        row,
        col,
        f"이후 분기 실적이 음수가 됩니다: {mission_ko}({agency_ko}) {sector_ko}·{program_ko}의 {josa(metric_ko, '은/는')} "
        f"{ko}까지 누계 {josa(cumulative_ko, '으로/로')} 보고되었는데, {doing_ko} {earlier_ko} 합계가 "
        f"{josa(before_ko, '이/가')} 되어 누계보다 많습니다.",
        f"a later quarter would go negative: {mission_en} ({agency_en}) {sector_en}, {program_en}: {metric_en} "
        f"was reported as {cumulative_ko} year to date by {en}, but {doing_en} the earlier quarters ({earlier_en}) "
        f"would add up to {before_ko}",
        fix_ko,
        fix_en,
    )
