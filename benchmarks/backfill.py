"""A back-fill workbook as Excel writes it (shared strings): many quarters, 연도 and 분기 columns.

xlsxwriter in its default mode keeps text in a shared string table, as Excel does; openpyxl (and
xlsxwriter's constant_memory mode) write inline strings, which readers parse differently.
"""

import random
from pathlib import Path

import xlsxwriter

from warehouse.schema import read_reference

HEADER = [
    "연도",
    "분기",
    "주관기관",
    "공관",
    "분야",
    "사업",
    "지원기업 수(개사)",
    "바이어 상담(건)",
    "수출계약 건수(건)",
    "수출계약액(천달러)",
    "만족도(점)",
]


# Columns a real return carries beside its figures, which the loader reads past (with a warning).
EXTRA_HEADER = ["비고", "담당자", "연락처", "작성일", "확인"]


def write_backfill(path: Path, rows: int, seed: int = 42, extra: int = 0) -> Path:
    """`rows` distinct (year, quarter, agency, mission, sector, program) rows, years counting back from 2026.

    `extra` adds that many text columns of EXTRA_HEADER (up to five) after the figures: 16 columns in all.
    """
    rng = random.Random(seed)
    agencies = [r["short_ko"] for r in read_reference("agencies.csv")]
    missions = [r["name_ko"] for r in read_reference("missions.csv")]
    sectors = [r["name_ko"] for r in read_reference("sectors.csv")]
    programs = [r["name_ko"] for r in read_reference("programs.csv")]
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("실적")
    extra_header = EXTRA_HEADER[:extra]
    ws.write_row(0, 0, HEADER + extra_header)
    written = 0
    year = 2026
    while written < rows:
        for quarter in (1, 2, 3):
            for agency in agencies:
                for mission in missions:
                    for sector in sectors:
                        for program in programs:
                            if written == rows:
                                break
                            firms = rng.randint(0, 40)
                            ws.write_row(
                                written + 1,
                                0,
                                [
                                    year,
                                    quarter,
                                    agency,
                                    mission,
                                    sector,
                                    program,
                                    firms,
                                    rng.randint(0, 120),
                                    rng.randint(0, 9),
                                    round(rng.random() * 900, 1),
                                    rng.randint(60, 100) if firms else None,
                                    *(f"{name} {written % 97}" for name in extra_header),
                                ],
                            )
                            written += 1
        year -= 1
    wb.close()
    return path
