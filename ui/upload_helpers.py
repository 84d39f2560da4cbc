"""The upload page's Streamlit parts: check each file with a progress bar, show what was read, commit.

The work itself is the intake's (etl.intake: read, check, commit), the preview's (etl.returns.preview, and
etl.intake_text for what is said about it) and the annotator's (etl.workbooks.annotate); this module runs it
off the script thread so the bar keeps moving on a large file, keeps results in the session between
reruns, and renders them.
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

from etl import intake
from etl import intake_text as said
from etl.intake_text import COLUMN_LABELS, CUMULATIVE_NOTE, MB, SLICE_STATUS
from etl.problems import Problem, Refused
from etl.read.isolated import annotate_isolated
from etl.returns.preview import Preview, preview
from etl.shape.normalise import Defaults
from etl.store.ledger import CommitResult
from ui import text_table
from ui.downloads import file_stem, to_csv
from ui.i18n import lang, tr
from ui.roles import Identity
from ui.tables import show as show_table
from ui.target_status import status_lookup
from ui.text import plain
from warehouse.connection import WarehouseMissing, connection
from warehouse.paths import db_path
from warehouse.schema import REFERENCE_FILES, read_reference

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
    return said.limit_text(upload_limit_bytes() if limit is None else limit)


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
    incoming: intake.Incoming | None = None
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


def _compare(prepared) -> Preview:
    try:
        with connection(db_path(), read_only=True) as con:
            return preview(prepared, con, status_lookup(con))
    except WarehouseMissing:
        return preview(prepared, None)


def actor(me: Identity) -> intake.Actor:
    """The signed-in user as the intake records them (an analyst within their own agency)."""
    return intake.Actor(me.user, me.role, me.agency)


def check_upload(file, defaults: Defaults, me: Identity, bar) -> Checked:
    """Read, check and compare one uploaded file (size first, before anything reads it)."""
    data = file.getvalue()
    key = _key(file, defaults)
    started = time.monotonic()
    limit = upload_limit_bytes()
    if len(data) > limit:
        return Checked(
            key, file.name, len(data), b"", "refused", problems=[said.too_big(file.name, len(data), limit)]
        )
    checked = Checked(key, file.name, len(data), data, "ready")
    megabytes = len(data) / MB
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "upload.xlsx"
            path.write_bytes(data)
            # in a child process with a time and memory limit: no file can stall or kill the dashboard;
            # the figures come back as Arrow and stay with the session until commit
            incoming = run_stage(
                bar,
                lambda: intake.read(
                    path, actor(me), kind=intake.RESULTS, defaults=defaults, name=file.name, isolated=True
                ),
                start=0.05,
                end=0.6,
                label=tr(
                    f"{plain(file.name)}: 읽고 검사하는 중", f"{plain(file.name)}: reading and checking"
                ),
                expected=0.3 + READ_SECONDS_PER_MB * megabytes,
            )
        checked.incoming = incoming
        checked.preview = run_stage(
            bar,
            lambda: _compare(incoming.prepared),
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
    assert item.incoming is not None
    with connection(db_path()) as con:
        # the audit line is written by the intake, in the load's own transaction
        return intake.commit(con, item.incoming, actor(me), status_of=status_lookup(con)).result


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
            outcomes.append(Outcome(item.name, False, tr(*said.refused_said(item.name, list(exc.problems)))))
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
            outcomes.append(Outcome(item.name, True, tr(*said.commit_said(item.name, result)), result))
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


def layout_text(code: str) -> str:
    return tr(*said.layout_said(code))


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
            out[column] = out[column].map(said.number_text).astype("str")
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


# sheet and cell are short; the problem and its fix are sentences and share the rest
PROBLEM_WIDTHS = (0.15, 0.08, 0.385, 0.385)


def show_problems(problems: list[Problem], *, key: str, name: str = "") -> None:
    """The problems as a table that wraps (a file's text shown as text) and the same list as CSV."""
    table = said.problem_table(problems, lang())
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
            file_name=said.annotated_name(item.name),
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
        st.warning(tr(*said.restates_said(pv.restates)), icon=":material/edit_note:")
    if item.status == "ready" and (early := said.not_ended(pv, today or date.today())):
        st.info(tr(*said.not_ended_said(early)), icon=":material/pending:")
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
        st.info(plain(tr(*said.rederived_said(pv.rederived))), icon=":material/calculate:")
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
