"""Returns as files on disk, for the tests that load them: a plain good one, the official template
filled for the 누계 tests, one quarter as a flat table."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from etl import intake
from etl.workbooks.template import DATA_SHEET, HEADER_ROW
from tests.support.upload import PROGRAM, filled_return
from tests.support.xlsx import Rows, write_xlsx

TITLE = "2026년 1분기 재외공관 협업사업 실적 보고"

COVER = "보고기관: 외교부"

HEADER = ["공관", "분야", "사업", "지원기업 수", "바이어 상담", "수출계약액(천달러)", "만족도"]


def wide(rows: Rows, *, title: str | None = TITLE, cover: str | None = COVER, header=HEADER) -> Rows:
    """Title, cover line, blank row, header (row 4), then `rows` from row 5."""
    return [[title], [cover], [], header, *rows]


GOOD = wide(
    [
        ["주베트남 대사관", "K-뷰티", PROGRAM, 12, 40, 250.5, 88],
        ["주호치민 총영사관", "바이오", PROGRAM, 5, 8, 0, None],
    ]
)


def quarter_return(tmp_path: Path, name: str, rows: list[list]) -> Path:
    return write_xlsx(
        tmp_path / name,
        [
            ["연도", "분기", "주관기관", "공관", "분야", "사업", "지원기업 수"],
            *[[2026, 1, "mss", *r] for r in rows],
        ],
    )


# --- the official template, for the 누계 (year-to-date) tests -----------------------------------

PARIS, HANOI = "주프랑스 대사관", "주베트남 대사관"

EXPORT_VALUE_COLUMN = 7  # G: the template's 수출계약액(천달러)


def row(mission: str, firms: float | None, export: float | None = None, sat: float | None = None) -> list:
    # the template's metric columns in registry order: firms, meetings, contracts, export value, ..., satisfaction
    return [mission, "K-뷰티", PROGRAM, firms, None, None, export, None, None, None, None, None, None, sat]


def load(
    con,
    tmp: Path,
    name: str,
    quarter: int,
    rows: list[list],
    *,
    cumulative: bool = False,
    agency: str = "mofa",
    export_header: str | None = None,
):
    path = tmp / name
    filled_return(path, rows, year=2026, quarter=quarter, agency=agency)
    if cumulative or export_header:
        wb = openpyxl.load_workbook(path)
        ws = wb[DATA_SHEET]
        if cumulative:
            assert ws["G3"].value == "기준"
            ws["H3"] = "누계"
        if export_header:
            ws.cell(HEADER_ROW, EXPORT_VALUE_COLUMN, export_header)
        wb.save(path)
    return intake.load(con, path, intake.Actor("test"))


def figure(con, quarter: int, metric: str = "firms_supported", mission: str = "FR-PAR", agency: str = "mofa"):
    rows = con.execute(
        "SELECT value FROM results WHERE year = 2026 AND quarter = ? AND metric_code = ? "
        "AND mission_code = ? AND agency_code = ?",
        [quarter, metric, mission, agency],
    ).fetchall()
    assert len(rows) == 1
    return rows[0][0]
