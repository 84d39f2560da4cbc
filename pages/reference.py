"""기준 정보: the K-beauty hub designation (administrator-edited, audited) and the reference lists."""

import streamlit as st

from ui import meetings_helpers as mh
from ui import upload_helpers as up
from ui.i18n import lang, tr
from ui.navigation import ADMIN
from ui.reference_helpers import DONE, apply_hub_change, hub_table, reference_table
from ui.roles import identity, require
from ui.warehouse import query
from warehouse import admin
from warehouse.connection import WarehouseMissing

require(ADMIN)
me = identity()
st.title(tr("기준 정보", "Reference data"))
message = st.session_state.pop(DONE, None)
if message:
    st.success(message)

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
st.dataframe(hub_table(hubs), hide_index=True, width="stretch")

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
            st.error(str(exc))
        else:
            st.rerun()

st.subheader(tr("정책협의회 회의", "Council meetings"))
st.caption(
    tr(
        "회의마다 회차, 일자, 제목과 검토한 (마감된) 분기를 적습니다. 표에서 고치거나 아래에 행을 추가한 뒤 "
        "저장하세요 (회차로 구분해 추가·수정하며, 삭제는 하지 않습니다). 회의 목록 파일(.xlsx)을 올려도 되고, "
        "명령줄에서는 python -m etl meetings 파일.xlsx 입니다. 변경은 누가 언제 했는지 기록됩니다.",
        "One row per meeting: number, date, title and the closed quarter it reviewed. Edit the table or add rows "
        "below it, then save (meetings are added or updated by number, never deleted). A meetings workbook "
        "(.xlsx) may be uploaded too; on the command line: python -m etl meetings FILE.xlsx. Every change "
        "records who made it.",
    )
)
for kind, text in st.session_state.pop(mh.DONE, []):
    (st.success if kind == "ok" else st.error)(text)
meetings = query(mh.stored)
editor_key = f"meetings_editor_{st.session_state.get(mh.EDITOR, 0)}"
edited = st.data_editor(
    mh.editor_frame(meetings),
    column_config=mh.column_config(),
    num_rows="add",
    hide_index=True,
    width="stretch",
    key=editor_key,
)
m1, m2 = st.columns(2)
if m1.button(
    tr("회의 목록 저장", "Save meetings"), type="primary", icon=":material/save:", key="meetings_save"
):
    outcome = mh.save_edits(meetings, edited, me)
    if outcome.problems:
        st.error(
            tr(
                f"저장하지 못했습니다: 문제 {len(outcome.problems)}건. 아무것도 바뀌지 않았습니다. 표를 고친 뒤 다시 저장하세요.",
                f"Not saved: {len(outcome.problems)} problem(s). Nothing changed; fix the table and save again.",
            ),
            icon=":material/block:",
        )
        st.dataframe(mh.edit_problems_table(outcome.problems), hide_index=True, width="stretch")
    else:
        st.session_state[mh.DONE] = [("ok", mh.saved_text(outcome.saved))]
        st.session_state[mh.EDITOR] = st.session_state.get(mh.EDITOR, 0) + 1
        st.rerun()
m2.download_button(
    tr("회의 목록 내려받기 (.xlsx)", "Download the meetings (.xlsx)"),
    data=mh.workbook_bytes(meetings),
    file_name=tr("정책협의회_회의목록.xlsx", "council_meetings.xlsx"),
    mime=up.XLSX_MIME,
    icon=":material/download:",
    key="meetings_download",
)
register = st.file_uploader(
    tr(
        "회의 목록 파일 올리기 (.xlsx: 회차, 일자, 제목, 영문 제목, 검토 분기, 비고)",
        "Upload a meetings workbook (.xlsx: 회차, 일자, 제목, 영문 제목, 검토 분기, 비고)",
    ),
    type=["xlsx"],
    key=f"meetings_file_{st.session_state.get(mh.EDITOR, 0)}",
)
if register is not None and st.button(
    tr("파일의 회의 적재", "Load the file's meetings"), icon=":material/upload_file:", key="meetings_load"
):
    outcome = mh.load_file(register.name, register.getvalue(), me)
    if outcome.problems:
        st.error(
            tr(
                f"회의 목록 파일을 적재하지 못했습니다: 문제 {len(outcome.problems)}건. 아무것도 바뀌지 않았습니다.",
                f"The meetings workbook was refused: {len(outcome.problems)} problem(s). Nothing changed.",
            ),
            icon=":material/block:",
        )
        st.dataframe(up.problem_table(outcome.problems), hide_index=True, width="stretch")
    else:
        st.session_state[mh.DONE] = [("ok", mh.saved_text(outcome.saved))]
        st.session_state[mh.EDITOR] = st.session_state.get(mh.EDITOR, 0) + 1
        st.rerun()

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
        st.dataframe(reference_table(kind, lang()), hide_index=True, width="stretch")
