"""Emergencies (긴급상황): an incidents sheet, or an administrator's edits in the app.

One row per incident: mission, type, start date, end date, short description, the mission's
situation notes and status (columns in Korean, English or as codes, in any order;
data/ref/incident_columns.csv). An incident is identified by (mission, start date). Its recorder is
whoever loads the file or saves the edit: a 기록자 column is ignored, with a warning.

Versioning: a file *upserts*. It adds the incidents it lists and updates those it lists again with
other details; incidents it does not mention stay as they are (a mission's own sheet must not wipe
the others'). Deleting is an administrator's edit in the app. Every change is a new version in the
`incident` table under a `submission` of kind 'incidents', so the load history shows it, the same
file again changes nothing, and `python -m etl rollback ID` undoes it (the `incidents` view skips
versions of rolled-back submissions).

Rules, each refusing the whole file with every problem listed by cell, Korean first: known mission,
type and status; a readable start date; an end date not before the start; a closed incident has an
end date; a description; no incident twice; and no two incidents at one mission overlapping in time,
within the file or against those already stored.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from etl.problems import Problem, Refused, printable, problem, short
from etl.read.workbook import Book
from etl.registers import pipeline
from etl.registers.spec import Column, Register, Row
from etl.registers.store import author_column, edit_digest, find_duplicate, ignored_author, new_submission
from warehouse.admin import record
from warehouse.transaction import transaction

if TYPE_CHECKING:
    import pandas as pd

EDIT_SHEET = "화면 편집"
FAR_FUTURE = date(9999, 12, 31)


def _end_checks(row: Row) -> None:
    start, end = row.values.get("start"), row.values.get("end")
    if start and end and end < start:
        row.bad(
            "end",
            f"종료일({end})이 시작일({start})보다 앞섭니다.",
            f"end date {end} is before the start date {start}",
            "두 날짜를 확인하세요.",
            "Check both dates.",
        )
    if row.values.get("status") == "closed" and row.text("end") is None:
        row.bad(
            "end",
            "종료된 긴급상황에는 종료일이 있어야 합니다.",
            "a closed incident needs an end date",
            "종료일을 적거나 상태를 '모니터링'으로 두세요.",
            "Fill in the end date, or set the status to monitoring.",
        )


def _in_file(rows: list[Row]) -> list[Problem]:
    return _duplicates_and_overlaps([_incident(r) for r in rows])


REGISTER = Register(
    kind="incidents",
    label=("긴급상황", "incidents"),
    spellings="incident_columns.csv",
    columns=(
        Column(
            "mission",
            "code",
            True,
            "mission",
            ("공관", "mission"),
            missing=("알 수 없는 공관입니다: ''.", "unknown mission ''"),
            fix=(
                "공관 코드(예: TN-TUN)나 공관 이름(예: 주튀니지 대사관)을 적으세요.",
                "Write a mission code (e.g. TN-TUN) or name (e.g. Embassy in Tunisia).",
            ),
        ),
        Column(
            "type",
            "code",
            True,
            "incident_type",
            ("유형", "incident type"),
            missing=("알 수 없는 유형입니다: ''.", "unknown incident type ''"),
            fix=(
                "정세 불안, 분쟁, 재난, 무역 조치, 기타 중 하나를 적으세요.",
                "Use one of: unrest, conflict, disaster, trade measure, other.",
            ),
        ),
        Column(
            "status",
            "status",
            True,
            "incident_status",
            ("상태", "status"),
            missing=("알 수 없는 상태입니다: ''.", "unknown status ''"),
            fix=("진행 중, 모니터링, 종료 중 하나를 적으세요.", "Use one of: open, monitoring, closed."),
        ),
        Column(
            "start",
            "date",
            True,
            label=("시작일", "start date"),
            unreadable=(
                "시작일이 없거나 읽을 수 없습니다: '{text}'.",
                "missing or unreadable start date '{text}'",
            ),
            fix=("2025-01-10처럼 날짜를 적으세요.", "Write a date such as 2025-01-10."),
        ),
        Column(
            "end",
            "date",
            label=("종료일", "end date"),
            unreadable=("종료일을 읽을 수 없습니다: '{text}'.", "unreadable end date '{text}'"),
            fix=(
                "2025-03-31처럼 적거나, 끝나지 않았으면 비워 두세요.",
                "Write a date such as 2025-03-31, or leave it empty if not over.",
            ),
        ),
        Column(
            "description",
            "text",
            True,
            label=("개요", "description"),
            missing=("개요가 비어 있습니다.", "missing description"),
            fix=("무슨 일이 있었는지 한 줄로 적으세요.", "Describe what happened in one line."),
        ),
        Column("situation", "text", label=("공관 상황 메모", "situation notes")),
        Column("recorded_by", "text", label=("기록자", "recorded by")),
    ),
    key=("mission", "start"),
    anchor="start",
    detect=("mission", "type", "start", "status"),
    row_checks=(_end_checks,),
    table_checks=(_in_file,),
    no_table=(
        "긴급상황 표(공관·유형·시작일·상태 열)를 찾지 못했습니다.",
        "no incidents table (mission, type, start date and status columns) found",
        "공관, 유형, 시작일, 종료일, 개요, 공관 상황 메모, 상태, 기록자 열이 있는 표를 넣으세요.",
        "Provide a table with mission, type, start, end, description, situation notes, status and "
        "recorded-by columns.",
    ),
)


@dataclass(frozen=True)
class Incident:
    """One incident, as codes, with where it was written."""

    mission_code: str
    started_on: date
    type_code: str
    ended_on: date | None
    description: str
    situation: str | None
    status: str
    recorded_by: str | None
    sheet: str
    cell: str  # where the row's start date is, e.g. A5
    author_column: str | None = None  # where the file's 기록자 column is, when the row writes one (ignored)

    @property
    def key(self) -> tuple[str, date]:
        return (self.mission_code, self.started_on)

    @property
    def incident_id(self) -> str:
        return f"{self.mission_code}-{self.started_on:%Y%m%d}"

    def details(self) -> tuple:
        """What a version records, for telling a change from the same incident again."""
        return (self.type_code, self.ended_on, self.description, self.situation or None, self.status)


def _incident(row: Row, recorded_by: str | None = None) -> Incident:
    v = row.values
    return Incident(
        v["mission"],
        v["start"],
        v["type"],
        v["end"],
        v["description"] or "",
        v["situation"],
        v["status"],
        recorded_by,  # who loads the file or saves the edit; the file's 기록자 is ignored
        row.sheet,
        row.cell("start"),
        author_column([row], "recorded_by"),
    )


@dataclass
class IncidentsLoaded:
    file_name: str
    submission_id: int | None
    added: int
    updated: int
    deleted: int = 0
    unchanged: int = 0
    duplicate_of: int | None = None
    warnings: list[Problem] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.deleted

    def summary(self) -> str:
        name = printable(short(self.file_name, 200))
        if self.duplicate_of is not None:
            return (
                f"{name}: 이미 적재된 긴급상황 파일입니다(제출 #{self.duplicate_of}) — 변경 없음 "
                "/ already loaded, nothing changed"
            )
        if self.submission_id is None:
            return f"{name}: 바뀐 긴급상황이 없습니다 — 변경 없음 / no incident changed"
        return (
            f"{name}: 긴급상황 #{self.submission_id} 적재 — 추가 {self.added}건, 수정 {self.updated}건, "
            f"삭제 {self.deleted}건, 그대로 {self.unchanged}건 / added {self.added}, updated {self.updated}, "
            f"deleted {self.deleted}, unchanged {self.unchanged}"
        )


def validate(rows: list[Row], recorded_by: str | None = None) -> tuple[list[Incident], list[Problem]]:
    """Incidents from rows as written, and every problem with them (overlaps within the rows too)."""
    good, problems = pipeline.check(REGISTER, rows)
    return [_incident(r, recorded_by) for r in good], problems


def _row_col(cell: str) -> tuple[int | None, int | None]:
    """'C5' → (5, 2): the 1-based row and 0-based column of a cell reference."""
    match = re.match(r"^([A-Z]*)(\d*)$", cell)
    if not match:
        return None, None
    col = 0
    for letter in match[1]:
        col = col * 26 + ord(letter) - 64
    return (int(match[2]) if match[2] else None), (col - 1 if match[1] else None)


def _where(i: Incident) -> str:
    return f"{i.sheet}!{i.cell}" if i.sheet != "warehouse" else f"#{i.incident_id}"


def _overlap(a: Incident, b: Incident) -> bool:
    return a.started_on <= (b.ended_on or FAR_FUTURE) and b.started_on <= (a.ended_on or FAR_FUTURE)


def _period(i: Incident) -> str:
    return f"{i.started_on} ~ {i.ended_on or ''}"


def _duplicates_and_overlaps(
    incidents: list[Incident], stored: list[Incident] | None = None
) -> list[Problem]:
    """The same incident twice, and incidents at one mission whose dates overlap.

    `stored` are the incidents already in the warehouse that the new ones do not replace.
    """
    problems: list[Problem] = []
    seen: dict[tuple[str, date], Incident] = {}
    for inc in incidents:
        row, col = _row_col(inc.cell)
        if inc.key in seen:
            problems.append(
                problem(
                    inc.sheet,
                    row,
                    col,
                    f"같은 긴급상황(공관·시작일)이 두 번 있습니다 ({_where(seen[inc.key])}와 중복).",
                    f"the same incident (mission, start date) twice (also at {_where(seen[inc.key])})",
                    "한 행만 남기세요.",
                    "Keep one row.",
                )
            )
            continue
        seen[inc.key] = inc
    ordered = list(seen.values())
    for n, inc in enumerate(ordered):
        row, col = _row_col(inc.cell)
        for other in [*ordered[:n], *(stored or [])]:
            if other.mission_code == inc.mission_code and other.key != inc.key and _overlap(inc, other):
                problems.append(
                    problem(
                        inc.sheet,
                        row,
                        col,
                        f"같은 공관의 긴급상황 기간이 겹칩니다: {_period(inc)} 와 {_period(other)} ({_where(other)}).",
                        f"overlaps another incident at {inc.mission_code}: {_period(inc)} and {_period(other)} "
                        f"({_where(other)})",
                        "앞 상황의 종료일을 적거나, 같은 상황이면 한 행으로 합치세요.",
                        "Give the earlier incident an end date, or merge the two if they are one incident.",
                    )
                )
    return problems


def read_incidents(
    path: Path, name: str, recorded_by: str | None = None, book: Book | None = None
) -> list[Incident]:
    """The incidents of a sheet, or Refused listing every problem."""
    return [_incident(r, recorded_by) for r in pipeline.read(path, name, REGISTER, book)]


# --- the warehouse ------------------------------------------------------------------------------------

CURRENT = """
SELECT incident_id, mission_code, type_code, started_on, ended_on, description, situation, status,
       recorded_by, recorded_at
FROM incidents
ORDER BY started_on DESC, mission_code
"""
EDIT_COLUMNS = ("mission_code", "type_code", "started_on", "ended_on", "description", "situation", "status")
_EDIT_FIELDS = dict(
    zip(EDIT_COLUMNS, ("mission", "type", "start", "end", "description", "situation", "status"), strict=True)
)


def current_incidents(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The incidents in force, newest first (codes; the editor's starting table).

    Empty on a warehouse made before incidents existed and opened read-only (it has no such view).
    """
    import pandas as pd  # the page's editor only: the command line and the intake start without pandas

    cur = con.cursor()
    try:
        if not cur.execute("SELECT 1 FROM duckdb_views() WHERE view_name = 'incidents'").fetchall():
            return pd.DataFrame(
                {
                    "incident_id": pd.Series(dtype="str"),
                    **{c: pd.Series(dtype="object") for c in EDIT_COLUMNS},
                    "recorded_by": pd.Series(dtype="str"),
                    "recorded_at": pd.Series(dtype="datetime64[us]"),
                }
            )
        return cur.execute(CURRENT).df()
    finally:
        cur.close()


def _stored(con: duckdb.DuckDBPyConnection) -> list[Incident]:
    cur = con.cursor()
    try:
        rows = cur.execute(CURRENT).fetchall()
    finally:
        cur.close()
    return [
        Incident(mission, started, kind, ended, description or "", situation, status, by, "warehouse", key)
        for key, mission, kind, started, ended, description, situation, status, by, _ in rows
    ]


INSERT = """
INSERT INTO incident (submission_id, mission_code, started_on, deleted, type_code, ended_on,
                      description, situation, status, recorded_by, source_sheet, source_cell)
VALUES (?, ?, ?, false, ?, ?, ?, ?, ?, ?, ?, ?)
"""


def store(
    con: duckdb.DuckDBPyConnection,
    incidents: list[Incident],
    *,
    name: str,
    sha256: str,
    size: int | None,
    loaded_by: str | None,
    layout: str,
    deletions: tuple[tuple[str, date], ...] = (),
    role: str | None = None,
) -> IncidentsLoaded:
    """Check against the stored incidents, then write the changed ones as new versions (one transaction);
    the same file again changes nothing.

    Raises Refused when an incident overlaps a stored one it does not replace. An edit made in the
    app (layout 'app_edit') or a file from the command line (a `role`) is also written to the audit log.
    """
    duplicate = find_duplicate(con, sha256, "incidents")
    if duplicate is not None:
        return IncidentsLoaded(name, None, 0, 0, duplicate_of=duplicate)
    stored = {i.key: i for i in _stored(con)}
    incoming = {i.key for i in incidents}
    kept = [i for k, i in stored.items() if k not in incoming and k not in deletions]
    problems = _duplicates_and_overlaps(incidents, kept)
    if problems:
        raise Refused(name, problems)
    added = [i for i in incidents if i.key not in stored]
    updated = [i for i in incidents if i.key in stored and i.details() != stored[i.key].details()]
    deleted = [k for k in deletions if k in stored]
    unchanged = len(incidents) - len(added) - len(updated)
    column = next((i.author_column for i in incidents if i.author_column), None)
    warnings = ignored_author(column, "기록자", "recorded by")
    if not (added or updated or deleted):
        return IncidentsLoaded(name, None, 0, 0, 0, unchanged, warnings=warnings)
    starts = sorted(i.started_on for i in incidents) or sorted(k[1] for k in deleted)
    with transaction(con):
        submission_id = new_submission(
            con,
            kind="incidents",
            file_name=name,
            file_sha256=sha256,
            file_bytes=size,
            reporter=loaded_by,
            mission_count=len({i.mission_code for i in added + updated} | {k[0] for k in deleted}),
            period_first=str(starts[0]),
            period_last=str(starts[-1]),
            layout=layout,
            row_count=len(added) + len(updated) + len(deleted),
            loaded_by=loaded_by,
        )
        con.executemany(
            INSERT,
            [
                (submission_id, i.mission_code, i.started_on, i.type_code, i.ended_on, i.description,
                 i.situation, i.status, loaded_by, i.sheet, i.cell)
                for i in added + updated
            ],
        )  # fmt: skip
        if deleted:
            con.executemany(
                "INSERT INTO incident (submission_id, mission_code, started_on, deleted, recorded_by, "
                "source_sheet) VALUES (?, ?, ?, true, ?, ?)",
                [(submission_id, m, d, loaded_by, EDIT_SHEET) for m, d in deleted],
            )
        if layout == "app_edit" or role is not None:
            record(
                con,
                "incidents",
                actor=loaded_by,
                role=role,
                subject=f"#{submission_id}",
                detail=f"added {len(added)}, updated {len(updated)}, deleted {len(deleted)}",
            )
    return IncidentsLoaded(
        name, submission_id, len(added), len(updated), len(deleted), unchanged, warnings=warnings
    )


# --- edits in the app ---------------------------------------------------------------------------------


def _text(value: object) -> str | None:
    pd = sys.modules.get("pandas")  # an edited table's cells (Timestamp, NaT) exist only with pandas
    if value is None or (pd is not None and value is pd.NaT):
        return None
    if isinstance(value, float) and value != value:
        return None
    if pd is not None and isinstance(value, pd.Timestamp):
        return f"{value.date():%Y-%m-%d}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    text = str(value).strip()
    return text or None


def edit_rows(edited: pd.DataFrame, fields: dict[str, str], sheet: str = EDIT_SHEET) -> list[Row]:
    """An edited table's non-empty rows as register rows (row n = the table's n-th row, column = its index)."""
    columns = list(fields)
    rows = []
    for n, rec in enumerate(edited.to_dict("records"), start=1):
        texts = {field: _text(rec.get(column)) for column, field in fields.items()}
        if any(texts.values()):
            rows.append(Row(sheet, n, texts, {field: columns.index(c) for c, field in fields.items()}))
    return rows


def save_edits(
    con: duckdb.DuckDBPyConnection, edited: pd.DataFrame, *, by: str | None, role: str | None = "admin"
) -> IncidentsLoaded:
    """Store an administrator's edited table (columns EDIT_COLUMNS, codes) through the same rules as a sheet.

    Rows added or changed become new versions recorded by `by`; incidents of the stored table that the
    edited one no longer holds are deleted. Raises Refused (rows numbered as on screen) on any problem.
    """
    name = f"{EDIT_SHEET} / app edit"
    incidents, problems = validate(edit_rows(edited, _EDIT_FIELDS), recorded_by=by)
    if problems:
        raise Refused(name, problems)
    incidents = [replace(i, recorded_by=by) for i in incidents]
    keys = {i.key for i in incidents}
    deletions = tuple(i.key for i in _stored(con) if i.key not in keys)
    content = [[str(x) for x in (i.key + i.details())] for i in incidents] + [
        [str(k) for k in d] for d in deletions
    ]
    return store(
        con,
        incidents,
        name=name,
        sha256=edit_digest(by, content),
        size=None,
        loaded_by=by,
        layout="app_edit",
        deletions=deletions,
        role=role,
    )
