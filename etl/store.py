"""Writing prepared returns into the warehouse, with versions: supersede, same-file-again, rollback.

A return replaces exactly the (year, quarter, agency, mission) slices it covers. Earlier figures
stay in fact_result with is_current cleared, so a rollback can bring them back. Each commit is
one transaction: a load that fails or is killed midway leaves the warehouse as it was.
"""

from dataclasses import dataclass

import duckdb

from etl.prepare import Prepared
from etl.problems import Problem, Refused

SLICE = ("year", "quarter", "agency_code", "mission_code")

# Cumulative (누계) figures become quarterly increments: subtract what the same reporter already
# reported for the earlier quarters of that year, from this file first, else from the warehouse.
CUMULATIVE_TO_QUARTERLY = """
WITH incoming AS (
    SELECT *,
           lag(value) OVER w AS prev_cumulative,
           lag(quarter) OVER w AS prev_quarter
    FROM staged
    WINDOW w AS (PARTITION BY year, agency_code, mission_code, sector_code, program_code, metric_code
                 ORDER BY quarter)
),
stored AS (
    SELECT i.source_sheet, i.source_cell, sum(r.value) AS stored_before
    FROM incoming AS i
    JOIN results AS r
      ON r.year = i.year AND r.agency_code = i.agency_code AND r.mission_code = i.mission_code
     AND r.sector_code = i.sector_code AND r.program_code = i.program_code AND r.metric_code = i.metric_code
     AND r.quarter > coalesce(i.prev_quarter, 0) AND r.quarter < i.quarter
    GROUP BY ALL
)
SELECT i.* EXCLUDE (value, prev_cumulative, prev_quarter),
       -- satisfaction is a mean, so its year-to-date score is kept as the quarter's score
       CASE WHEN i.metric_code = 'satisfaction' THEN i.value
            ELSE i.value - coalesce(i.prev_cumulative, 0) - coalesce(s.stored_before, 0) END AS value,
       i.value AS cumulative_value
FROM incoming AS i
LEFT JOIN stored AS s USING (source_sheet, source_cell)
"""


@dataclass
class CommitResult:
    submission_id: int | None
    rows: int
    replaced: int  # figures of earlier versions no longer current
    slices: int
    unchanged: bool = False
    duplicate_of: int | None = None
    warnings: list[Problem] | None = None

    def summary(self, file_name: str) -> str:
        if self.unchanged:
            return f"{file_name}: 이미 적재된 파일입니다(제출 #{self.duplicate_of}) — 변경 없음 / already loaded, nothing changed"
        return (
            f"{file_name}: 제출 #{self.submission_id} 적재 — {self.rows:,}건, {self.slices}개 공관·분기 구간, "
            f"이전 값 {self.replaced:,}건 대체 / loaded {self.rows:,} figures in {self.slices} slices, "
            f"replaced {self.replaced:,}"
        )


def find_duplicate(con: duckdb.DuckDBPyConnection, sha256: str, kind: str = "results") -> int | None:
    row = con.execute(
        "SELECT max(submission_id) FROM submission WHERE file_sha256 = ? AND kind = ? AND status <> 'rolled_back'",
        [sha256, kind],
    ).fetchall()
    return row[0][0]


def commit(con: duckdb.DuckDBPyConnection, prepared: Prepared, loaded_by: str | None = None) -> CommitResult:
    """Store a prepared return in one transaction; the same file again changes nothing."""
    duplicate = find_duplicate(con, prepared.sha256)
    if duplicate is not None:
        return CommitResult(None, 0, 0, 0, unchanged=True, duplicate_of=duplicate)
    con.register("staged_arrow", prepared.rows)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE staged AS SELECT * FROM staged_arrow")
        if prepared.basis == "cumulative":
            _to_quarterly(con, prepared.file_name)
        result = _write(con, prepared, loaded_by)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("staged_arrow")
        con.execute("DROP TABLE IF EXISTS staged")
    result.warnings = prepared.warnings
    return result


def _to_quarterly(con: duckdb.DuckDBPyConnection, file_name: str) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE staged AS {CUMULATIVE_TO_QUARTERLY}")
    falling = con.execute(
        "SELECT source_sheet, source_cell, cumulative_value, value FROM staged WHERE value < -1e-9 ORDER BY 1, 2"
    ).fetchall()
    if falling:
        raise Refused(
            file_name,
            [
                Problem(
                    f"{sheet}!{cell}",
                    f"누계 실적이 이전 분기보다 줄었습니다 ({cell}: 누계 {cumulative:,.0f}, 이전 분기까지보다 {-value:,.0f} 적음).",
                    f"cumulative figure went down at {cell} ({cumulative:,.0f}, {-value:,.0f} below the earlier quarters)",
                    "누계(연초부터 해당 분기까지의 합계)가 맞는지 확인하거나, 이전 분기 실적을 먼저 정정하세요.",
                    "Check the year-to-date figure, or correct the earlier quarter first.",
                    sheet=sheet,
                )
                for sheet, cell, cumulative, value in falling
            ],
        )
    con.execute("ALTER TABLE staged DROP COLUMN cumulative_value")


def _write(con: duckdb.DuckDBPyConnection, prepared: Prepared, loaded_by: str | None) -> CommitResult:
    stats = con.execute("""
        SELECT count(*), string_agg(DISTINCT agency_code, ',' ORDER BY agency_code), count(DISTINCT mission_code),
               min(year * 10 + quarter), max(year * 10 + quarter),
               count(DISTINCT (year, quarter, agency_code, mission_code))
        FROM staged
    """).fetchall()[0]
    rows, agencies, missions, first, last, slices = stats
    reporter = (
        agencies
        if missions > 1
        else f"{agencies}/{con.execute('SELECT any_value(mission_code) FROM staged').fetchall()[0][0]}"
    )
    submission_id = con.execute(
        """
        INSERT INTO submission (kind, file_name, file_sha256, file_bytes, reporter, agency_codes, mission_count,
                                period_first, period_last, layout, basis, row_count, warning_count, loaded_by, status)
        VALUES ('results', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'current')
        RETURNING submission_id
        """,
        [
            prepared.file_name,
            prepared.sha256,
            prepared.size,
            reporter,
            agencies,
            missions,
            f"{first // 10}Q{first % 10}",
            f"{last // 10}Q{last % 10}",
            prepared.layout_name,
            prepared.basis,
            rows,
            len(prepared.warnings),
            loaded_by,
        ],
    ).fetchall()[0][0]
    replaced = con.execute("""
        UPDATE fact_result AS f SET is_current = false
        FROM (SELECT DISTINCT year, quarter, agency_code, mission_code FROM staged) AS s
        WHERE f.is_current AND f.year = s.year AND f.quarter = s.quarter
          AND f.agency_code = s.agency_code AND f.mission_code = s.mission_code
    """).fetchall()[0][0]
    con.execute(
        """
        INSERT INTO fact_result
        SELECT ?, year, quarter, agency_code, mission_code, sector_code, program_code, metric_code,
               value, reported_value, source_sheet, source_cell, true
        FROM staged
        """,
        [submission_id],
    )
    refresh_statuses(con)
    return CommitResult(submission_id, rows, replaced, slices)


def refresh_statuses(con: duckdb.DuckDBPyConnection) -> None:
    """A results submission is current, partly superseded or superseded by how many of its figures still show."""
    con.execute("""
        UPDATE submission AS s SET status = CASE
            WHEN c.current_rows = c.all_rows THEN 'current'
            WHEN c.current_rows > 0 THEN 'partly_superseded'
            ELSE 'superseded' END
        FROM (SELECT submission_id, count(*) FILTER (WHERE is_current) AS current_rows, count(*) AS all_rows
              FROM fact_result GROUP BY 1) AS c
        WHERE s.submission_id = c.submission_id AND s.kind = 'results' AND s.status <> 'rolled_back'
    """)


class RollbackError(ValueError):
    """The submission cannot be rolled back (unknown, or already rolled back)."""


def rollback(con: duckdb.DuckDBPyConnection, submission_id: int, by: str | None = None) -> int:
    """Undo one submission: its figures stop showing and, for each slice it held, the version before it returns.

    Returns how many figures changed in `results`.
    """
    row = con.execute(
        "SELECT kind, status FROM submission WHERE submission_id = ?", [submission_id]
    ).fetchall()
    if not row:
        raise RollbackError(f"제출 #{submission_id}이(가) 없습니다 / no submission #{submission_id}")
    kind, status = row[0]
    if status == "rolled_back":
        raise RollbackError(f"제출 #{submission_id}은(는) 이미 취소되었습니다 / already rolled back")
    con.execute("BEGIN TRANSACTION")
    try:
        changed = (_rollback_targets if kind == "targets" else _rollback_results)(con, submission_id)
        con.execute(
            "UPDATE submission SET status = 'rolled_back', rolled_back_at = current_timestamp, rolled_back_by = ? "
            "WHERE submission_id = ?",
            [by, submission_id],
        )
        if kind == "results":
            refresh_statuses(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return changed


def _rollback_results(con: duckdb.DuckDBPyConnection, submission_id: int) -> int:
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE undone AS
        SELECT DISTINCT year, quarter, agency_code, mission_code FROM fact_result
        WHERE submission_id = ? AND is_current
        """,
        [submission_id],
    )
    removed = con.execute(
        "UPDATE fact_result SET is_current = false WHERE submission_id = ? AND is_current", [submission_id]
    ).fetchall()[0][0]
    # For each slice this submission held, the latest earlier submission still standing takes over.
    restored = con.execute(
        """
        UPDATE fact_result AS f SET is_current = true
        FROM (
            SELECT u.year, u.quarter, u.agency_code, u.mission_code, max(f.submission_id) AS submission_id
            FROM undone AS u
            JOIN fact_result AS f USING (year, quarter, agency_code, mission_code)
            JOIN submission AS s USING (submission_id)
            WHERE s.status <> 'rolled_back' AND f.submission_id <> ?
            GROUP BY ALL
        ) AS p
        WHERE f.submission_id = p.submission_id AND f.year = p.year AND f.quarter = p.quarter
          AND f.agency_code = p.agency_code AND f.mission_code = p.mission_code
        """,
        [submission_id],
    ).fetchall()[0][0]
    con.execute("DROP TABLE undone")
    return removed + restored


def _rollback_targets(con: duckdb.DuckDBPyConnection, submission_id: int) -> int:
    years = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT year FROM fact_target WHERE submission_id = ? AND is_current", [submission_id]
        ).fetchall()
    ]
    removed = con.execute(
        "UPDATE fact_target SET is_current = false WHERE submission_id = ? AND is_current", [submission_id]
    ).fetchall()[0][0]
    restored = 0
    for year in years:
        restored += con.execute(
            """
            UPDATE fact_target SET is_current = true
            WHERE year = ? AND submission_id = (
                SELECT max(t.submission_id) FROM fact_target AS t JOIN submission AS s USING (submission_id)
                WHERE t.year = ? AND s.status <> 'rolled_back' AND t.submission_id <> ?)
            """,
            [year, year, submission_id],
        ).fetchall()[0][0]
    return removed + restored


def history(con: duckdb.DuckDBPyConnection, limit: int | None = None):
    """Every load, newest first, as a DataFrame."""
    sql = "SELECT * FROM submissions ORDER BY submission_id DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return con.cursor().execute(sql).df()
