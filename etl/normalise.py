"""From a detected table to tidy rows: one row per figure, in codes and canonical units.

The work runs in an in-memory DuckDB over the text grid, so a 200,000-row back-fill costs a few
vectorised statements; Python only sees the distinct spellings of each dimension (a few hundred at
most), which it resolves against the reference aliases.
"""

from dataclasses import dataclass, field
from datetime import date

import duckdb
import pyarrow as pa

from etl.layout import TableLayout
from etl.period import find_period, parse_basis, parse_quarter, parse_year
from etl.problems import Problem, problem
from etl.resolve import LABELS, find_in_title, resolve
from etl.sql import FOOTNOTE_PATTERN, is_total
from etl.workbook import SheetGrid

DEFAULT_PROGRAM = "emb_collab"
ROW_DIMS = ("agency", "mission", "sector", "program")


@dataclass
class Defaults:
    """Values a file or the person loading it gives for every row that leaves them out."""

    year: int | None = None
    quarter: int | None = None
    agency: str | None = None
    mission: str | None = None
    program: str | None = None
    basis: str | None = None


@dataclass
class TableRows:
    """The raw figures of one table, staged as the DuckDB table `raw_{n}`, and what was found on the way."""

    name: str
    layout: TableLayout
    problems: list[Problem] = field(default_factory=list)
    skipped_rows: int = 0


def stage_table(stg: duckdb.DuckDBPyConnection, n: int, grid: SheetGrid, layout: TableLayout) -> TableRows:
    """Copy one table's data rows out of its grid as (row, column, dimension texts, value text)."""
    rows = TableRows(name=f"raw_{n}", layout=layout)
    table = grid.table.append_column("_row", pa.array(range(1, grid.height + 1), pa.int32()))
    stg.register(f"grid_{n}", table)
    present = set(table.column_names)
    used = sorted({*layout.fields.values(), *layout.metrics, *layout.unknown})
    used = [c for c in used if f"c{c}" in present]
    first_text = "coalesce(" + ", ".join(f"nullif(trim(c{c}), '')" for c in used) + ")"
    labels = [f"c{layout.fields[f]}" for f in (*ROW_DIMS, "metric") if f in layout.fields]
    labels.append(f"c{used[0]}")
    total = " OR ".join(is_total(c) for c in labels)
    dims = [
        f"nullif(trim(c{col}), '') AS {name}_raw"
        for name, col in layout.fields.items()
        if name in (*ROW_DIMS, "year", "quarter", "period", "basis", "metric", "unit")
    ]
    if layout.kind == "long":
        values = [f"c{layout.fields['value']} AS value_raw"]
    else:
        values = [f"c{c}" for c in layout.metrics if f"c{c}" in present]
    stg.execute(f"""
        CREATE OR REPLACE TEMP TABLE body_{n} AS
        SELECT _row, {total} AS is_total,
               regexp_matches({first_text}, '{FOOTNOTE_PATTERN}', 'i') AS is_note,
               {", ".join([*dims, *values])}
        FROM grid_{n}
        WHERE _row >= {layout.data_start} AND {first_text} IS NOT NULL
    """)
    rows.skipped_rows = stg.execute(f"SELECT count(*) FROM body_{n} WHERE is_total OR is_note").fetchall()[0][
        0
    ]
    if layout.kind == "long":
        stg.execute(f"""
            CREATE OR REPLACE TEMP TABLE {rows.name} AS
            SELECT *, {layout.fields["value"]} AS col
            FROM body_{n} WHERE NOT is_total AND NOT is_note AND nullif(trim(value_raw), '') IS NOT NULL
        """)
    else:
        stg.execute(f"""
            CREATE OR REPLACE TEMP TABLE {rows.name} AS
            SELECT * EXCLUDE (col_name), CAST(substr(col_name, 2) AS INTEGER) AS col
            FROM (
                UNPIVOT (SELECT * FROM body_{n} WHERE NOT is_total AND NOT is_note)
                ON {", ".join(values)} INTO NAME col_name VALUE value_raw
            )
            WHERE nullif(trim(value_raw), '') IS NOT NULL
        """)
    return rows


def table_defaults(layout: TableLayout, given: Defaults, today: date) -> tuple[Defaults, list[Problem]]:
    """What the title, cover cells and the loader's options say for the whole table."""
    problems: list[Problem] = []
    found = Defaults(year=given.year, quarter=given.quarter, basis=given.basis)
    cover = layout.cover
    if layout.title_period:
        found.year, found.quarter = layout.title_period
    if "period" in cover:
        text, r, c = cover["period"]
        period = find_period(text)
        if period:
            if layout.title_period and period != layout.title_period:
                problems.append(_contradiction(layout, (r, c), period))
            found.year, found.quarter = period
    for key, parse in (("year", parse_year), ("quarter", parse_quarter)):
        if key in cover:
            text, r, c = cover[key]
            value = parse(text)
            if value is None:
                problems.append(_bad_cover(layout.sheet, r, c, key, text))
                continue
            if layout.title_period and value != getattr(found, key):
                problems.append(_contradiction(layout, (r, c), (value, None)))
            setattr(found, key, value)
    if "basis" in cover:
        found.basis = parse_basis(cover["basis"][0]) or found.basis
    found.basis = found.basis or layout.basis
    for key in ("agency", "mission", "program"):
        option = getattr(given, key)
        if key in cover:
            text, r, c = cover[key]
            code = resolve(key, text)
            if code is None:
                problems.append(unknown_code(layout.sheet, r, c, key, text, 1))
            setattr(found, key, code)
        elif key != "program" and find_in_title(key, layout.title):
            setattr(found, key, find_in_title(key, layout.title))
        if getattr(found, key) is None and option:
            setattr(found, key, resolve(key, option) or option)
    return found, problems


def _contradiction(layout: TableLayout, cell: tuple[int, int], other: tuple[int, int | None]) -> Problem:
    year, quarter = layout.title_period or (None, None)
    stated = f"{other[0]}년" + (f" {other[1]}분기" if other[1] else "")
    return problem(
        layout.sheet,
        cell[0],
        cell[1],
        f"기간이 서로 다릅니다: 제목은 {year}년 {quarter}분기, 이 셀은 {stated}입니다.",
        f"contradictory period: the title says {year} Q{quarter}, this cell says {other[0]}"
        + (f" Q{other[1]}" if other[1] else ""),
        "제목과 표지의 보고 기간을 하나로 맞추세요.",
        "Make the title and the cover cells state the same period.",
    )


def _bad_cover(sheet: str, row: int, col: int, key: str, text: str) -> Problem:
    ko, en = LABELS[key]
    return problem(
        sheet,
        row,
        col,
        f"{ko} 값 '{text}'을(를) 읽을 수 없습니다.",
        f"cannot read the {en} '{text}'",
        "연도는 2026처럼, 분기는 1~4의 숫자로 적으세요.",
        "Write the year like 2026 and the quarter as a number from 1 to 4.",
    )


def unknown_code(sheet: str, row: int, col: int | None, kind: str, text: str, count: int) -> Problem:
    from etl.resolve import Choices

    ko, en = LABELS[kind]
    more_ko = f" (같은 값 {count - 1}개 셀 더)" if count > 1 else ""
    more_en = f" ({count - 1} more cells)" if count > 1 else ""
    return problem(
        sheet,
        row,
        col,
        f"알 수 없는 {ko}입니다: '{text}'{more_ko}.",
        f"unknown {en} '{text}'{more_en}",
        f"공식 양식의 목록에 있는 이름이나 코드로 고치세요 (예: {Choices(kind).examples()}).",
        f"Use a name or code from the official list (for example {Choices(kind).examples()}).",
    )
