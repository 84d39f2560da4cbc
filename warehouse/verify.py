"""Checking a warehouse file: can DuckDB read all of it, and does it keep the contract's rules?

DuckDB checksums every block it reads, so reading every column of every table is its own check of
the file; then the rules the writers keep (etl.store.ledger, warehouse.result_sums, warehouse.weights):
every current figure belongs to a live submission, one current version per figure, result_sums
equals the current figures summed and result_rollup result_sums summed again, each weighted-mean figure has its weight, no figure is
infinite or NaN, and every contract view answers. Opens the file read-only and changes nothing.
`python -m etl verify` prints the findings; the dashboard's error page points there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.connection import WarehouseMissing, connection

CONTRACT_VIEWS = (
    "results",
    "targets",
    "submissions",
    "agencies",
    "sectors",
    "programs",
    "metrics",
    "missions",
    "regions",
    "results_lineage",
)
REQUIRED_TABLES = (
    "meta",
    "submission",
    "fact_result",
    "result_sums",
    "result_rollup",
    "fact_target",
    "ref_metrics",
)

CURRENT_WITHOUT_SUBMISSION = """
SELECT count(*) FROM fact_result AS f
LEFT JOIN submission AS s USING (submission_id)
WHERE f.is_current AND (s.submission_id IS NULL OR s.status IN ('rolled_back', 'superseded'))
"""
TWO_CURRENT_VERSIONS = """
SELECT count(*) FROM (
    SELECT 1 FROM fact_result WHERE is_current
    GROUP BY year, quarter, agency_code, mission_code, sector_code, program_code, metric_code
    HAVING count(*) > 1
)
"""
NOT_FINITE = "SELECT count(*) FROM fact_result WHERE NOT isfinite(value) OR NOT isfinite(coalesce(weight, 0))"
TARGET_NOT_FINITE = "SELECT count(*) FROM fact_target WHERE NOT isfinite(value)"
# result_sums against the current figures summed again (warehouse/result_sums.py), both ways
SUMS_DIFFER = """
WITH expected AS (
    SELECT year, quarter, agency_code, mission_code, sector_code, metric_code,
           sum(value) AS value, sum(value * weight) AS wv, sum(weight) AS w
    FROM fact_result WHERE is_current
    GROUP BY ALL
)
SELECT count(*) FROM expected AS e
FULL OUTER JOIN result_sums AS r USING (year, quarter, agency_code, mission_code, sector_code, metric_code)
WHERE e.value IS NULL OR r.value IS NULL
   OR abs(e.value - r.value) > 1e-6 * greatest(1, abs(e.value))
   OR abs(coalesce(e.wv, 0) - coalesce(r.wv, 0)) > 1e-6 * greatest(1, abs(coalesce(e.wv, 0)))
   OR abs(coalesce(e.w, 0) - coalesce(r.w, 0)) > 1e-6 * greatest(1, abs(coalesce(e.w, 0)))
"""
# result_rollup against result_sums summed again per granularity (warehouse/result_sums.py), both ways
ROLLUP_DIFFER = """
WITH expected AS (
    SELECT GROUPING(sector_code, mission_code, agency_code) AS gid, year, quarter,
           sector_code, mission_code, agency_code, metric_code,
           sum(value) AS value, sum(wv) AS wv, sum(w) AS w
    FROM result_sums
    GROUP BY GROUPING SETS (
        (year, quarter, metric_code, sector_code, mission_code), (year, quarter, metric_code, sector_code, agency_code),
        (year, quarter, metric_code, sector_code), (year, quarter, metric_code, mission_code, agency_code),
        (year, quarter, metric_code, mission_code), (year, quarter, metric_code, agency_code),
        (year, quarter, metric_code)
    )
)
SELECT count(*) FROM expected AS e
FULL OUTER JOIN result_rollup AS r
    ON r.gid = e.gid AND r.year = e.year AND r.quarter = e.quarter AND r.metric_code = e.metric_code
   AND r.sector_code IS NOT DISTINCT FROM e.sector_code AND r.mission_code IS NOT DISTINCT FROM e.mission_code
   AND r.agency_code IS NOT DISTINCT FROM e.agency_code
WHERE e.value IS NULL OR r.value IS NULL
   OR abs(e.value - r.value) > 1e-6 * greatest(1, abs(e.value))
   OR abs(coalesce(e.wv, 0) - coalesce(r.wv, 0)) > 1e-6 * greatest(1, abs(coalesce(e.wv, 0)))
   OR abs(coalesce(e.w, 0) - coalesce(r.w, 0)) > 1e-6 * greatest(1, abs(coalesce(e.w, 0)))
"""
# warehouse/weights.py: a weighted-mean figure weighs a positive amount; any other figure none
WEIGHTS_WRONG = """
SELECT count(*) FROM fact_result AS f
LEFT JOIN ref_metrics AS m ON m.metric_code = f.metric_code AND m.aggregation = 'weighted_mean'
WHERE (m.metric_code IS NOT NULL AND (f.weight IS NULL OR f.weight <= 0))
   OR (m.metric_code IS NULL AND f.weight IS NOT NULL)
"""
CURRENT_TARGET_WITHOUT_SUBMISSION = """
SELECT count(*) FROM fact_target AS t
LEFT JOIN submission AS s USING (submission_id)
WHERE t.is_current AND (s.submission_id IS NULL OR s.status = 'rolled_back')
"""

# (query, what is wrong in Korean, in English): each counts the rows that break the rule
RULES = (
    (
        CURRENT_WITHOUT_SUBMISSION,
        "현재 실적 {n:,}건이 살아 있는 제출(적재 이력)에 속하지 않습니다",
        "{n:,} current figures belong to no live submission",
    ),
    (
        TWO_CURRENT_VERSIONS,
        "같은 실적에 현재 판이 둘 이상인 경우가 {n:,}건 있습니다",
        "{n:,} figures have more than one current version",
    ),
    (NOT_FINITE, "무한대이거나 숫자가 아닌(NaN) 값이 {n:,}건 있습니다", "{n:,} values are infinite or NaN"),
    (
        TARGET_NOT_FINITE,
        "무한대이거나 숫자가 아닌(NaN) 목표값이 {n:,}건 있습니다",
        "{n:,} target values are infinite or NaN",
    ),
    (
        SUMS_DIFFER,
        "합계 표(result_sums) {n:,}행이 현재 실적의 합과 다릅니다",
        "{n:,} rows of result_sums differ from the current figures summed",
    ),
    (
        ROLLUP_DIFFER,
        "집계 표(result_rollup) {n:,}행이 합계 표(result_sums)를 다시 묶은 값과 다릅니다",
        "{n:,} rows of result_rollup differ from result_sums summed again",
    ),
    (
        WEIGHTS_WRONG,
        "만족도 가중치가 맞지 않는 실적이 {n:,}건 있습니다",
        "{n:,} figures have a wrong satisfaction weight",
    ),
    (
        CURRENT_TARGET_WITHOUT_SUBMISSION,
        "현재 목표 {n:,}건이 살아 있는 제출에 속하지 않습니다",
        "{n:,} current targets belong to no live submission",
    ),
)


@dataclass
class Finding:
    ok: bool
    ko: str
    en: str

    def line(self) -> str:
        return f"{'✓' if self.ok else '✗'} {self.ko} / {self.en}"


def _brief(exc: BaseException) -> str:
    """The first line of a DuckDB error, without the file path (the command already names the file)."""
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}" if str(exc) else type(exc).__name__


def _read_everything(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() ORDER BY 1"
        ).fetchall()
    ]
    findings = []
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        findings.append(
            Finding(
                False, f"필수 표가 없습니다: {', '.join(missing)}", f"missing tables: {', '.join(missing)}"
            )
        )
    unreadable: list[str] = []
    first_error = ""
    rows = 0
    for table in tables:
        try:
            # every column of every row: DuckDB verifies each block's checksum as it reads it
            rows += con.execute(f'SELECT count(*), sum(hash(COLUMNS(*))) FROM "{table}"').fetchall()[0][0]
        except duckdb.Error as exc:
            unreadable.append(table)
            first_error = first_error or _brief(exc)
    if unreadable:
        names = ", ".join(unreadable)
        findings.append(
            Finding(
                False,
                f"읽을 수 없는 표 {len(unreadable)}개: {names} — {first_error}",
                f"{len(unreadable)} unreadable tables",
            )
        )
    else:
        findings.append(
            Finding(
                True,
                f"표 {len(tables)}개, {rows:,}행을 모두 읽었습니다",
                f"read {len(tables)} tables, {rows:,} rows",
            )
        )
    return findings


def _rules(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    findings = []
    for sql, ko, en in RULES:
        try:
            n = con.execute(sql).fetchall()[0][0]
        except duckdb.Error as exc:
            findings.append(
                Finding(False, f"검사할 수 없습니다 — {_brief(exc)}", f"could not check: {_brief(exc)}")
            )
            continue
        if n:
            findings.append(Finding(False, ko.format(n=n), en.format(n=n)))
    if all(f.ok for f in findings):
        findings.append(
            Finding(True, "저장 규칙(제출·현재 판·합계·가중치)을 모두 지킵니다", "the contract's rules hold")
        )
    silent = []
    for view in CONTRACT_VIEWS:
        try:
            con.execute(f'SELECT * FROM "{view}" LIMIT 1').fetchall()
        except duckdb.Error as exc:
            silent.append(f"{view} ({_brief(exc)})")
    if silent:
        findings.append(
            Finding(False, f"답하지 않는 보기: {'; '.join(silent)}", f"views that fail: {'; '.join(silent)}")
        )
    else:
        findings.append(
            Finding(True, f"계약 보기 {len(CONTRACT_VIEWS)}개가 답합니다", "every contract view answers")
        )
    return findings


def check(path: Path, *, wait: float = 30.0) -> list[Finding]:
    """Every finding about the warehouse at `path`, good and bad; raises WarehouseBusy if locked."""
    if not path.exists():
        raise WarehouseMissing(str(path))
    try:
        with connection(path, read_only=True, wait=wait) as con:
            findings = _read_everything(con)
            if all(f.ok for f in findings):
                findings += _rules(con)
            return findings
    except duckdb.Error as exc:  # the file cannot be opened as a DuckDB database at all
        return [
            Finding(
                False,
                f"DuckDB가 파일을 열지 못했습니다 — {_brief(exc)}",
                f"DuckDB cannot open the file: {_brief(exc)}",
            )
        ]
