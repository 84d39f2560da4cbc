"""The upload page's Streamlit parts: check each file with a progress bar, show what was read, commit.

The work itself is the loader's (etl.prepare, etl.store.commit), the preview's (etl.preview) and the
annotator's (etl.annotate); this module runs it off the script thread so the bar keeps moving on a
large file, keeps results in the session between reruns, and renders them.
"""

from __future__ import annotations

import concurrent.futures
import math
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from etl.isolated import annotate_isolated, prepare_isolated
from etl.normalise import Defaults
from etl.prepare import Prepared
from etl.preview import Preview, outside_scope, preview, problems_frame
from etl.problems import Problem, Refused, problem
from etl.store import CommitResult, commit
from ui import text_table
from ui.downloads import file_stem, to_csv
from ui.i18n import lang, tr
from ui.roles import Identity
from ui.tables import show as show_table
from ui.target_status import status_lookup
from ui.text import plain
from warehouse.connection import WarehouseMissing, connection
from warehouse.cycle import has_ended, quarter_end
from warehouse.paths import db_path
from warehouse.schema import REFERENCE_FILES, read_reference
from warehouse.text import josa

MB = 1024**2
DEFAULT_LIMIT_BYTES = 50 * MB
ANNOTATE_MAX_BYTES = 20 * MB  # openpyxl needs ~10× the file in memory and ~3 s per MB
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Seconds per MB of .xlsx, measured on the 200,000-row back-fill (9.4 MB, 1M figures) on a busy
# 2-core machine: read and check 9 s, compare 7 s, commit 10 s. The bar creeps towards each
# stage's end on this estimate and jumps there when the stage is done.
READ_SECONDS_PER_MB = 1.0
COMPARE_SECONDS_PER_MB = 0.7
COMMIT_SECONDS_PER_MB = 1.0
STATE = "upload_checked"
OUTCOMES = "upload_outcomes"
UPLOADER = "upload_uploader_n"


def upload_limit_bytes() -> int:
    """The loader's size limit (etl.read.safety.MAX_FILE_BYTES), read at call time."""
    try:
        from etl.read import safety

        return int(safety.MAX_FILE_BYTES)
    except (ImportError, AttributeError):
        return DEFAULT_LIMIT_BYTES


def limit_text(limit: int | None = None) -> str:
    limit = upload_limit_bytes() if limit is None else limit
    return f"{limit / MB:,.0f} MB" if limit >= MB else f"{limit / 1024:,.0f} KB"


def last_ended_quarter(today: date) -> tuple[int, int]:
    """(year, quarter) of the last quarter that has ended by `today`: the one being reported."""
    quarter = (today.month - 1) // 3 + 1
    return (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)


def uploader_css() -> str:
    """Streamlit's file uploader says "Upload" and "50MB per file • XLSX" in English whatever the
    page's language (its own strings): in Korean, hide them and show ours in their place."""
    if lang() == "en":
        return ""
    note = f"파일당 최대 {limit_text()} · .xlsx 파일 · 여기에 끌어다 놓아도 됩니다"
    return f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button span[data-has-shortcut]::after {{ content: "파일 선택"; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ display: none; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{ content: "{note}"; font-size: 0.875rem; }}
</style>"""


def uploader_limit_mb() -> int:
    """The file_uploader's own limit in whole MB (at least 1); the server check below is exact."""
    return max(1, math.ceil(upload_limit_bytes() / MB))


@dataclass
class Checked:
    """One uploaded file after reading and checking: ready to commit, refused, or already loaded."""

    key: str
    name: str
    size: int
    data: bytes
    status: str  # ready | duplicate | refused | committed
    prepared: Prepared | None = None
    preview: Preview | None = None
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    locatable: bool = False  # some problem points into a sheet, so an annotated copy helps
    annotated: bytes | None = None  # the marked-up copy once made; b"" when it cannot be made

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@dataclass
class Outcome:
    name: str
    ok: bool
    text: str
    result: CommitResult | None = None


# ---- running a stage with a moving bar -------------------------------------------------------------


def run_stage(bar, fn: Callable, *, start: float, end: float, label: str, expected: float):
    """Run fn off the script thread, moving the bar from start towards end until it returns."""
    started = time.monotonic()
    bar.progress(min(start, 1.0), text=label)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(fn)
        while True:
            try:
                result = future.result(timeout=0.25)
                break
            except concurrent.futures.TimeoutError:
                elapsed = time.monotonic() - started
                share = 1 - math.exp(-elapsed / max(expected, 0.2))
                bar.progress(min(start + (end - start) * 0.95 * share, 1.0), text=f"{label} · {elapsed:.0f}s")
    bar.progress(min(end, 1.0), text=label)
    return result


# ---- checking --------------------------------------------------------------------------------------


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


def _prepare(path: Path, defaults: Defaults, name: str) -> Prepared:
    # In a child process with a time and memory limit: no file can stall or kill the dashboard.
    # The figures come back as Arrow and stay with the session until commit.
    return prepare_isolated(path, defaults, display_name=name)


def _compare(prepared: Prepared) -> Preview:
    try:
        with connection(db_path(), read_only=True) as con:
            return preview(prepared, con, status_lookup(con))
    except WarehouseMissing:
        return preview(prepared, None)


def check_upload(file, defaults: Defaults, me: Identity, bar) -> Checked:
    """Read, check and compare one uploaded file (size first, before anything reads it)."""
    data = file.getvalue()
    key = _key(file, defaults)
    started = time.monotonic()
    limit = upload_limit_bytes()
    if len(data) > limit:
        return Checked(
            key, file.name, len(data), b"", "refused", problems=[too_big(file.name, len(data), limit)]
        )
    checked = Checked(key, file.name, len(data), data, "ready")
    megabytes = len(data) / MB
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "upload.xlsx"
            path.write_bytes(data)
            prepared = run_stage(
                bar,
                lambda: _prepare(path, defaults, file.name),
                start=0.05,
                end=0.6,
                label=tr(
                    f"{plain(file.name)}: 읽고 검사하는 중", f"{plain(file.name)}: reading and checking"
                ),
                expected=0.3 + READ_SECONDS_PER_MB * megabytes,
            )
        scope = outside_scope(prepared, me.agency) if me.role == "analyst" else []
        if scope:
            raise Refused(file.name, scope)
        checked.prepared = prepared
        checked.preview = run_stage(
            bar,
            lambda: _compare(prepared),
            start=0.6,
            end=1.0,
            label=tr(
                f"{plain(file.name)}: 저장된 값과 비교하는 중",
                f"{plain(file.name)}: comparing with stored figures",
            ),
            expected=0.2 + COMPARE_SECONDS_PER_MB * megabytes,
        )
        if checked.preview.duplicate_of is not None:
            checked.status = "duplicate"
        checked.problems = list(checked.preview.warning_problems)
    except Refused as exc:
        checked.status = "refused"
        checked.problems = list(exc.problems)
        checked.locatable = any(p.sheet for p in exc.problems)
    checked.seconds = time.monotonic() - started
    return checked


def _key(file, defaults: Defaults) -> str:
    return f"{getattr(file, 'file_id', file.name)}|{file.size}|{defaults!r}"


def checked_files(files: list, defaults: Defaults, me: Identity) -> list[Checked]:
    """Each uploaded file checked once per session (and per defaults), with a bar while it runs."""
    store: dict[str, Checked] = st.session_state.setdefault(STATE, {})
    out = []
    for file in files:
        key = _key(file, defaults)
        if key not in store:
            bar = st.progress(0.0, text=tr(f"{plain(file.name)}: 준비 중", f"{plain(file.name)}: starting"))
            store[key] = check_upload(file, defaults, me, bar)
            bar.empty()
        out.append(store[key])
    for key in set(store) - {c.key for c in out}:  # files removed from the uploader: free their bytes
        del store[key]
    return out


# ---- committing ------------------------------------------------------------------------------------


def _commit_one(item: Checked, me: Identity) -> CommitResult:
    assert item.prepared is not None
    with connection(db_path()) as con:
        # the audit line is written by commit, in the load's own transaction
        result = commit(con, item.prepared, loaded_by=me.user, status_of=status_lookup(con), role=me.role)
    return result


def commit_all(items: list[Checked], me: Identity) -> list[Outcome]:
    """Commit every ready file, one transaction each, with a bar; the pages see them at once."""
    ready = [c for c in items if c.status == "ready"]
    outcomes: list[Outcome] = []
    if not ready:
        return outcomes
    bar = st.progress(0.0, text=tr("적재 시작", "Starting to load"))
    total = sum(max(c.size, 1) for c in ready)
    done = 0
    for item in ready:
        share = max(item.size, 1) / total
        try:
            result = run_stage(
                bar,
                lambda item=item: _commit_one(item, me),
                start=done,
                end=done + share,
                label=tr(f"{plain(item.name)}: 적재하는 중", f"{plain(item.name)}: committing"),
                expected=0.3 + COMMIT_SECONDS_PER_MB * item.size / MB,
            )
        except Refused as exc:  # a cumulative return that falls below what is stored
            item.status, item.problems = "refused", list(exc.problems)
            item.locatable = any(p.sheet for p in exc.problems)
            outcomes.append(Outcome(item.name, False, refused_text(item.name, list(exc.problems))))
        except Exception as exc:  # the warehouse stayed busy, or the disk is full: nothing was written
            outcomes.append(
                Outcome(
                    item.name,
                    False,
                    tr(
                        f"{item.name}: 적재하지 못했습니다 — {exc}. 잠시 후 다시 시도하세요.",
                        f"{item.name}: not loaded — {exc}. Try again in a moment.",
                    ),
                )
            )
        else:
            item.status = "committed"
            outcomes.append(Outcome(item.name, True, commit_text(item.name, result), result))
        done += share
    bar.progress(1.0, text=tr("적재 완료", "Done"))
    st.cache_data.clear()  # the warehouse changed: every page recomputes on its next run
    return outcomes


# ---- rendering -------------------------------------------------------------------------------------


def names(kind: str) -> dict[str, str]:
    """code → name in the current language, in reference order (from data/ref, so no warehouse needed)."""
    file_name, code = REFERENCE_FILES[kind]
    column = "name_en" if lang() == "en" else "name_ko"
    if kind == "agencies":
        column = "short_en" if lang() == "en" else "short_ko"
    return {r[code]: r[column] or r[code] for r in read_reference(file_name)}


NUMBER_COLUMNS = ("value", "stored", "incoming", "change")


def number_text(value: object) -> str:
    """1,234 or 89.4; a dash for no value (rather than Streamlit's 'None')."""
    if value is None or pd.isna(value):  # ty: ignore[invalid-argument-type]
        return "–"
    number = float(value)  # ty: ignore[invalid-argument-type]
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.1f}"


LAYOUT_NAMES = {
    "wide": ("가로형 (지표마다 열)", "wide (a column per metric)"),
    "long": ("세로형 (지표·실적 열)", "long (metric and value columns)"),
}


def layout_text(code: str) -> str:
    """'wide+long' as people read it: 가로형 (지표마다 열) + 세로형 (지표·실적 열)."""
    return " + ".join(tr(*LAYOUT_NAMES.get(part, (part, part))) for part in code.split("+") if part)


def commit_text(name: str, result: CommitResult) -> str:
    """What a commit did, in the current language (the loader's own summary carries both)."""
    if result.unchanged:
        return tr(
            f"{name}: 이미 적재된 파일입니다 (제출 #{result.duplicate_of}) — 바뀐 것이 없습니다.",
            f"{name}: already loaded (submission #{result.duplicate_of}) — nothing changed.",
        )
    text = tr(
        f"{name}: {josa(f'제출 #{result.submission_id}', '으로/로')} 적재했습니다 — 실적 {result.rows:,}건, "
        f"공관·분기 구간 {result.slices}개, 이전 값 {result.replaced:,}건 대체.",
        f"{name}: loaded as submission #{result.submission_id} — {result.rows:,} figures in "
        f"{result.slices} mission-quarter slices, {result.replaced:,} stored figures replaced.",
    )
    if result.rederived:
        text += tr(
            f" 누계 보고에서 환산한 이후 분기 실적 {result.rederived:,}건을 다시 계산했습니다.",
            f" {result.rederived:,} later figures from year-to-date returns derived again.",
        )
    if result.restates:
        quarters = [tuple(int(x) for x in p.split("Q")) for p in result.restates.split(",")]
        text += tr(
            " 마감된 분기(" + ", ".join(f"{y}년 {q}분기" for y, q in quarters) + ")의 정정으로 기록했습니다.",
            " Recorded as a restatement of " + ", ".join(f"{y} Q{q}" for y, q in quarters) + ".",
        )
    return text


def refused_text(name: str, problems: list[Problem]) -> str:
    n = len([p for p in problems if p.severity == "error"])
    return tr(
        f"{name}: 적재하지 않았습니다 — 문제 {n}건. 아무것도 저장되지 않았습니다.",
        f"{name}: not loaded — {n} problem(s). Nothing was stored.",
    )


CUMULATIVE_NOTE = (
    "누계 실적입니다. 적재할 때 같은 보고자의 이전 분기 실적을 빼서 분기 실적으로 바꿉니다 (아래 비교는 바꾼 값).",
    "Year-to-date figures: stored as quarterly increments (compared below after conversion).",
)


def _named(df: pd.DataFrame) -> pd.DataFrame:
    """Codes shown as names in the current language, numbers as text; column headers translated."""
    out = df.copy()
    if "kind" in out.columns:
        out["kind"] = out["kind"].map(layout_text).astype("str")
    if "metrics" in out.columns:
        out["metrics"] = out["metrics"].replace(
            "(지표 열 / metric column)", tr("(지표 열)", "(metric column)")
        )
    for column in NUMBER_COLUMNS:
        if column in out.columns:
            out[column] = out[column].map(number_text).astype("str")
    for column, kind in (
        ("agency_code", "agencies"),
        ("mission_code", "missions"),
        ("sector_code", "sectors"),
        ("program_code", "programs"),
        ("metric_code", "metrics"),
    ):
        if column in out.columns:
            mapping = names(kind)
            out[column] = out[column].map(lambda c, m=mapping: m.get(c, c))
    return out.rename(columns={k: tr(*v) for k, v in COLUMN_LABELS.items() if k in out.columns})


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


def problem_table(problems: list[Problem]) -> pd.DataFrame:
    """Sheet, cell, problem and fix, in the current language."""
    df = problems_frame(problems)
    suffix = "en" if lang() == "en" else "ko"
    return pd.DataFrame(
        {
            tr("시트", "Sheet"): df["sheet"],
            tr("셀", "Cell"): df["cell"],
            tr("문제", "Problem"): df[f"message_{suffix}"],
            tr("고치는 방법", "How to fix"): df[f"fix_{suffix}"],
        }
    )


# sheet and cell are short; the problem and its fix are sentences and share the rest
PROBLEM_WIDTHS = (0.15, 0.08, 0.385, 0.385)


def show_problems(problems: list[Problem], *, key: str, name: str = "") -> None:
    """The problems as a table that wraps (a file's text shown as text) and the same list as CSV."""
    table = problem_table(problems)
    text_table.show(table, widths=PROBLEM_WIDTHS)
    stem = file_stem(name[:-5] if name.lower().endswith(".xlsx") else name, tr("문제목록", "problems"))
    st.download_button(
        tr("문제 목록 내려받기 (CSV)", "Download the list of problems (CSV)"),
        data=lambda: to_csv(table),
        file_name=f"{stem}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key=f"{key}_csv",
    )


def annotated_name(name: str) -> str:
    stem = name[:-5] if name.lower().endswith(".xlsx") else name
    return f"{stem}_검증결과.xlsx"


def annotated_copy(item: Checked) -> bytes | None:
    """The marked-up workbook, made once per file in a child process (openpyxl holds a workbook whole);
    None when openpyxl cannot open the file either, or it hits the child's limits."""
    if item.annotated is None:
        try:
            item.annotated = annotate_isolated(item.data, list(item.problems), item.name)
        except Refused:
            item.annotated = b""
    return item.annotated or None


def show_refused(item: Checked) -> None:
    errors = item.errors or item.problems
    st.error(
        tr(
            f"**{plain(item.name)}** — 적재할 수 없습니다: 문제 {len(errors)}건. 아무것도 저장되지 않았습니다.",
            f"**{plain(item.name)}** — refused: {len(errors)} problem(s). Nothing was stored.",
        ),
        icon=":material/block:",
    )
    show_problems(errors, key=f"problems_{item.key}", name=item.name)
    if item.locatable and item.data and item.size <= ANNOTATE_MAX_BYTES:
        annotated = annotated_copy(item)
        if annotated is None:
            st.caption(
                tr(
                    "이 파일은 시트 구조를 열 수 없어 문제 셀을 표시한 통합문서를 만들 수 없습니다. 위 표의 시트·셀 주소를 "
                    "보고 Excel에서 고친 뒤 다시 올리세요.",
                    "This file's sheets cannot be opened, so no marked-up copy can be made; use the sheet and cell "
                    "addresses above to fix it in Excel, then upload again.",
                )
            )
            return
        st.download_button(
            tr("문제 셀을 표시한 통합문서 내려받기", "Download the workbook with the problem cells marked"),
            data=annotated,
            file_name=annotated_name(item.name),
            mime=XLSX_MIME,
            icon=":material/download:",
            key=f"annotated_{item.key}",
        )
        st.caption(
            tr(
                "문제 셀은 빨간색으로 칠하고 메모에 문제와 고치는 방법을 적었습니다 (첫 시트 '검증 결과'에 전체 목록). "
                "Excel에서 고친 뒤 다시 올리세요. 그림·차트는 빠질 수 있습니다.",
                "Problem cells are filled red with a comment saying what is wrong and how to fix it (full list on "
                "the first sheet). Fix them in Excel and upload again. Pictures and charts may be dropped.",
            )
        )
    elif item.locatable and item.data:
        st.caption(
            tr(
                f"파일이 커서({item.size / MB:,.0f} MB) 표시한 통합문서는 만들지 않습니다. 위 표의 셀 주소를 보고 고치세요.",
                f"The file is too large ({item.size / MB:,.0f} MB) to mark up; use the cell addresses above.",
            )
        )


REDERIVED_SHOWN = 6  # slices named in the note; more are counted


def rederived_text(rederived: pd.DataFrame) -> str:
    """The later quarters from 누계 returns that loading derives again, per slice, compactly."""
    missions, agencies = names("missions"), names("agencies")
    total = int(rederived["figures"].sum())
    parts = [
        tr(
            f"{r.year}년 {r.quarter}분기 {missions.get(r.mission_code, r.mission_code)}"
            f"({agencies.get(r.agency_code, r.agency_code)}) {r.figures:,}건",
            f"{r.year} Q{r.quarter} {missions.get(r.mission_code, r.mission_code)}"
            f" ({agencies.get(r.agency_code, r.agency_code)}) {r.figures:,}",
        )
        for r in rederived.head(REDERIVED_SHOWN).itertuples()
    ]
    more = len(rederived) - REDERIVED_SHOWN
    if more > 0:
        parts.append(tr(f"외 {more}개 공관·분기", f"and {more} more mission-quarters"))
    return tr(
        f"적재하면 이후 분기에 누계로 보고된 실적 {total:,}건이 다시 계산됩니다 (누계에서 바뀐 이전 분기 실적을 "
        f"다시 뺍니다): " + " · ".join(parts),
        f"Loading this file derives {total:,} later-quarter figures from year-to-date (누계) returns again "
        f"(the year-to-date figure less the corrected earlier quarters; they stay with their own returns): "
        + " · ".join(parts),
    )


def restates_text(quarters: list[tuple[int, int]]) -> str:
    """The preview's note for a return covering closed quarters (etl.preview.Preview.restates)."""
    ko = ", ".join(f"{y}년 {q}분기" for y, q in quarters)
    en = ", ".join(f"{y} Q{q}" for y, q in quarters)
    return tr(
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


def not_ended_text(quarters: list[tuple[int, int]]) -> str:
    """The preview's note for a return covering a quarter that has not ended: loaded, but preliminary."""
    ko = ", ".join(f"{y}년 {q}분기" for y, q in quarters)
    en = ", ".join(f"{y} Q{q}" for y, q in quarters)
    ends = ", ".join(f"{quarter_end(y, q):%Y-%m-%d}" for y, q in quarters)
    return tr(
        f"{josa(ko, '은/는')} 아직 끝나지 않았습니다 ({ends} 종료) — 적재할 수 있지만, 이 분기의 실적은 분기가 끝나 마감될 "
        "때까지 잠정치입니다. 기본 화면에는 나오지 않고 '잠정 실적 포함'을 켜야 보입니다.",
        f"{en} has not ended yet (ends {ends}): the file can be loaded, but its figures stay preliminary "
        "until the quarter ends and is closed; the default views leave them out (see 'Include preliminary "
        "figures').",
    )


def show_ready(item: Checked, today: date | None = None) -> None:
    pv = item.preview
    assert pv is not None
    changes = pv.slice_changes
    counts = changes["status"].value_counts()
    if item.status == "duplicate":
        st.info(
            tr(
                f"**{plain(item.name)}** — 이미 적재된 파일입니다 (제출 #{pv.duplicate_of}). 적재해도 바뀌는 것이 없습니다.",
                f"**{plain(item.name)}** — already loaded (submission #{pv.duplicate_of}); loading it changes nothing.",
            ),
            icon=":material/content_copy:",
        )
    elif item.status == "committed":
        st.success(
            tr(f"**{plain(item.name)}** — 적재했습니다.", f"**{plain(item.name)}** — loaded."),
            icon=":material/done:",
        )
    else:
        st.success(
            tr(
                f"**{plain(item.name)}** — 검사 통과: 실적 {pv.figures:,}건, 공관·분기 구간 {len(changes)}개 "
                f"(신규 {counts.get('new', 0)}, 대체 {counts.get('replace', 0)}, 변경 없음 {counts.get('same', 0)}). "
                "아래 내용을 확인한 뒤 적재하세요.",
                f"**{plain(item.name)}** — passed: {pv.figures:,} figures in {len(changes)} mission-quarter slices "
                f"({counts.get('new', 0)} new, {counts.get('replace', 0)} replacing stored, "
                f"{counts.get('same', 0)} unchanged). Check below, then load.",
            ),
            icon=":material/task_alt:",
        )
    if item.status == "ready" and pv.restates:
        st.warning(restates_text(pv.restates), icon=":material/edit_note:")
    if item.status == "ready" and (early := not_ended(pv, today or date.today())):
        st.info(not_ended_text(early), icon=":material/pending:")
    if item.status == "ready" and pv.explanations:
        st.info(
            tr(
                f"'사유' 시트의 사유·대책 {pv.explanations}건을 실적과 함께 적재합니다 (이 기관의 목표, 마감된 분기).",
                f"The '사유' sheet's {pv.explanations} explanation(s) are stored with the figures "
                "(this agency's targets, a closed quarter).",
            ),
            icon=":material/comment:",
        )
    if item.status == "ready" and not pv.rederived.empty:
        st.info(plain(rederived_text(pv.rederived)), icon=":material/calculate:")
    basis = tr("누계", "year-to-date") if pv.basis == "cumulative" else tr("분기 실적", "quarterly")
    st.caption(
        tr(
            f"형식: {layout_text(pv.layout_name)} · 기준: {basis} · 읽고 검사한 시간 {item.seconds:.1f}초",
            f"Layout: {layout_text(pv.layout_name)} · basis: {basis} · read and checked in {item.seconds:.1f}s",
        )
    )
    if pv.basis == "cumulative":
        st.info(tr(*CUMULATIVE_NOTE))
    for note in pv.notes:
        if not note.startswith(CUMULATIVE_NOTE[0]):  # the loader's bilingual copy of the note above
            st.info(plain(note))
    warn_label = tr(f"경고 ({len(pv.warnings)})", f"Warnings ({len(pv.warnings)})")
    tabs = st.tabs(
        [
            tr("저장된 값과 비교", "Compared with stored"),
            tr("공관·분야별 행", "Rows by mission and sector"),
            tr("지표별 합계", "Totals by metric"),
            tr("읽은 형식", "Layout detected"),
            warn_label,
        ]
    )
    with tabs[0]:
        shown = changes.assign(status=changes["status"].map(lambda s: tr(*SLICE_STATUS.get(s, (s, s)))))
        show_table(_named(shown), hide_index=True, width="stretch")
        moved = pv.metric_changes[
            pv.metric_changes["stored"].isna()
            | pv.metric_changes["incoming"].isna()
            | (pv.metric_changes["change"].abs() > 1e-9)
        ]
        if moved.empty:
            st.caption(tr("저장된 값과 다른 수치가 없습니다.", "No figure differs from what is stored."))
        else:
            st.caption(
                tr(
                    "공관·분기·지표별로 달라지는 값 (빈 칸: 없던 값 또는 사라질 값)",
                    "Values that change, by mission, quarter and metric (blank: new, or removed)",
                )
            )
            show_table(_named(moved), hide_index=True, width="stretch")
    with tabs[1]:
        show_table(_named(pv.by_mission_sector), hide_index=True, width="stretch")
    with tabs[2]:
        show_table(_named(pv.totals), hide_index=True, width="stretch")
    with tabs[3]:
        show_table(_named(pv.layouts), hide_index=True, width="stretch")
    with tabs[4]:
        if pv.warnings.empty:
            st.caption(tr("경고가 없습니다.", "No warnings."))
        else:
            show_problems(item.problems, key=f"warnings_{item.key}", name=item.name)
