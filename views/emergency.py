"""긴급 대응: open incidents on the map, per incident the mission's notes, affected firms by sector and
relief over time; closed incidents as history; administrators edit the incident list here."""

from datetime import date

import pandas as pd
import streamlit as st

from etl.problems import Refused
from etl.registers.incidents import EDIT_COLUMNS, current_incidents, save_edits
from metrics.emergency import (
    closed_incidents,
    incident_by_sector,
    incident_timeline,
    incidents,
    open_brief,
    unattributed,
)
from ui import blocks, cycle, filters
from ui import emergency_charts as ec
from ui import format as fmt
from ui.a11y import chart_summary
from ui.i18n import lang, tr
from ui.reference import names
from ui.roles import can, current_user
from ui.tables import edit as edit_table
from ui.text import plain
from ui.warehouse import query
from warehouse.connection import connection
from warehouse.paths import db_path
from warehouse.schema import read_reference

LANG = lang()
TODAY = date.today()
SAVED = "_incidents_saved"

st.title(tr("긴급 대응", "Emergency response"))
st.caption(
    tr(
        "정세 불안·분쟁·재난·무역 조치 등 긴급상황이 생기면 공관이 상황을 파악해 현지 당국과 협의하고, 중기부는 "
        "피해기업의 경영·수출 지원을 검토합니다. 피해기업과 지원 건수는 분기 실적 보고에서, 긴급상황 목록은 "
        "관리자가 등록한 자료에서 옵니다. 지원율 = 지원 건수 ÷ 피해기업 수. 조회 조건(연도·분야 등)은 이 "
        "화면에 적용되지 않습니다.",
        "When unrest, conflict, a disaster or a trade measure hits a country, the mission assesses the "
        "situation and consults local authorities, and MSS reviews management and export support for the "
        "affected firms. Affected firms and relief cases come from the quarterly returns; the incident list "
        "is kept by administrators. Relief ratio = relief cases ÷ firms affected. The sidebar filters do "
        "not apply to this page.",
    )
)
# Figures of closed quarters, as on every page (an open quarter's returns only in the preliminary view).
THROUGH = cycle.through()
if THROUGH is not None:
    st.caption(
        tr(
            f"피해기업·지원은 {THROUGH // 10}년 {THROUGH % 10}분기 마감까지의 실적입니다.",
            f"Firms affected and relief: figures through {THROUGH // 10} Q{THROUGH % 10} (closed).",
        )
    )
elif cycle.preliminary():
    st.caption(cycle.label())
cycle.notice()
message = st.session_state.pop(SAVED, None)
if message:
    st.success(plain(message))

everything = blocks.load(incidents, TODAY, THROUGH)
brief = blocks.load(open_brief, TODAY, THROUGH)
active = everything[everything["is_active"].astype(bool)].reset_index(drop=True)

# --- open incidents ---------------------------------------------------------------------------------
tiles = st.columns(4)
tiles[0].metric(tr("진행 중 긴급상황", "Open emergencies"), f"{brief.count}", border=True)
tiles[1].metric(
    tr("피해기업", "Firms affected"), fmt.count(brief.affected_firms, "개사", "firms", LANG), border=True
)
tiles[2].metric(tr("지원", "Relief cases"), fmt.count(brief.relief_cases, "건", "cases", LANG), border=True)
tiles[3].metric(
    tr("지원율", "Relief ratio"),
    fmt.percent(brief.relief_ratio_pct, 0) if brief.relief_ratio_pct is not None else fmt.DASH,
    border=True,
)

st.subheader(tr("진행 중인 긴급상황", "Open emergencies"))
if active.empty:
    blocks.empty(tr("진행 중(또는 모니터링 중)인 긴급상황이 없습니다.", "No emergency is open or monitored."))
else:
    incident_map = ec.incident_map(active, LANG)
    st.plotly_chart(incident_map, key="chart_incident_map", theme=None, config=blocks.PLOTLY_CONFIG)
    st.caption(
        tr(
            "◆ 진행 중 · ● 모니터링. 크기는 피해기업 수에 비례합니다.",
            "◆ open · ● monitoring. Size grows with the firms affected.",
        )
    )
    st.caption(
        chart_summary(incident_map)
        + tr(" 아래 표에 같은 긴급상황이 있습니다.", " The table below lists the same incidents.")
    )
    ec.incidents_block(active, LANG, stem="emergencies_open", key="open")

# --- one incident ----------------------------------------------------------------------------------
st.subheader(tr("긴급상황별 현황", "Incident detail"))
if everything.empty:
    blocks.empty(tr("등록된 긴급상황이 없습니다.", "No incident recorded."))
else:
    labels = {r["incident_id"]: ec.incident_label(r, LANG) for r in everything.to_dict("records")}
    chosen = filters.page_choice(
        tr("긴급상황", "Incident"), list(labels), key="incident", format_func=labels.get
    )
    row = everything[everything["incident_id"] == chosen].iloc[0].to_dict()
    notes, sectors = st.columns([2, 3])
    with notes:
        st.markdown(f"**{plain(row['description'])}**")
        st.caption(
            f"{row['status_en' if LANG == 'en' else 'status_ko']} · {ec.period_text(row)} · "
            + tr(f"{int(row['days'])}일", f"{int(row['days'])} days")
            + (f" · {tr('기록', 'recorded by')} {plain(row['recorded_by'])}" if row["recorded_by"] else "")
        )
        st.markdown(f"###### {tr('공관 상황 메모', 'Situation notes from the mission')}")
        situation = row["situation"]
        st.info(plain(situation) if isinstance(situation, str) and situation else tr("메모 없음", "No notes"))
    with sectors:
        by_sector = query(incident_by_sector, chosen, THROUGH)
        st.markdown(f"###### {tr('분야별 피해기업·지원', 'Firms affected and relief by sector')}")
        if by_sector.empty:
            blocks.empty(
                tr(
                    "이 긴급상황 기간에 보고된 피해기업·지원 실적이 없습니다.",
                    "No affected firms or relief reported for this incident's quarters.",
                )
            )
        else:
            blocks.chart(
                ec.sector_bars(by_sector, LANG),
                ec.sector_table(by_sector, LANG),
                key="incident_sectors",
                stem=f"incident_{chosen}_sectors",
            )
    timeline = query(incident_timeline, chosen, THROUGH)
    st.markdown(f"###### {tr('분기별 피해기업 대비 지원', 'Relief against firms affected, by quarter')}")
    if timeline.empty:
        blocks.empty(tr("보고된 분기가 없습니다.", "No quarter reported."))
    else:
        blocks.chart(
            ec.relief_over_time(timeline, LANG),
            ec.timeline_table(timeline, LANG),
            key="incident_timeline",
            stem=f"incident_{chosen}_timeline",
        )

# --- history ----------------------------------------------------------------------------------------
st.subheader(tr("종료된 긴급상황", "Closed emergencies"))
closed = query(closed_incidents, TODAY, THROUGH)
if closed.empty:
    st.caption(tr("종료된 긴급상황이 없습니다.", "No closed incident."))
else:
    ec.incidents_block(closed, LANG, stem="emergencies_closed", key="closed", history=True)

loose = query(unattributed, THROUGH)
if not loose.empty:
    st.warning(
        tr(
            "아래 공관·분기의 피해기업·지원 실적에는 등록된 긴급상황이 없습니다. 긴급상황을 등록하세요.",
            "These missions reported affected firms or relief in quarters with no incident recorded. "
            "Record the incident.",
        ),
        icon=":material/link_off:",
    )
    blocks.table(ec.unattributed_table(loose, LANG), stem="emergencies_unattributed", key="unattributed")

# --- administrators: edit the list ------------------------------------------------------------------
if can("admin"):
    st.subheader(tr("긴급상황 목록 편집 (관리자)", "Edit the incident list (administrators)"))
    st.caption(
        tr(
            "행을 고치거나 추가·삭제한 뒤 저장하세요. 업로드 파일과 같은 규칙으로 검사하며, 저장하면 적재 이력에 "
            "남고(되돌리기 가능) 바뀐 행에는 기록자로 내 이름이 남습니다. 파일로 한꺼번에 올리려면 "
            "`python -m etl incidents 파일.xlsx`를 쓰세요.",
            "Change, add or delete rows, then save. Checked by the same rules as a file; a save shows in the "
            "load history (and can be rolled back), and changed rows record you as their recorder. To load a "
            "file, use `python -m etl incidents FILE.xlsx`.",
        )
    )
    stored = query(current_incidents)
    table = stored[list(EDIT_COLUMNS)].copy()
    for column in ("started_on", "ended_on"):
        table[column] = pd.to_datetime(table[column]).dt.date
    missions = names("missions")
    kinds = {r["type_code"]: r[f"name_{LANG}"] for r in read_reference("incident_types.csv")}
    statuses = {r["status_code"]: r[f"name_{LANG}"] for r in read_reference("incident_statuses.csv")}
    edited = edit_table(
        table,
        key="incident_editor",
        num_rows="dynamic",
        hide_index=True,
        column_config={
            "mission_code": st.column_config.SelectboxColumn(
                tr("공관", "Mission"), options=list(missions), format_func=missions.get, required=True
            ),
            "type_code": st.column_config.SelectboxColumn(
                tr("유형", "Type"), options=list(kinds), format_func=kinds.get, required=True
            ),
            "started_on": st.column_config.DateColumn(tr("시작일", "Start"), required=True),
            "ended_on": st.column_config.DateColumn(tr("종료일", "End")),
            # fixed widths for the two long texts, so every column fits at 1280 px (the full text
            # shows when the cell is opened)
            "description": st.column_config.TextColumn(tr("개요", "Description"), max_chars=200, width=170),
            "situation": st.column_config.TextColumn(
                tr("공관 상황 메모", "Situation notes"), max_chars=2000, width=150
            ),
            "status": st.column_config.SelectboxColumn(
                tr("상태", "Status"), options=list(statuses), format_func=statuses.get, required=True
            ),
        },
    )
    if st.button(tr("저장", "Save"), type="primary", key="incident_save"):
        try:
            with connection(db_path()) as con:
                result = save_edits(con, edited, by=current_user())
        except Refused as exc:
            st.error(plain(exc.summary()))
            st.markdown("\n".join(f"- {plain(p.text())}" for p in exc.problems if p.severity == "error"))
        else:
            st.session_state[SAVED] = result.summary()
            st.rerun()
