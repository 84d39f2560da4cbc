"""지난 회의 이후: what changed since the last council meeting, for staff preparing the next one."""

from datetime import date

import streamlit as st

from metrics.actions import ActionCounts
from metrics.council import council_filters, meetings, quarter_text, since_last_council
from metrics.explanations import attach, latest_closed, quarter_explanations
from ui import actions_helpers as ah
from ui import blocks
from ui import council_tables as ct
from ui import explanations as ex
from ui.council_charts import dumbbell
from ui.i18n import lang, tr
from ui.text import option
from views.briefing_pack import pack_button

LANG = lang()
TODAY = date.today()
TOP = 15  # missions that moved most, drawn and listed (every mission is in the downloads)

st.title(tr("지난 회의 이후", "Since the last council"))
held = [m for m in blocks.load(meetings) if m.held_on < TODAY]
if not held:
    blocks.empty(
        tr(
            "아직 열린 정책협의회 회의가 없습니다. 관리자가 회의를 등록하면(`python -m etl meetings FILE`) 비교할 수 있습니다.",
            "No council meeting has been held yet. Once an administrator registers meetings "
            "(`python -m etl meetings FILE`), this page compares with the last one.",
        )
    )
    st.stop()

top, pack = st.columns([2, 1], vertical_alignment="bottom")
chosen = top.selectbox(
    tr("비교할 회의", "Compare with"),
    options=list(reversed(held)),
    format_func=lambda m: f"{option(m.title(LANG))} · {m.held_on:%Y-%m-%d}",
    key="council_meeting",
)
with pack:
    pack_button("council_pack")
s = blocks.load(since_last_council, chosen, today=TODAY)
if s is None:
    blocks.empty(
        tr(
            "마감된 분기가 없어 현재와 비교할 수 없습니다. 제출 현황에서 분기를 마감하세요.",
            "No quarter is closed yet, so there is no 'now' to compare with. Close a quarter on Submissions.",
        )
    )
    st.stop()

then_q, now_q = quarter_text(s.then_period, LANG), quarter_text(s.now_period, LANG)
st.caption(
    tr(
        f"당시: {s.meeting.short('ko')}에서 본 {then_q} 누계(회의일 0시 기준 수치) · 현재: {now_q} 마감 기준 누계(현재 수치). "
        "각 연도의 목표 대비이며, 왼쪽 조회 조건은 이 화면에 적용되지 않습니다.",
        f"Then: {then_q} year to date as the {s.meeting.short('en')} saw it (figures as of 00:00 that day) · "
        f"now: {now_q} closed, current figures. Each against its year's targets; the sidebar filters do not apply here.",
    )
)

st.markdown(f"##### {tr('주요 변화', 'What changed')}")
st.markdown("\n".join(f"- {line}" for line in s.highlights(LANG)))

tiles = st.columns(5)
tiles[0].metric(tr("상태 개선 목표", "Targets improved"), s.moved_count("better"), border=True)
tiles[1].metric(tr("상태 악화 목표", "Targets worsened"), s.moved_count("worse"), border=True)
tiles[2].metric(
    tr("정정된 실적", "Figures restated"),
    len(s.restated),
    border=True,
    help=tr(
        "회의 때 본 분기의 실적 중 회의 이후 정정된 건수",
        "Figures of the quarters the meeting reviewed, restated since",
    ),
)
tiles[3].metric(tr("마감된 분기", "Quarters closed"), len(s.quarters_closed), border=True)
opened = int(s.incidents["opened"].astype(bool).sum()) if not s.incidents.empty else 0
tiles[4].metric(tr("새 긴급상황", "Incidents begun"), opened, border=True)

st.markdown(f"##### {tr('목표 상태 변화 (당시 → 현재)', 'Target status, then → now')}")
# The matrix beside the changes it counts; the targets that changed below, at the page's width
matrix, lines = st.columns(2)
with matrix:
    blocks.table(
        ct.transition_matrix(s, LANG), stem=tr("상태변화_집계", "status_transitions"), key="council_matrix"
    )
with lines:
    st.markdown("\n".join(f"- {moved}: **{n}**" for moved, n in ct.transition_lines(s, LANG)))
st.caption(
    tr(
        f"상태가 바뀐 목표 (악화 먼저) · 당시: {then_q} 누계, 현재: {now_q} 누계 달성률",
        f"Targets whose status changed (worse first) · then: {then_q} year to date, now: {now_q}",
    )
)
changed = ct.targets_table(s, LANG, s.transitions)
blocks.table(
    ct.changed_on_screen(changed, s, LANG),
    stem=tr("상태변화_목표", "targets_changed"),
    key="council_changed",
    downloads=changed,
)
with st.expander(tr("모든 목표: 당시와 현재", "Every target, then and now"), icon=":material/table_view:"):
    # each status beside its explanation: then as they stood at the meeting, now as they stand
    every = ct.targets_table(s, LANG)
    for side, scope, status_col, label in (
        (
            "then",
            council_filters(chosen),
            tr("당시 상태", "Status then"),
            tr("당시 사유·대책", "Explanation then"),
        ),
        (
            "now",
            blocks.load(latest_closed, None),
            tr("현재 상태", "Status now"),
            tr("현재 사유·대책", "Explanation now"),
        ),
    ):
        if scope is None:
            continue
        judged = attach(
            s.targets.rename(columns={f"{side}_status": "status"}), blocks.load(quarter_explanations, scope)
        )
        every.insert(list(every.columns).index(status_col) + 1, label, ex.marks(judged))
    blocks.table(
        ct.every_on_screen(every, s, LANG),
        stem=tr("목표_당시_현재", "targets_then_now"),
        key="council_targets",
        downloads=every,
    )

then_label = tr(f"당시 ({then_q})", f"Then ({then_q})")
now_label = tr(f"현재 ({now_q})", f"Now ({now_q})")
left, right = st.columns(2)
with left:
    st.markdown(f"##### {tr('분야별 평균 달성률', 'Mean attainment by sector')}")
    if s.sector_movers.empty:
        blocks.empty(
            tr(
                "두 시점 모두 분야 목표가 있는 지표가 없습니다.",
                "No metric has sector targets at both times.",
            )
        )
    else:
        movers = ct.movers_table(s, "sector", LANG)
        blocks.chart(
            dumbbell(s.sector_movers, lang=LANG, then_label=then_label, now_label=now_label),
            ct.movers_on_screen(movers, LANG),
            key="council_sectors",
            downloads=movers,
            stem=tr("분야별_달성률_변화", "sector_attainment_change"),
        )
with right:
    st.markdown(f"##### {tr(f'달성률 변동이 큰 공관 (상위 {TOP})', f'Missions that moved most (top {TOP})')}")
    if s.mission_movers.empty:
        blocks.empty(
            tr(
                "두 시점 모두 공관 목표가 있는 지표가 없습니다.",
                "No metric has mission targets at both times.",
            )
        )
    else:
        movers = ct.movers_table(s, "mission", LANG)
        blocks.chart(
            dumbbell(s.mission_movers, lang=LANG, then_label=then_label, now_label=now_label, limit=TOP),
            ct.movers_on_screen(movers, LANG, limit=TOP),
            key="council_missions",
            downloads=movers,
            stem=tr("공관별_달성률_변화", "mission_attainment_change"),
        )

st.markdown(
    f"##### {tr('회의 때 본 분기의 정정 (당시 → 현재)', 'Restated figures of quarters the council had seen')}"
)
if s.restated.empty:
    st.caption(tr("회의 이후 바뀐 값이 없습니다.", "No figure the council saw has changed since."))
else:
    restated = ct.restated_table(s, LANG)
    blocks.table(
        ct.restated_on_screen(restated, LANG),
        stem=tr("정정_요약", "restated_summary"),
        key="council_restated",
        downloads=restated,
    )
    st.caption(
        tr(
            "파일·변경자·일시는 내려받기(CSV·Excel)에 있습니다.",
            "The file, who changed it and when are in the downloads (CSV, Excel).",
        )
    )
    with st.expander(tr("실적별 상세", "Figure by figure"), icon=":material/list:"):
        detail = ct.restated_detail(s, LANG)
        blocks.table(
            ct.restated_detail_on_screen(detail, LANG),
            stem=tr("정정_상세", "restated_figures"),
            key="council_restated_detail",
            downloads=detail,
        )

# one above the other: side by side, either table was cut at 1280 px
st.markdown(f"##### {tr('회의 이후 적재된 정정 보고', 'Restating returns loaded since')}")
if s.restating_returns.empty:
    st.caption(tr("없음", "None"))
else:
    blocks.table(
        ct.restating_table(s, LANG), stem=tr("정정_보고", "restating_returns"), key="council_returns"
    )
st.markdown(f"##### {tr('회의 이후 분기 마감', 'Quarters closed since')}")
if s.quarter_events.empty:
    st.caption(tr("없음", "None"))
else:
    blocks.table(
        ct.quarter_events_table(s, LANG), stem=tr("분기_마감", "quarters_closed"), key="council_quarters"
    )

st.markdown(f"##### {tr('회의 이후 긴급상황 발생·종료', 'Incidents begun or ended since')}")
if s.incidents.empty:
    st.caption(tr("없음", "None"))
else:
    incidents = ct.incidents_table(s, LANG)
    blocks.table(
        ct.incidents_on_screen(incidents, LANG),
        stem=tr("긴급상황_변화", "incidents_since"),
        key="council_incidents",
        downloads=incidents,
    )
    blocks.text_list(ct.incident_texts(incidents, LANG))

st.markdown(
    f"##### {tr(f'후속 조치: 기한 경과·{ah.SOON_DAYS}일 내 기한', f'Follow-up actions overdue or due within {ah.SOON_DAYS} days')}"
)
if s.actions.empty:
    st.caption(tr("없음", "None"))
else:
    st.caption(ah.counts_markdown(ActionCounts.of(s.actions)))
    due = ah.register_table(s.actions)
    blocks.table(
        ah.register_on_screen(due, LANG),
        stem=tr("후속조치_기한", "actions_due"),
        key="council_actions",
        downloads=due,
    )
    blocks.text_list(ct.action_texts(due, LANG))
ah.page_link(st, "views/actions.py", tr("후속 조치 전체 보기", "All follow-up actions"))
