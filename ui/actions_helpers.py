"""후속 조치 on screen: each action's state (colour and symbol), its links, notes and edit panels.

Who may do what is etl.registers.followup's rule (an administrator adds and edits; an analyst of the owner
agency sets the status and adds notes): the panels are offered by the same rule, and every write
goes through etl.registers.followup on the app's write connection, so a refusal lists each field's problem in
Korean (English on the switch) and nothing stored changes. Stored text (action texts, notes, who
wrote them) is shown through ui.text.plain, never as Markdown or HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from etl.problems import Problem, Refused
from etl.registers.followup import Editor, add_action_note, save_action, set_action_status
from metrics.actions import SOON_DAYS, ActionCounts
from ui.action_marks import DEMO, DUE_SOON, OVERDUE, STATUS
from ui.i18n import lang, tr
from ui.roles import Identity
from ui.text import option, plain
from warehouse.action_statuses import STATUSES
from warehouse.connection import connection
from warehouse.paths import db_path

DONE = "_actions_done"  # a message shown after the rerun that follows a write
ERRORS = "_actions_errors"  # (panel key, problems) of the last refused write, shown in its panel


def status_label(code: str) -> str:
    glyph, ko, en, _ = STATUS.get(code, ("", code, code, "gray"))
    return f"{glyph} {tr(ko, en)}".strip()


def _badge(spec: tuple[str, str, str, str], extra: str = "") -> str:
    glyph, ko, en, colour = spec
    return f":{colour}-badge[{glyph} {tr(ko, en)}{extra}]"


def timing(row: dict) -> str:
    """'■ 기한 경과 · 154일' / '▲ 기한 임박 · D-14' / '' (plain text, for tables and downloads)."""
    days = row.get("days_left")
    if row.get("overdue"):
        return f"{OVERDUE[0]} {tr(OVERDUE[1], OVERDUE[2])} · " + tr(f"{-int(days)}일", f"{-int(days)} days")
    if row.get("due_soon"):
        return f"{DUE_SOON[0]} {tr(DUE_SOON[1], DUE_SOON[2])} · D-{int(days)}"
    return ""


def state_badges(row: dict) -> str:
    """The status badge, the due-date badge when overdue or due soon, and 데모 for demo items."""
    parts = [_badge(STATUS.get(row["status"], ("", row["status"], row["status"], "gray")))]
    days = row.get("days_left")
    if row.get("overdue"):
        parts.append(_badge(OVERDUE, " · " + tr(f"{-int(days)}일 지남", f"{-int(days)} days late")))
    elif row.get("due_soon"):
        parts.append(_badge(DUE_SOON, f" · D-{int(days)}"))
    if row.get("is_demo"):
        parts.append(f":violet-badge[{tr(*DEMO)}]")
    return " ".join(parts)


def text_of(row: dict) -> str:
    """The action's text in the current language (Korean when no English was written)."""
    en = row.get("text_en")
    return en if lang() == "en" and isinstance(en, str) and en else str(row["text_ko"])


def name_of(row: dict, kind: str) -> str:
    value = row.get(f"{kind}_{'en' if lang() == 'en' else 'ko'}")
    code = row.get(f"{kind}_code")
    # a missing name or code may come as NaN from a frame (not only None): never shown as "nan"
    return value if isinstance(value, str) and value else code if isinstance(code, str) else ""


def owner_of(row: dict) -> str:
    value = row.get("owner_short_en" if lang() == "en" else "owner_short_ko")
    return value if isinstance(value, str) and value else str(row["owner_agency"]).upper()


def _day(value: object) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")  # ty: ignore[invalid-argument-type]


def counts_line(c: ActionCounts) -> str:
    """'후속 조치 5건: ✔ 완료 1 · ◐ 진행 3 · ○ 예정 1 · ✕ 중단 0 — ■ 기한 경과 1 · ▲ 30일 내 기한 2'."""
    if not c.total:
        return tr("등록된 후속 조치가 없습니다.", "No follow-up action recorded.")
    parts = " · ".join(
        f"{status_label(s)} {getattr(c, s)}" for s in ("done", "in_progress", "planned", "dropped")
    )
    return tr(
        f"후속 조치 {c.total}건: {parts} — {OVERDUE[0]} 기한 경과 {c.overdue} · {DUE_SOON[0]} {SOON_DAYS}일 내 기한 {c.due_soon}",
        f"{c.total} follow-up action{'s' if c.total != 1 else ''}: {parts} — {OVERDUE[0]} overdue {c.overdue} · "
        f"{DUE_SOON[0]} due within {SOON_DAYS} days {c.due_soon}",
    )


def counts_markdown(c: ActionCounts) -> str:
    """counts_line with the overdue and due-soon counts in their colours (symbols kept)."""
    line = counts_line(c)
    if not c.total:
        return line
    overdue = f"{OVERDUE[0]} {tr('기한 경과', 'overdue')} {c.overdue}"
    soon = f"{DUE_SOON[0]} {tr(f'{SOON_DAYS}일 내 기한', f'due within {SOON_DAYS} days')} {c.due_soon}"
    if c.overdue:
        line = line.replace(overdue, f":red[**{overdue}**]")
    if c.due_soon:
        line = line.replace(soon, f":orange[**{soon}**]")
    return line


def links(row: dict) -> list[tuple[str, str, dict[str, str]]]:
    """(page, label, URL parameters) for what the action concerns: its mission's profile, its metric."""
    keep: dict[str, str] = {}  # page_link adds the language
    out = []
    metric = row.get("metric_code")
    has_metric = isinstance(metric, str) and metric
    mission = row.get("mission_code")
    if isinstance(mission, str) and mission:
        params = {"focus": mission, **({"metric": metric} if has_metric else {}), **keep}
        out.append(("views/by_mission.py", tr("공관별: ", "By mission: ") + name_of(row, "mission"), params))
    sector = row.get("sector_code")
    if isinstance(sector, str) and sector:
        out.append(("views/by_sector.py", tr("분야: ", "Sector: ") + name_of(row, "sector"), dict(keep)))
    if has_metric:
        page = "views/by_sector.py" if isinstance(sector, str) and sector else "views/by_year.py"
        out.append((page, tr("지표: ", "Metric: ") + name_of(row, "metric"), {"metric": metric, **keep}))
    return out


def page_link(where, page: str, label: str, params: dict[str, str] | None = None) -> None:
    """A link to another page of the app with URL parameters (the current language kept).

    A page run on its own (AppTest of one file, no st.navigation) has nothing to link into: the
    label is shown as text instead of failing the page.
    """
    params = {**(params or {}), **({"lang": "en"} if lang() == "en" else {})}
    try:
        where.page_link(page, label=label, icon=":material/arrow_forward:", query_params=params)
    except StreamlitPageNotFoundError:
        where.caption(label)


def register_table(actions: pd.DataFrame) -> pd.DataFrame:
    """The register as a table (what the downloads hold): one row per action, in the current language."""
    rows = actions.to_dict("records")
    return pd.DataFrame(
        {
            tr("번호", "No."): pd.array([int(r["action_id"]) for r in rows], dtype="Int64"),
            tr("회의", "Meeting"): [tr(f"제{r['meeting_no']}차", f"#{r['meeting_no']}") for r in rows],
            tr("내용", "Action"): [text_of(r) for r in rows],
            tr("담당", "Owner"): [owner_of(r) for r in rows],
            tr("관련", "Concerns"): [
                " · ".join(
                    n for n in (name_of(r, "mission"), name_of(r, "sector"), name_of(r, "metric")) if n
                )
                for r in rows
            ],
            tr("기한", "Due"): [_day(r["due_on"]) for r in rows],
            tr("상태", "Status"): [status_label(r["status"]) for r in rows],
            tr("기한 상태", "Against due date"): [timing(r) for r in rows],
            tr("데모", "Demo"): [tr(*DEMO) if r["is_demo"] else "" for r in rows],
        }
    ).astype({tr("번호", "No."): "Int64"})


def register_on_screen(full: pd.DataFrame, lang: str) -> pd.DataFrame:
    """register_table as shown: status and due-date state in one column, without the action's text
    (each action is written out under its meeting, or listed under the table by number) and the demo
    mark; the downloads keep every column."""

    def tl(ko: str, en: str) -> str:
        return en if lang == "en" else ko

    status, timing = tl("상태", "Status"), tl("기한 상태", "Against due date")
    out = full.drop(columns=[tl("내용", "Action"), tl("데모", "Demo")])
    out[status] = [f"{a} · {b}" if b else a for a, b in zip(full[status], full[timing], strict=True)]
    return out.drop(columns=[timing])


def owner_table(by_owner: pd.DataFrame) -> pd.DataFrame:
    """Counts per owner agency, in the current language."""
    name = "owner_en" if lang() == "en" else "owner_ko"
    return pd.DataFrame(
        {
            tr("담당 기관", "Owner"): by_owner[name].astype("str"),
            tr("전체", "All"): by_owner["total"],
            status_label("done"): by_owner["done"],
            status_label("in_progress"): by_owner["in_progress"],
            status_label("planned"): by_owner["planned"],
            status_label("dropped"): by_owner["dropped"],
            f"{OVERDUE[0]} {tr(OVERDUE[1], OVERDUE[2])}": by_owner["overdue"],
            f"{DUE_SOON[0]} {tr(DUE_SOON[1], DUE_SOON[2])}": by_owner["due_soon"],
        }
    )


# --- who may write -----------------------------------------------------------------------------------


def editor_for(me: Identity) -> Editor | None:
    """The etl.registers.followup Editor for this person; None for a viewer or an analyst without an agency.

    An analyst must never become Editor(agency=None), which etl.registers.followup reads as an administrator.
    """
    if me.role == "admin":
        return Editor(me.user, None, "admin")
    if me.role == "analyst" and me.agency:
        return Editor(me.user, me.agency, "analyst")
    return None


def may_update(editor: Editor | None, owner: str) -> bool:
    return editor is not None and (editor.is_admin or editor.agency == owner)


def write(panel: str, fn: Callable, *args, **kwargs) -> bool:
    """Run one etl.registers.followup write on the write connection; False (problems kept for `panel`) when refused."""
    try:
        with connection(db_path()) as con:
            fn(con, *args, **kwargs)
    except Refused as exc:
        st.session_state[ERRORS] = (panel, list(exc.problems))
        return False
    st.session_state.pop(ERRORS, None)
    st.cache_data.clear()  # every page reads the actions through the cache
    return True


def problems_markdown(problems: list[Problem]) -> str:
    """One line per problem: '**기한**: 기한 2024-01-01이(가) 회의일 …보다 앞섭니다. → 회의일 이후로 적으세요.'"""
    en = lang() == "en"
    lines = []
    for p in problems:
        ko_field, _, en_field = p.where.partition(" / ")
        field = (en_field or ko_field) if en else ko_field
        message = p.message_en if en else p.message_ko
        fix = p.fix_en if en else p.fix_ko
        lines.append(f"- **{plain(field)}**: {plain(message)}" + (f" → {plain(fix)}" if fix else ""))
    return "\n".join(lines)


def show_refusal(panel: str) -> None:
    """The refusal of the last write made from `panel`, if it was refused."""
    kept = st.session_state.get(ERRORS)
    if not kept or kept[0] != panel:
        return
    st.error(
        tr("저장하지 못했습니다. 아무것도 바뀌지 않았습니다.", "Not saved. Nothing changed.")
        + "\n\n"
        + problems_markdown(kept[1]),
        icon=":material/block:",
    )


def _done(message: str) -> None:
    st.session_state[DONE] = message
    st.rerun()


# --- the panels --------------------------------------------------------------------------------------


def _choices(names: dict[str, str]) -> list[str]:
    return ["", *names]


def action_form(
    key: str,
    editor: Editor,
    meetings: list,
    agency_names: dict[str, str],
    mission_names: dict[str, str],
    sector_names: dict[str, str],
    metric_names: dict[str, str],
    row: dict | None = None,
    today: date | None = None,
) -> None:
    """Add an action (row None) or edit one: every field, saved through etl.registers.followup.save_action."""
    today = today or date.today()
    row = row or {}
    numbers = [m.meeting_no for m in meetings]
    by_no = {m.meeting_no: m for m in meetings}
    none = tr("— 없음 —", "— none —")

    def pick(options: list[str], current: object) -> int:
        return options.index(current) if isinstance(current, str) and current in options else 0

    show_refusal(key)
    with st.form(key, clear_on_submit=False, border=False):
        left, right = st.columns(2)
        meeting = left.selectbox(
            tr("회의", "Meeting"),
            numbers,
            index=numbers.index(row["meeting_no"]) if row.get("meeting_no") in numbers else len(numbers) - 1,
            format_func=lambda n: f"{option(by_no[n].title(lang()))} ({by_no[n].held_on:%Y-%m-%d})",
            key=f"{key}_meeting",
        )
        owners = list(agency_names)
        owner = right.selectbox(
            tr("담당 기관", "Owner agency"),
            owners,
            index=pick(owners, row.get("owner_agency")),
            format_func=agency_names.get,
            key=f"{key}_owner",
        )
        text_ko = st.text_area(
            tr("내용", "Text (Korean)"), value=row.get("text_ko") or "", key=f"{key}_text_ko"
        )
        text_en = st.text_area(
            tr("내용(영문, 선택)", "Text in English (optional)"),
            value=row.get("text_en") or "",
            key=f"{key}_text_en",
        )
        a, b, c = st.columns(3)

        def optional(where, label: tuple[str, str], names: dict[str, str], column: str) -> str:
            """A selectbox of names with '— 없음 —' first, on the row's current code."""
            options = _choices(names)
            return where.selectbox(
                tr(*label),
                options,
                index=pick(options, row.get(f"{column}_code")),
                format_func=lambda code: names.get(code, none),
                key=f"{key}_{column}",
            )

        mission = optional(a, ("공관 (선택)", "Mission (optional)"), mission_names, "mission")
        sector = optional(b, ("분야 (선택)", "Sector (optional)"), sector_names, "sector")
        metric = optional(c, ("지표 (선택)", "Metric (optional)"), metric_names, "metric")
        d, e = st.columns(2)
        due_now = row.get("due_on")
        due = d.date_input(
            tr("기한", "Due date"),
            value=pd.Timestamp(due_now).date()
            if due_now is not None and not pd.isna(due_now)
            else today + timedelta(days=90),  # ty: ignore[invalid-argument-type]
            min_value=date(2000, 1, 1),
            format="YYYY-MM-DD",
            key=f"{key}_due",
        )
        statuses = list(STATUSES)
        status = e.selectbox(
            tr("상태", "Status"),
            statuses,
            index=pick(statuses, row.get("status")),
            format_func=status_label,
            key=f"{key}_status",
        )
        label = tr("후속 조치 저장", "Save the action") if row else tr("후속 조치 추가", "Add the action")
        if st.form_submit_button(label, type="primary", icon=":material/save:", key=f"{key}_submit"):
            ok = write(
                key,
                save_action,
                editor,
                int(row["action_id"]) if row.get("action_id") is not None else None,
                meeting_no=meeting,
                text_ko=text_ko,
                text_en=text_en,
                owner_agency=owner,
                mission=mission or None,
                sector=sector or None,
                metric=metric or None,
                due_on=due,
                status=status,
            )
            if ok:
                _done(tr("후속 조치를 저장했습니다.", "The action was saved."))
            st.rerun()


def status_form(key: str, editor: Editor, row: dict) -> str:
    """The status of one action (an administrator, or an analyst of its owner); the status chosen.

    Not a form: the note form beside it saves a changed status with its note (one submit), so it
    must see the choice before 상태 저장 is clicked.
    """
    show_refusal(key)
    statuses = list(STATUSES)
    chosen = st.selectbox(
        tr("상태", "Status"),
        statuses,
        index=statuses.index(row["status"]) if row["status"] in statuses else 0,
        format_func=status_label,
        key=f"{key}_status",
    )
    if st.button(tr("상태 저장", "Save the status"), icon=":material/save:", key=f"{key}_submit"):
        if chosen == row["status"]:
            st.session_state.pop(ERRORS, None)
        elif write(key, set_action_status, editor, int(row["action_id"]), chosen):
            _done(
                tr(
                    f"#{row['action_id']} 상태를 바꿨습니다: {status_label(chosen)}",
                    f"#{row['action_id']} is now {status_label(chosen)}.",
                )
            )
        st.rerun()
    return chosen


def note_form(key: str, editor: Editor, row: dict, today: date, status: str | None = None) -> None:
    """A dated progress note on one action (an administrator, or an analyst of its owner).

    `status`, when it differs from the action's, is saved with the note (the note first, so a refused
    note changes nothing; etl.registers.followup writes each in its own transaction).
    """
    show_refusal(key)
    # a refused note keeps what was typed; a stored one starts the form again empty (a new key)
    round_ = st.session_state.get(f"{key}_round", 0)
    with st.form(f"{key}_{round_}", border=False):
        when = st.date_input(
            tr("날짜", "Date"),
            value=today,
            min_value=date(2000, 1, 1),
            format="YYYY-MM-DD",
            key=f"{key}_date",
        )
        text = st.text_area(tr("진행 메모", "Progress note"), key=f"{key}_text_{round_}", height=80)
        if st.form_submit_button(
            tr("메모 추가", "Add the note"), icon=":material/note_add:", key=f"{key}_submit"
        ):
            action_id = int(row["action_id"])
            if write(key, add_action_note, editor, action_id, when, text):
                st.session_state[f"{key}_round"] = round_ + 1
                message = tr(f"#{action_id}에 진행 메모를 추가했습니다.", f"Note added to #{action_id}.")
                # a refused status leaves the note stored: its refusal is shown in this panel
                if (
                    status
                    and status != row["status"]
                    and write(key, set_action_status, editor, action_id, status)
                ):
                    message = tr(
                        f"#{action_id}에 진행 메모를 추가하고 상태를 바꿨습니다: {status_label(status)}",
                        f"Note added to #{action_id}, which is now {status_label(status)}.",
                    )
                _done(message)
            st.rerun()


def last_update(row: dict, notes: pd.DataFrame) -> tuple[date, str]:
    """(day, by whom) of the action's latest change: its own current version or a note on it
    (the note's date or when it was stored, whichever is later)."""
    by = row.get("updated_by")
    latest, who = pd.Timestamp(row["updated_at"]).date(), by if isinstance(by, str) else ""  # ty: ignore[invalid-argument-type]
    for n in notes.to_dict("records"):
        days = [
            pd.Timestamp(v).date()
            for v in (n.get("noted_on"), n.get("recorded_at"))
            if v is not None and not pd.isna(v)
        ]  # ty: ignore[invalid-argument-type]
        if days and max(days) > latest:
            writer = n.get("written_by")
            latest, who = max(days), writer if isinstance(writer, str) else ""
    return latest, who


def notes_markdown(notes: pd.DataFrame) -> str:
    """The notes, oldest first: '- **2026-01-20** 메모 — 작성자' (stored text escaped)."""
    lines = []
    for n in notes.to_dict("records"):
        demo = f" :violet-badge[{tr(*DEMO)}]" if n.get("is_demo") else ""
        who = n.get("written_by")
        by = f" — _{plain(who)}_" if isinstance(who, str) and who else ""
        lines.append(f"- **{_day(n['noted_on'])}**{demo} {plain(n['text'])}{by}")
    return "\n".join(lines)
