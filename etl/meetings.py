"""Council meetings (정책협의회 회의): a register sheet, or an administrator's edit in the app.

One row per meeting: 회차 (number), 일자 (date), 제목, 영문 제목, 검토 분기 (the closed quarter it
reviews, e.g. "2026년 3분기" or "2026 Q3") and 비고; columns in Korean or English, in any order
(data/ref/meeting_columns.csv). A meeting is identified by its number: a file adds the meetings it
lists and updates those it lists again; others stay as they are. Rules, each refusing the whole
file with every problem listed by cell: a number from 1, a readable date, a title of at most
TEXT_LIMIT characters, a quarter reviewed that ended before the meeting, no number twice, and
meetings numbered in the order they are held (stored ones included). Every change is written to
the audit log with who made it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import pairwise
from pathlib import Path

import duckdb

from etl.incidents import parse_date
from etl.period import find_period
from etl.problems import Problem, Refused, problem
from etl.read.workbook import open_workbook
from warehouse.admin import record
from warehouse.cycle import quarter_end
from warehouse.names import name_key
from warehouse.schema import read_reference

REQUIRED = ("meeting_no", "held_on", "title_ko", "review")
TEXT_LIMIT = 200
EDIT_SHEET = "화면 편집"


@dataclass(frozen=True)
class Meeting:
    meeting_no: int
    held_on: date
    title_ko: str
    title_en: str | None
    review_year: int
    review_quarter: int
    note: str | None = None


@dataclass(frozen=True)
class MeetingsSaved:
    added: int
    updated: int
    unchanged: int

    def summary(self, name: str) -> str:
        return (
            f"{name}: 회의 {self.added}건 추가, {self.updated}건 수정, {self.unchanged}건 변경 없음 / "
            f"meetings added {self.added}, updated {self.updated}, unchanged {self.unchanged}"
        )


@cache
def _column_aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    for rec in read_reference("meeting_columns.csv"):
        for spelling in (rec["field"], rec["name_ko"], rec["name_en"], *rec["aliases"].split("|")):
            if name_key(spelling):
                out[name_key(spelling)] = rec["field"]
    return out


def _header(row: list[str | None]) -> dict[str, int]:
    found: dict[str, int] = {}
    for col, text in enumerate(row):
        field = _column_aliases().get(name_key(text))
        if field and field not in found:
            found[field] = col
    return found


def meeting_problems(
    sheet: str | None, row: int | None, cols: dict[str, int | None], values: dict[str, object]
) -> tuple[Meeting | None, list[Problem]]:
    """One meeting from its fields as written (text, or date/int from the app) and what is wrong."""
    problems: list[Problem] = []

    def bad(field: str, ko: str, en: str, fix_ko: str, fix_en: str) -> None:
        problems.append(problem(sheet, row, cols.get(field), ko, en, fix_ko, fix_en))

    raw_no = values.get("meeting_no")
    number = None
    text_no = str(raw_no or "").strip().removeprefix("제").removesuffix("차").strip()
    if text_no.endswith(".0"):
        text_no = text_no[:-2]
    if text_no.isdigit() and 1 <= int(text_no) <= 999:
        number = int(text_no)
    else:
        bad(
            "meeting_no",
            f"회차 '{_cut(raw_no)}'을(를) 읽을 수 없습니다.",
            f"cannot read the meeting number '{_cut(raw_no)}'",
            "1 이상의 숫자(예: 3 또는 제3차)로 적으세요.",
            "Write a number from 1 (e.g. 3).",
        )
    held_on = parse_date(values.get("held_on"))
    if held_on is None:
        bad(
            "held_on",
            f"회의 일자 '{_cut(values.get('held_on'))}'을(를) 읽을 수 없습니다.",
            f"cannot read the date '{_cut(values.get('held_on'))}'",
            "2026-12-18 형식으로 적으세요.",
            "Write it as 2026-12-18.",
        )
    titles = {}
    for field, label in (("title_ko", "제목"), ("title_en", "영문 제목"), ("note", "비고")):
        text = str(values.get(field) or "").strip() or None
        if text and len(text) > TEXT_LIMIT:
            bad(
                field,
                f"{label}이(가) {len(text):,}자로 너무 깁니다(최대 {TEXT_LIMIT}자).",
                f"{field} is {len(text):,} characters long (at most {TEXT_LIMIT})",
                f"{TEXT_LIMIT}자 이내로 줄이세요.",
                f"Shorten it to {TEXT_LIMIT} characters.",
            )
        titles[field] = text
    if not titles["title_ko"]:
        bad(
            "title_ko",
            "회의 제목이 비어 있습니다.",
            "the title is empty",
            "예: 제3차 중기부–외교부 정책협의회",
            "e.g. 3rd MSS–MOFA policy council",
        )
    review = values.get("review")
    period = review if isinstance(review, tuple) else find_period(review)
    if period is None:
        bad(
            "review",
            f"검토 분기 '{_cut(review)}'을(를) 읽을 수 없습니다.",
            f"cannot read the quarter reviewed '{_cut(review)}'",
            "'2026년 3분기' 또는 '2026 Q3'처럼 적으세요.",
            "Write it as '2026 Q3'.",
        )
    elif held_on is not None and quarter_end(*period) >= held_on:
        bad(
            "review",
            f"{period[0]}년 {period[1]}분기는 회의일({held_on:%Y-%m-%d})까지 끝나지 않은 분기입니다.",
            f"{period[0]} Q{period[1]} does not end before the meeting ({held_on:%Y-%m-%d})",
            "회의 전에 끝난(마감된) 분기를 적으세요.",
            "Name a quarter that ended before the meeting.",
        )
    if problems or number is None or held_on is None or period is None:
        return None, problems
    return Meeting(
        number, held_on, titles["title_ko"], titles["title_en"], period[0], period[1], titles["note"]
    ), []


def _cut(value: object, limit: int = 40) -> str:
    text = " ".join(str(value if value is not None else "").split())
    return text if len(text) <= limit else text[:limit] + "…"


def read_meetings(path: Path, name: str) -> list[tuple[Meeting, str, int, int | None]]:
    """Every meeting row of a workbook, with (sheet, row, column of 회차); Refused with every problem."""
    workbook = open_workbook(path, name)
    found: list[tuple[Meeting, str, int, int | None]] = []
    problems: list[Problem] = []
    for grid in workbook.sheets:
        top = grid.top(30)
        header_at = next((i for i, row in enumerate(top) if set(REQUIRED) <= set(_header(row))), None)
        if header_at is None:
            continue
        fields = _header(top[header_at])
        table = grid.table.to_pydict()
        columns = {c: f"c{c}" for c in grid.columns}
        for i in range(header_at + 1, grid.height):
            values = {
                f: (table[columns[c]][i] or "").strip() or None for f, c in fields.items() if c in columns
            }
            if not any(values.values()):
                continue
            meeting, wrong = meeting_problems(grid.name, i + 1, dict(fields), values)
            problems += wrong
            if meeting:
                found.append((meeting, grid.name, i + 1, fields.get("meeting_no")))
    if not found and not problems:
        problems.append(
            problem(
                None,
                None,
                None,
                "회의 목록 표를 찾지 못했습니다.",
                "no meetings table found",
                "머리글 행에 회차, 일자, 제목, 검토 분기 열을 두세요.",
                "Give the header row the columns 회차, 일자, 제목, 검토 분기.",
            )
        )
    problems += _order_problems(found, [])
    if problems:
        raise Refused(name, problems)
    return found


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
    rows = [(m, *(places[i] if places else (name, None, None))) for i, m in enumerate(meetings)]
    problems = _order_problems(rows, stored_meetings(con))
    if problems:
        raise Refused(name, problems)
    stored = {m.meeting_no: m for m in stored_meetings(con)}
    added = updated = unchanged = 0
    con.execute("BEGIN TRANSACTION")
    try:
        for m in meetings:
            if stored.get(m.meeting_no) == m:
                unchanged += 1
                continue
            added, updated = (added + 1, updated) if m.meeting_no not in stored else (added, updated + 1)
            con.execute(
                "INSERT OR REPLACE INTO meeting (meeting_no, held_on, title_ko, title_en, review_year, "
                "review_quarter, note, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, current_timestamp, ?)",
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
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return MeetingsSaved(added, updated, unchanged)


def load_meetings(
    con: duckdb.DuckDBPyConnection, path: Path, *, by: str | None, name: str | None = None
) -> MeetingsSaved:
    """Read a meetings workbook and add or update its meetings (all or nothing)."""
    name = name or path.name
    rows = read_meetings(path, name)
    return save_meetings(
        con, [m for m, *_ in rows], by=by, name=name, places=[(s, r, c) for _, s, r, c in rows]
    )
