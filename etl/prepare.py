"""Reading a return without touching the warehouse: the rows it holds, or every problem it has.

prepare() runs the pipeline read → detect layout → stage → resolve codes → check rules, and
returns a Prepared return that store.commit() writes in one transaction. Nothing here needs the
warehouse, so the upload page can show what was read before anyone commits.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from etl.headers import MONEY_METRICS, money_factor
from etl.layout import TableLayout, detect_table, is_instruction_sheet
from etl.normalise import DEFAULT_PROGRAM, Defaults, TableRows, stage_table, table_defaults, unknown_code
from etl.period import current_quarter, parse_quarter, parse_year
from etl.problems import Problem, Refused, problem
from etl.resolve import LABELS, resolve_many
from etl.rules import RULES
from etl.sql import parse_number
from etl.workbook import open_workbook

MAX_PROBLEMS = 2000
_TEXT = pa.string()
COUNT_UNITS = ("개사", "건", "회")
TIDY_COLUMNS = (
    "year",
    "quarter",
    "agency_code",
    "mission_code",
    "sector_code",
    "program_code",
    "metric_code",
    "value",
    "reported_value",
    "source_sheet",
    "source_cell",
)


@dataclass
class Prepared:
    """A return that passed every check, ready to commit."""

    file_name: str
    sha256: str
    size: int
    rows: pa.Table  # TIDY_COLUMNS, values in canonical units (cumulative still as reported)
    layouts: list[TableLayout]
    basis: str  # quarterly | cumulative
    warnings: list[Problem] = field(default_factory=list)

    @property
    def layout_name(self) -> str:
        kinds = sorted({layout.kind for layout in self.layouts})
        return "+".join(kinds)


def file_digest(path: Path) -> tuple[str, int]:
    data = path.read_bytes()
    return hashlib.sha256(data).hexdigest(), len(data)


def prepare(
    path: str | Path,
    defaults: Defaults | None = None,
    *,
    display_name: str | None = None,
    today: date | None = None,
) -> Prepared:
    """Read and check a return; raise Refused listing every problem if any rule is broken."""
    path = Path(path)
    name = display_name or path.name
    defaults = defaults or Defaults()
    today = today or date.today()
    sha256, size = file_digest(path)
    workbook = open_workbook(path, name)
    stg = duckdb.connect()
    problems: list[Problem] = []
    warnings: list[Problem] = []
    staged: list[tuple[TableRows, Defaults]] = []
    for grid in workbook.sheets:
        layout = detect_table(grid)
        if layout is None:
            continue
        if is_instruction_sheet(grid) and not layout.metrics and layout.kind == "wide":
            continue
        found, found_problems = table_defaults(layout, defaults, today)
        problems += found_problems
        rows = stage_table(stg, len(staged), grid, layout)
        staged.append((rows, found))
        warnings += [
            problem(
                layout.sheet,
                layout.header_rows[-1],
                col,
                f"알 수 없는 열 '{text}'은(는) 무시했습니다.",
                f"unknown column '{text}' ignored",
                severity="warning",
            )
            for col, text in layout.unknown.items()
        ]
    if not staged:
        raise Refused(name, [_no_table(workbook.sheets)])
    for rows, found in staged:
        problems += _tidy(stg, rows, found, warnings)
    stg.execute(
        "CREATE TEMP TABLE tidy AS "
        + " UNION ALL BY NAME ".join(f"SELECT * FROM tidy_{r.name}" for r, _ in staged)
    )
    problems += _check_rules(stg)
    problems += _check_periods(stg, today)
    problems += _check_duplicates(stg)
    if stg.execute("SELECT count(*) FROM tidy").fetchall()[0][0] == 0 and not problems:
        problems.append(
            problem(
                None,
                None,
                None,
                "실적 값이 하나도 없습니다.",
                "the file holds no figures",
                "실적 표에 숫자를 입력한 뒤 다시 제출하세요.",
                "Fill in the figures and submit again.",
            )
        )
    if problems:
        raise Refused(name, problems[:MAX_PROBLEMS])
    bases = {found.basis or "quarterly" for _, found in staged}
    tidy = stg.sql(f"SELECT {', '.join(TIDY_COLUMNS)} FROM tidy ORDER BY source_sheet, _row, col")
    return Prepared(
        file_name=name,
        sha256=sha256,
        size=size,
        rows=tidy.to_arrow_table(),
        layouts=[r.layout for r, _ in staged],
        basis="cumulative" if "cumulative" in bases else "quarterly",
        warnings=warnings,
    )


def _no_table(sheets) -> Problem:
    names = ", ".join(s.name for s in sheets) or "(없음)"
    return problem(
        None,
        None,
        None,
        f"실적 표의 머리글(열 이름)을 찾지 못했습니다. 시트: {names}.",
        f"no recognisable results table header in any sheet ({names})",
        "공관·분야 열과 지표 열(예: 지원기업 수, 수출계약액) 또는 지표·실적 열이 있는 머리글 행을 넣거나 공식 양식을 사용하세요.",
        "Add a header row with mission and sector columns and metric columns (or 지표 and 실적), or use the official template.",
    )


def _mapping(
    stg: duckdb.DuckDBPyConnection, rows: TableRows, column: str, parse, arrow_type: pa.DataType = _TEXT
) -> str | None:
    """Register raw text → parsed value for the distinct texts of one column; None if no such column."""
    if column not in _columns(stg, rows.name):
        return None
    texts = [
        r[0]
        for r in stg.execute(
            f"SELECT DISTINCT {column} FROM {rows.name} WHERE {column} IS NOT NULL"
        ).fetchall()
    ]
    parsed = [parse(t) for t in texts]
    table = f"map_{rows.name}_{column}"
    stg.register(table, pa.table({"raw": pa.array(texts, pa.string()), "code": pa.array(parsed, arrow_type)}))
    return table


def _columns(stg: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {r[0] for r in stg.execute(f"DESCRIBE {table}").fetchall()}


def _literal(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int | float):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _tidy(
    stg: duckdb.DuckDBPyConnection, rows: TableRows, found: Defaults, warnings: list[Problem]
) -> list[Problem]:
    """Codes, periods and numbers for one staged table, as the temp table tidy_{name}; the problems seen."""
    layout = rows.layout
    problems: list[Problem] = []
    joins: list[str] = []
    exprs: dict[str, str] = {}
    for kind in ("agency", "mission", "sector", "program"):
        table = _mapping(stg, rows, f"{kind}_raw", lambda t, k=kind: resolve_many(k, [t])[t])
        fallback = getattr(found, kind, None) if kind != "sector" else None
        if table:
            joins.append(f"LEFT JOIN {table} AS m_{kind} ON r.{kind}_raw = m_{kind}.raw")
            exprs[f"{kind}_code"] = (
                f"coalesce(m_{kind}.code, CASE WHEN r.{kind}_raw IS NULL THEN {_literal(fallback)} END)"
            )
            problems += _unknowns(stg, rows, kind, table)
        else:
            exprs[f"{kind}_code"] = _literal(fallback)
    if "program_raw" not in _columns(stg, rows.name) and not found.program:
        exprs["program_code"] = _literal(DEFAULT_PROGRAM)
        warnings.append(
            problem(
                layout.sheet,
                None,
                None,
                f"사업 열이 없어 모든 실적을 '{DEFAULT_PROGRAM}'(재외공관 협업 사업)으로 보았습니다.",
                f"no program column: all figures taken as {DEFAULT_PROGRAM}",
                severity="warning",
            )
        )
    elif "program_raw" in _columns(stg, rows.name):
        exprs["program_code"] = (
            f"coalesce({exprs['program_code']}, {_literal(found.program or DEFAULT_PROGRAM)})"
        )
    for kind, parse in (("year", parse_year), ("quarter", parse_quarter)):
        table = _mapping(stg, rows, f"{kind}_raw", parse, pa.int32())
        if table:
            joins.append(f"LEFT JOIN {table} AS m_{kind} ON r.{kind}_raw = m_{kind}.raw")
            exprs[kind] = (
                f"coalesce(m_{kind}.code, CASE WHEN r.{kind}_raw IS NULL THEN {_literal(getattr(found, kind))} END)"
            )
            problems += _unparsed(stg, rows, kind, table)
        else:
            exprs[kind] = _literal(getattr(found, kind))
    if layout.kind == "long":
        table = _mapping(stg, rows, "metric_raw", lambda t: resolve_many("metric", [t])[t])
        joins.append(f"LEFT JOIN {table} AS m_metric ON r.metric_raw = m_metric.raw")
        exprs["metric_code"] = "m_metric.code"
        problems += _unknowns(stg, rows, "metric", table)
        unit_table = _mapping(stg, rows, "unit_raw", lambda t: money_factor(t)[0], pa.float64())
        factor = _literal(layout.note_money_factor or 1.0)
        if unit_table:
            joins.append(f"LEFT JOIN {unit_table} AS m_unit ON r.unit_raw = m_unit.raw")
            factor = f"coalesce(m_unit.code, {factor})"
            problems += _won_units(stg, rows)
        exprs["factor"] = factor
    else:
        colmap = pa.table(
            {
                "col": pa.array(list(layout.metrics), pa.int32()),
                "metric_code": pa.array([h.metric for h in layout.metrics.values()], pa.string()),
                "factor": pa.array(
                    [
                        h.factor if h.unit else (layout.note_money_factor or 1.0)
                        for h in layout.metrics.values()
                    ],
                    pa.float64(),
                ),
            }
        )
        stg.register(f"colmap_{rows.name}", colmap)
        joins.append(f"JOIN colmap_{rows.name} AS cm ON r.col = cm.col")
        exprs["metric_code"] = "cm.metric_code"
        exprs["factor"] = "cm.factor"
        problems += _won_headers(layout)
    if layout.note_won:
        problems.append(_won_problem(layout.sheet, layout.header_rows[0] - 1 or None, None, "단위 표기"))
    number = parse_number("r.value_raw")
    stg.execute(f"""
        CREATE TEMP TABLE tidy_{rows.name} AS
        WITH located AS (
            SELECT r._row, r.col, r.value_raw,
                   {", ".join(f"{expr} AS {name}" for name, expr in exprs.items())},
                   {number} AS reported_value
            FROM {rows.name} AS r
            {" ".join(joins)}
        )
        SELECT *,
               CASE WHEN metric_code IN ({", ".join(_literal(m) for m in MONEY_METRICS)})
                    THEN reported_value * factor ELSE reported_value END AS value,
               {_literal(layout.sheet)} AS source_sheet,
               {_cell_sql()} AS source_cell,
               metric_code IN (SELECT metric_code FROM (VALUES {", ".join(f"('{m}')" for m in _count_metrics())}) t(metric_code))
                   AS metric_unit_is_count
        FROM located
    """)
    problems += _missing(stg, rows, found)
    return problems


def _count_metrics() -> list[str]:
    from warehouse.schema import read_reference

    return [r["metric_code"] for r in read_reference("metrics.csv") if r["unit_ko"] in COUNT_UNITS]


def _cell_sql() -> str:
    """Excel cell reference (e.g. D14) from the 0-based col and 1-based _row columns."""
    letter = "chr(65 + CAST(col % 26 AS INTEGER))"
    two = "chr(64 + CAST(col // 26 AS INTEGER)) || chr(65 + CAST(col % 26 AS INTEGER))"
    return f"(CASE WHEN col < 26 THEN {letter} ELSE {two} END) || CAST(_row AS VARCHAR)"


def _unknowns(stg, rows: TableRows, kind: str, table: str) -> list[Problem]:
    layout = rows.layout
    col = layout.fields.get(kind)
    found = stg.execute(f"""
        SELECT r.{kind}_raw, min(r._row), count(DISTINCT r._row)
        FROM {rows.name} AS r JOIN {table} AS m ON r.{kind}_raw = m.raw
        WHERE m.code IS NULL GROUP BY 1 ORDER BY 2
    """).fetchall()
    return [unknown_code(layout.sheet, row, col, kind, text, n) for text, row, n in found]


def _unparsed(stg, rows: TableRows, kind: str, table: str) -> list[Problem]:
    layout = rows.layout
    ko, en = LABELS[kind]
    found = stg.execute(f"""
        SELECT r.{kind}_raw, min(r._row), count(DISTINCT r._row)
        FROM {rows.name} AS r JOIN {table} AS m ON r.{kind}_raw = m.raw
        WHERE m.code IS NULL GROUP BY 1 ORDER BY 2
    """).fetchall()
    return [
        problem(
            layout.sheet,
            row,
            layout.fields.get(kind),
            f"{ko}를 읽을 수 없습니다: '{text}'" + (f" (같은 값 {n - 1}개 셀 더)" if n > 1 else "") + ".",
            f"cannot read the {en} '{text}'",
            "연도는 2026처럼, 분기는 1~4 또는 '1분기'처럼 적으세요.",
            "Write the year like 2026 and the quarter as 1-4 or '1분기'.",
        )
        for text, row, n in found
    ]


def _won_problem(sheet: str, row: int | None, col: int | None, text: str) -> Problem:
    return problem(
        sheet,
        row,
        col,
        f"원화 금액은 받을 수 없습니다 ({text}). 합의된 환율이 없습니다.",
        f"Korean won amounts are not accepted ({text}): no exchange rate is agreed",
        "금액을 미화(천달러)로 환산해 입력하고, 단위를 '천달러'로 표기하세요.",
        "Convert the amounts to USD thousand and label the unit 천달러.",
    )


def _won_headers(layout: TableLayout) -> list[Problem]:
    return [
        _won_problem(layout.sheet, layout.header_rows[-1], col, h.text)
        for col, h in layout.metrics.items()
        if h.won
    ]


def _won_units(stg, rows: TableRows) -> list[Problem]:
    layout = rows.layout
    found = stg.execute(
        f"SELECT unit_raw, min(_row) FROM {rows.name} WHERE unit_raw IS NOT NULL GROUP BY 1 ORDER BY 2"
    )
    return [
        _won_problem(layout.sheet, row, layout.fields.get("unit"), text)
        for text, row in found.fetchall()
        if money_factor(text)[1]
    ]


def _missing(stg, rows: TableRows, found: Defaults) -> list[Problem]:
    """Rows without a mission, sector, agency, metric or period, once per column and kind."""
    layout = rows.layout
    out = []
    for name, kind in (
        ("mission_code", "mission"),
        ("sector_code", "sector"),
        ("agency_code", "agency"),
        ("metric_code", "metric"),
        ("year", "year"),
        ("quarter", "quarter"),
    ):
        raw = f"{kind}_raw"
        has_column = raw in _columns(stg, rows.name)
        missing = stg.execute(f"""
            SELECT min(t._row), count(DISTINCT t._row) FROM tidy_{rows.name} AS t
            WHERE t.{name} IS NULL
              {f"AND t._row NOT IN (SELECT _row FROM {rows.name} WHERE {raw} IS NOT NULL)" if has_column else ""}
        """).fetchall()[0]
        if not missing[1]:
            continue
        ko, en = LABELS[kind]
        if has_column:
            out.append(
                problem(
                    layout.sheet,
                    missing[0],
                    layout.fields.get(kind),
                    f"{ko}이(가) 비어 있습니다"
                    + (f" (이 열에서 {missing[1]}개 행)" if missing[1] > 1 else "")
                    + ".",
                    f"missing {en}" + (f" in {missing[1]} rows" if missing[1] > 1 else ""),
                    f"모든 실적 행에 {ko}을(를) 입력하세요.",
                    f"Fill in the {en} on every row with figures.",
                )
            )
        else:
            fix_ko = {
                "year": "연도·분기 열을 추가하거나 제목에 '2026년 1분기'처럼 기간을 적으세요.",
                "quarter": "연도·분기 열을 추가하거나 제목에 '2026년 1분기'처럼 기간을 적으세요.",
                "agency": "주관기관 열을 추가하거나 표 위에 '보고기관: 중기부'처럼 적으세요.",
            }.get(kind, f"{ko} 열을 추가하세요.")
            out.append(
                problem(
                    layout.sheet,
                    layout.header_rows[-1],
                    None,
                    f"{ko} 정보가 없습니다 ({ko} 열도, 제목이나 표지의 {ko}도 없음).",
                    f"no {en}: neither a column nor a title or cover cell gives it",
                    fix_ko,
                    f"Add a {en} column or state it above the table.",
                )
            )
    return out


def _check_rules(stg) -> list[Problem]:
    out = []
    for rule in RULES:
        found = stg.execute(f"""
            SELECT source_sheet, _row, col, value_raw FROM tidy WHERE {rule.where}
            ORDER BY source_sheet, _row, col LIMIT {MAX_PROBLEMS}
        """).fetchall()
        out += [
            problem(
                sheet,
                row,
                col,
                rule.message_ko.format(text=text),
                rule.message_en.format(text=text),
                rule.fix_ko,
                rule.fix_en,
            )
            for sheet, row, col, text in found
        ]
    return out


def _check_periods(stg, today: date) -> list[Problem]:
    year_now, quarter_now = current_quarter(today)
    found = stg.execute(f"""
        SELECT year, quarter, min(source_sheet), min(_row) FROM tidy
        WHERE year IS NOT NULL AND quarter IS NOT NULL
          AND (year * 10 + quarter > {year_now * 10 + quarter_now} OR year < 2000 OR quarter NOT BETWEEN 1 AND 4)
        GROUP BY 1, 2 ORDER BY 1, 2
    """).fetchall()
    return [
        problem(
            sheet,
            row,
            None,
            f"아직 오지 않았거나 있을 수 없는 기간입니다: {year}년 {quarter}분기 (오늘 기준 {year_now}년 {quarter_now}분기까지 가능).",
            f"future or impossible period {year} Q{quarter} (latest allowed {year_now} Q{quarter_now})",
            "보고 연도와 분기를 확인하세요.",
            "Check the reporting year and quarter.",
        )
        for year, quarter, sheet, row in found
    ]


def _check_duplicates(stg) -> list[Problem]:
    found = stg.execute(f"""
        SELECT list(source_sheet || '!' || source_cell ORDER BY source_sheet, _row, col) AS cells,
               any_value(mission_code), any_value(sector_code), any_value(program_code), any_value(metric_code),
               any_value(year), any_value(quarter)
        FROM tidy
        WHERE mission_code IS NOT NULL AND sector_code IS NOT NULL AND metric_code IS NOT NULL
        GROUP BY year, quarter, agency_code, mission_code, sector_code, program_code, metric_code
        HAVING count(*) > 1
        ORDER BY cells[1] LIMIT {MAX_PROBLEMS}
    """).fetchall()
    out = []
    for cells, mission, sector, program, metric, year, quarter in found:
        sheet, cell = cells[1].split("!", 1)
        row = int("".join(ch for ch in cell if ch.isdigit()))
        others = ", ".join(cells[:1] + cells[2:6]) + (f" 외 {len(cells) - 6}곳" if len(cells) > 6 else "")
        out.append(
            Problem(
                where=cells[1],
                message_ko=f"같은 공관·분야·사업·지표가 두 번 있습니다 ({year}년 {quarter}분기 {mission} {sector} {program} {metric}; {others}와 중복).",
                message_en=f"the same mission, sector, program and metric twice ({year} Q{quarter} {mission} {sector} {program} {metric}; also at {others})",
                fix_ko="한 행으로 합치거나 중복된 행을 지우세요.",
                fix_en="Merge the rows into one or delete the duplicate.",
                sheet=sheet,
                row=row,
            )
        )
    return out
