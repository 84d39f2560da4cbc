"""Council meetings (정책협의회 회의) on 기준 정보: the editable table, a register workbook, the download.

Every check is etl.registers.meetings' (meeting_problems per row, save_meetings for duplicates and order),
so the app, a workbook and `python -m etl meetings FILE` refuse the same things with the same words.
A refused edit or file changes nothing and lists each problem with its row and column.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from etl import intake
from etl.problems import Problem, Refused, problem
from etl.registers.meetings import (
    EDIT_SHEET,
    Meeting,
    MeetingsSaved,
    meeting_problems,
    save_meetings,
)
from etl.workbooks.meetings_export import FIELDS, meetings_workbook
from ui.i18n import lang, tr
from ui.roles import Identity
from ui.tables import edit as edit_table
from ui.tables import show as show_table
from ui.upload_helpers import XLSX_MIME, actor, show_problems, uploader_css
from ui.warehouse import query
from warehouse.connection import connection
from warehouse.paths import db_path
from warehouse.text import josa

DONE = "meetings_done"
EDITOR = "meetings_editor_n"  # bumped after a save, so the editor starts again from what is stored
LABELS = {
    "meeting_no": ("회차", "No."),
    "held_on": ("일자", "Date"),
    "title_ko": ("제목", "Title (Korean)"),
    "title_en": ("영문 제목", "Title (English)"),
    "review": ("검토 분기", "Quarter reviewed"),
    "note": ("비고", "Note"),
}
STORED = "SELECT meeting_no, held_on, title_ko, title_en, review_year, review_quarter, note FROM meeting ORDER BY 1"


def stored(con: duckdb.DuckDBPyConnection) -> list[Meeting]:
    return [Meeting(*r) for r in con.cursor().execute(STORED).fetchall()]


def editor_frame(meetings: list[Meeting]) -> pd.DataFrame:
    """The meetings as the editor shows them: one row each, the quarter reviewed as '2026년 3분기' ('2026 Q3')."""
    return pd.DataFrame(
        {
            "meeting_no": pd.array([m.meeting_no for m in meetings], dtype="Int64"),
            "held_on": pd.to_datetime(pd.Series([m.held_on for m in meetings], dtype="object")),
            "title_ko": pd.array([m.title_ko for m in meetings], dtype="str"),
            "title_en": pd.array([m.title_en or "" for m in meetings], dtype="str"),
            "review": pd.array(
                [
                    tr(f"{m.review_year}년 {m.review_quarter}분기", f"{m.review_year} Q{m.review_quarter}")
                    for m in meetings
                ],
                dtype="str",
            ),
            "note": pd.array([m.note or "" for m in meetings], dtype="str"),
        },
        columns=list(FIELDS),
    )


def column_config() -> dict:
    return {
        "meeting_no": st.column_config.NumberColumn(
            tr(*LABELS["meeting_no"]), min_value=1, max_value=999, step=1, format="%d", required=True
        ),
        "held_on": st.column_config.DateColumn(tr(*LABELS["held_on"]), format="YYYY-MM-DD", required=True),
        # widths fixed so the six columns fit the page at 1280 px; a longer title scrolls in its cell
        "title_ko": st.column_config.TextColumn(
            tr(*LABELS["title_ko"]), max_chars=200, required=True, width=180
        ),
        "title_en": st.column_config.TextColumn(tr(*LABELS["title_en"]), max_chars=200, width=180),
        "review": st.column_config.TextColumn(
            tr(*LABELS["review"]),
            help=tr("예: 2026년 3분기 또는 2026 Q3", "e.g. 2026 Q3"),
            required=True,
        ),
        "note": st.column_config.TextColumn(tr(*LABELS["note"]), max_chars=200, width=150),
    }


def _clean(value: object) -> object:
    """A cell as meeting_problems reads it: None for blank (NA, NaT, '')."""
    if value is None:
        return None
    try:
        if pd.isna(value):  # ty: ignore[invalid-argument-type]
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, str) and not value.strip():
        return None
    return value


@dataclass
class EditResult:
    saved: MeetingsSaved | None = None
    problems: list[Problem] = field(default_factory=list)


def check_edits(
    before: list[Meeting], edited: pd.DataFrame
) -> tuple[list[tuple[Meeting, int]], list[Problem]]:
    """The edited table's meetings with their row (1 = first row), or every problem by row and column."""
    cols = {f: i for i, f in enumerate(FIELDS)}
    meetings: list[tuple[Meeting, int]] = []
    problems: list[Problem] = []
    for i, row in enumerate(edited.to_dict("records")):
        values = {f: _clean(row.get(f)) for f in FIELDS}
        if not any(v is not None for v in values.values()):
            continue  # an empty row added and left blank
        meeting, wrong = meeting_problems(EDIT_SHEET, i + 1, cols, values)
        problems += wrong
        if meeting and i < len(before) and meeting.meeting_no != before[i].meeting_no:
            problems.append(
                problem(
                    EDIT_SHEET,
                    i + 1,
                    cols["meeting_no"],
                    f"저장된 제{before[i].meeting_no}차 회의의 회차를 {josa(str(meeting.meeting_no), '으로/로')} 바꿀 수 없습니다.",
                    f"the stored meeting {before[i].meeting_no} cannot be renumbered {meeting.meeting_no}",
                    "회차는 그대로 두고, 새 회의는 표 아래에 행을 추가해 적으세요.",
                    "Keep its number; add a new row for a new meeting.",
                )
            )
        elif meeting:
            meetings.append((meeting, i + 1))
    return meetings, problems


def save_edits(before: list[Meeting], edited: pd.DataFrame, me: Identity) -> EditResult:
    """Check the edited table and add or update its meetings, all or nothing, recording who."""
    meetings, problems = check_edits(before, edited)
    if problems:
        return EditResult(problems=problems)
    places = [(EDIT_SHEET, row, FIELDS.index("meeting_no")) for _, row in meetings]
    try:
        with connection(db_path()) as con:
            saved = save_meetings(
                con, [m for m, _ in meetings], by=me.user, role=me.role, name=EDIT_SHEET, places=places
            )
    except Refused as exc:
        return EditResult(problems=list(exc.problems))
    st.cache_data.clear()
    return EditResult(saved=saved)


def load_file(name: str, data: bytes, me: Identity) -> EditResult:
    """A meetings register workbook: add or update its meetings, all or nothing."""
    taker = actor(me)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "meetings.xlsx"
        path.write_bytes(data)
        try:
            # read and checked through the one intake before the warehouse is opened for writing
            incoming = intake.read(path, taker, kind="meetings", name=name)
            with connection(db_path()) as con:
                saved = intake.commit(con, incoming, taker)
        except Refused as exc:
            return EditResult(problems=list(exc.problems))
    st.cache_data.clear()
    return EditResult(saved=saved)


def saved_text(saved: MeetingsSaved) -> str:
    return tr(
        f"회의 {saved.added}건 추가, {saved.updated}건 수정, {saved.unchanged}건 변경 없음.",
        f"Meetings added {saved.added}, updated {saved.updated}, unchanged {saved.unchanged}.",
    )


def edit_problems_table(problems: list[Problem]) -> pd.DataFrame:
    """Row, column, what is wrong and how to fix it, for the editor (rows counted from 1)."""
    suffix = "en" if lang() == "en" else "ko"
    return pd.DataFrame(
        {
            tr("행", "Row"): [str(p.row) if p.row else "" for p in problems],
            tr("항목", "Column"): [
                tr(*LABELS[FIELDS[p.col]]) if p.col is not None and p.col < len(FIELDS) else ""
                for p in problems
            ],
            tr("문제", "Problem"): [getattr(p, f"message_{suffix}") for p in problems],
            tr("고치는 방법", "How to fix"): [getattr(p, f"fix_{suffix}") for p in problems],
        }
    ).astype("str")


def workbook_bytes(meetings: list[Meeting]) -> bytes:
    return meetings_workbook(meetings)


def show_section(me: Identity) -> None:
    """정책협의회 회의 on 기준 정보: the table to edit and save, a workbook to upload, the list to download."""
    st.subheader(tr("정책협의회 회의", "Council meetings"))
    st.caption(
        tr(
            "회의마다 회차, 일자, 제목과 검토한 (마감된) 분기를 적습니다. 표에서 고치거나 아래에 행을 추가한 뒤 "
            "저장하세요 (회차로 구분해 추가·수정하며, 삭제는 하지 않습니다). 회의 목록 파일(.xlsx)을 올려도 되고, "
            "명령줄에서는 python -m etl meetings 파일.xlsx 입니다. 변경은 누가 언제 했는지 기록됩니다.",
            "One row per meeting: number, date, title and the closed quarter it reviewed. Edit the table or add rows "
            "below it, then save (meetings are added or updated by number, never deleted). A meetings workbook "
            "(.xlsx) may be uploaded too; on the command line: python -m etl meetings FILE.xlsx. Every change "
            "records who made it.",
        )
    )
    for kind, text in st.session_state.pop(DONE, []):
        (st.success if kind == "ok" else st.error)(text)
    meetings = query(stored)
    editor_key = f"meetings_editor_{st.session_state.get(EDITOR, 0)}"
    edited = edit_table(
        editor_frame(meetings),
        column_config=column_config(),
        num_rows="add",
        hide_index=True,
        width="stretch",
        key=editor_key,
    )
    m1, m2 = st.columns(2)
    if m1.button(
        tr("회의 목록 저장", "Save meetings"), type="primary", icon=":material/save:", key="meetings_save"
    ):
        outcome = save_edits(meetings, edited, me)
        if outcome.problems:
            st.error(
                tr(
                    f"저장하지 못했습니다: 문제 {len(outcome.problems)}건. 아무것도 바뀌지 않았습니다. 표를 고친 뒤 다시 저장하세요.",
                    f"Not saved: {len(outcome.problems)} problem(s). Nothing changed; fix the table and save again.",
                ),
                icon=":material/block:",
            )
            show_table(edit_problems_table(outcome.problems), hide_index=True, width="stretch")
        else:
            st.session_state[DONE] = [("ok", saved_text(outcome.saved))]
            st.session_state[EDITOR] = st.session_state.get(EDITOR, 0) + 1
            st.rerun()
    m2.download_button(
        tr("회의 목록 내려받기 (.xlsx)", "Download the meetings (.xlsx)"),
        data=workbook_bytes(meetings),
        file_name=tr("정책협의회_회의목록.xlsx", "council_meetings.xlsx"),
        mime=XLSX_MIME,
        icon=":material/download:",
        key="meetings_download",
    )
    if css := uploader_css():  # the uploader's own English strings, in Korean
        st.html(css)
    register = st.file_uploader(
        tr(
            "회의 목록 파일 올리기 (.xlsx: 회차, 일자, 제목, 영문 제목, 검토 분기, 비고)",
            "Upload a meetings workbook (.xlsx: 회차, 일자, 제목, 영문 제목, 검토 분기, 비고)",
        ),
        type=["xlsx"],
        key=f"meetings_file_{st.session_state.get(EDITOR, 0)}",
    )
    if register is not None and st.button(
        tr("파일의 회의 적재", "Load the file's meetings"), icon=":material/upload_file:", key="meetings_load"
    ):
        outcome = load_file(register.name, register.getvalue(), me)
        if outcome.problems:
            st.error(
                tr(
                    f"회의 목록 파일을 적재하지 못했습니다: 문제 {len(outcome.problems)}건. 아무것도 바뀌지 않았습니다.",
                    f"The meetings workbook was refused: {len(outcome.problems)} problem(s). Nothing changed.",
                ),
                icon=":material/block:",
            )
            show_problems(outcome.problems, key="meetings_problems", name=register.name)
        else:
            st.session_state[DONE] = [("ok", saved_text(outcome.saved))]
            st.session_state[EDITOR] = st.session_state.get(EDITOR, 0) + 1
            st.rerun()
