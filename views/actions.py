"""후속 조치: what each council agreed, by meeting and owner, overdue and due soon marked, with notes."""

from datetime import date

import streamlit as st

from metrics import registry
from metrics.actions import ActionCounts, action_list, action_notes, by_owner
from metrics.council import meetings
from ui import actions_helpers as ah
from ui import blocks, filters
from ui.cycle import today
from ui.i18n import lang, tr
from ui.reference import full_names, names
from ui.roles import identity
from ui.text import plain

LANG = lang()
TODAY: date = today()  # the real date unless the session names another (ui.cycle)

st.title(tr("후속 조치", "Follow-up actions"))
st.caption(
    tr(
        "정책협의회가 합의한 후속 조치와 이행 상황입니다. ■ 기한 경과: 기한이 지났는데 완료·중단되지 않은 조치, "
        f"▲ 기한 임박: {ah.SOON_DAYS}일 안에 기한이 오는 조치. 관리자는 조치를 추가·수정하고, 담당 기관의 분석 담당자는 "
        "상태를 바꾸고 진행 메모를 남깁니다. 왼쪽 조회 조건은 이 화면에 적용되지 않습니다.",
        "What the council agreed and how far each action has got. ■ Overdue: past due and neither done nor "
        f"dropped; ▲ due soon: due within {ah.SOON_DAYS} days. Administrators add and edit actions; an analyst "
        "of the owner agency sets the status and adds progress notes. The sidebar filters do not apply here.",
    )
)
message = st.session_state.pop(ah.DONE, None)
if message:
    st.success(plain(message), icon=":material/check_circle:")

actions = blocks.load(action_list, TODAY)
notes = blocks.load(action_notes)
held = blocks.load(meetings)
me = identity()
editor = ah.editor_for(me)
agency_short, agency_full = names("agencies"), full_names("agencies")

st.markdown(ah.counts_markdown(ActionCounts.of(actions)))
if me.role == "analyst" and editor is None:
    st.caption(
        tr(
            "소속 기관이 지정되지 않아 조치를 갱신할 수 없습니다 (관리자에게 문의하세요).",
            "No agency is set for your account, so you cannot update actions (ask an administrator).",
        )
    )

if not actions.empty:
    owners = [code for code in agency_short if code in set(actions["owner_agency"])]
    owner = filters.page_choice(
        tr("담당 기관", "Owner agency"),
        ["", *owners],
        key="owner",
        format_func=lambda c: agency_full.get(c, c) if c else tr("전체", "All"),
    )
    shown = actions[actions["owner_agency"] == owner] if owner else actions
    with st.expander(
        tr("기관별 현황 · 표 내려받기", "By owner · table and downloads"), icon=":material/table_view:"
    ):
        blocks.table(
            ah.owner_table(by_owner(actions)),
            stem=tr("후속조치_기관별", "actions_by_owner"),
            key="actions_owner",
        )
        register = ah.register_table(shown)
        blocks.table(
            ah.register_on_screen(register, LANG),
            stem=tr("후속조치", "follow_up_actions"),
            key="actions_register",
            downloads=register,
        )

    by_no = {m.meeting_no: m for m in held}
    for meeting_no in sorted(set(shown["meeting_no"]), reverse=True):  # the latest council first
        group = shown[shown["meeting_no"] == meeting_no]
        m = by_no.get(int(meeting_no))
        st.subheader(
            f"{plain(m.title(LANG))} · {m.held_on:%Y-%m-%d}"
            if m
            else tr(f"제{meeting_no}차 회의", f"Meeting {meeting_no}")
        )
        st.caption(ah.counts_line(ActionCounts.of(group)))
        for row in group.to_dict("records"):
            action_id = int(row["action_id"])
            with st.container(border=True, key=f"action_{action_id}"):
                st.markdown(f"**#{action_id}** {ah.state_badges(row)}")
                st.markdown(f"**{plain(ah.text_of(row))}**")
                mine = notes[notes["action_id"] == action_id]
                updated, updated_by = ah.last_update(row, mine)
                st.caption(
                    tr("담당", "Owner")
                    + f" {plain(agency_full.get(row['owner_agency'], row['owner_agency']))} · "
                    + tr("기한", "Due")
                    + f" {row['due_on']:%Y-%m-%d} · "
                    + tr("최근 갱신", "Last updated")
                    + f" {updated:%Y-%m-%d} {plain(updated_by)}"
                )
                concerns = ah.links(row)
                if concerns:
                    for column, (page, label, params) in zip(
                        st.columns(len(concerns) + 1), concerns, strict=False
                    ):
                        ah.page_link(column, page, plain(label), params)
                if mine.empty:
                    st.caption(tr("진행 메모 없음", "No progress note yet"))
                else:
                    st.markdown(ah.notes_markdown(mine))
                if ah.may_update(editor, row["owner_agency"]):
                    with st.expander(tr("진행 상황 갱신", "Update progress"), icon=":material/edit_note:"):
                        left, right = st.columns([1, 2])
                        with left:
                            chosen = ah.status_form(f"act_status_{action_id}", editor, row)
                        with right:
                            ah.note_form(f"act_note_{action_id}", editor, row, TODAY, chosen)
                    if editor.is_admin:
                        with st.expander(
                            tr("조치 수정 (관리자)", "Edit the action (administrator)"),
                            icon=":material/edit:",
                        ):
                            ah.action_form(
                                f"act_edit_{action_id}",
                                editor,
                                [m for m in held if m.held_on <= TODAY or m.meeting_no == row["meeting_no"]],
                                agency_full,
                                names("missions"),
                                names("sectors"),
                                {m.code: m.name(LANG) for m in registry.all_metrics()},
                                row=row,
                                today=TODAY,
                            )
                elif editor is not None:
                    st.caption(
                        tr(
                            f"이 조치는 {agency_full.get(row['owner_agency'], row['owner_agency'])} 담당입니다. 담당 기관의 분석 담당자나 관리자만 갱신할 수 있습니다.",
                            f"This action belongs to {agency_full.get(row['owner_agency'], row['owner_agency'])}; only its analysts or an administrator update it.",
                        )
                    )

if editor is not None and editor.is_admin:
    st.subheader(tr("후속 조치 추가", "Add a follow-up action"))
    past = [m for m in held if m.held_on <= TODAY]  # an action follows a meeting already held
    if not past:
        st.caption(
            tr(
                "먼저 기준 정보에서 이미 열린 회의를 등록하세요.",
                "Register a meeting already held on Reference data first.",
            )
        )
    else:
        ah.action_form(
            "act_new",
            editor,
            past,
            agency_full,
            names("missions"),
            names("sectors"),
            {m.code: m.name(LANG) for m in registry.all_metrics()},
            today=TODAY,
        )
