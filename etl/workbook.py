"""Reading a workbook into grids of text, without interpreting anything yet.

Every cell is read as text (fastexcel, with the sheet's own row numbers kept), so that layout
detection, header mapping and validation all see exactly what the analyst typed, and every
problem can name its cell.
"""

from dataclasses import dataclass
from pathlib import Path

import fastexcel
import pyarrow as pa

from etl.problems import Problem, Refused, problem


@dataclass
class SheetGrid:
    """One sheet as text. Table row i is Excel row i + 1; `columns[j]` is column j's 0-based index."""

    name: str
    table: pa.Table
    columns: list[int]

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


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


@dataclass
class Workbook:
    path: Path
    sheets: list[SheetGrid]


def open_workbook(path: Path, display_name: str | None = None) -> Workbook:
    """All visible sheets of an .xlsx file as text grids; an unreadable file is Refused."""
    name = display_name or path.name
    try:
        reader = fastexcel.read_excel(str(path))
    except Exception as exc:
        raise Refused(name, [_unreadable(exc)]) from exc
    sheets = []
    problems: list[Problem] = []
    for sheet_name in reader.sheet_names:
        try:
            sheet = reader.load_sheet(sheet_name, header_row=None, dtypes="string", skip_rows=0)
            if sheet.visible != "visible":
                continue
            table = sheet.to_arrow()
            columns = [c.absolute_index for c in sheet.available_columns()]
        except Exception as exc:
            problems.append(
                problem(
                    sheet_name,
                    None,
                    None,
                    f"시트를 읽을 수 없습니다: {exc}",
                    f"cannot read sheet: {exc}",
                    "Excel에서 열어 다른 이름으로 저장(.xlsx)한 뒤 다시 제출하세요.",
                    "Open it in Excel, save as .xlsx and submit again.",
                )
            )
            continue
        table = table.rename_columns([f"c{c}" for c in columns])
        sheets.append(SheetGrid(sheet_name, table, columns))
    if problems:
        raise Refused(name, problems)
    return Workbook(path, sheets)


def _unreadable(exc: Exception) -> Problem:
    return problem(
        None,
        None,
        None,
        f"Excel 통합문서(.xlsx)로 읽을 수 없는 파일입니다 ({type(exc).__name__}).",
        f"not a readable Excel workbook (.xlsx): {exc}",
        "Excel에서 열어 'Excel 통합 문서(*.xlsx)'로 저장한 뒤 다시 제출하세요.",
        "Open the file in Excel, save it as 'Excel Workbook (*.xlsx)' and submit again.",
    )
