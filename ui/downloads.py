"""The table behind a chart as CSV and Excel bytes, safe to open in a spreadsheet.

A cell whose text starts with `=`, `+`, `-` or `@` (or a tab or carriage return) is run as a
formula by Excel and LibreOffice when the file is opened (CSV injection). Mission names and file
names come from returns that anyone may send, so every text cell and every header is neutralised by
a leading apostrophe. Numbers stay numbers. Pure functions; `download_buttons` is the Streamlit part.
"""

from __future__ import annotations

import io
import re

import pandas as pd

# ASCII and full-width forms: some spreadsheets normalise full-width signs on import.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_UNSAFE_SHEET = re.compile(r"[\[\]:*?/\\]")


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell and header neutralised; numeric columns untouched."""
    out = df.copy()
    out.columns = [str(neutralise(str(c))) for c in out.columns]
    for i, column in enumerate(df.columns):
        series = df[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
            continue
        out.isetitem(i, series.map(neutralise, na_action="ignore"))
    return out


def to_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows Hangul correctly when the file is double-clicked."""
    return safe_frame(df).to_csv(index=False).encode("utf-8-sig")


def to_excel(df: pd.DataFrame, sheet: str = "data") -> bytes:
    """One sheet, header row bold and frozen, every text cell written as text (never as a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    safe = safe_frame(df)
    wb = Workbook()
    ws = wb.active
    ws.title = _UNSAFE_SHEET.sub(" ", sheet)[:31] or "data"
    ws.append(list(safe.columns))
    for cell in ws[1]:
        cell.data_type = "s"
        cell.font = Font(bold=True)
    for row in safe.itertuples(index=False, name=None):
        ws.append([_excel_value(v) for v in row])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would otherwise store text starting with "=" as a formula
    ws.freeze_panes = "A2"
    for idx, column in enumerate(safe.columns, start=1):
        width = max([len(str(column))] + [len(str(v)) for v in safe.iloc[:200, idx - 1]]) + 2
        ws.column_dimensions[ws.cell(1, idx).column_letter].width = min(max(width, 8), 60)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _excel_value(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def file_stem(*parts: str) -> str:
    """A file name from readable parts: Hangul kept, path and shell characters dropped."""
    text = "_".join(p for p in parts if p)
    text = re.sub(r"[\\/:*?\"<>|\s]+", "_", text).strip("_.")
    return text.lstrip("=+-@") or "data"


def download_buttons(df: pd.DataFrame, stem: str, key: str, lang: str = "ko") -> None:
    """CSV and Excel buttons for exactly this table; the bytes are made only when clicked."""
    import streamlit as st

    name = file_stem(stem)
    row = st.container(horizontal=True)
    row.download_button(
        "CSV" if lang == "en" else "CSV 내려받기",
        data=lambda: to_csv(df),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click="ignore",
    )
    row.download_button(
        "Excel" if lang == "en" else "Excel 내려받기",
        data=lambda: to_excel(df, sheet=stem),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        icon=":material/download:",
        on_click="ignore",
    )
