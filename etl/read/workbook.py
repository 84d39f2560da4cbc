"""Reading a workbook: first the top of each sheet (to find its table), then the table's rows.

open_book() checks the file (etl.read.safety), inflates each visible sheet once within its declared
size, noting formulas saved without a value and keeping its top rows as text (etl.read.peek). Once
the caller knows where a sheet's table is, Book.load() has fastexcel read just its data rows:
names as text, figures as numbers, which is far cheaper than text for 200,000 rows. If any figure
cell is not a plain number ('1,234', '-', a typo), the sheet is read again as text, so that every
cell reaches the checks exactly as the analyst typed it. Row numbers stay the sheet's own, so every
problem can name its cell.
"""

import logging
from dataclasses import dataclass, field
from pathlib import Path

import fastexcel
import pyarrow as pa

from etl.problems import Problem, Refused, cell_ref, josa, problem, short
from etl.read.package import WORKBOOK, WORKBOOK_RELS, sheets
from etl.read.peek import top_rows
from etl.read.safety import DEFAULT_LIMITS, Limits, check_file, damaged, verify_parts
from etl.read.sheetxml import HEAD_ROWS, SheetScan, scan_sheet

# fastexcel logs a warning on stderr for every all-empty column it reads as text; types are our
# business here (Book.load), and the CLI's stderr is for the analyst's problems.
logging.getLogger("fastexcel").setLevel(logging.ERROR)
# fastexcel allocates every cell of a sheet's used range, empty or not: one value in XFD1048576 is
# 17 billion cells. A real return spans a few million at most.
MAX_RANGE_CELLS = 20_000_000

# What each error value means, for the message (Excel's own names). The reader (calamine) knows the
# first seven; a sheet holding any other (Excel 365's dynamic arrays and data types) it cannot read
# at all, so those cells are named instead of the sheet.
ERROR_VALUES = {
    "#DIV/0!": ("0으로 나누었습니다", "division by zero"),
    "#N/A": ("찾는 값이 없습니다", "value not available"),
    "#REF!": ("참조하던 셀이 지워졌습니다", "the referenced cell was deleted"),
    "#VALUE!": ("수식에 잘못된 형식의 값이 쓰였습니다", "a value of the wrong type in the formula"),
    "#NAME?": ("수식의 함수나 이름을 알 수 없습니다", "an unknown function or name"),
    "#NUM!": ("계산할 수 없는 숫자입니다", "a number that cannot be computed"),
    "#NULL!": ("범위가 겹치지 않습니다", "ranges that do not intersect"),
    "#SPILL!": ("동적 배열 수식의 결과가 들어갈 칸이 막혀 있습니다", "a dynamic array's result is blocked"),
    "#CALC!": (
        "수식을 계산하지 못했습니다(빈 배열 등)",
        "the formula could not be calculated (an empty array …)",
    ),
    "#FIELD!": ("연결된 데이터 형식에 없는 필드입니다", "a field the linked data type does not have"),
    "#BLOCKED!": ("외부 데이터 접근이 막혀 있습니다", "access to external data is blocked"),
    "#CONNECT!": ("외부 데이터에 연결하지 못했습니다", "could not connect to external data"),
    "#BUSY!": ("계산이 끝나지 않았습니다", "the calculation had not finished"),
    "#UNKNOWN!": ("이 Excel 버전이 모르는 데이터 형식입니다", "a data type this Excel version does not know"),
    "#GETTING_DATA": ("데이터를 가져오는 중에 저장되었습니다", "saved while still getting data"),
}
READER_ERRORS = frozenset(list(ERROR_VALUES)[:7])  # the error values calamine reads as empty cells
SHOWN_ERROR_CELLS = 20


def error_cell(sheet: str, row: int, col: int, value: str, what: tuple[str, str] = ("셀", "cell")) -> Problem:
    """A cell holding an error value (#DIV/0!, #SPILL! …), named, with what the error means."""
    ko, en = ERROR_VALUES.get(value.upper(), ("계산 오류입니다", "a calculation error"))
    return problem(
        sheet,
        row,
        col,
        f"{what[0]}에 오류 값 {josa(short(value, 16), '이/가')} 들어 있습니다 ({ko}).",
        f"the {what[1]} holds the error value {short(value, 16)} ({en})",
        "수식이나 참조를 고쳐 숫자가 나오게 하거나, 값을 직접 입력하세요. 집계하지 않았다면 빈 칸으로 두세요.",
        "Fix the formula or reference so that it gives a number, or type the value; leave it empty if not "
        "reported.",
    )


@dataclass
class SheetHead:
    """A sheet before its rows are read: its name, its top rows as text, what the XML scan found."""

    name: str
    rows: list[list[str | None]]
    uncached: list[tuple[int, int]] = field(default_factory=list)  # formula cells without a value
    has_cells: bool = True
    merges: set[tuple[int, int, int, int]] = field(default_factory=set)  # (row1, col1, row2, col2)
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # error values: (row, column, '#N/A')

    def top(self, n: int) -> list[list[str | None]]:
        return self.rows[:n]


@dataclass
class SheetGrid:
    """Rows of one sheet. Table row i is Excel row first_row + i; `columns[j]` is column j's 0-based index.

    `numeric` columns hold numbers (float64, or int64/null as fastexcel inferred them); text columns
    may also have been inferred as numbers (a year column), so readers cast them to text.
    """

    name: str
    table: pa.Table
    columns: list[int]
    uncached: list[tuple[int, int]] = field(default_factory=list)
    first_row: int = 1
    numeric: frozenset[int] = frozenset()

    @property
    def height(self) -> int:
        return self.table.num_rows

    def top(self, n: int) -> list[list[str | None]]:
        """The first n rows as lists indexed by absolute column (for layout detection)."""
        width = (max(self.columns) + 1) if self.columns else 0
        head = self.table.slice(0, n).to_pydict()
        rows: list[list[str | None]] = [[None] * width for _ in range(min(n, self.height))]
        for name, col in zip(self.table.column_names, self.columns, strict=True):
            for i, value in enumerate(head[name]):
                rows[i][col] = _clean(value)
        return rows


def _clean(value) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


@dataclass
class Book:
    """An .xlsx file that passed the safety checks, with the head of every visible sheet."""

    path: Path
    name: str
    heads: list[SheetHead]
    reader: fastexcel.ExcelReader | None = None

    @property
    def empty(self) -> bool:
        return not any(h.has_cells for h in self.heads)

    def _reader(self) -> fastexcel.ExcelReader:
        if self.reader is None:
            try:
                self.reader = fastexcel.read_excel(str(self.path))
            except BaseException as exc:  # a Rust panic in the reader is a BaseException
                if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                    raise
                raise Refused(self.name, [_unreadable(exc)]) from exc
        return self.reader

    def load(
        self,
        head: SheetHead,
        first_row: int = 1,
        text_columns: list[int] | None = None,
        number_columns: list[int] | None = None,
    ) -> SheetGrid:
        """Rows from Excel row `first_row` on; only the given columns if any are given, all as text otherwise."""
        reader = self._reader()
        wanted = sorted({*(text_columns or []), *(number_columns or [])}) or None
        options = {"header_row": None, "skip_rows": first_row - 1, "use_columns": wanted}
        try:
            return self._load(reader, head, first_row, number_columns, options)
        except fastexcel.ColumnNotFoundError:
            # A header column with no cell of its own in the sheet's range: read them all instead.
            options["use_columns"] = None
            return self._load(reader, head, first_row, number_columns, options)

    def _load(self, reader, head: SheetHead, first_row: int, number_columns, options) -> SheetGrid:
        try:
            if number_columns:
                grid = self._numbers(reader, head, first_row, number_columns, options)
                if grid is not None:
                    return grid
            sheet = reader.load_sheet(head.name, dtypes="string", **options)
            return self._grid(head, sheet, sheet.to_arrow(), first_row, [])
        except (Refused, fastexcel.ColumnNotFoundError):
            raise
        except BaseException as exc:  # a Rust panic in the reader is a BaseException
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            # error values the reader does not know (#SPILL!, #CALC! …) fail the whole sheet: name them
            unknown = sorted((r, c, v) for r, c, v in head.errors if v.upper() not in READER_ERRORS)
            if unknown:
                raise Refused(
                    self.name, [error_cell(head.name, r, c, v) for r, c, v in unknown[:SHOWN_ERROR_CELLS]]
                ) from exc
            raise Refused(self.name, [_unreadable_sheet(head.name, exc)]) from exc

    def _numbers(self, reader, head: SheetHead, first_row: int, number_columns, options) -> SheetGrid | None:
        """The rows with figures as numbers, or None when any figure cell is not a plain number.

        fastexcel's own type inference is its fastest path; any cell that does not fit the inferred
        type is reported as an error, and a column it cannot type at all (dates mixed with
        durations) raises: either way the sheet is read again as text, cell by cell.
        """
        try:
            sheet = reader.load_sheet(head.name, **options)
            batch, errors = sheet.to_arrow_with_errors()
        except fastexcel.ColumnNotFoundError:
            raise
        except Exception:
            return None
        table = pa.Table.from_batches([batch])
        numeric = all(_is_number(table, sheet, c) for c in number_columns)
        if numeric and not (errors and errors.errors):
            return self._grid(head, sheet, table, first_row, number_columns)
        return None

    @staticmethod
    def _grid(head: SheetHead, sheet, table, first_row: int, numeric: list[int]) -> SheetGrid:
        columns = [c.absolute_index for c in sheet.selected_columns]
        if isinstance(table, pa.RecordBatch):
            table = pa.Table.from_batches([table])
        table = table.rename_columns([f"c{c}" for c in columns])
        table = _fill_merged(table, head.merges, first_row, set(columns) - set(numeric))
        return SheetGrid(head.name, table, columns, head.uncached, first_row, frozenset(numeric))


def _fill_merged(table: pa.Table, merges, first_row: int, text_columns: set[int]) -> pa.Table:
    """A name merged down over several rows (주베트남 대사관 over its sectors) holds for each of them.

    Excel keeps a merged cell's value in its top cell only. Figures are never filled: a merged
    figure stays one figure.
    """
    down: dict[int, list[tuple[int, int]]] = {}
    for r1, c1, r2, _ in merges:
        if r2 > r1 and r2 >= first_row and c1 in text_columns:
            down.setdefault(c1, []).append((r1, r2))
    for col, spans in down.items():
        values = table.column(f"c{col}").to_pylist()
        for r1, r2 in spans:
            top = r1 - first_row
            if 0 <= top < len(values):
                for i in range(top + 1, min(r2 - first_row + 1, len(values))):
                    values[i] = values[top]
        index = table.column_names.index(f"c{col}")
        table = table.set_column(index, f"c{col}", pa.array(values, table.schema.field(index).type))
    return table


def _is_number(table: pa.Table, sheet, col: int) -> bool:
    """Whether the column at absolute index `col` came out as numbers (or all empty)."""
    names = {c.absolute_index: c.name for c in sheet.selected_columns}
    if col not in names:
        return True
    kind = table.schema.field(names[col]).type
    return pa.types.is_floating(kind) or pa.types.is_integer(kind) or pa.types.is_null(kind)


def open_book(path: Path, display_name: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Book:
    """Check the file and read the head of each visible sheet; Refused if the file is unsafe or unreadable.

    Every part of the package is inflated here, once and within its declared size, before fastexcel
    opens the file: visible sheets by the scan that also finds their header, the rest to prove them.
    """
    name = display_name or path.name
    with check_file(path, name, limits) as zf:
        try:
            entries = sheets(path, zf, name)
            visible = [e for e in entries if not e.hidden and e.part in zf.NameToInfo]
            verify_parts(path, zf, name, skip={e.part for e in visible} | {WORKBOOK, WORKBOOK_RELS})
            scans: dict[str, SheetScan] = {}
            heads = []
            for entry in visible:
                if entry.part not in scans:
                    scans[entry.part] = scan_sheet(path, zf, entry.part, name)
                scan = scans[entry.part]
                if scan.range_cells > MAX_RANGE_CELLS:
                    raise Refused(name, [_too_wide(entry.name, scan)])
                rows = top_rows(path, zf, scan.head, HEAD_ROWS, name, entry.part)
                heads.append(
                    SheetHead(entry.name, rows, scan.uncached, scan.has_cells, scan.merges, scan.errors)
                )
        except Refused:
            raise
        except Exception as exc:  # anything else a hostile package can raise is damage, not a crash
            raise damaged(name, exc) from exc
    return Book(path, name, heads)


def _too_wide(sheet: str, scan: SheetScan) -> Problem:
    # Named by its farthest cell, wherever it sits in the sheet's XML (rows out of order included),
    # so the analyst knows which cell to clear.
    row, col = scan.far_cell if scan.far_cell else (None, None)
    far = f" 가장 먼 셀은 {cell_ref(None, row, col)}입니다." if scan.far_cell else ""
    far_en = f"; the farthest cell is {cell_ref(None, row, col)}" if scan.far_cell else ""
    return problem(
        sheet,
        row,
        col,
        f"시트의 사용 범위가 비정상적으로 넓어 읽지 않았습니다 (약 {scan.rows:,}행 × {scan.columns:,}열).{far}",
        f"the sheet's used range is abnormally large (about {scan.rows:,} rows × {scan.columns:,} columns){far_en}",
        "표 밖의 먼 셀(예: 마지막 행·열)에 입력된 값이나 서식을 지우고 저장한 뒤 다시 제출하세요.",
        "Clear values or formatting in far-away cells (the last rows or columns), save and submit again.",
    )


def _unreadable_sheet(sheet_name: str, exc: Exception) -> Problem:
    return problem(
        sheet_name,
        None,
        None,
        f"시트를 읽을 수 없습니다 ({type(exc).__name__}).",
        f"cannot read the sheet ({type(exc).__name__})",
        "Excel에서 열어 'Excel 통합 문서(*.xlsx)'로 다시 저장한 뒤 제출하세요.",
        "Open it in Excel, save it as an Excel Workbook (*.xlsx) and submit again.",
    )


def _unreadable(exc: Exception) -> Problem:
    return problem(
        None,
        None,
        None,
        f"Excel 통합문서(.xlsx)로 읽을 수 없는 파일입니다 ({type(exc).__name__}).",
        f"not a readable Excel workbook (.xlsx) ({type(exc).__name__})",
        "Excel에서 열어 'Excel 통합 문서(*.xlsx)'로 저장한 뒤 다시 제출하세요.",
        "Open the file in Excel, save it as 'Excel Workbook (*.xlsx)' and submit again.",
    )
