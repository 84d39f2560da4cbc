"""기준 정보: the K-beauty hub designation (administrator-edited, audited) and the reference lists."""

import streamlit as st

from ui import meetings_helpers as mh
from ui import upload_helpers as up
from ui.i18n import lang, tr
from ui.navigation import ADMIN
from ui.reference_helpers import DONE, apply_hub_change, hub_table, reference_table
from ui.roles import identity, require
from ui.tables import show as show_table
from ui.text import plain
from ui.warehouse import query
from warehouse import admin
from warehouse.connection import WarehouseMissing

require(ADMIN)
me = identity()
st.title(tr("기준 정보", "Reference data"))
message = st.session_state.pop(DONE, None)
if message:
    st.success(plain(message))

st.subheader(tr("K-뷰티 거점공관 지정", "K-beauty hub missions"))
st.caption(
    tr(
        "어느 공관이 거점공관인지는 공개 정보가 아니므로 관리자가 여기서 지정합니다. 기준 정보 파일(missions.csv)의 "
        "지정 연도는 시연용 예시이며, 여기서 정한 값이 우선합니다. 변경은 누가 언제 했는지 기록됩니다.",
        "Which missions are K-beauty hubs is not public, so an administrator sets it here. The years in the "
        "reference file (missions.csv) are illustrative demo choices; a choice made here overrides them. "
        "Every change records who made it and when.",
    )
)
try:
    hubs = query(admin.kbeauty_hubs)
except WarehouseMissing:
    st.info(tr("아직 웨어하우스가 없습니다.", "No warehouse yet."))
    st.stop()
show_table(hub_table(hubs), hide_index=True, width="stretch")

missions = up.names("missions")
with st.form("hub_form"):
    c1, c2, c3 = st.columns([3, 2, 2])
    mission = c1.selectbox(
        tr("공관", "Mission"), list(missions), format_func=lambda c: f"{missions[c]} ({c})"
    )
    action = c2.radio(
        tr("변경", "Change"),
        ["designate", "withdraw", "reset"],
        format_func=lambda a: {
            "designate": tr("거점으로 지정", "Designate as hub"),
            "withdraw": tr("지정 해제", "Withdraw designation"),
            "reset": tr("기준 파일 값으로", "Back to reference file"),
        }[a],
    )
    since = c3.number_input(
        tr("지정 연도", "Year designated"), min_value=2000, max_value=2100, value=2026, step=1
    )
    note = st.text_input(tr("메모 (선택)", "Note (optional)"), max_chars=200)
    if st.form_submit_button(tr("저장", "Save"), type="primary"):
        try:
            st.session_state[DONE] = apply_hub_change(mission, action, int(since), note or None, me)
        except admin.AdminError as exc:
            st.error(plain(str(exc)))
        else:
            st.rerun()

mh.show_section(me)

st.subheader(tr("기준 목록", "Reference lists"))
st.caption(
    tr(
        "기관·분야·사업·지표·공관 목록은 data/ref/*.csv에서 읽습니다 (코드는 외부 도구와의 약속이라 화면에서 바꾸지 않습니다).",
        "Agencies, sectors, programs, metrics and missions come from data/ref/*.csv (codes are a contract with "
        "other tools, so they are not edited on screen).",
    )
)
kinds = ["agencies", "sectors", "programs", "metrics", "missions"]
labels = {
    "agencies": tr("기관", "Agencies"),
    "sectors": tr("분야", "Sectors"),
    "programs": tr("사업", "Programs"),
    "metrics": tr("지표", "Metrics"),
    "missions": tr("공관", "Missions"),
}
for tab, kind in zip(st.tabs([labels[k] for k in kinds]), kinds, strict=True):
    with tab:
        show_table(reference_table(kind, lang()), hide_index=True, width="stretch")
