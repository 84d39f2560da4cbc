"""The council meetings as a workbook (.xlsx) that `python -m etl meetings FILE` and the app read back."""

from __future__ import annotations

import io

import openpyxl
from openpyxl.styles import Font

from etl.registers.meetings import Meeting
from warehouse.schema import read_reference

SHEET = "회의"
FIELDS = ("meeting_no", "held_on", "title_ko", "title_en", "review", "note")
WIDTHS = {"meeting_no": 8, "held_on": 12, "title_ko": 44, "title_en": 44, "review": 14, "note": 40}


def header() -> list[str]:
    """The Korean column names of data/ref/meeting_columns.csv, in FIELDS order."""
    names = {r["field"]: r["name_ko"] for r in read_reference("meeting_columns.csv")}
    return [names[f] for f in FIELDS]


def meetings_workbook(meetings: list[Meeting]) -> bytes:
    """One sheet, a header row and one row per meeting: the register's own layout."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(header())
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for m in sorted(meetings, key=lambda m: m.meeting_no):
        ws.append(
            [
                m.meeting_no,
                m.held_on,
                m.title_ko,
                m.title_en,
                f"{m.review_year}년 {m.review_quarter}분기",
                m.note,
            ]
        )
        ws.cell(ws.max_row, 2).number_format = "yyyy-mm-dd"
        for col in (3, 4, 6):  # titles are text, never formulas, whatever they start with
            ws.cell(ws.max_row, col).data_type = "s"
    for i, field in enumerate(FIELDS, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = WIDTHS[field]
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
