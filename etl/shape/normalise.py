"""From a detected table to tidy rows: one row per figure, in codes and canonical units.

The work runs in an in-memory DuckDB over the text grid, so a 200,000-row back-fill costs a few
vectorised statements; Python only sees the distinct spellings of each dimension (a few hundred at
most), which it resolves against the reference aliases.
"""

from dataclasses import dataclass, field
from datetime import date

import duckdb
import numpy as np
import pyarrow as pa

from etl.problems import Problem, cell_ref, josa, problem, quoted, short
from etl.read.workbook import SheetGrid
from etl.shape.arrow import from_numpy
from etl.shape.layout import TableLayout
from etl.shape.period import find_period, parse_basis, parse_quarter, parse_year
from etl.shape.resolve import LABELS, find_in_title, resolve
from etl.shape.sql import FOOTNOTE_PATTERN

DEFAULT_PROGRAM = "emb_collab"
ROW_DIMS = ("agency", "mission", "sector", "program")
# Columns read through a lookup of their distinct texts (etl.shape.codes).
LOOKUP_FIELDS = (
    "agency",
    "mission",
    "sector",
    "program",
    "metric",
    "year",
    "quarter",
    "period",
    "basis",
    "unit",
)


@dataclass
class Defaults:
    """Values a file or the person loading it gives for every row that leaves them out."""

    year: int | None = None
    quarter: int | None = None
    agency: str | None = None
    mission: str | None = None
    program: str | None = None
    basis: str | None = None
    sector: str | None = None
    # The cell where the file itself states its period (title or cover), to check period columns against.
    stated_at: tuple[int, int] | None = None


@dataclass
class TableRows:
    """One table's rows staged in DuckDB: `body_{n}` (texts), later `coded_{n}` and `tidy_{n}`."""

    n: int
    layout: TableLayout
    columns: set[str] = field(default_factory=set)  # the columns of body_{n}
    value_columns: list[str] = field(default_factory=list)
    lookups: dict[str, dict[str, tuple]] = field(default_factory=dict)  # field → raw text → parsed
    numeric: bool = False  # figure cells are float64 (else text, parsed in SQL)
    grid: pa.Table | None = None  # the sheet's rows as read, registered as grid_{n}
    coded_columns: set[str] = field(default_factory=set)  # what etl.shape.codes added to the body's columns
    total_rows: int = 0  # 소계/합계 rows, counted once the table is coded

    @property
    def name(self) -> str:
        return f"t{self.n}"

    @property
    def body(self) -> str:
        return f"body_{self.n}"

    @property
    def coded(self) -> str:
        return f"coded_{self.n}"

    @property
    def tidy(self) -> str:
        return f"tidy_{self.n}"


def table_columns(layout: TableLayout) -> tuple[list[int], list[int]]:
    """The columns to read for a table: (text columns, figure columns)."""
    figures = [layout.fields["value"]] if layout.kind == "long" else sorted(layout.metrics)
    labels = {c for f, c in layout.fields.items() if f in (*ROW_DIMS, *LOOKUP_FIELDS)}
    # A total word may sit in a column that is no dimension (구분, 연번): the table's first column.
    first = min({*layout.fields.values(), *layout.metrics, *layout.unknown})
    labels.add(first)
    return sorted(labels - set(figures)), figures


def stage_table(stg: duckdb.DuckDBPyConnection, n: int, grid: SheetGrid, layout: TableLayout) -> TableRows:
    """The view body_{n}: one table's data rows, as row number, dimension texts and figure cells.

    Blank and footnote rows (※, *, 주)) are left out here; total rows (소계, 합계 …) are flagged
    later, from the distinct label texts (etl.shape.codes), and kept for the cross-check. Figure cells
    are float64 when the sheet was read with numbers (grid.numeric), text otherwise.
    """
    rows = TableRows(n=n, layout=layout)
    first_row = np.arange(grid.first_row, grid.first_row + grid.height, dtype=np.int32)
    table = grid.table.append_column("_row", from_numpy(first_row))
    stg.register(f"grid_{n}", table)
    rows.grid = table
    present = set(table.column_names)
    text_cols, figure_cols = table_columns(layout)
    text_cols = [f"c{c}" for c in text_cols if f"c{c}" in present]
    rows.value_columns = [f"c{c}" for c in figure_cols if f"c{c}" in present]
    rows.numeric = bool(grid.numeric) and all(int(c[1:]) in grid.numeric for c in rows.value_columns)
    dims = {
        # As read: etl.shape.codes reads spaces, blanks and years read as numbers from the distinct cells.
        f"{name}_raw": f"c{col}"
        for name, col in layout.fields.items()
        if name in (*ROW_DIMS, *LOOKUP_FIELDS) and f"c{col}" in present
    }
    first = f"c{min({*layout.fields.values(), *layout.metrics, *layout.unknown})}"
    if first in text_cols and first not in {f"c{c}" for c in layout.fields.values()}:
        dims["label_raw"] = f"CAST({first} AS VARCHAR)"
    # Footnotes are text: only text columns can start one (a year read as a number cannot).
    texts = [c for c in text_cols if pa.types.is_string(table.schema.field(c).type)]
    first_text = f"coalesce({', '.join(texts)})" if texts else "NULL::VARCHAR"
    anything = " OR ".join(f"{c} IS NOT NULL" for c in [*text_cols, *rows.value_columns])
    value_type = "DOUBLE" if rows.numeric else "VARCHAR"
    columns = {**dims, **{c: f"CAST({c} AS {value_type})" for c in rows.value_columns}}
    stg.execute(f"""
        CREATE OR REPLACE TEMP VIEW {rows.body} AS
        SELECT _row, {", ".join(f"{expr} AS {name}" for name, expr in columns.items())}
        FROM grid_{n}
        WHERE _row >= {layout.data_start} AND ({anything})
          AND NOT coalesce(regexp_matches({first_text}, '{FOOTNOTE_PATTERN}', 'i'), false)
    """)
    rows.columns = {"_row", *columns}
    return rows


def table_defaults(layout: TableLayout, given: Defaults, today: date) -> tuple[Defaults, list[Problem]]:
    """What the title, cover cells and the loader's options say for the whole table."""
    problems: list[Problem] = []
    found = Defaults(year=given.year, quarter=given.quarter, basis=given.basis)
    cover = layout.cover
    # The first statement of the period wins; any later one that disagrees is a contradiction.
    stated: tuple[int | None, int | None] = (None, None)
    statements: list[tuple[tuple[int | None, int | None], tuple[int, int]]] = []
    if layout.title_period and layout.title_period_cell:
        statements.append((layout.title_period, layout.title_period_cell))
    if "period" in cover:
        text, r, c = cover["period"]
        period = find_period(text)
        if period:
            statements.append((period, (r, c)))
    for key, parse in (("year", parse_year), ("quarter", parse_quarter)):
        if key in cover:
            text, r, c = cover[key]
            value = parse(text)
            if value is None:
                problems.append(_bad_cover(layout.sheet, r, c, key, text))
                continue
            statements.append(((value, None) if key == "year" else (None, value), (r, c)))
    for (year, quarter), cell in statements:
        clash = (year is not None and stated[0] not in (None, year)) or (
            quarter is not None and stated[1] not in (None, quarter)
        )
        if clash:
            problems.append(_contradiction(layout.sheet, found.stated_at, cell, stated, (year, quarter)))
            continue
        stated = (stated[0] if year is None else year, stated[1] if quarter is None else quarter)
        found.stated_at = found.stated_at or cell
    if stated[0] is not None:
        found.year = stated[0]
    if stated[1] is not None:
        found.quarter = stated[1]
    if "basis" in cover:
        found.basis = parse_basis(cover["basis"][0]) or found.basis
    found.basis = found.basis or layout.basis
    for key in ("agency", "mission", "sector", "program"):
        option = getattr(given, key)
        if key in cover:
            text, r, c = cover[key]
            code = resolve(key, text)
            if code is None:
                problems.append(unknown_code(layout.sheet, r, c, key, text, 1))
            setattr(found, key, code)
        elif key in ("agency", "mission") and find_in_title(key, layout.title):
            setattr(found, key, find_in_title(key, layout.title))
        if getattr(found, key) is None and option:
            setattr(found, key, resolve(key, option) or option)
    # A workbook with one sheet per sector (or per mission) names it in the sheet's tab.
    for key in ("sector", "mission"):
        if getattr(found, key) is None and key not in layout.fields:
            setattr(found, key, resolve(key, layout.sheet))
    return found, problems


def period_text(year: int | None, quarter: int | None) -> tuple[str, str]:
    """'2026년 1분기' and '2026 Q1', or whichever part is known."""
    ko = " ".join(t for t in ((f"{year}년" if year else ""), (f"{quarter}분기" if quarter else "")) if t)
    en = " ".join(t for t in ((str(year) if year else ""), (f"Q{quarter}" if quarter else "")) if t)
    return ko, en


def _contradiction(
    sheet: str,
    first: tuple[int, int] | None,
    cell: tuple[int, int],
    stated: tuple[int | None, int | None],
    other: tuple[int | None, int | None],
) -> Problem:
    first_ref = cell_ref(None, *first) if first else "제목"
    stated_ko, stated_en = period_text(*stated)
    other_ko, other_en = period_text(*other)
    return problem(
        sheet,
        cell[0],
        cell[1],
        f"보고 기간이 서로 다릅니다: {first_ref} 셀에는 {stated_ko}, 이 셀에는 {josa(other_ko, '으로/로')} 적혀 있습니다.",
        f"contradictory period: {first_ref} says {stated_en}, this cell says {other_en}",
        "제목과 표지(연도·분기 칸)에 같은 보고 기간을 적으세요.",
        "Make the title and the cover cells state the same period.",
    )


def _bad_cover(sheet: str, row: int, col: int, key: str, text: str) -> Problem:
    ko, en = LABELS[key]
    return problem(
        sheet,
        row,
        col,
        f"{ko} 값 {josa(quoted(text), '을/를')} 읽을 수 없습니다.",
        f"cannot read the {en} '{text}'",
        "연도는 2026처럼, 분기는 1~4의 숫자로 적으세요.",
        "Write the year like 2026 and the quarter as a number from 1 to 4.",
    )


def unknown_code(sheet: str, row: int, col: int | None, kind: str, text: str, count: int) -> Problem:
    from etl.shape.resolve import Choices

    ko, en = LABELS[kind]
    more_ko = f" (같은 값 {count - 1}개 셀 더)" if count > 1 else ""
    more_en = f" ({count - 1} more cells)" if count > 1 else ""
    return problem(
        sheet,
        row,
        col,
        f"알 수 없는 {ko}입니다: '{short(text)}'{more_ko}.",
        f"unknown {en} '{short(text)}'{more_en}",
        f"공식 양식의 목록에 있는 이름이나 코드로 고치세요 (예: {Choices(kind).examples()}).",
        f"Use a name or code from the official list (for example {Choices(kind).examples(lang='en')}).",
    )
