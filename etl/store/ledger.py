"""Writing prepared returns into the warehouse, with versions: supersede, same-file-again, rollback.

A return replaces exactly the (year, quarter, agency, mission) slices it covers. Earlier figures
stay in fact_result with is_current cleared, so a rollback can bring them back. Figures derived
from a 누계 return in later quarters of the same reporter and year are derived again from their
year-to-date figure when a commit or rollback changes the quarters before them (etl/store/rederive.py).
Each commit is one transaction: a load that fails or is killed midway leaves the warehouse as it was.
"""

from dataclasses import dataclass

import duckdb

from etl.problems import Problem, Refused, printable, short
from etl.registers import explanations
from etl.registers.store import find_duplicate
from etl.returns.prepare import Prepared
from etl.store.cumulative import QUARTERLY, to_quarterly
from etl.store.rederive import rederive_later
from warehouse.admin import record
from warehouse.result_sums import refresh_sums
from warehouse.text import clean_text, josa
from warehouse.transaction import transaction
from warehouse.weights import WEIGHT_JOIN, WEIGHT_VALUE

SLICE = ("year", "quarter", "agency_code", "mission_code")
# The closed quarters (data/cycle.sql) among a return's slices, as '2025Q3,2025Q4'; NULL when none.
RESTATES = """
SELECT string_agg(DISTINCT s.year || 'Q' || s.quarter, ',' ORDER BY s.year || 'Q' || s.quarter)
FROM slices AS s
JOIN quarter_close AS c USING (year, quarter)
"""
# The conversion commit applies to a cumulative return registered as `staged` (etl.returns.preview uses it).
CUMULATIVE_TO_QUARTERLY = QUARTERLY.format(source="staged")


@dataclass
class CommitResult:
    submission_id: int | None
    rows: int
    replaced: int  # figures of earlier versions no longer current
    slices: int
    unchanged: bool = False
    duplicate_of: int | None = None
    warnings: list[Problem] | None = None
    rederived: int = 0  # figures of later cumulative-derived quarters derived again (etl.store.rederive)
    restates: str | None = None  # closed quarters it covers ('2025Q3,2025Q4'): a restatement (정정)
    explanations: int = 0  # explanations of its 사유 sheet stored (added or changed)

    def summary(self, file_name: str) -> str:
        file_name = printable(short(file_name, 200))
        if self.unchanged:
            return f"{file_name}: 이미 적재된 파일입니다(제출 #{self.duplicate_of}) — 변경 없음 / already loaded, nothing changed"
        text = (
            f"{file_name}: 제출 #{self.submission_id} 적재 — {self.rows:,}건, {self.slices}개 공관·분기 구간, "
            f"이전 값 {self.replaced:,}건 대체 / loaded {self.rows:,} figures in {self.slices} slices, "
            f"replaced {self.replaced:,}"
        )
        if self.restates:
            text += f" · 마감된 분기 정정({self.restates}) / restates closed quarter(s) {self.restates}"
        if self.explanations:
            text += f" · 사유·대책 {self.explanations}건 / {self.explanations} explanation(s)"
        if self.rederived:
            text += (
                f" · 이후 분기 누계 환산 {self.rederived:,}건 재계산 / "
                f"{self.rederived:,} later figures from 누계 returns derived again"
            )
        return text


def commit(
    con: duckdb.DuckDBPyConnection,
    prepared: Prepared,
    loaded_by: str | None = None,
    status_of: explanations.StatusOf | None = None,
    role: str | None = None,
) -> CommitResult:
    """Store a prepared return in one transaction; the same file again changes nothing.

    A return prepared on this very connection (etl.intake.load does so) is inserted straight from its
    staged view; otherwise its Arrow rows are registered and read. The explanations of its 사유 sheet
    are checked against the warehouse and stored in the same transaction, under the same submission,
    owned by the return's agency; `status_of` (from a caller that knows attainment) adds a warning
    for a target on track. With a `role` (the app's or the command line's, not the demo's) the audit
    line is written in the same transaction.
    """
    duplicate = find_duplicate(con, prepared.sha256)
    if duplicate is not None:
        return CommitResult(None, 0, 0, 0, unchanged=True, duplicate_of=duplicate)
    if prepared.connection is con:
        source = prepared.relation
    else:
        source = "staged_arrow"
        con.register(source, prepared.rows)
    warnings = list(prepared.warnings)
    try:
        with transaction(con):
            if prepared.basis == "cumulative":
                warnings += to_quarterly(con, source, prepared.file_name, keep_cumulative=True)
                source = "staged"
            result = _write(con, prepared, source, loaded_by, len(warnings))
            result.rederived, problems = rederive_later(con, "slices", submission_id=result.submission_id)
            if problems:
                raise Refused(prepared.file_name, problems)
            if prepared.explanations:
                result.explanations, explained = _explain(
                    con, prepared, result.submission_id, loaded_by, status_of
                )
                warnings += explained
            if role is not None:
                record(
                    con,
                    "commit",
                    actor=loaded_by,
                    role=role,
                    subject=prepared.file_name,
                    detail=f"submission {result.submission_id}: {result.rows} figures, {result.slices} slices",
                )
    finally:
        if source == "staged_arrow":
            con.unregister("staged_arrow")
        con.execute("DROP TABLE IF EXISTS staged")
        con.execute("DROP TABLE IF EXISTS slices")
    result.warnings = warnings
    return result


def _explain(
    con, prepared: Prepared, submission_id: int, loaded_by: str | None, status_of
) -> tuple[int, list]:
    """Store the return's 사유 rows (the slices table holds its agencies and quarters); Refused on any error."""
    agencies = {r[0] for r in con.execute("SELECT DISTINCT agency_code FROM slices").fetchall()}
    periods = [r[0] for r in con.execute("SELECT DISTINCT year * 10 + quarter FROM slices").fetchall()]
    agency, period = explanations.return_scope(prepared.file_name, prepared.explanations, agencies, periods)
    changed, problems = explanations.with_return(
        con, prepared.explanations, agency=agency, period=period, status_of=status_of
    )
    if any(p.severity == "error" for p in problems):
        raise Refused(prepared.file_name, problems)
    explanations.write(con, submission_id, changed, loaded_by)
    return len(changed), problems


def _write(
    con: duckdb.DuckDBPyConnection, prepared: Prepared, source: str, loaded_by: str | None, warning_count: int
) -> CommitResult:
    # The slices this return covers, counted once; everything below works from this small table.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE slices AS
        SELECT year, quarter, agency_code, mission_code, count(*) AS figures FROM {source} GROUP BY ALL
    """)
    rows, agencies, missions, first, last, slices = con.execute("""
        SELECT sum(figures), string_agg(DISTINCT agency_code, ',' ORDER BY agency_code),
               count(DISTINCT mission_code), min(year * 10 + quarter), max(year * 10 + quarter), count(*)
        FROM slices
    """).fetchall()[0]
    # A closed quarter's return is a restatement (정정): say which closed quarters it covers.
    restates = con.execute(RESTATES).fetchall()[0][0]
    reporter = (
        agencies
        if missions > 1
        else f"{agencies}/{con.execute('SELECT any_value(mission_code) FROM slices').fetchall()[0][0]}"
    )
    submission_id = con.execute(
        """
        INSERT INTO submission (kind, file_name, file_sha256, file_bytes, reporter, agency_codes, mission_count,
                                period_first, period_last, layout, basis, row_count, warning_count, loaded_by, status,
                                restates)
        VALUES ('results', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'current', ?)
        RETURNING submission_id
        """,
        [
            clean_text(prepared.file_name),
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
            warning_count,
            None if loaded_by is None else clean_text(loaded_by),
            restates,
        ],
    ).fetchall()[0][0]
    # Only the submissions holding current figures of these slices change; their ids also let
    # the UPDATE skip row groups of older loads by their zone maps.
    affected = [
        r[0]
        for r in con.execute("""
            SELECT DISTINCT f.submission_id FROM fact_result AS f
            JOIN slices AS s USING (year, quarter, agency_code, mission_code)
            WHERE f.is_current
        """).fetchall()
    ]
    replaced = 0
    if affected:
        replaced = con.execute(
            """
            UPDATE fact_result AS f SET is_current = false
            FROM slices AS s
            WHERE f.is_current AND f.submission_id IN (SELECT unnest($ids))
              AND f.year = s.year AND f.quarter = s.quarter
              AND f.agency_code = s.agency_code AND f.mission_code = s.mission_code
            """,
            {"ids": affected},
        ).fetchall()[0][0]
    # weight: stored once for weighted-mean figures (warehouse.weights), from this return's own rows.
    # A wide return with one row per key has read it off each row already (Prepared.row_weights);
    # otherwise (long tables, cumulative figures) the rows are paired here.
    if prepared.row_weights and prepared.basis != "cumulative":
        weight, pairing = "s.row_weight", ""
    else:
        weight, pairing = WEIGHT_VALUE, WEIGHT_JOIN.format(source=source)
    # cumulative_value: the year-to-date figure of a 누계 row (canonical unit), kept for etl.store.rederive.
    cumulative = "s.cumulative_value" if prepared.basis == "cumulative" else "NULL"
    con.execute(
        f"""
        INSERT INTO fact_result
        SELECT ?, s.year, s.quarter, s.agency_code, s.mission_code, s.sector_code, s.program_code,
               s.metric_code, s.value, s.reported_value, s.source_sheet, s.source_cell, true, {weight},
               {cumulative}
        FROM {source} AS s
        {pairing}
        """,
        [submission_id],
    )
    refresh_sums(con, "slices", submission_id=submission_id)
    refresh_statuses(con, affected)
    return CommitResult(submission_id, rows, replaced, slices, restates=restates)


def refresh_statuses(con: duckdb.DuckDBPyConnection, submission_ids: list[int] | None = None) -> None:
    """A results submission is current, partly superseded or superseded by how many of its figures still show.

    With submission_ids, only those submissions are recounted (the others did not change).
    """
    if submission_ids is not None and not submission_ids:
        return
    only = "WHERE submission_id IN (SELECT unnest($ids))" if submission_ids is not None else ""
    con.execute(
        f"""
        UPDATE submission AS s SET status = CASE
            WHEN c.current_rows = c.all_rows THEN 'current'
            WHEN c.current_rows > 0 THEN 'partly_superseded'
            ELSE 'superseded' END
        FROM (SELECT submission_id, count(*) FILTER (WHERE is_current) AS current_rows, count(*) AS all_rows
              FROM fact_result {only} GROUP BY 1) AS c
        WHERE s.submission_id = c.submission_id AND s.kind = 'results' AND s.status <> 'rolled_back'
        """,
        {"ids": submission_ids} if submission_ids is not None else None,
    )


class RollbackError(ValueError):
    """The submission cannot be rolled back (unknown, or already rolled back)."""


def rollback(
    con: duckdb.DuckDBPyConnection, submission_id: int, by: str | None = None, role: str | None = None
) -> int:
    """Undo one submission: its figures stop showing and, for each slice it held, the version before it returns.

    Returns how many figures changed in `results`, including later figures from 누계 returns derived
    again (etl.store.rederive); a rollback that would make one of those negative is refused (RollbackError).
    With a `role` the audit line is written in the same transaction.
    """
    row = con.execute(
        "SELECT kind, status FROM submission WHERE submission_id = ?", [submission_id]
    ).fetchall()
    if not row:
        raise RollbackError(
            f"{josa(f'제출 #{submission_id}', '이/가')} 없습니다 / no submission #{submission_id}"
        )
    kind, status = row[0]
    if status == "rolled_back":
        raise RollbackError(
            f"{josa(f'제출 #{submission_id}', '은/는')} 이미 취소되었습니다 / already rolled back"
        )
    with transaction(con):
        changed = (_rollback_targets if kind == "targets" else _rollback_results)(con, submission_id)
        con.execute(
            "UPDATE submission SET status = 'rolled_back', rolled_back_at = current_timestamp, rolled_back_by = ? "
            "WHERE submission_id = ?",
            [by, submission_id],
        )
        if kind == "results":
            refresh_statuses(con)
        if role is not None:
            record(
                con, "rollback", actor=by, role=role, subject=f"#{submission_id}", detail=f"{changed} figures"
            )
    return changed


# The slices a results submission holds now, which its rollback takes back (table `{undone}`).
UNDONE = """
CREATE OR REPLACE TEMP TABLE {undone} AS
SELECT DISTINCT year, quarter, agency_code, mission_code FROM fact_result
WHERE submission_id = $id AND is_current
"""

# For each slice in `{undone}`, the latest earlier submission still standing, which takes over
# (etl.returns.preview.rollback_impact reads the same, to say before the rollback what it will change).
RESTORED = """
SELECT u.year, u.quarter, u.agency_code, u.mission_code, max(f.submission_id) AS submission_id
FROM {undone} AS u
JOIN fact_result AS f USING (year, quarter, agency_code, mission_code)
JOIN submission AS s USING (submission_id)
WHERE s.status <> 'rolled_back' AND f.submission_id <> $id
GROUP BY ALL
"""


def rollback_refusal(submission_id: int, problems: list[Problem]) -> str:
    """Why a results rollback is refused: later 누계-derived figures would go negative (etl.store.rederive)."""
    return (
        f"{josa(f'제출 #{submission_id}', '을/를')} 취소할 수 없습니다 / cannot roll back #{submission_id}: "
        + " ".join(p.text() for p in problems)
    )


def _rollback_results(con: duckdb.DuckDBPyConnection, submission_id: int) -> int:
    con.execute(UNDONE.format(undone="undone"), {"id": submission_id})
    removed = con.execute(
        "UPDATE fact_result SET is_current = false WHERE submission_id = ? AND is_current", [submission_id]
    ).fetchall()[0][0]
    restored = con.execute(
        f"""
        UPDATE fact_result AS f SET is_current = true
        FROM ({RESTORED.format(undone="undone")}) AS p
        WHERE f.submission_id = p.submission_id AND f.year = p.year AND f.quarter = p.quarter
          AND f.agency_code = p.agency_code AND f.mission_code = p.mission_code
        """,
        {"id": submission_id},
    ).fetchall()[0][0]
    refresh_sums(con, "undone")
    rederived, problems = rederive_later(con, "undone")
    con.execute("DROP TABLE undone")
    if problems:
        raise RollbackError(rollback_refusal(submission_id, problems))
    return removed + restored + rederived


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
