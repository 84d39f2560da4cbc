"""Loading annual targets (목표): long rows of (year, metric, sector?, mission?, agency?, value).

An empty dimension means "all". A targets file replaces the current targets of the years it
covers; earlier versions stay for audit and rollback, as with returns.
"""

from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.headers import parse_header
from etl.normalise import unknown_code
from etl.period import parse_year
from etl.prepare import file_digest
from etl.problems import Problem, Refused, column_letter, printable, problem, short
from etl.read.workbook import open_workbook
from etl.resolve import LABELS, resolve
from etl.store import find_duplicate
from warehouse.schema import read_reference

REQUIRED = ("year", "metric", "target")
OPTIONAL = ("sector", "mission", "agency")


@dataclass
class TargetsLoaded:
    file_name: str
    submission_id: int | None
    rows: int
    years: list[int]
    duplicate_of: int | None = None

    def summary(self) -> str:
        name = printable(short(self.file_name, 200))
        if self.duplicate_of is not None:
            return f"{name}: 이미 적재된 목표 파일입니다(제출 #{self.duplicate_of}) — 변경 없음 / already loaded, nothing changed"
        years = ", ".join(str(y) for y in self.years)
        return f"{name}: 목표 #{self.submission_id} 적재 — {years}년 목표 {self.rows}건 / loaded {self.rows} targets for {years}"


def _header(row: list[str | None]) -> dict[str, int]:
    found: dict[str, int] = {}
    for col, text in enumerate(row):
        header = parse_header(text)
        if header.field and header.field not in found:
            found[header.field] = col
    return found


def read_targets(path: Path, name: str) -> list[tuple]:
    """(year, metric, sector, mission, agency, value, sheet, cell) rows, or Refused with every problem."""
    workbook = open_workbook(path, name)
    no_target = {r["metric_code"] for r in read_reference("metrics.csv") if r["has_target"] == "false"}
    problems: list[Problem] = []
    out: list[tuple] = []
    seen: dict[tuple, str] = {}
    for grid in workbook.sheets:
        top = grid.top(30)
        header_at = next((i for i, row in enumerate(top) if set(REQUIRED) <= set(_header(row))), None)
        if header_at is None:
            continue
        fields = _header(top[header_at])
        table = grid.table.to_pydict()
        columns = {c: f"c{c}" for c in grid.columns}
        for i in range(header_at + 1, grid.height):
            row_no = i + 1
            cell = {
                f: (table[columns[c]][i] or "").strip() or None for f, c in fields.items() if c in columns
            }
            if not any(cell.get(f) for f in (*REQUIRED, *OPTIONAL)):
                continue
            codes = {}
            for key in ("metric", *OPTIONAL):
                text = cell.get(key)
                codes[key] = resolve(key, text) if text and text not in ("전체", "all", "All", "-") else None
                if text and text not in ("전체", "all", "All", "-") and codes[key] is None:
                    problems.append(unknown_code(grid.name, row_no, fields.get(key), key, text, 1))
            year = parse_year(cell.get("year"))
            if year is None:
                ko, en = LABELS["year"]
                problems.append(
                    problem(
                        grid.name,
                        row_no,
                        fields["year"],
                        f"{ko}가 없거나 읽을 수 없습니다.",
                        f"missing or unreadable {en}",
                        "2026처럼 연도를 적으세요.",
                        "Write the year, e.g. 2026.",
                    )
                )
            if codes["metric"] is None and not cell.get("metric"):
                problems.append(
                    problem(
                        grid.name,
                        row_no,
                        fields["metric"],
                        "지표가 비어 있습니다.",
                        "missing metric",
                        "지표 이름이나 코드를 적으세요.",
                        "Fill in the metric.",
                    )
                )
            if codes["metric"] in no_target:
                problems.append(
                    problem(
                        grid.name,
                        row_no,
                        fields["metric"],
                        f"'{cell['metric']}' 지표에는 목표를 두지 않습니다.",
                        f"metric {codes['metric']} takes no target",
                        "이 행을 지우세요.",
                        "Delete this row.",
                    )
                )
            value = _number(cell.get("target"))
            if value is None or value < 0 or (codes["metric"] == "satisfaction" and value > 100):
                problems.append(
                    problem(
                        grid.name,
                        row_no,
                        fields["target"],
                        f"목표값이 올바르지 않습니다: '{cell.get('target') or ''}'.",
                        f"invalid target value '{cell.get('target') or ''}'",
                        "0 이상의 숫자를 적으세요 (만족도는 0~100).",
                        "Enter a number of 0 or more (satisfaction 0-100).",
                    )
                )
            key = (year, codes["metric"], codes["sector"], codes["mission"], codes["agency"])
            where = f"{grid.name}!{column_letter(fields['target'])}{row_no}"
            if key in seen and None not in key[:2]:
                problems.append(
                    problem(
                        grid.name,
                        row_no,
                        fields["target"],
                        f"같은 목표가 두 번 있습니다 ({seen[key]}와 중복).",
                        f"the same target twice (also at {seen[key]})",
                        "한 행만 남기세요.",
                        "Keep one row.",
                    )
                )
            seen[key] = where
            out.append((*key, value, grid.name, where.split("!", 1)[1]))
    if not out and not problems:
        problems.append(
            problem(
                None,
                None,
                None,
                "목표 표(연도·지표·목표 열)를 찾지 못했습니다.",
                "no targets table (year, metric and target columns) found",
                "연도, 지표, 분야, 공관, 주관기관, 목표 열이 있는 표를 넣으세요.",
                "Provide a table with year, metric, sector, mission, agency and target columns.",
            )
        )
    if problems:
        raise Refused(name, problems)
    return out


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return float(text.replace(",", "").strip())
    except ValueError:
        return None


def load_targets(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    *,
    loaded_by: str | None = None,
    display_name: str | None = None,
) -> TargetsLoaded:
    path = Path(path)
    name = display_name or path.name
    sha256, size = file_digest(path)
    duplicate = find_duplicate(con, sha256, "targets")
    if duplicate is not None:
        return TargetsLoaded(name, None, 0, [], duplicate_of=duplicate)
    return store_targets(
        con, read_targets(path, name), name=name, sha256=sha256, size=size, loaded_by=loaded_by
    )


def store_targets(
    con: duckdb.DuckDBPyConnection,
    rows: list[tuple],
    *,
    name: str,
    sha256: str,
    size: int,
    loaded_by: str | None = None,
) -> TargetsLoaded:
    """Store targets read by read_targets in one transaction; the same file again changes nothing."""
    duplicate = find_duplicate(con, sha256, "targets")
    if duplicate is not None:
        return TargetsLoaded(name, None, 0, [], duplicate_of=duplicate)
    years = sorted({r[0] for r in rows})
    con.execute("BEGIN TRANSACTION")
    try:
        submission_id = con.execute(
            """
            INSERT INTO submission (kind, file_name, file_sha256, file_bytes, period_first, period_last,
                                    layout, row_count, loaded_by, status)
            VALUES ('targets', ?, ?, ?, ?, ?, 'long', ?, ?, 'current') RETURNING submission_id
            """,
            [name, sha256, size, str(years[0]), str(years[-1]), len(rows), loaded_by],
        ).fetchall()[0][0]
        con.execute(
            f"UPDATE fact_target SET is_current = false WHERE is_current AND year IN ({', '.join('?' * len(years))})",
            years,
        )
        con.executemany(
            "INSERT INTO fact_target VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, true)",
            [(submission_id, *r) for r in rows],
        )
        con.execute("""
            UPDATE submission AS s SET status = 'superseded'
            WHERE kind = 'targets' AND status = 'current'
              AND NOT EXISTS (SELECT 1 FROM fact_target AS t WHERE t.submission_id = s.submission_id AND t.is_current)
        """)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return TargetsLoaded(name, submission_id, len(rows), years)
