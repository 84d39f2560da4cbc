"""적재 이력: every submission (who, when, file, rows, status); an administrator may roll one back."""

import streamlit as st

from etl.returns.preview import rollback_impact
from etl.store.ledger import history
from ui import cycle_helpers
from ui import history_helpers as hh
from ui.i18n import tr
from ui.navigation import STAFF
from ui.roles import identity, require
from ui.tables import show as show_table
from ui.text import plain
from ui.warehouse import query
from warehouse import admin
from warehouse.connection import WarehouseMissing

require(STAFF)
me = identity()
st.title(tr("적재 이력", "Load history"))
st.caption(
    tr(
        "올린 파일마다 한 줄입니다. 정정 파일이 들어오면 같은 기관·공관·분기의 이전 판은 '대체됨'으로 남고, "
        "취소하면 그 이전 판이 다시 반영됩니다.",
        "One row per loaded file. A corrected return leaves the earlier version as 'superseded'; "
        "rolling it back brings the earlier version back.",
    )
)
done = st.session_state.pop(hh.DONE, None)
if done:
    st.success(plain(done))

try:
    df = query(history)
except WarehouseMissing:
    st.info(tr("아직 웨어하우스가 없습니다.", "No warehouse yet."))
    st.stop()
if df.empty:
    st.info(tr("아직 적재한 파일이 없습니다.", "Nothing has been loaded yet."))
    st.stop()

kind = st.segmented_control(
    tr("구분", "Kind"),
    ["all", "results", "targets"],
    default="all",
    format_func=lambda k: {
        "all": tr("전체", "All"),
        "results": tr("실적", "Results"),
        "targets": tr("목표", "Targets"),
    }[k],
    key="history_kind",
)
shown = df if kind in (None, "all") else df[df["kind"] == kind]
restated = shown[shown["restates"].notna() & (shown["status"] != "rolled_back")]
if not restated.empty:
    st.warning(
        tr(
            f"정정 적재 {len(restated)}건: 마감된 분기의 실적을 마감 뒤에 고친 파일입니다 (기간에 '정정' 표시). "
            "회의에서 본 수치와 달라졌을 수 있습니다.",
            f"{len(restated)} restatement(s): files that changed figures of a quarter after it was closed "
            "(marked 'restates' in the period). They may differ from what the council saw.",
        ),
        icon=":material/edit_note:",
    )
show_table(hh.history_table(shown), hide_index=True, width="stretch")

events = query(cycle_helpers.quarter_events)
st.subheader(tr("분기 마감 기록", "Quarters closed and reopened"))
if events.empty:
    st.caption(tr("아직 마감하거나 다시 연 분기가 없습니다.", "No quarter has been closed or reopened yet."))
else:
    st.caption(
        tr(
            "누가 언제 어느 분기를 마감하거나 다시 열었는지, 그때 몇 곳이 제출했는지입니다.",
            "Who closed or reopened which quarter, when, and how many had reported then.",
        )
    )
    show_table(cycle_helpers.events_table(events), hide_index=True, width="stretch")

st.subheader(tr("적재 취소 (롤백)", "Roll back a load"))
if me.role != "admin":
    st.caption(tr("적재 취소는 관리자만 할 수 있습니다.", "Only an administrator can roll back a load."))
    st.stop()

candidates = df[df["status"] != "rolled_back"]
if candidates.empty:
    st.caption(tr("취소할 수 있는 적재가 없습니다.", "Nothing to roll back."))
    st.stop()
by_id = {int(r["submission_id"]): r for _, r in candidates.iterrows()}
choice = st.selectbox(
    tr("취소할 제출", "Submission to roll back"),
    list(by_id),
    format_func=lambda i: hh.describe(by_id[i]),
    key="rb_choice",
)
if st.button(tr("이 제출 취소하기…", "Roll back this submission…"), icon=":material/undo:", key="rb_ask"):
    st.session_state[hh.PENDING] = choice

pending = st.session_state.get(hh.PENDING)
if pending is not None and pending in by_id:
    row = by_id[pending]
    impact = query(rollback_impact, pending) if row["kind"] == "results" else None
    refused = impact["refused"] if impact else None
    if refused:  # the rollback would raise RollbackError with this very message
        st.error(plain(refused), icon=":material/block:")
    else:
        st.warning(
            tr(
                f"다음 제출을 취소합니다: **{plain(hh.describe(row))}**. {hh.rollback_effect(impact)} 이 작업은 이력에 남습니다. "
                "계속할까요?",
                f"Roll back **{plain(hh.describe(row))}**? {hh.rollback_effect(impact)} The rollback is recorded. Continue?",
            ),
            icon=":material/warning:",
        )
    c1, c2 = st.columns(2)
    if c1.button(
        tr("확인: 취소 실행", "Confirm rollback"), type="primary", key="rb_confirm", disabled=bool(refused)
    ):
        try:
            st.session_state[hh.DONE] = hh.do_rollback(pending, me)
        except hh.RollbackError as exc:
            st.session_state[hh.DONE] = str(exc)
        st.session_state.pop(hh.PENDING, None)
        st.rerun()
    if c2.button(tr("그만두기", "Cancel"), key="rb_cancel"):
        st.session_state.pop(hh.PENDING, None)
        st.rerun()

with st.expander(tr("대시보드에서 한 변경 기록", "Changes made in the dashboard (audit log)")):
    show_table(hh.audit_table(query(admin.audit_log)), hide_index=True, width="stretch")
