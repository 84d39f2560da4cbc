"""요약: the executive one-page summary, and its one-page PDF and PNG export."""

import streamlit as st

from metrics.summary import build_summary, sector_names
from ui.export import chromium_path, html_to_pdf, html_to_png
from ui.i18n import lang, tr
from ui.report_charts import (
    BADGE_COLORS,
    emergencies_table,
    heatmap_figure,
    hubs_table,
    missions_table,
)
from ui.report_html import report_html, tile_rows
from ui.warehouse import is_demo, query
from warehouse.connection import WarehouseMissing

LANG = lang()

try:
    summary = query(build_summary)
    names = query(sector_names, LANG)
except WarehouseMissing:
    st.info(
        tr(
            "웨어하우스가 없습니다. `python -m etl demo`로 데모 데이터를 만드세요.",
            "No warehouse yet. Build the demo with `python -m etl demo`.",
        )
    )
    st.stop()

head, buttons = st.columns([3, 1], vertical_alignment="bottom")
head.title(tr("성과 요약", "Performance summary"))
head.caption(summary.completeness.text(LANG))

# --- export (bytes are made only when a button is clicked) ---------------------------------------
html = report_html(summary, LANG, sector_names=names, demo=is_demo())
stem = f"summary_{summary.completeness.year or ''}Q{summary.completeness.quarter or ''}_{LANG}"
browser = chromium_path()
left, right = buttons.columns(2)
left.download_button(
    tr("PDF 내려받기", "PDF"),
    data=lambda: html_to_pdf(html),
    file_name=f"{stem}.pdf",
    mime="application/pdf",
    key="summary_pdf",
    icon=":material/picture_as_pdf:",
    on_click="ignore",
    disabled=browser is None,
)
right.download_button(
    tr("PNG 내려받기", "PNG"),
    data=lambda: html_to_png(html),
    file_name=f"{stem}.png",
    mime="image/png",
    key="summary_png",
    icon=":material/image:",
    on_click="ignore",
    disabled=browser is None,
)
if browser is None:
    buttons.caption(
        tr(
            "서버에 Chromium이 없어 PDF·PNG를 만들 수 없습니다 (관리자: `apt-get install chromium fonts-nanum`).",
            "PDF/PNG export needs Chromium on the server (admin: `apt-get install chromium fonts-nanum`).",
        )
    )

# --- headline tiles -----------------------------------------------------------------------------
for col, tile in zip(st.columns(6), tile_rows(summary, LANG), strict=True):
    with col:
        st.metric(
            tile["label"],
            tile["value"],
            delta=tr(f"전년 동기 {tile['growth']}", f"YoY {tile['growth']}")
            if tile["growth_pct"] is not None and tile["growth_pct"] == tile["growth_pct"]
            else None,
            border=True,
        )
        st.caption(
            tr(
                f"목표 {tile['target']} · 달성률 {tile['attainment']}",
                f"Target {tile['target']} · {tile['attainment']}",
            )
        )
        if tile["status_text"]:
            st.badge(tile["status_text"], color=BADGE_COLORS.get(tile["status"], "gray"))

# --- heat map and highlights --------------------------------------------------------------------
heat, notes = st.columns([5, 4])
with heat:
    st.subheader(tr("분야 × 지표 달성률", "Attainment by sector × metric"), divider=False)
    fig = heatmap_figure(summary, names, LANG)
    if fig is None:
        st.caption(tr("분야별 목표가 없습니다.", "No sector targets."))
    else:
        st.plotly_chart(fig, config={"displayModeBar": False}, key="summary_heat")
with notes:
    st.subheader(tr("주요 내용", "Highlights"), divider=False)
    sentences = summary.highlights(LANG, names)
    st.markdown("\n".join(f"- {s}" for s in sentences) or tr("없음", "None"))

# --- missions, hubs, emergencies ----------------------------------------------------------------
ranks, hubs, emerg = st.columns([4, 4, 3])
with ranks:
    st.subheader(tr("공관 상·하위 5", "Missions: top and bottom 5"), divider=False)
    if summary.missions.empty:
        st.caption(tr("공관 목표가 없습니다.", "No mission targets."))
    else:
        st.dataframe(missions_table(summary, LANG), hide_index=True, height="auto")
with hubs:
    st.subheader(tr("K-뷰티 거점공관", "K-beauty hub missions"), divider=False)
    if summary.hubs.empty:
        st.caption(tr("지정된 거점공관이 없습니다.", "No hub designated."))
    else:
        st.dataframe(hubs_table(summary, LANG), hide_index=True)
        st.caption(
            tr(
                "K-뷰티 분야 누적 실적과 전년 동기 대비 증감",
                "K-beauty sector, year to date, and change vs last year",
            )
        )
with emerg:
    st.subheader(tr("긴급상황 대응", "Emergencies"), divider=False)
    if summary.emergencies.empty:
        st.caption(tr("보고된 긴급상황이 없습니다.", "No emergency reported."))
    else:
        st.dataframe(emergencies_table(summary, LANG), hide_index=True)
