"""Follow-up actions (후속 조치) and their progress notes (진행 메모): an administrator's register file.

Sheet of actions (data/ref/action_columns.csv): 번호 (optional: the action_id to update; empty adds
a new action, numbered when stored), 회의, 내용, 내용(영문), 담당 기관, 공관, 분야, 지표, 기한, 상태 (예정,
진행, 완료, 중단 or planned, in progress, done, dropped; empty = 예정). An optional second sheet 진행 메모
(data/ref/action_note_columns.csv): 번호, 날짜, 내용, 작성자 — a dated note on a stored action, written by
whoever loads the file (a 작성자 column is ignored, with a warning).

Checked against the warehouse when stored: the meeting exists, the due date is not before it, a
번호 names a stored action. Stored as versions under one submission of kind 'actions' (history and
rollback as for every register): an action written again with the same fields, or a note already
stored (same action, date and text), is not a change; the same file again changes nothing. To update
an action added by an earlier file, write its 번호 (the register the app downloads carries them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.problems import Problem, Refused, josa
from etl.read.workbook import Book
from etl.registers import pipeline
from etl.registers.spec import TEXT_LIMIT, Column, Register, Row
from etl.registers.store import Loaded, author_column, find_duplicate, ignored_author, new_submission, split
from warehouse import action_statuses as statuses
from warehouse.admin import record
from warehouse.transaction import transaction

LABEL = ("후속 조치", "actions")
NOTES_SHEET = "진행 메모"
_STATUS_FIX = (
    f"{statuses.NAMES_KO} 중 하나를 쓰세요 (영문 {statuses.NAMES_EN}도 됩니다).",
    f"Use {statuses.NAMES_EN_OR} (or {statuses.NAMES_KO}).",
)


def _dimension(name: str, ref: str, label: tuple[str, str]) -> Column:
    return Column(name, "code", ref=ref, label=label, all_words=True)


REGISTER = Register(
    kind="actions",
    label=LABEL,
    spellings="action_columns.csv",
    columns=(
        Column(
            "action_id", "int", label=("번호", "number"), fix=("기존 조치의 번호를 적거나 비워 두세요.", "")
        ),
        Column(
            "meeting",
            "int",
            True,
            label=("회의", "meeting"),
            fix=("회의 회차(예: 2 또는 제2차)를 적으세요.", ""),
        ),
        Column("text_ko", "text", True, label=("내용", "text"), limit=TEXT_LIMIT),
        Column("text_en", "text", label=("내용(영문)", "English text"), limit=TEXT_LIMIT),
        Column("owner", "code", True, "agency", ("담당 기관", "owner agency")),
        _dimension("mission", "mission", ("공관", "mission")),
        _dimension("sector", "sector", ("분야", "sector")),
        _dimension("metric", "metric", ("지표", "metric")),
        Column("due_on", "date", True, label=("기한", "due date"), fix=("2026-12-31처럼 적으세요.", "")),
        Column("status", "status", ref="action_status", label=("상태", "status"), fix=_STATUS_FIX),
    ),
    key=("action_id",),
    anchor="action_id",
    detect=("meeting", "text_ko", "owner", "due_on"),
    duplicate=(
        "같은 번호의 조치가 두 번 있습니다 ({other}와 중복).",
        "the same action twice (also at {other})",
    ),
    no_table=(
        "후속 조치 표(회의·내용·담당 기관·기한 열)를 찾지 못했습니다.",
        "no actions table (meeting, text, owner agency and due date columns) found",
        "번호, 회의, 내용, 내용(영문), 담당 기관, 공관, 분야, 지표, 기한, 상태 열이 있는 표를 넣으세요.",
        "Provide a table with number, meeting, text, English text, owner, mission, sector, metric, due date and "
        "status columns.",
    ),
)
NOTES = Register(
    kind="action_notes",
    label=("진행 메모", "progress notes"),
    spellings="action_note_columns.csv",
    columns=(
        Column("action_id", "int", True, label=("번호", "action number")),
        Column("noted_on", "date", True, label=("날짜", "date"), fix=("2026-12-01처럼 적으세요.", "")),
        Column("text", "text", True, label=("내용", "note"), limit=TEXT_LIMIT),
        Column("written_by", "text", label=("작성자", "written by")),
    ),
    key=("action_id", "noted_on", "text"),
    anchor="text",
    detect=("action_id", "noted_on", "text"),
    duplicate=("같은 진행 메모가 두 번 있습니다 ({other}와 중복).", "the same note twice (also at {other})"),
)


@dataclass
class Action:
    action_id: int | None
    meeting_no: int
    text_ko: str
    text_en: str | None
    owner: str
    mission: str | None
    sector: str | None
    metric: str | None
    due_on: object
    status: str
    row: Row

    def details(self) -> tuple:
        return (self.meeting_no, self.text_ko, self.text_en, self.owner, self.mission, self.sector,
                self.metric, self.due_on, self.status)  # fmt: skip


def _action(row: Row) -> Action:
    v = row.values
    status = v["status"] or statuses.FIRST
    return Action(
        v["action_id"], v["meeting"], v["text_ko"], v["text_en"], v["owner"], v["mission"], v["sector"],
        v["metric"], v["due_on"], status, row,
    )  # fmt: skip


def read_actions(path: Path, name: str, book: Book | None = None) -> tuple[list[Action], list[Row]]:
    """The actions and the progress-note rows of a register file, or Refused with every problem."""
    found = pipeline.read_many(path, name, (REGISTER, NOTES), book)
    return [_action(r) for r in found["actions"]], found["action_notes"]


CURRENT = """
SELECT action_id, meeting_no, text_ko, text_en, owner_agency, mission_code, sector_code, metric_code, due_on,
       status
FROM actions
"""


def _problems(con: duckdb.DuckDBPyConnection, actions: list[Action], notes: list[Row]) -> list[Problem]:
    meetings = dict(con.execute("SELECT meeting_no, held_on FROM meetings").fetchall())
    stored = {r[0] for r in con.execute("SELECT action_id FROM actions").fetchall()}
    problems: list[Problem] = []
    for a in actions:
        row = a.row
        if a.action_id is not None and a.action_id not in stored:
            row.bad(
                "action_id",
                f"{josa(f'후속 조치 #{a.action_id}', '이/가')} 없습니다.",
                f"there is no follow-up action #{a.action_id}",
                "기존 조치를 고치려면 그 번호를, 새 조치는 번호를 비워 두세요.",
                "Write the number of a stored action, or leave it empty for a new one.",
            )
        held = meetings.get(a.meeting_no)
        if held is None:
            row.bad(
                "meeting",
                f"제{a.meeting_no}차 회의가 없습니다.",
                f"there is no meeting {a.meeting_no}",
                "기준 정보에 있는 회의 회차를 적으세요.",
                "Use a meeting number listed on Reference.",
            )
        elif a.due_on < held:
            row.bad(
                "due_on",
                f"{josa(f'기한 {a.due_on}', '이/가')} 제{a.meeting_no}차 회의일({held})보다 앞섭니다.",
                f"due date {a.due_on} is before meeting {a.meeting_no} ({held})",
                "회의일 이후로 적으세요.",
                "Give a date after the meeting.",
            )
        problems += row.problems
    for note in notes:
        number = note.values["action_id"]
        if number not in stored:
            note.bad(
                "action_id",
                f"{josa(f'후속 조치 #{number}', '이/가')} 없습니다.",
                f"there is no follow-up action #{note.values['action_id']}",
                "저장된 조치의 번호를 적으세요(새 조치의 메모는 조치를 먼저 적재한 뒤 적으세요).",
                "Use the number of a stored action (load a new action first, then its notes).",
            )
        problems += note.problems
    return problems


INSERT_ACTION = """
INSERT INTO action (submission_id, action_id, meeting_no, text_ko, text_en, owner_agency, mission_code,
    sector_code, metric_code, due_on, status, updated_by, source_sheet, source_cell)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
INSERT_NOTE = """
INSERT INTO action_note (submission_id, note_id, action_id, noted_on, text, written_by, source_sheet, source_cell)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
"""


def store_actions(
    con: duckdb.DuckDBPyConnection,
    actions: list[Action],
    notes: list[Row],
    *,
    name: str,
    sha256: str,
    size: int | None,
    loaded_by: str | None,
    role: str | None = None,
) -> Loaded:
    """Check against the warehouse and store the changed actions and new notes in one transaction
    (with the audit line, given a `role`: the command line's)."""
    duplicate = find_duplicate(con, sha256, "actions")
    if duplicate is not None:
        return Loaded(LABEL, name, duplicate_of=duplicate)
    problems = _problems(con, actions, notes)
    if problems:
        raise Refused(name, problems)
    stored = {r[0]: tuple(r[1:]) for r in con.execute(CURRENT).fetchall()}
    found = split(actions, stored, key=lambda a: a.action_id, details=lambda a: a.details())
    known = {tuple(r) for r in con.execute("SELECT action_id, noted_on, text FROM action_notes").fetchall()}
    new_notes = [n for n in notes if tuple(n.values[f] for f in NOTES.key) not in known]
    result = Loaded(LABEL, name, None, len(found.added), len(found.updated), len(found.unchanged))
    result.extra = (f", 진행 메모 {len(new_notes)}건", f", {len(new_notes)} note(s)")
    result.warnings = ignored_author(author_column(notes, "written_by"), "작성자", "written by")
    if not (found.changed or new_notes):
        return result
    with transaction(con):
        result.submission_id = new_submission(
            con,
            kind="actions",
            file_name=name,
            file_sha256=sha256,
            file_bytes=size,
            reporter=loaded_by,
            agency_codes=",".join(sorted({a.owner for a in found.changed})) or None,
            layout="register",
            row_count=len(found.changed) + len(new_notes),
            loaded_by=loaded_by,
        )
        next_id = con.execute("SELECT coalesce(max(action_id), 0) + 1 FROM action").fetchall()[0][0]
        rows = []
        for a in found.changed:
            if a.action_id is None:
                a.action_id, next_id = next_id, next_id + 1
            rows.append(
                (
                    result.submission_id,
                    a.action_id,
                    *a.details(),
                    loaded_by,
                    a.row.sheet,
                    a.row.cell("text_ko"),
                )
            )
        if rows:
            con.executemany(INSERT_ACTION, rows)
        note_id = con.execute("SELECT coalesce(max(note_id), 0) + 1 FROM action_note").fetchall()[0][0]
        if new_notes:
            con.executemany(
                INSERT_NOTE,
                [
                    (result.submission_id, note_id + i, n.values["action_id"], n.values["noted_on"], n.values["text"],
                     loaded_by, n.sheet, n.cell("text"))
                    for i, n in enumerate(new_notes)
                ],
            )  # fmt: skip
        if role is not None:
            record(
                con,
                "actions",
                actor=loaded_by,
                role=role,
                subject=f"#{result.submission_id}",
                detail=f"{name}: {len(found.changed)} action(s), {len(new_notes)} note(s)",
            )
    return result
