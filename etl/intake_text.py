"""What the intake says about a return, in Korean and English, for whichever page shows it.

Each function gives a (Korean, English) pair; the page picks one by its language. Nothing here
draws, so the upload page's Streamlit module stays a shell (ui/upload_helpers.py).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from etl.problems import Problem, problem
from etl.returns.preview import Preview, problems_frame
from etl.store.ledger import CommitResult
from warehouse.cycle import has_ended, quarter_end
from warehouse.schema import read_reference
from warehouse.text import josa

Said = tuple[str, str]
MB = 1024**2

LAYOUT_NAMES = {
    "wide": ("가로형 (지표마다 열)", "wide (a column per metric)"),
    "long": ("세로형 (지표·실적 열)", "long (metric and value columns)"),
}
CUMULATIVE_NOTE = (
    "누계 실적입니다. 적재할 때 같은 보고자의 이전 분기 실적을 빼서 분기 실적으로 바꿉니다 (아래 비교는 바꾼 값).",
    "Year-to-date figures: stored as quarterly increments (compared below after conversion).",
)
COLUMN_LABELS = {
    "year": ("연도", "Year"),
    "quarter": ("분기", "Quarter"),
    "agency_code": ("기관", "Agency"),
    "mission_code": ("공관", "Mission"),
    "sector_code": ("분야", "Sector"),
    "program_code": ("사업", "Program"),
    "metric_code": ("지표", "Metric"),
    "value": ("값", "Value"),
    "figures": ("실적 수", "Figures"),
    "rows": ("행 수", "Rows"),
    "stored": ("현재 저장값", "Stored now"),
    "incoming": ("이 파일", "This file"),
    "change": ("증감", "Change"),
    "status": ("결과", "Outcome"),
    "stored_figures": ("현재 실적 수", "Stored figures"),
    "incoming_figures": ("새 실적 수", "Incoming figures"),
    "added": ("추가", "Added"),
    "removed": ("삭제", "Removed"),
    "changed": ("변경", "Changed"),
    "unchanged": ("동일", "Unchanged"),
    "sheet": ("시트", "Sheet"),
    "kind": ("형식", "Layout"),
    "header_rows": ("머리글 행", "Header rows"),
    "first_data_row": ("첫 자료 행", "First data row"),
    "metrics": ("지표 열", "Metric columns"),
    "columns": ("구분 열", "Other columns"),
    "from_cover": ("표지·제목에서 읽은 값", "From cover/title"),
    "title_period": ("제목의 기간", "Period in title"),
    "unknown_columns": ("무시한 열", "Ignored columns"),
}
SLICE_STATUS = {
    "new": ("신규", "new"),
    "replace": ("대체", "replaces stored"),
    "same": ("변경 없음", "no change"),
}
REDERIVED_SHOWN = 6  # slices named in the note; more are counted


def limit_text(limit: int) -> str:
    return f"{limit / MB:,.0f} MB" if limit >= MB else f"{limit / 1024:,.0f} KB"


def last_ended_quarter(today: date) -> tuple[int, int]:
    """(year, quarter) of the last quarter that has ended by `today`: the one being reported."""
    quarter = (today.month - 1) // 3 + 1
    return (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)


def too_big(name: str, size: int, limit: int) -> Problem:
    return problem(
        None,
        None,
        None,
        f"파일이 너무 큽니다: {size / MB:,.1f} MB (업로드 한도 {limit_text(limit)}).",
        f"the file is too large: {size / MB:,.1f} MB (upload limit {limit_text(limit)})",
        "실적 표 외의 시트·그림을 지우거나, 연도·기관별로 파일을 나누어 올리세요.",
        "Remove sheets and pictures other than the results table, or split the file by year or agency.",
    )


def number_text(value: object) -> str:
    """1,234 or 89.4; a dash for no value (rather than 'None')."""
    if value is None or pd.isna(value):  # ty: ignore[invalid-argument-type]
        return "–"
    number = float(value)  # ty: ignore[invalid-argument-type]
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.1f}"


def annotated_name(name: str) -> str:
    stem = name[:-5] if name.lower().endswith(".xlsx") else name
    return f"{stem}_검증결과.xlsx"


def problem_table(problems: list[Problem], lang: str) -> pd.DataFrame:
    """Sheet, cell, problem and fix, in `lang` ('ko' or 'en')."""
    df = problems_frame(problems)
    en = lang == "en"
    suffix = "en" if en else "ko"
    return pd.DataFrame(
        {
            ("Sheet" if en else "시트"): df["sheet"],
            ("Cell" if en else "셀"): df["cell"],
            ("Problem" if en else "문제"): df[f"message_{suffix}"],
            ("How to fix" if en else "고치는 방법"): df[f"fix_{suffix}"],
        }
    )


def layout_said(code: str) -> Said:
    """'wide+long' as people read it: 가로형 (지표마다 열) + 세로형 (지표·실적 열)."""
    parts = [LAYOUT_NAMES.get(part, (part, part)) for part in code.split("+") if part]
    return " + ".join(ko for ko, _ in parts), " + ".join(en for _, en in parts)


def commit_said(name: str, result: CommitResult) -> Said:
    """What a commit did."""
    if result.unchanged:
        return (
            f"{name}: 이미 적재된 파일입니다 (제출 #{result.duplicate_of}) — 바뀐 것이 없습니다.",
            f"{name}: already loaded (submission #{result.duplicate_of}) — nothing changed.",
        )
    ko = (
        f"{name}: {josa(f'제출 #{result.submission_id}', '으로/로')} 적재했습니다 — 실적 {result.rows:,}건, "
        f"공관·분기 구간 {result.slices}개, 이전 값 {result.replaced:,}건 대체."
    )
    en = (
        f"{name}: loaded as submission #{result.submission_id} — {result.rows:,} figures in "
        f"{result.slices} mission-quarter slices, {result.replaced:,} stored figures replaced."
    )
    if result.rederived:
        ko += f" 누계 보고에서 환산한 이후 분기 실적 {result.rederived:,}건을 다시 계산했습니다."
        en += f" {result.rederived:,} later figures from year-to-date returns derived again."
    if result.restates:
        quarters = [tuple(int(x) for x in p.split("Q")) for p in result.restates.split(",")]
        ko += (
            " 마감된 분기(" + ", ".join(f"{y}년 {q}분기" for y, q in quarters) + ")의 정정으로 기록했습니다."
        )
        en += " Recorded as a restatement of " + ", ".join(f"{y} Q{q}" for y, q in quarters) + "."
    return ko, en


def refused_said(name: str, problems: list[Problem]) -> Said:
    n = len([p for p in problems if p.severity == "error"])
    return (
        f"{name}: 적재하지 않았습니다 — 문제 {n}건. 아무것도 저장되지 않았습니다.",
        f"{name}: not loaded — {n} problem(s). Nothing was stored.",
    )


def _names(file_name: str, code: str, ko: str, en: str) -> tuple[dict[str, str], dict[str, str]]:
    rows = read_reference(file_name)
    return {r[code]: r[ko] or r[code] for r in rows}, {r[code]: r[en] or r[code] for r in rows}


def rederived_said(rederived) -> Said:
    """The later quarters from 누계 returns that loading derives again (a DataFrame per slice), compactly."""
    missions = _names("missions.csv", "mission_code", "name_ko", "name_en")
    agencies = _names("agencies.csv", "agency_code", "short_ko", "short_en")
    total = int(rederived["figures"].sum())
    more = len(rederived) - REDERIVED_SHOWN
    said = []
    for lang, (m, a) in enumerate(zip(missions, agencies, strict=True)):
        parts = [
            (
                f"{r.year}년 {r.quarter}분기 {m.get(r.mission_code, r.mission_code)}"
                f"({a.get(r.agency_code, r.agency_code)}) {r.figures:,}건",
                f"{r.year} Q{r.quarter} {m.get(r.mission_code, r.mission_code)}"
                f" ({a.get(r.agency_code, r.agency_code)}) {r.figures:,}",
            )[lang]
            for r in rederived.head(REDERIVED_SHOWN).itertuples()
        ]
        if more > 0:
            parts.append((f"외 {more}개 공관·분기", f"and {more} more mission-quarters")[lang])
        said.append(" · ".join(parts))
    return (
        f"적재하면 이후 분기에 누계로 보고된 실적 {total:,}건이 다시 계산됩니다 (누계에서 바뀐 이전 분기 실적을 "
        f"다시 뺍니다): " + said[0],
        f"Loading this file derives {total:,} later-quarter figures from year-to-date (누계) returns again "
        f"(the year-to-date figure less the corrected earlier quarters; they stay with their own returns): "
        + said[1],
    )


def restates_said(quarters: list[tuple[int, int]]) -> Said:
    """The preview's note for a return covering closed quarters (etl.returns.preview.Preview.restates)."""
    ko = ", ".join(f"{y}년 {q}분기" for y, q in quarters)
    en = ", ".join(f"{y} Q{q}" for y, q in quarters)
    return (
        f"이 분기는 마감되었습니다({ko}) — 적재하면 정정으로 기록됩니다. 적재 이력과 회의 자료에 정정으로 표시되며, "
        "회의에서 본 수치와 달라질 수 있습니다.",
        f"This quarter is closed ({en}): loading the file records it as a restatement, flagged in the load "
        "history and the briefing; figures may differ from what the council saw.",
    )


def not_ended(pv: Preview, today: date) -> list[tuple[int, int]]:
    """The quarters the return covers that have not ended on `today` (their figures are preliminary)."""
    periods = pv.by_mission_sector
    if periods.empty:
        return []
    covered = sorted({(int(y), int(q)) for y, q in zip(periods["year"], periods["quarter"], strict=True)})
    return [p for p in covered if not has_ended(*p, today)]


def not_ended_said(quarters: list[tuple[int, int]]) -> Said:
    """The preview's note for a return covering a quarter that has not ended: loaded, but preliminary."""
    ko = ", ".join(f"{y}년 {q}분기" for y, q in quarters)
    en = ", ".join(f"{y} Q{q}" for y, q in quarters)
    ends = ", ".join(f"{quarter_end(y, q):%Y-%m-%d}" for y, q in quarters)
    return (
        f"{josa(ko, '은/는')} 아직 끝나지 않았습니다 ({ends} 종료) — 적재할 수 있지만, 이 분기의 실적은 분기가 끝나 마감될 "
        "때까지 잠정치입니다. 기본 화면에는 나오지 않고 '잠정 실적 포함'을 켜야 보입니다.",
        f"{en} has not ended yet (ends {ends}): the file can be loaded, but its figures stay preliminary "
        "until the quarter ends and is closed; the default views leave them out (see 'Include preliminary "
        "figures').",
    )
