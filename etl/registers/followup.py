"""Writing explanations (사유·대책), follow-up actions (후속 조치) and their progress notes from the app.

Each call checks its fields, refuses the whole edit with every problem named by the field on screen
(Korean first, as `Refused`), and otherwise stores one new version under a submission of its own
(kind 'explanations', 'actions' or 'action_notes'), so 적재 이력 shows it and rollback undoes it.

Who may write (the caller passes who is acting as an `Editor`):
- an administrator (agency None) writes anything, and may reassign an explanation's owner;
- an analyst writes explanations and notes, and sets the status, only for their own agency's
  targets and actions; adding or editing an action itself is for administrators.

Whether a target is on track is a metrics question, which this layer does not ask: the caller
passes the status it shows (`status`), and an explanation for a target on track is stored with a
warning.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from etl.problems import Problem, Refused, printable, quoted, short
from etl.registers.spec import TEXT_LIMIT
from etl.shape.period import find_period, in_window, outside_window
from etl.shape.resolve import resolve
from warehouse import action_statuses as statuses
from warehouse.admin import record
from warehouse.cycle import is_closed
from warehouse.text import clean_text, josa
from warehouse.transaction import transaction

EDIT_SHEET = "화면 편집"
SECRETARIAT = "mss"  # owner of a target that names no agency (DOMAIN: the council's secretariat)


@dataclass(frozen=True)
class Editor:
    """Who is writing: an administrator (agency None) or an analyst of one agency."""

    user: str
    agency: str | None = None
    role: str = "admin"

    def __post_init__(self) -> None:  # a name is stored text too (warehouse.text)
        object.__setattr__(self, "user", clean_text(self.user))

    @property
    def is_admin(self) -> bool:
        return self.agency is None


@dataclass(frozen=True)
class TargetKey:
    """A target named as in the `targets` view (None meaning all) and the closed quarter explained."""

    year: int
    quarter: int
    metric: str
    sector: str | None = None
    mission: str | None = None
    agency: str | None = None


def _field(
    field_ko: str, field_en: str, message_ko: str, message_en: str, fix_ko="", fix_en="", severity="error"
):
    return Problem(
        where=f"{field_ko} / {field_en}",
        message_ko=message_ko,
        message_en=message_en,
        fix_ko=fix_ko,
        fix_en=fix_en,
        severity=severity,
    )


def _text(value: object) -> str | None:
    text = clean_text(value).strip()
    return text or None


def _long_text(
    problems: list[Problem], value: object, field_ko: str, field_en: str, required: bool
) -> str | None:
    text = _text(value)
    if text is None:
        if required:
            problems.append(
                _field(
                    field_ko,
                    field_en,
                    f"{josa(field_ko, '이/가')} 비어 있습니다.",
                    f"{field_en} is empty.",
                    "내용을 적으세요.",
                    "Write it.",
                )
            )
        return None
    if len(text) > TEXT_LIMIT:
        problems.append(
            _field(
                field_ko,
                field_en,
                f"{josa(field_ko, '이/가')} {len(text):,}자로 {TEXT_LIMIT:,}자를 넘습니다.",
                f"{field_en} has {len(text):,} characters, over {TEXT_LIMIT:,}.",
                f"{TEXT_LIMIT:,}자 이내로 줄이세요.",
                f"Shorten it to {TEXT_LIMIT:,} characters.",
            )
        )
    return text


def _code(problems: list[Problem], kind: str, value: object, field_ko: str, field_en: str) -> str | None:
    text = _text(value)
    if text is None or text in ("전체", "all", "All", "-"):
        return None
    code = resolve(kind, text)
    if code is None:
        shown = printable(short(text, 40))
        problems.append(
            _field(
                field_ko,
                field_en,
                f"알 수 없는 {field_ko} '{shown}'입니다.",
                f"Unknown {field_en.lower()} '{shown}'.",
                "목록에 있는 이름이나 코드를 쓰세요.",
                "Use a name or code from the list.",
            )
        )
    return code


def parse_recover_by(value: object) -> tuple[int, int] | None:
    """'2026Q4', '2026년 4분기', '2026-Q4' → (2026, 4); None for anything else."""
    text = _text(value)
    return find_period(text) if text else None


def _refuse_if(problems: list[Problem], name: str) -> list[str]:
    if any(p.severity == "error" for p in problems):
        raise Refused(name, problems)
    return [p.text() for p in problems if p.severity == "warning"]


def _submission(con, kind: str, editor: Editor, rows: int, period: str | None, detail: str) -> int:
    """A submission row for one edit made in the app; its hash is unique (an edit is never 'the same file')."""
    sha = hashlib.sha256(
        f"{kind}\n{editor.user}\n{datetime.now().isoformat()}\n{detail}".encode()
    ).hexdigest()
    return con.execute(
        """
        INSERT INTO submission (kind, file_name, file_sha256, reporter, agency_codes, period_first,
                                period_last, layout, row_count, loaded_by, status)
        VALUES (?, ?, ?, ?, ?, ?, ?, 'app_edit', ?, ?, 'current') RETURNING submission_id
        """,
        [
            kind,
            f"{EDIT_SHEET} / app edit",
            sha,
            editor.user,
            editor.agency,
            period,
            period,
            rows,
            editor.user,
        ],
    ).fetchall()[0][0]


def _write(con, kind: str, editor: Editor, period: str | None, detail: str, insert) -> int:
    """One transaction: the submission, the version rows (insert(submission_id)) and the audit line."""
    with transaction(con):
        submission_id = _submission(con, kind, editor, 1, period, detail)
        insert(submission_id)
        record(con, kind, actor=editor.user, role=editor.role, subject=f"#{submission_id}", detail=detail)
    return submission_id


# --- explanations ------------------------------------------------------------------------------------

_TARGET_AGENCY = """
SELECT agency_code FROM targets
WHERE year = ? AND metric_code = ? AND sector_code IS NOT DISTINCT FROM ?
  AND mission_code IS NOT DISTINCT FROM ? AND agency_code IS NOT DISTINCT FROM ?
"""


_CURRENT_OWNER = """
SELECT owner_agency FROM explanations
WHERE year = ? AND quarter = ? AND metric_code = ? AND sector_code IS NOT DISTINCT FROM ?
  AND mission_code IS NOT DISTINCT FROM ? AND agency_code IS NOT DISTINCT FROM ?
"""


def target_owner(key: TargetKey) -> str:
    """Who answers for a target: its agency when it names one, otherwise the secretariat (MSS)."""
    return key.agency or SECRETARIAT


def check_explanation(
    con: duckdb.DuckDBPyConnection,
    editor: Editor,
    key: TargetKey,
    *,
    cause: object,
    measures: object,
    recover_by: object = None,
    owner_agency: object = None,
    status: str | None = None,
) -> tuple[dict, list[Problem]]:
    """The explanation's fields as stored, and every problem with them (errors and warnings)."""
    problems: list[Problem] = []
    metric = _code(problems, "metric", key.metric, "지표", "Metric")
    sector = _code(problems, "sector", key.sector, "분야", "Sector")
    mission = _code(problems, "mission", key.mission, "공관", "Mission")
    agency = _code(problems, "agency", key.agency, "기관", "Agency")
    if metric is None and not problems:
        problems.append(
            _field(
                "지표",
                "Metric",
                "지표가 비어 있습니다.",
                "The metric is empty.",
                "지표를 고르세요.",
                "Pick a metric.",
            )
        )
    quarter_ok = 1 <= int(key.quarter) <= 4
    if not quarter_ok or not is_closed(con, int(key.year), int(key.quarter)):
        problems.append(
            _field(
                "분기",
                "Quarter",
                f"{key.year}년 {key.quarter}분기는 마감되지 않았습니다. 사유·대책은 마감된 분기의 목표에 씁니다.",
                f"{key.year} Q{key.quarter} is not closed. Explanations answer targets of a closed quarter.",
                "마감된 분기를 고르세요.",
                "Pick a closed quarter.",
            )
        )
    resolved = TargetKey(int(key.year), int(key.quarter), metric or "", sector, mission, agency)
    if metric and not problems:
        found = con.execute(_TARGET_AGENCY, [resolved.year, metric, sector, mission, agency]).fetchall()
        if not found:
            problems.append(
                _field(
                    "목표",
                    "Target",
                    f"{resolved.year}년에 이 지표·분야·공관·기관의 목표가 없습니다.",
                    f"There is no {resolved.year} target for this metric, sector, mission and agency.",
                    "목표 관리에 있는 목표를 고르세요.",
                    "Pick a target listed on Targets.",
                )
            )
    # the owner an administrator gave the standing explanation, if any, else the target's own
    standing = (
        con.execute(
            _CURRENT_OWNER, [resolved.year, resolved.quarter, metric, sector, mission, agency]
        ).fetchall()
        if metric
        else []
    )
    owner = standing[0][0] if standing else target_owner(resolved)
    chosen = _code(problems, "agency", owner_agency, "담당 기관", "Owner agency")
    if chosen and chosen != owner:
        if editor.is_admin:
            owner = chosen
        else:
            problems.append(
                _field(
                    "담당 기관",
                    "Owner agency",
                    "담당 기관은 관리자만 바꿀 수 있습니다.",
                    "Only an administrator may reassign the owner agency.",
                )
            )
    if not editor.is_admin and editor.agency != owner:
        problems.append(
            _field(
                "담당 기관",
                "Owner agency",
                f"이 목표의 사유·대책은 {josa(owner.upper(), '이/가')} 씁니다. {str(editor.agency).upper()} 분석가는 자기 기관 목표만 쓸 수 있습니다.",
                f"This target is answered by {owner.upper()}; an analyst of {str(editor.agency).upper()} writes only their own agency's.",
                "자기 기관의 목표를 고르거나 관리자에게 요청하세요.",
                "Pick your own agency's target, or ask an administrator.",
            )
        )
    cause_text = _long_text(problems, cause, "원인", "Cause", required=True)
    measures_text = _long_text(problems, measures, "대책", "Measures", required=True)
    recover = None
    if _text(recover_by) is not None:
        recover = parse_recover_by(recover_by)
        if recover is None or not 1 <= recover[1] <= 4:
            problems.append(
                _field(
                    "회복 예상 분기",
                    "Recover by",
                    f"{josa(quoted(printable(short(recover_by, 40))), '은/는')} 분기로 읽을 수 없습니다.",
                    f"'{printable(short(recover_by, 40))}' is not a quarter.",
                    "예: 2026Q4 또는 2026년 4분기",
                    "e.g. 2026Q4",
                )
            )
            recover = None
        elif not in_window(recover):
            ko, en = outside_window(("회복 예상 분기", "recovery quarter"), printable(short(recover_by, 40)))
            problems.append(_field("회복 예상 분기", "Recover by", ko, en, "예: 2026Q4", "e.g. 2026Q4"))
            recover = None
        elif recover < (resolved.year, resolved.quarter):
            problems.append(
                _field(
                    "회복 예상 분기",
                    "Recover by",
                    "회복 예상 분기가 설명하는 분기보다 앞섭니다.",
                    "The recovery quarter is before the quarter explained.",
                    f"{resolved.year}년 {resolved.quarter}분기 이후로 적으세요.",
                    f"Give {resolved.year} Q{resolved.quarter} or later.",
                )
            )
    if status == "on_track":
        problems.append(
            _field(
                "목표",
                "Target",
                "이 목표는 정상(진도 이상)입니다. 사유·대책은 저장하지만 필요하지 않을 수 있습니다.",
                "This target is on track; the explanation is stored, though it may not be needed.",
                severity="warning",
            )
        )
    fields = {
        "key": resolved,
        "owner_agency": owner,
        "cause": cause_text,
        "measures": measures_text,
        "recover": recover,
    }
    return fields, problems


def save_explanation(con: duckdb.DuckDBPyConnection, editor: Editor, key: TargetKey, **values) -> list[str]:
    """Store a new version of the target's explanation for its quarter; the warnings, if any.

    values: cause, measures, recover_by ('2026Q4'), owner_agency (administrators), status (as shown).
    """
    fields, problems = check_explanation(con, editor, key, **values)
    warnings = _refuse_if(problems, f"{EDIT_SHEET} / 사유·대책")
    k: TargetKey = fields["key"]
    recover = fields["recover"] or (None, None)

    def insert(submission_id: int) -> None:
        con.execute(
            """
            INSERT INTO explanation (submission_id, year, quarter, metric_code, sector_code, mission_code,
                agency_code, owner_agency, cause, measures, recover_year, recover_quarter, written_by,
                source_sheet)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                submission_id, k.year, k.quarter, k.metric, k.sector, k.mission, k.agency,
                fields["owner_agency"], fields["cause"], fields["measures"], *recover, editor.user, EDIT_SHEET,
            ],
        )  # fmt: skip

    detail = (
        f"explanation {k.year}Q{k.quarter} {k.metric}/{k.sector or '*'}/{k.mission or '*'}/{k.agency or '*'}"
    )
    _write(con, "explanations", editor, f"{k.year}Q{k.quarter}", detail, insert)
    return warnings


# --- follow-up actions -------------------------------------------------------------------------------


def _status(problems: list[Problem], value: object) -> str | None:
    text = _text(value)
    code = resolve("action_status", text) if text else None
    if code is None:
        shown = printable(short(text or "", 40))
        problems.append(
            _field(
                "상태",
                "Status",
                f"알 수 없는 상태 '{shown}'입니다.",
                f"Unknown status '{shown}'.",
                f"{statuses.NAMES_KO} 중 하나를 쓰세요.",
                f"Use {statuses.NAMES_EN_OR}.",
            )
        )
    return code


def _date(problems: list[Problem], value: object, field_ko: str, field_en: str) -> date | None:
    """The form's date, within etl.shape.period's plausible window (else a problem and None)."""
    when = _any_date(problems, value, field_ko, field_en)
    if when is not None and not in_window(when):
        ko, en = outside_window((field_ko, field_en.lower()), when.isoformat())
        problems.append(_field(field_ko, field_en, ko, en, "예: 2026-12-31", "e.g. 2026-12-31"))
        return None
    return when


def _any_date(problems: list[Problem], value: object, field_ko: str, field_en: str) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        problems.append(
            _field(
                field_ko,
                field_en,
                f"{josa(quoted(printable(short(text, 40))), '은/는')} 날짜가 아닙니다.",
                f"'{printable(short(text, 40))}' is not a date.",
                "예: 2026-12-31",
                "e.g. 2026-12-31",
            )
        )
        return None


def _action_owner(con, action_id: int) -> str | None:
    row = con.execute("SELECT owner_agency FROM actions WHERE action_id = ?", [int(action_id)]).fetchall()
    return row[0][0] if row else None


def _may_act_on(problems: list[Problem], editor: Editor, owner: str | None, action_id: int) -> None:
    if owner is None:
        problems.append(
            _field(
                "조치",
                "Action",
                f"{josa(f'후속 조치 #{action_id}', '이/가')} 없습니다.",
                f"There is no follow-up action #{action_id}.",
            )
        )
    elif not editor.is_admin and editor.agency != owner:
        problems.append(
            _field(
                "담당 기관",
                "Owner agency",
                f"후속 조치 #{action_id}의 담당은 {owner.upper()}입니다. 자기 기관의 조치만 갱신할 수 있습니다.",
                f"Action #{action_id} belongs to {owner.upper()}; you may update only your own agency's actions.",
            )
        )


def check_action(con: duckdb.DuckDBPyConnection, editor: Editor, **values) -> tuple[dict, list[Problem]]:
    """An action's fields as stored, and every problem with them. Only administrators add or edit actions."""
    problems: list[Problem] = []
    if not editor.is_admin:
        problems.append(
            _field(
                "권한",
                "Permission",
                "후속 조치를 추가·수정하는 것은 관리자만 할 수 있습니다.",
                "Only an administrator adds or edits actions.",
            )
        )
    meeting_no = values.get("meeting_no")
    held = None
    try:
        row = con.execute("SELECT held_on FROM meetings WHERE meeting_no = ?", [int(meeting_no)]).fetchall()
        held = row[0][0] if row else None
    except (TypeError, ValueError):
        row = []
    if held is None:
        problems.append(
            _field(
                "회의",
                "Meeting",
                f"'{printable(short(meeting_no, 20))}' 회의가 없습니다.",
                f"There is no meeting '{printable(short(meeting_no, 20))}'.",
                "기준 정보의 회의 번호를 쓰세요.",
                "Use a meeting number from Reference.",
            )
        )
    text_ko = _long_text(problems, values.get("text_ko"), "내용", "Text", required=True)
    text_en = _long_text(problems, values.get("text_en"), "내용(영문)", "Text (English)", required=False)
    owner = _code(problems, "agency", values.get("owner_agency"), "담당 기관", "Owner agency")
    if owner is None and not any(p.where.startswith("담당 기관") for p in problems):
        problems.append(
            _field(
                "담당 기관",
                "Owner agency",
                "담당 기관이 비어 있습니다.",
                "The owner agency is empty.",
                "기관을 고르세요.",
                "Pick an agency.",
            )
        )
    mission = _code(problems, "mission", values.get("mission"), "공관", "Mission")
    sector = _code(problems, "sector", values.get("sector"), "분야", "Sector")
    metric = _code(problems, "metric", values.get("metric"), "지표", "Metric")
    due = _date(problems, values.get("due_on"), "기한", "Due date")
    if due is None and not any(p.where.startswith("기한") for p in problems):
        problems.append(
            _field(
                "기한",
                "Due date",
                "기한이 비어 있습니다.",
                "The due date is empty.",
                "예: 2026-12-31",
                "e.g. 2026-12-31",
            )
        )
    if due is not None and held is not None and due < held:
        problems.append(
            _field(
                "기한",
                "Due date",
                f"기한 {josa(str(due), '이/가')} 회의일 {held}보다 앞섭니다.",
                f"Due date {due} is before the meeting ({held}).",
                "회의일 이후로 적으세요.",
                "Give a date after the meeting.",
            )
        )
    status = _status(problems, values.get("status") or statuses.FIRST)
    fields = {
        "meeting_no": int(meeting_no) if held is not None else None,
        "text_ko": text_ko,
        "text_en": text_en,
        "owner_agency": owner,
        "mission_code": mission,
        "sector_code": sector,
        "metric_code": metric,
        "due_on": due,
        "status": status,
    }
    return fields, problems


def save_action(
    con: duckdb.DuckDBPyConnection,
    editor: Editor,
    action_id: int | None = None,
    *,
    is_demo: bool = False,
    **values,
) -> int:
    """Add an action (action_id None) or store a new version of one; its action_id.

    values: meeting_no, text_ko, text_en, owner_agency, mission, sector, metric, due_on, status.
    """
    fields, problems = check_action(con, editor, **values)
    if action_id is not None and _action_owner(con, action_id) is None:
        problems.append(
            _field(
                "조치",
                "Action",
                f"{josa(f'후속 조치 #{action_id}', '이/가')} 없습니다.",
                f"There is no follow-up action #{action_id}.",
            )
        )
    _refuse_if(problems, f"{EDIT_SHEET} / 후속 조치")
    if action_id is None:
        action_id = con.execute("SELECT coalesce(max(action_id), 0) + 1 FROM action").fetchall()[0][0]

    def insert(submission_id: int) -> None:
        con.execute(
            """
            INSERT INTO action (submission_id, action_id, meeting_no, text_ko, text_en, owner_agency,
                mission_code, sector_code, metric_code, due_on, status, is_demo, updated_by, source_sheet)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                submission_id, action_id, fields["meeting_no"], fields["text_ko"], fields["text_en"],
                fields["owner_agency"], fields["mission_code"], fields["sector_code"], fields["metric_code"],
                fields["due_on"], fields["status"], is_demo, editor.user, EDIT_SHEET,
            ],
        )  # fmt: skip

    _write(con, "actions", editor, None, f"action #{action_id} ({fields['status']})", insert)
    return int(action_id)


_COPY_ACTION = """
INSERT INTO action (submission_id, action_id, meeting_no, text_ko, text_en, owner_agency, mission_code,
    sector_code, metric_code, due_on, status, is_demo, updated_by, source_sheet)
SELECT ?, action_id, meeting_no, text_ko, text_en, owner_agency, mission_code, sector_code, metric_code,
    due_on, ?, is_demo, ?, ?
FROM actions WHERE action_id = ?
"""


def set_action_status(con: duckdb.DuckDBPyConnection, editor: Editor, action_id: int, status: object) -> None:
    """A new version of the action with another status (administrators, or an analyst of its owner)."""
    problems: list[Problem] = []
    _may_act_on(problems, editor, _action_owner(con, action_id), action_id)
    code = _status(problems, status)
    _refuse_if(problems, f"{EDIT_SHEET} / 후속 조치")
    _write(
        con,
        "actions",
        editor,
        None,
        f"action #{action_id} status {code}",
        lambda sid: con.execute(_COPY_ACTION, [sid, code, editor.user, EDIT_SHEET, int(action_id)]),
    )


def add_action_note(
    con: duckdb.DuckDBPyConnection,
    editor: Editor,
    action_id: int,
    noted_on: object,
    text: object,
    *,
    is_demo: bool = False,
) -> int:
    """A dated progress note on an action (administrators, or an analyst of its owner); its note_id."""
    problems: list[Problem] = []
    _may_act_on(problems, editor, _action_owner(con, action_id), action_id)
    when = _date(problems, noted_on, "날짜", "Date")
    if when is None and not any(p.where.startswith("날짜") for p in problems):
        problems.append(
            _field(
                "날짜",
                "Date",
                "날짜가 비어 있습니다.",
                "The date is empty.",
                "예: 2026-12-01",
                "e.g. 2026-12-01",
            )
        )
    body = _long_text(problems, text, "진행 메모", "Note", required=True)
    _refuse_if(problems, f"{EDIT_SHEET} / 진행 메모")
    note_id = con.execute("SELECT coalesce(max(note_id), 0) + 1 FROM action_note").fetchall()[0][0]
    _write(
        con,
        "action_notes",
        editor,
        None,
        f"note #{note_id} on action #{action_id}",
        lambda sid: con.execute(
            "INSERT INTO action_note (submission_id, note_id, action_id, noted_on, text, written_by, is_demo, "
            "source_sheet) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [sid, note_id, int(action_id), when, body, editor.user, is_demo, EDIT_SHEET],
        ),
    )
    return int(note_id)
