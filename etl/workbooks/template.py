"""The official return template (공식 실적 보고 양식), written with openpyxl.

The data sheet is a wide table the loader reads like any other; the cover row above it carries
the agency, year, quarter and basis, and dropdowns (from a hidden list sheet) keep names valid.
"""

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from warehouse.schema import read_reference

DATA_SHEET = "실적"
REASON_SHEET = "사유"  # read by etl.registers.explanations, never as figures
REASON_HEADERS = ("지표", "분야", "공관", "원인", "대책", "회복 예상 분기")
REASON_HEADER_ROW = 3
LIST_SHEET = "목록"
GUIDE_SHEET = "작성안내"
HEADER_ROW = 5
BLANK_ROWS = 200
_NUMBER_FORMATS = {"천달러": "#,##0.0", "점": "0.0"}
_HEAD_FILL = PatternFill("solid", fgColor="1F3864")
_COVER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="A6A6A6")

GUIDE = [
    "재외공관 협업 중소벤처기업 글로벌 진출사업 — 분기 실적 보고 작성 안내",
    "",
    "1. '실적' 시트 3행에 보고기관, 연도, 분기, 기준(분기 실적 또는 누계)을 고르세요.",
    "2. 5행 아래에 공관·분야·사업마다 한 행씩, 지표별 실적을 숫자로 입력하세요.",
    "   · 공관, 분야, 사업은 목록에서 고르세요 (직접 입력해도 공식 명칭·코드면 인식합니다).",
    "   · 실적이 없으면 0 또는 '-', 집계하지 않은 지표는 빈 칸으로 두세요 (빈 칸은 0이 아닙니다).",
    "   · 금액은 천달러(USD thousand) 단위입니다. 원화 금액은 받지 않습니다.",
    "   · 만족도는 100점 만점 점수입니다.",
    "   · 소계·합계 행은 넣지 않아도 됩니다 (넣으면 검산에만 쓰고 적재하지 않습니다).",
    "3. 같은 공관·분야·사업을 두 번 적지 마세요. 정정할 때는 해당 분기 파일 전체를 다시 제출하면",
    "   그 기관·공관·분기의 이전 실적이 새 파일로 바뀝니다 (이전 판은 이력으로 남습니다).",
    "4. 수식 대신 값을 입력하세요. 수식을 쓴 경우 Excel에서 저장해야 값이 함께 저장됩니다.",
    "5. (선택) '사유' 시트: 마감된 분기에 주의·미흡인 우리 기관 목표마다 원인, 대책, 회복 예상 분기를 적으세요.",
    "   미리 채운 행은 지우거나 비워 두어도 됩니다. 원인과 대책은 각 2,000자 이내, 회복 예상 분기는 '2026년 4분기'처럼.",
    "",
    "Guide (English): pick agency, year, quarter and basis in row 3 of sheet '실적'; enter one row per",
    "mission × sector × program below row 5. Empty = not reported, 0 or '-' = none. Money in USD thousand.",
]


def metric_columns() -> list[tuple[str, str, str]]:
    """(metric code, header text with unit, unit) in the registry's order."""
    records = sorted(read_reference("metrics.csv"), key=lambda r: int(r["sort_order"]))
    return [(r["metric_code"], f"{r['name_ko']}({r['unit_ko']})", r["unit_ko"]) for r in records]


def write_template(
    path: str | Path,
    *,
    year: int | None = None,
    quarter: int | None = None,
    agency: str | None = None,
    rows: list[tuple[str, str, str]] | None = None,
    reasons: list[tuple[str, str | None, str | None]] | None = None,
    reasons_period: tuple[int, int] | None = None,
) -> Path:
    """Write the template; `rows` pre-fills (mission, sector, program) names for an analyst's missions.

    The sheet 사유 is pre-filled with `reasons` (metric, sector, mission names; None = all): the
    targets to explain for the closed quarter `reasons_period`, stated above its header.
    """
    path = Path(path)
    agencies = read_reference("agencies.csv")
    lists = {
        "mission": [r["name_ko"] for r in read_reference("missions.csv")],
        "sector": [r["name_ko"] for r in read_reference("sectors.csv")],
        "program": [r["name_ko"] for r in read_reference("programs.csv")],
        "agency": [r["name_ko"] for r in agencies],
        "basis": ["분기 실적", "누계"],
    }
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE_SHEET
    for i, line in enumerate(GUIDE, start=1):
        guide.cell(i, 1, line).font = Font(bold=i == 1, size=13 if i == 1 else 11)
    guide.column_dimensions["A"].width = 110

    ws = wb.create_sheet(DATA_SHEET)
    list_ws = wb.create_sheet(LIST_SHEET)
    list_ws.sheet_state = "hidden"
    ranges = {}
    for c, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(c)
        list_ws.cell(1, c, key)
        for r, value in enumerate(values, start=2):
            list_ws.cell(r, c, value)
        ranges[key] = f"{LIST_SHEET}!${letter}$2:${letter}${len(values) + 1}"

    metrics = metric_columns()
    headers = ["공관", "분야", "사업", *(h for _, h, _ in metrics), "비고"]
    ws.cell(1, 1, "재외공관 협업 중소벤처기업 글로벌 진출사업 실적 보고").font = Font(bold=True, size=14)
    ws.cell(2, 1, "(단위: 개사, 건, 천달러, 회, 점)").font = Font(italic=True, color="595959")
    agency_name = next(
        (a["name_ko"] for a in agencies if agency and agency in (a["agency_code"], a["name_ko"])), None
    )
    cover = [("보고기관", agency_name), ("연도", year), ("분기", quarter), ("기준", "분기 실적")]
    for i, (label, value) in enumerate(cover):
        label_cell = ws.cell(3, 1 + 2 * i, label)
        label_cell.font = Font(bold=True)
        value_cell = ws.cell(3, 2 + 2 * i, value)
        value_cell.fill = _COVER_FILL
    for c, text in enumerate(headers, start=1):
        cell = ws.cell(HEADER_ROW, c, text)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=_THIN, bottom=_THIN, left=_THIN, right=_THIN)
        ws.column_dimensions[get_column_letter(c)].width = 24 if c <= 3 else 14
    ws.row_dimensions[HEADER_ROW].height = 36
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 4)

    last = HEADER_ROW + max(BLANK_ROWS, len(rows or []))
    for r, prefill in enumerate(rows or [], start=HEADER_ROW + 1):
        for c, value in enumerate(prefill, start=1):
            ws.cell(r, c, value)
    for c, (_, _, unit) in enumerate(metrics, start=4):
        fmt = _NUMBER_FORMATS.get(unit, "#,##0")
        for r in range(HEADER_ROW + 1, last + 1):
            ws.cell(r, c).number_format = fmt

    def dropdown(formula: str, where: str, prompt: str) -> None:
        dv = DataValidation(type="list", formula1=f"={formula}", allow_blank=True)
        dv.error = "목록에서 고르세요 / choose from the list"
        dv.errorTitle = "입력 오류"
        dv.prompt = prompt
        dv.showErrorMessage = False  # a typed official name or code is accepted by the loader too
        ws.add_data_validation(dv)
        dv.add(where)

    dropdown(ranges["agency"], "B3", "보고기관을 고르세요")
    dropdown(ranges["basis"], "H3", "분기 실적 또는 누계")
    dropdown(ranges["mission"], f"A{HEADER_ROW + 1}:A{last}", "공관을 고르세요")
    dropdown(ranges["sector"], f"B{HEADER_ROW + 1}:B{last}", "분야를 고르세요")
    dropdown(ranges["program"], f"C{HEADER_ROW + 1}:C{last}", "사업을 고르세요")
    quarter_dv = DataValidation(type="whole", operator="between", formula1="1", formula2="4")
    ws.add_data_validation(quarter_dv)
    quarter_dv.add("F3")
    numbers = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    numbers.error = "0 이상의 숫자를 입력하세요"
    ws.add_data_validation(numbers)
    numbers.add(f"D{HEADER_ROW + 1}:{get_column_letter(3 + len(metrics))}{last}")
    _reason_sheet(wb, reasons or [], reasons_period, ranges)
    wb.active = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _reason_sheet(
    wb: Workbook, reasons: list, period: tuple[int, int] | None, ranges: dict[str, str]
) -> None:
    """The optional sheet 사유: one row per target at 주의/미흡 to explain (원인, 대책, 회복 예상 분기)."""
    ws = wb.create_sheet(REASON_SHEET)
    ws.cell(1, 1, "사유·대책 (선택): 마감된 분기에 주의·미흡인 목표의 원인과 대책").font = Font(
        bold=True, size=13
    )
    if period:
        ws.cell(2, 1, f"대상 분기: {period[0]}년 {period[1]}분기").font = Font(bold=True)
    for c, text in enumerate(REASON_HEADERS, start=1):
        cell = ws.cell(REASON_HEADER_ROW, c, text)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEAD_FILL
        ws.column_dimensions[get_column_letter(c)].width = (22, 12, 24, 50, 50, 16)[c - 1]
    for r, names in enumerate(reasons, start=REASON_HEADER_ROW + 1):
        for c, value in enumerate(names, start=1):
            ws.cell(r, c, value)
    for c in range(4, 6):
        for r in range(REASON_HEADER_ROW + 1, REASON_HEADER_ROW + 1 + max(len(reasons), 20)):
            ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = ws.cell(REASON_HEADER_ROW + 1, 1)
