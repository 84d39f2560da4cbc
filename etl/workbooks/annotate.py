"""The refused workbook handed back, with every offending cell filled red and commented.

The analyst opens it in Excel, reads each comment (the problem and how to fix it, in Korean with
English), corrects the cells and uploads again. A first sheet, 검증 결과, lists every problem with a
link to its cell, including those that belong to no single cell. openpyxl keeps values, formulas,
formats, merged cells and data validation; pictures and charts may be lost, which the page says.
"""

import io
import re
from collections import defaultdict
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from etl.problems import Problem

SUMMARY_SHEET = "검증 결과"
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")  # Excel's "light red fill" for bad values
WARNING_FILL = PatternFill("solid", fgColor="FFEB9C")  # and its "yellow" for warnings
ERROR_TAB = "C00000"
AUTHOR = "성과 대시보드 검증 / dashboard check"
_WHERE = re.compile(r"^(?P<sheet>.*)!(?P<col>[A-Z]{1,3})?(?P<row>\d+)?$")


def locate(p: Problem) -> tuple[str | None, int | None, int | None]:
    """(sheet, 1-based row, 0-based column) of a problem: its own fields, completed from `where`."""
    sheet, row, col = p.sheet, p.row, p.col
    match = _WHERE.match(p.where or "")
    if match:
        sheet = sheet or match["sheet"]
        if row is None and match["row"]:
            row = int(match["row"])
        if col is None and match["col"]:
            col = column_index_from_string(match["col"]) - 1
    return sheet, row, col


def comment_text(problems: list[Problem]) -> str:
    parts = []
    for p in problems:
        text = f"[{'오류' if p.severity == 'error' else '주의'}] {p.message_ko}"
        if p.fix_ko:
            text += f"\n→ 고치는 방법: {p.fix_ko}"
        text += f"\n({p.message_en}{'; ' + p.fix_en if p.fix_en else ''})"
        parts.append(text)
    return "\n\n".join(parts)


def annotate(source: bytes | str | Path, problems: list[Problem]) -> bytes:
    """The workbook's bytes with each problem's cell (or row) marked and commented, plus a summary sheet."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    wb = load_workbook(io.BytesIO(data), rich_text=False)
    by_cell: dict[tuple[str, int, int], list[Problem]] = defaultdict(list)
    rows: dict[tuple[str, int], list[Problem]] = defaultdict(list)
    sheets_hit: set[str] = set()
    placed: list[tuple[Problem, str | None]] = []  # problem, link target
    for p in problems:
        sheet, row, col = locate(p)
        if sheet not in wb.sheetnames:
            placed.append((p, None))
            continue
        sheets_hit.add(sheet)
        if row is None:
            placed.append((p, f"{quote_sheetname(sheet)}!A1"))
            continue
        if col is None:
            rows[(sheet, row)].append(p)
            by_cell[(sheet, row, _first_used_col(wb[sheet], row))].append(p)
        else:
            by_cell[(sheet, row, col)].append(p)
        placed.append((p, f"{quote_sheetname(sheet)}!{get_column_letter((col or 0) + 1)}{row}"))

    for (sheet, row), found in rows.items():
        ws = wb[sheet]
        fill = _fill(found)
        for c in range(1, max(ws.max_column, 1) + 1):
            ws.cell(row, c).fill = fill
    for (sheet, row, col), found in by_cell.items():
        cell = wb[sheet].cell(row, col + 1)
        cell.fill = _fill(found)
        comment = Comment(comment_text(found), AUTHOR)
        comment.width, comment.height = 420, min(80 + 70 * len(found), 600)
        cell.comment = comment
    for sheet in sheets_hit:
        wb[sheet].sheet_properties.tabColor = ERROR_TAB

    _summary(wb, placed)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _fill(problems: list[Problem]) -> PatternFill:
    return ERROR_FILL if any(p.severity == "error" for p in problems) else WARNING_FILL


def _first_used_col(ws: Worksheet, row: int) -> int:
    """0-based column of the row's first non-empty cell (A when the row is empty)."""
    for c in range(1, ws.max_column + 1):
        if ws.cell(row, c).value not in (None, ""):
            return c - 1
    return 0


def _text(ws: Worksheet, row: int, col: int, value: object, **style) -> None:
    """Write text that Excel must show as text, never run as a formula (it may quote the return)."""
    cell = ws.cell(row, col, value)
    if isinstance(value, str):
        cell.data_type = "s"
    for key, val in style.items():
        setattr(cell, key, val)


def _summary(wb, placed: list[tuple[Problem, str | None]]) -> None:
    name = SUMMARY_SHEET
    while name in wb.sheetnames:
        name += "_"
    ws = wb.create_sheet(name, 0)
    ws.sheet_properties.tabColor = ERROR_TAB
    errors = sum(1 for p, _ in placed if p.severity == "error")
    _text(
        ws,
        1,
        1,
        f"이 파일은 적재되지 않았습니다: 문제 {errors}건. 빨간 셀의 메모를 보고 고친 뒤 다시 올리세요. "
        f"(Refused: {errors} problem(s). Fix the red cells — see their comments — and upload again.)",
        font=Font(bold=True, color="C00000"),
    )
    headers = (
        "번호 / #",
        "구분 / Severity",
        "시트 / Sheet",
        "셀 / Cell",
        "문제 / Problem",
        "고치는 방법 / Fix",
    )
    for c, text in enumerate(headers, start=1):
        _text(ws, 3, c, text, font=Font(bold=True))
    for i, (p, target) in enumerate(placed, start=1):
        r = 3 + i
        sheet, row, col = locate(p)
        cell = (get_column_letter(col + 1) if col is not None else "") + (str(row) if row else "")
        _text(ws, r, 1, i)
        _text(ws, r, 2, "오류 / error" if p.severity == "error" else "주의 / warning")
        _text(ws, r, 3, sheet or "-")
        _text(ws, r, 4, cell or "-")
        if target:
            ws.cell(r, 4).hyperlink = f"#{target}"
            ws.cell(r, 4).font = Font(color="0563C1", underline="single")
        _text(
            ws, r, 5, f"{p.message_ko}\n({p.message_en})", alignment=Alignment(wrap_text=True, vertical="top")
        )
        _text(
            ws,
            r,
            6,
            f"{p.fix_ko}\n({p.fix_en})" if p.fix_ko else "",
            alignment=Alignment(wrap_text=True, vertical="top"),
        )
    for letter, width in zip("ABCDEF", (8, 14, 16, 10, 70, 60), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A4"
    for other in wb.worksheets:
        other.sheet_view.tabSelected = other is ws
    wb.active = 0
