"""Council meetings (정책협의회 회의): a register sheet, or an administrator's edit in the app.

One row per meeting: 회차 (number), 일자 (date), 제목, 영문 제목, 검토 분기 (the closed quarter it
reviews, e.g. "2026년 3분기" or "2026 Q3") and 비고; columns in Korean or English, in any order
(data/ref/meeting_columns.csv). A meeting is identified by its number: a file adds the meetings it
lists and updates those it lists again; others stay as they are. Rules, each refusing the whole
file with every problem listed by cell: a number from 1, a readable date, a title of at most
TITLE_LIMIT characters, a quarter reviewed that ended before the meeting, no number twice, and
meetings numbered in the order they are held (stored ones included). A meeting is stored as one
row of `meeting` (not versioned); every change is written to the audit log with who made it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path

import duckdb

from etl.problems import Problem, Refused, printable, problem, short
from etl.read.workbook import Book
from etl.registers import pipeline
from etl.registers.spec import Column, Register, Row
from warehouse.admin import record
from warehouse.cycle import quarter_end
from warehouse.meeting import Meeting
from warehouse.text import clean_text, josa
from warehouse.transaction import transaction

TITLE_LIMIT = 200
EDIT_SHEET = "화면 편집"


@dataclass(frozen=True)
class MeetingsSaved:
    added: int
    updated: int
    unchanged: int
    file_name: str = EDIT_SHEET

    def summary(self) -> str:
        name = printable(short(self.file_name, 200))
        return (
            f"{name}: 회의 {self.added}건 추가, {self.updated}건 수정, {self.unchanged}건 변경 없음 / "
            f"meetings added {self.added}, updated {self.updated}, unchanged {self.unchanged}"
        )


# The particle follows the field's name, never the cell as written (which may end in anything).
_NUMBER = (
    f"{josa('회차', '을/를')} 읽을 수 없습니다: '{{text}}'.",
    "cannot read the meeting number '{text}'",
)
_NUMBER_FIX = ("1 이상의 숫자(예: 3 또는 제3차)로 적으세요.", "Write a number from 1 (e.g. 3).")


def _number_and_review(row: Row) -> None:
    number, held_on, period = (row.values.get(f) for f in ("meeting_no", "held_on", "review"))
    if number is not None and not 1 <= number <= 999:
        row.values["meeting_no"] = None
        text = str(row.text("meeting_no"))
        row.bad("meeting_no", _NUMBER[0].format(text=text), _NUMBER[1].format(text=text), *_NUMBER_FIX)
    if period is not None and held_on is not None and quarter_end(*period) >= held_on:
        row.bad(
            "review",
            f"{period[0]}년 {period[1]}분기는 회의일({held_on:%Y-%m-%d})까지 끝나지 않은 분기입니다.",
            f"{period[0]} Q{period[1]} does not end before the meeting ({held_on:%Y-%m-%d})",
            "회의 전에 끝난(마감된) 분기를 적으세요.",
            "Name a quarter that ended before the meeting.",
        )


def _text(field: str, label: tuple[str, str], required: bool = False, **more) -> Column:
    return Column(field, "text", required, label=label, limit=TITLE_LIMIT, **more)


def _order_in_file(rows: list[Row]) -> list[Problem]:
    return _order_problems([(_meeting(r), r.sheet, r.row, r.col("meeting_no")) for r in rows], [])


REGISTER = Register(
    kind="meetings",
    label=("회의", "meetings"),
    spellings="meeting_columns.csv",
    columns=(
        Column(
            "meeting_no", "int", True, label=("회차", "meeting number"), unreadable=_NUMBER, fix=_NUMBER_FIX
        ),
        Column(
            "held_on",
            "date",
            True,
            label=("회의 일자", "date"),
            unreadable=(
                f"{josa('회의 일자', '을/를')} 읽을 수 없습니다: '{{text}}'.",
                "cannot read the date '{text}'",
            ),
            fix=("2026-12-18 형식으로 적으세요.", "Write it as 2026-12-18."),
        ),
        _text("title_en", ("영문 제목", "English title")),
        _text("note", ("비고", "note")),
        _text(
            "title_ko",
            ("제목", "title"),
            True,
            missing=("회의 제목이 비어 있습니다.", "the title is empty"),
            fix=("예: 제3차 중기부–외교부 정책협의회", "e.g. 3rd MSS–MOFA policy council"),
        ),
        Column(
            "review",
            "period",
            True,
            label=("검토 분기", "quarter reviewed"),
            unreadable=(
                f"{josa('검토 분기', '을/를')} 읽을 수 없습니다: '{{text}}'.",
                "cannot read the quarter reviewed '{text}'",
            ),
            fix=("'2026년 3분기' 또는 '2026 Q3'처럼 적으세요.", "Write it as '2026 Q3'."),
        ),
    ),
    key=("meeting_no",),
    anchor="meeting_no",
    detect=("meeting_no", "held_on", "title_ko", "review"),
    row_checks=(_number_and_review,),
    table_checks=(_order_in_file,),
    no_table=(
        "회의 목록 표를 찾지 못했습니다.",
        "no meetings table found",
        "머리글 행에 회차, 일자, 제목, 검토 분기 열을 두세요.",
        "Give the header row the columns 회차, 일자, 제목, 검토 분기.",
    ),
)


def _meeting(row: Row) -> Meeting:
    v = row.values
    year, quarter = v["review"]
    return Meeting(v["meeting_no"], v["held_on"], v["title_ko"], v["title_en"], year, quarter, v["note"])


def meeting_problems(
    sheet: str | None, row: int | None, cols: dict[str, int | None], values: dict[str, object]
) -> tuple[Meeting | None, list[Problem]]:
    """One meeting from its fields as written (text, or date/int from the app) and what is wrong."""
    one = Row(sheet or EDIT_SHEET, row or 0, dict(values), dict(cols))  # ty: ignore[invalid-argument-type]
    for column in REGISTER.columns:
        one.values[column.field] = pipeline.read_cell(one, column, values.get(column.field))
    _number_and_review(one)
    return (_meeting(one), []) if one.ok else (None, one.problems)


def read_meetings(
    path: Path, name: str, book: Book | None = None
) -> list[tuple[Meeting, str, int, int | None]]:
    """Every meeting row of a workbook, with (sheet, row, column of 회차); Refused with every problem."""
    return [
        (_meeting(r), r.sheet, r.row, r.col("meeting_no")) for r in pipeline.read(path, name, REGISTER, book)
    ]


def _order_problems(
    rows: list[tuple[Meeting, str | None, int | None, int | None]], stored: list[Meeting]
) -> list[Problem]:
    """No number twice; numbered in the order held, with the stored meetings the file leaves alone."""
    problems: list[Problem] = []
    seen: dict[int, tuple[str | None, int | None]] = {}
    for m, sheet, row, col in rows:
        if m.meeting_no in seen:
            problems.append(
                problem(
                    sheet,
                    row,
                    col,
                    f"제{m.meeting_no}차 회의가 두 번 나옵니다.",
                    f"meeting {m.meeting_no} appears twice",
                    "한 행만 남기세요.",
                    "Keep one row.",
                )
            )
        seen[m.meeting_no] = (sheet, row)
    new = {m.meeting_no: m for m, *_ in rows}
    merged = sorted({**{m.meeting_no: m for m in stored}, **new}.values(), key=lambda m: m.meeting_no)
    for before, after in pairwise(merged):
        if after.held_on <= before.held_on:
            m = after if after.meeting_no in new else before
            sheet, row, col = next(
                ((s, r, c) for x, s, r, c in rows if x.meeting_no == m.meeting_no), (None, None, None)
            )
            problems.append(
                problem(
                    sheet,
                    row,
                    col,
                    f"제{after.meeting_no}차 회의({after.held_on:%Y-%m-%d})가 제{before.meeting_no}차({before.held_on:%Y-%m-%d})보다 앞서거나 같은 날입니다.",
                    f"meeting {after.meeting_no} is not held after meeting {before.meeting_no}",
                    "회차와 일자를 확인하세요.",
                    "Check the numbers and dates.",
                )
            )
    return problems


def stored_meetings(con: duckdb.DuckDBPyConnection) -> list[Meeting]:
    rows = con.execute(
        "SELECT meeting_no, held_on, title_ko, title_en, review_year, review_quarter, note FROM meeting ORDER BY 1"
    ).fetchall()
    return [Meeting(*r) for r in rows]


UPSERT = """
INSERT OR REPLACE INTO meeting (meeting_no, held_on, title_ko, title_en, review_year, review_quarter, note,
                                updated_at, updated_by)
VALUES (?, ?, ?, ?, ?, ?, ?, current_timestamp, ?)
"""


def _cleaned(m: Meeting) -> Meeting:
    def text(value: str | None) -> str | None:
        return None if value is None else clean_text(value).strip()

    return replace(
        m, title_ko=text(m.title_ko) or "", title_en=text(m.title_en) or None, note=text(m.note) or None
    )


def save_meetings(
    con: duckdb.DuckDBPyConnection,
    meetings: list[Meeting],
    *,
    by: str | None,
    name: str = EDIT_SHEET,
    role: str | None = None,
    places: list[tuple[str | None, int | None, int | None]] | None = None,
) -> MeetingsSaved:
    """Add or update meetings by number in one transaction; Refused (nothing changes) on a problem."""
    meetings = [
        _cleaned(m) for m in meetings
    ]  # texts as warehouse.text keeps them, from a form as from a file
    by = None if by is None else clean_text(by)
    rows = [(m, *(places[i] if places else (name, None, None))) for i, m in enumerate(meetings)]
    problems = _order_problems(rows, stored_meetings(con))
    if problems:
        raise Refused(name, problems)
    stored = {m.meeting_no: m for m in stored_meetings(con)}
    added = updated = unchanged = 0
    with transaction(con):
        for m in meetings:
            if stored.get(m.meeting_no) == m:
                unchanged += 1
                continue
            added, updated = (added + 1, updated) if m.meeting_no not in stored else (added, updated + 1)
            con.execute(
                UPSERT,
                [
                    m.meeting_no,
                    m.held_on,
                    m.title_ko,
                    m.title_en,
                    m.review_year,
                    m.review_quarter,
                    m.note,
                    by,
                ],
            )
            record(
                con,
                "meeting",
                actor=by,
                role=role,
                subject=f"제{m.meeting_no}차",
                detail=f"{m.held_on:%Y-%m-%d} · {m.review_year}Q{m.review_quarter} · {m.title_ko}",
            )
    return MeetingsSaved(added, updated, unchanged, name)
