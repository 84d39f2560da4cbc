"""목표 관리: the targets in force; an administrator edits them on screen or uploads a targets workbook."""

from datetime import date

import pandas as pd
import streamlit as st

from etl.intake_text import too_big
from etl.problems import Refused
from etl.registers.targets import heavy_withdrawals, withdrawal_message
from etl.workbooks.targets_file import (
    check_targets,
    current_targets,
    target_years,
    targets_diff,
    targets_workbook,
    withdrawn_per_year,
)
from ui import explanation_lists
from ui import targets_helpers as th
from ui import upload_helpers as up
from ui.i18n import tr
from ui.navigation import ADMIN
from ui.roles import identity, require
from ui.tables import edit as edit_table
from ui.tables import show as show_table
from ui.text import plain
from ui.warehouse import query
from warehouse.connection import WarehouseMissing

require(ADMIN)
me = identity()
st.title(tr("목표 관리", "Targets"))
st.caption(
    tr(
        "목표는 (연도, 지표, 분야, 공관, 주관기관, 목표값) 행입니다. 빈 칸은 '전체'입니다. 저장하거나 올린 목표는 "
        "그 연도의 목표 전체를 바꾸고, 이전 목표는 이력에 남아 되돌릴 수 있습니다.",
        "Targets are rows of (year, metric, sector, mission, agency, value); an empty cell means all. Saving or "
        "uploading replaces that year's targets whole; the previous ones stay in the history and can be restored.",
    )
)
for message in st.session_state.pop(th.DONE, []):
    st.success(plain(message))

try:
    years = query(target_years)
    warehouse_ready = True
except WarehouseMissing:
    years, warehouse_ready = [], False
this_year = date.today().year
choices = sorted({*years, this_year, 2026})
year = st.selectbox(tr("연도", "Year"), choices, index=choices.index(2026), key="targets_year")
current = query(current_targets, year) if warehouse_ready else th.empty_targets()

view, edit, upload, explain = st.tabs(
    [
        tr("현재 목표", "Targets in force"),
        tr("화면에서 고치기", "Edit on screen"),
        tr("파일로 올리기", "Upload a file"),
        tr("사유·대책", "Explanations"),
    ]
)

with explain:
    if warehouse_ready:
        explanation_lists.targets_section(me)
    else:
        st.info(tr("웨어하우스가 없습니다.", "No warehouse yet."))

with view:
    if current.empty:
        st.info(tr(f"{year}년 목표가 없습니다.", f"No targets for {year}."))
    else:
        show_table(th.named(current), hide_index=True, width="stretch")
    st.download_button(
        tr(f"{year}년 목표 파일 내려받기 (.xlsx)", f"Download the {year} targets (.xlsx)"),
        data=lambda: targets_workbook(current),
        file_name=f"목표_{year}.xlsx",
        mime=up.XLSX_MIME,
        icon=":material/download:",
        key="targets_download",
    )

with edit:
    st.caption(
        tr(
            "행을 고치거나 더하거나 지운 뒤 '검사하고 저장'을 누르세요. 파일로 올릴 때와 똑같이 검사합니다.",
            "Edit, add or delete rows, then 'Check and save'. The rows are checked exactly as an uploaded file.",
        )
    )
    edited = edit_table(
        th.editor_frame(current),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config=th.editor_columns(),
        key=f"targets_editor_{year}_{st.session_state.get(th.SAVES, 0)}",  # fresh after each save
    )
    if st.button(tr("검사하고 저장", "Check and save"), type="primary", key="targets_save"):
        data = targets_workbook(th.codes_from_editor(edited, year))
        try:
            incoming = check_targets(data, f"화면 편집 {year}.xlsx")
        except Refused as exc:
            st.error(
                tr(
                    f"저장하지 않았습니다: 문제 {len(exc.problems)}건.",
                    f"Not saved: {len(exc.problems)} problem(s).",
                )
            )
            show_table(th.editor_problems(exc.problems), hide_index=True, width="stretch")
        else:
            diff = targets_diff(current, incoming)
            heavy = heavy_withdrawals(withdrawn_per_year(diff))  # the same check as an uploaded file's
            # The confirmation holds for exactly the rows it was given for: edit again, confirm again.
            token = (year, incoming.to_csv(index=False))
            if (diff["status"] == "same").all() and len(incoming) == len(current):
                st.info(tr("바뀐 목표가 없습니다.", "No target changed."))
            elif heavy and not (
                st.session_state.get(th.EDIT_PENDING, (None,))[0] == token
                and st.session_state.get(th.EDIT_WITHDRAW_OK)
            ):
                st.session_state[th.EDIT_PENDING] = (token, heavy)
                st.session_state[th.EDIT_WITHDRAW_OK] = False
            else:
                st.session_state.pop(th.EDIT_PENDING, None)
                th.save(
                    data, f"targets_{year}_edited_{pd.Timestamp.now():%Y%m%d%H%M%S}.xlsx", me, len(incoming)
                )
                st.rerun()
    pending = st.session_state.get(th.EDIT_PENDING)
    if pending is not None and pending[0][0] == year:
        ko, en = withdrawal_message(pending[1])
        st.warning(tr(ko, en), icon=":material/warning:")
        st.checkbox(
            tr(
                "목표가 빠지는 것을 확인했습니다. '검사하고 저장'을 다시 누르면 그대로 저장합니다.",
                "I understand these targets are withdrawn; 'Check and save' again saves them as they are.",
            ),
            key=th.EDIT_WITHDRAW_OK,
        )

with upload:
    st.caption(
        tr(
            f"열: 연도, 지표, 분야, 공관, 주관기관, 목표 (이름이나 코드). 파일 하나의 최대 크기는 {up.limit_text()}입니다.",
            f"Columns: year, metric, sector, mission, agency, target (names or codes). At most {up.limit_text()}.",
        )
    )
    if css := up.uploader_css():  # the uploader's own English strings, in Korean
        st.html(css)
    file = st.file_uploader(
        tr("목표 파일 (.xlsx)", "Targets file (.xlsx)"),
        type=["xlsx"],
        max_upload_size=up.uploader_limit_mb(),
        key=f"targets_uploader_{st.session_state.get(th.UPLOADER, 0)}",
    )
    if file is not None:
        data = file.getvalue()
        if len(data) > up.upload_limit_bytes():
            problem = too_big(file.name, len(data), up.upload_limit_bytes())
            st.error(plain(tr(problem.message_ko, problem.message_en)))
            st.stop()
        try:
            incoming = check_targets(data, file.name)
        except Refused as exc:
            item = up.Checked(
                key=f"targets_{file.file_id}",
                name=file.name,
                size=len(data),
                data=data,
                status="refused",
                problems=list(exc.problems),
                locatable=any(p.sheet for p in exc.problems),
            )
            up.show_refused(item)
        else:
            everything = query(current_targets, None) if warehouse_ready else th.empty_targets()
            diff = targets_diff(everything, incoming)
            counts = diff["status"].value_counts()
            covered = ", ".join(str(y) for y in sorted(set(incoming["year"])))
            st.success(
                tr(
                    f"**{plain(file.name)}** — 검사 통과: {covered}년 목표 {len(incoming)}건 (신규 {counts.get('new', 0)}, "
                    f"변경 {counts.get('changed', 0)}, 동일 {counts.get('same', 0)}, 빠짐 {counts.get('removed', 0)}).",
                    f"**{plain(file.name)}** — passed: {len(incoming)} targets for {covered} ({counts.get('new', 0)} new, "
                    f"{counts.get('changed', 0)} changed, {counts.get('same', 0)} same, "
                    f"{counts.get('removed', 0)} withdrawn).",
                )
            )
            show_table(th.named(diff, status=True), hide_index=True, width="stretch")
            heavy = heavy_withdrawals(withdrawn_per_year(diff))
            confirmed = True
            if heavy:
                ko, en = withdrawal_message(heavy)
                st.warning(tr(ko, en), icon=":material/warning:")
                confirmed = st.checkbox(
                    tr(
                        "목표가 빠지는 것을 확인했습니다. 그대로 적재합니다.",
                        "I understand these targets are withdrawn; load it as it is.",
                    ),
                    key="targets_withdraw_ok",
                )
            if st.button(
                tr("목표 적재", "Load targets"), type="primary", key="targets_commit", disabled=not confirmed
            ):
                th.save(data, file.name, me, len(incoming))
                st.session_state[th.UPLOADER] = st.session_state.get(th.UPLOADER, 0) + 1
                st.rerun()
