"""Figures derived from a 누계 return follow later corrections of the earlier quarters they depend on.

A figure stored from a cumulative return (fact_result.cumulative_value set, canonical unit) is its
year-to-date figure minus what the same reporter had for the earlier quarters of that year when
it was loaded. When a commit or a rollback changes some (year, quarter, agency, mission) slices,
the current cumulative-derived figures of those slices and the later quarters of the same year
and reporter are derived again, in place and in quarter order (a re-derived quarter counts for
the next): value = cumulative_value − Σ the current figures of the same series (sector, program,
metric) in the earlier quarters. Mission said 25 by Q2 and Q1 is corrected from 10 to 12: Q2
becomes 13; rolling the correction back makes it 15 again.

The row keeps its submission, file and cell: only `value` changes, so no submission's status
changes either. Satisfaction is a score, never differenced (etl.cumulative). Figures stored before
cumulative_value existed have it NULL and are left as they are.

A change that would make such a figure negative (the earlier quarters now add up to more than the
mission reported by the later quarter) is a problem; the caller refuses the file or the rollback,
so nothing is stored. Runs inside the caller's transaction; result_sums follows the slices changed.
"""

from __future__ import annotations

import duckdb

from etl.cumulative import cell_position, figure_text
from etl.normalise import period_text
from etl.problems import Problem, josa, problem
from etl.resolve import name_of
from warehouse.result_sums import refresh_sums

SERIES = ("year", "agency_code", "mission_code", "sector_code", "program_code", "metric_code")
KEY = ("year", "quarter", "agency_code", "mission_code", "sector_code", "program_code", "metric_code")
TOLERANCE = 1e-9

# The current cumulative-derived figures from the first changed quarter of each (year, agency,
# mission) on; `$skip` is a commit's own submission, derived from the same figures a moment ago.
CANDIDATES = """
CREATE OR REPLACE TEMP TABLE rederive_candidates AS
WITH changed AS (
    SELECT year, agency_code, mission_code, min(quarter) AS from_quarter FROM {{changed}} GROUP BY ALL
)
SELECT f.submission_id, {key}, f.cumulative_value
FROM fact_result AS f
JOIN changed AS c USING (year, agency_code, mission_code)
WHERE f.is_current AND f.cumulative_value IS NOT NULL AND f.metric_code <> 'satisfaction'
  AND f.quarter >= c.from_quarter AND f.submission_id IS DISTINCT FROM $skip
""".format(key=", ".join(f"f.{c}" for c in KEY))

# One quarter's candidates with their new value, from the current figures of the earlier quarters.
NEW_VALUES = """
CREATE OR REPLACE TEMP TABLE rederive_quarter AS
WITH earlier AS (
    SELECT c.submission_id, {key}, c.cumulative_value, coalesce(sum(r.value), 0) AS before
    FROM rederive_candidates AS c
    LEFT JOIN results AS r ON {series} AND r.quarter < c.quarter
    WHERE c.quarter = $quarter
    GROUP BY ALL
)
SELECT *, cumulative_value - before AS value FROM earlier
""".format(key=", ".join(f"c.{c}" for c in KEY), series=" AND ".join(f"r.{c} = c.{c}" for c in SERIES))

# The value was re-derived here: the submission that stored the figure still holds it.
UPDATE = """
UPDATE fact_result AS f SET value = n.value
FROM rederive_quarter AS n
WHERE f.is_current AND f.submission_id = n.submission_id AND {key}
  AND abs(f.value - n.value) > {tolerance}
RETURNING f.year, f.quarter, f.agency_code, f.mission_code
""".format(key=" AND ".join(f"f.{c} = n.{c}" for c in KEY), tolerance=TOLERANCE)

NEGATIVE = f"""
SELECT {", ".join(KEY)}, cumulative_value, before FROM rederive_quarter
WHERE value < -{TOLERANCE}
ORDER BY ALL
"""

# Where a commit's own file holds the series: its figure in the latest earlier quarter.
OWN_CELL = """
SELECT source_sheet, source_cell FROM fact_result
WHERE submission_id = $id AND quarter < $quarter AND {series}
ORDER BY quarter DESC LIMIT 1
""".format(series=" AND ".join(f"{c} = ${c}" for c in SERIES))


def rederive_later(
    con: duckdb.DuckDBPyConnection, changed: str, *, submission_id: int | None = None
) -> tuple[int, list[Problem]]:
    """Derive again the cumulative-derived figures the slices in table `changed` bear on.

    `submission_id` is a commit's: its own figures are skipped and a problem points at its cell.
    Returns how many figures changed and the problems; with problems the caller must roll back.
    """
    con.execute(CANDIDATES.format(changed=changed), {"skip": submission_id})
    quarters = [
        r[0] for r in con.execute("SELECT DISTINCT quarter FROM rederive_candidates ORDER BY 1").fetchall()
    ]
    con.execute(
        "CREATE OR REPLACE TEMP TABLE rederived_slices "
        "(year SMALLINT, quarter TINYINT, agency_code VARCHAR, mission_code VARCHAR)"
    )
    changed_figures, problems = 0, []
    for quarter in quarters:
        con.execute(NEW_VALUES, {"quarter": quarter})
        problems += [_negative(con, submission_id, *row) for row in con.execute(NEGATIVE).fetchall()]
        updated = con.execute(UPDATE).fetchall()
        changed_figures += len(updated)
        if updated:
            con.executemany("INSERT INTO rederived_slices VALUES (?, ?, ?, ?)", sorted(set(updated)))
    if changed_figures and not problems:
        refresh_sums(con, "rederived_slices")
    # on an error the caller rolls back, which takes these temp tables with it
    for table in ("rederive_candidates", "rederive_quarter", "rederived_slices"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return changed_figures, problems


def _negative(
    con, submission_id, year, quarter, agency, mission, sector, program, metric, cumulative, before
) -> Problem:
    sheet = row = col = None
    if submission_id is not None:
        series = dict(zip(SERIES, (year, agency, mission, sector, program, metric), strict=True))
        cell = con.execute(OWN_CELL, {"id": submission_id, "quarter": quarter, **series}).fetchall()
        if cell:
            sheet, (row, col) = cell[0][0], cell_position(cell[0][1])
    mission_ko, mission_en = name_of("mission", mission)
    agency_ko, agency_en = name_of("agency", agency)
    sector_ko, sector_en = name_of("sector", sector)
    program_ko, program_en = name_of("program", program)
    metric_ko, metric_en = name_of("metric", metric)
    ko, en = period_text(year, quarter)
    earlier_ko = "1분기" if quarter == 2 else f"1–{quarter - 1}분기"
    earlier_en = "Q1" if quarter == 2 else f"Q1–Q{quarter - 1}"
    cumulative_ko, before_ko = figure_text(cumulative), figure_text(before)
    if submission_id is not None:
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
