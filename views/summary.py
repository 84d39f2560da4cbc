"""요약: the executive one-page summary, and its one-page PDF and PNG export."""

from datetime import date

import streamlit as st

from metrics.actions import action_counts
from metrics.explanations import explained_attainment
from metrics.summary import build_summary, sector_names
from ui import blocks, cycle, explanation_lists, text_table
from ui.a11y import chart_summary
from ui.actions_helpers import counts_markdown, page_link
from ui.export import chromium_path, html_to_pdf, html_to_png
from ui.filters import current as current_filters
from ui.filters import describe
from ui.i18n import lang, tr
from ui.report_charts import (
    BADGE_COLORS,
    emergency_lines,
    heat_legend,
    heat_table,
    heatmap_figure,
    hubs_note,
    hubs_table,
    missions_table,
)
from ui.report_html import emergency_message, emergency_note, report_html, tile_rows
from ui.tables import show as show_table
from ui.warehouse import is_demo, query
from views.briefing_pack import pack_button
from warehouse.connection import WarehouseMissing

# Tighter metric values, so six tiles and the rest of the summary fit one screen. The tiles never cut
# a label, value or year-on-year line with an ellipsis: a label may take two lines (room for two is
# kept, so the values line up, except where the tile area is wide enough for each on one line), and
# where six tiles are too narrow for a value such as "71.4백만달러" (a tile area under 940 px: a
# 1280 px window, sidebar open or closed) they go three a row; from 940 to 1120 px (1440 px) six a
# row in smaller type. Container queries on the tile area, so
# an open or closed sidebar counts.
COMPACT_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 4rem; }  /* just below the header bar */
[data-testid="stMetricValue"] { font-size: 1.3rem; }
[data-testid="stMetricDelta"] { font-size: 0.8rem; }
[data-testid="stMetric"] { padding: 0.4rem 0.7rem; }
.st-key-summary_tiles { container-type: inline-size; }
.st-key-summary_tiles [data-testid="stMetric"] *,
.st-key-summary_tiles [data-testid="stMetric"] .stMarkdownEllipsis {
    white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: anywhere;
}
.st-key-summary_tiles [data-testid="stMetricLabel"] { min-height: 2.6em; align-items: flex-start; }
.st-key-summary_tiles [data-testid="stMetricLabel"] * { line-height: 1.3; }
/* The year-on-year words never break inside ("전년 / 동기 / 대비" over three lines at 1440 px): beside
   the change where they fit, on their own line below it where they do not. */
.st-key-summary_tiles [data-testid="stMetricDelta"] { flex-shrink: 0; }
.st-key-summary_tiles div:has(> [data-testid="stMetricDelta"]) { flex-wrap: wrap; column-gap: 0.4rem; }
.st-key-summary_tiles [data-testid="stMetricDeltaDescription"] .stMarkdownEllipsis,
.st-key-summary_tiles [data-testid="stMetricDeltaDescription"] .stMarkdownEllipsis * {
    white-space: nowrap; overflow-wrap: normal;
}
/* Under a tile, the target and the attainment break between each other, never inside a word. */
.st-key-summary_tiles [data-testid="stCaptionContainer"] p { word-break: keep-all; }
@container (max-width: 940px) {
    .st-key-summary_tiles [data-testid="stHorizontalBlock"] { flex-wrap: wrap; row-gap: 0.6rem; }
    .st-key-summary_tiles [data-testid="stColumn"] {
        flex: 1 1 calc(33.333% - 1rem); min-width: calc(33.333% - 1rem);
    }
    .st-key-summary_tiles [data-testid="stMetricLabel"] { min-height: 0; }
}
/* A 1440 px window (tile area about 980 px): six a row still, in smaller type, so the tiles and the
   heat map are both above the fold of a 1440 × 900 screen. */
@container (min-width: 940px) and (max-width: 1120px) {
    .st-key-summary_tiles [data-testid="stMetricValue"] { font-size: 1.1rem; }
    .st-key-summary_tiles [data-testid="stMetricLabel"] p { font-size: 0.8rem; }
    .st-key-summary_tiles [data-testid="stMetric"] { padding: 0.35rem 0.5rem; }
    .st-key-summary_tiles [data-testid="stCaptionContainer"] { font-size: 0.75rem; }
}
@container (min-width: 1400px) {  /* six labels on one line each (1920 px): no empty second line */
    .st-key-summary_tiles [data-testid="stMetricLabel"] { min-height: 0; }
}
</style>"""

LANG = lang()
NBSP = "\u00a0"
# The sidebar's filters: a summary for one agency, sector, region or mission is theirs
# (metrics.summary.build_summary takes the year to date from Q1 through the range's end quarter).
FILTERS = current_filters()
NARROWED = any((FILTERS.agencies, FILTERS.sectors, FILTERS.regions, FILTERS.missions, FILTERS.programs))


def heading(ko: str, en: str) -> None:
    st.markdown(f"##### {tr(ko, en)}")


try:
    summary = query(build_summary, FILTERS)
    names = query(sector_names, LANG)
except WarehouseMissing:
    st.info(
        tr(
            "웨어하우스가 없습니다. `python -m etl demo`로 데모 데이터를 만드세요.",
            "No warehouse yet. Build the demo with `python -m etl demo`.",
        )
    )
    st.stop()

st.html(COMPACT_CSS)
head, buttons = st.columns([3, 1], vertical_alignment="bottom")
head.markdown(f"### {tr('성과 요약', 'Performance summary')}")
if NARROWED:  # which filters the numbers below follow, so a filtered summary is never read as the whole
    SCOPE = describe(FILTERS)
    head.caption(f":blue-badge[{tr('조회 조건', 'Filtered')}] {SCOPE}")
else:
    SCOPE = None
blocks.as_of_line(summary.completeness, head)
with head:
    cycle.notice()
PRELIMINARY = cycle.preliminary()

# --- export (the bytes are made only when a button is clicked) -----------------------------------
html = report_html(summary, LANG, sector_names=names, demo=is_demo(), preliminary=PRELIMINARY, scope=SCOPE)
stem = cycle.stem(f"summary_{summary.completeness.year or ''}Q{summary.completeness.quarter or ''}_{LANG}")
browser = chromium_path()
left, right = buttons.columns(2)
left.download_button(
    "PDF",
    data=lambda: html_to_pdf(html),
    file_name=f"{stem}.pdf",
    mime="application/pdf",
    key="summary_pdf",
    icon=":material/picture_as_pdf:",
    on_click="ignore",
    disabled=browser is None,
    width="stretch",
)
right.download_button(
    "PNG",
    data=lambda: html_to_png(html),
    file_name=f"{stem}.png",
    mime="image/png",
    key="summary_png",
    icon=":material/image:",
    on_click="ignore",
    disabled=browser is None,
    width="stretch",
)
if browser is None:
    buttons.caption(
        tr(
            "서버에 Chromium이 없어 PDF·PNG를 만들 수 없습니다 (관리자: `apt-get install chromium fonts-nanum`).",
            "PDF/PNG export needs Chromium on the server (admin: `apt-get install chromium fonts-nanum`).",
        )
    )

# --- headline tiles -----------------------------------------------------------------------------
# keyed, so COMPACT_CSS can put the tiles three a row where six would cut their texts
tiles = st.container(key="summary_tiles")
for col, tile in zip(tiles.columns(6), tile_rows(summary, LANG), strict=True):
    with col:
        # the 잠정 mark and the coverage belong to the actual (the tile's value), not to the target
        name = f"{tile['label']} ({cycle.label()})" if PRELIMINARY else tile["label"]
        blocks.metric_tile(tile["code"], name, tile["value"], tile["growth_pct"], border=True)
        badge = (
            f" :{BADGE_COLORS.get(tile['status'], 'gray')}-badge[{tile['status_text']}]"
            if tile["status_text"]
            else ""
        )
        # no break inside "목표 14,200개사" or "달성률 64.6%" (a line ended after 달성률 at 1440 px)
        target, attained = (
            " ".join(x.split()).replace(" ", NBSP) for x in (tile["target"], tile["attainment"])
        )
        st.caption(
            tr(f"목표{NBSP}{target} · 달성률{NBSP}{attained}", f"Target{NBSP}{target} · {attained}") + badge
        )

# --- heat map and K-beauty hubs | highlights and emergencies ------------------------------------
# The hub table sits under the heat map, where the left column has room (the notes run longer):
# beside the two mission tables it had a third of the width and its last column was cut at 1600 px.
heat, notes = st.columns([5, 4])
with heat:
    heading("분야 × 지표 달성률", "Attainment by sector × metric")
    fig = heatmap_figure(summary, names, LANG)
    if fig is None:
        st.caption(tr("분야별 목표가 없습니다.", "No sector targets."))
    else:
        st.plotly_chart(cycle.mark_figure(fig), config={"displayModeBar": False}, key="summary_heat")
        heat_cells = heat_table(summary, names, LANG)
        st.caption(heat_legend(LANG))
        st.caption(chart_summary(fig, len(heat_cells)))
        with st.expander(tr("표 보기", "Table"), icon=":material/table_view:"):
            text_table.show(heat_cells)
    heading("K-뷰티 거점공관 (K-뷰티 분야, 누적)", "K-beauty hub missions (K-beauty sector, YTD)")
    if summary.hubs.empty:
        st.caption(
            tr("선택한 조건에 해당하는 거점공관이 없습니다.", "No hub mission within the chosen filters.")
            if NARROWED
            else tr("지정된 거점공관이 없습니다.", "No hub designated.")
        )
    else:
        show_table(cycle.mark_table(hubs_table(summary, LANG)), hide_index=True)
        st.caption(hubs_note(summary, LANG))
with notes:
    heading("주요 내용", "Highlights")
    sentences = summary.highlights(LANG, names)
    st.markdown("\n".join(f"- {s}" for s in sentences) or tr("없음", "None"))
    # how many targets at 주의/미흡 are explained: one line here (the texts are on the pages and 제출 현황),
    # beside the heat map rather than above it, so the page still fits one screen
    explained_line = explanation_lists.summary_line(query(explained_attainment, FILTERS))
    if explained_line:
        st.caption(explained_line)
    # one line of counts and a link beside the heat map, under the highlights: above the fold at
    # 1440 × 900 without moving the tiles or the map
    heading("후속 조치 이행", "Follow-up actions")
    # the link's column holds its arrow and "보기"/"Open" whole at 1280 px (a fifth of the column cut it)
    actions_line, actions_link = st.columns([3, 1], vertical_alignment="center")
    actions_line.caption(counts_markdown(query(action_counts, date.today())))
    page_link(actions_link, "views/actions.py", tr("보기", "Open"))
    heading("긴급상황 대응", "Emergencies")
    # open incidents (totals since each began), then this year's figures by mission or why there are none;
    # the same three cases as the printed page (Summary.emergency_case, ui/report_html.py)
    incidents_open = summary.incidents
    if incidents_open is not None:
        st.caption(incidents_open.headline(LANG))
        if incidents_open.count:
            st.markdown("\n".join(f"- {line}" for line in incidents_open.lines(LANG)))
    if summary.emergency_case == "figures":
        st.markdown("\n".join(f"- {line}" for line in emergency_lines(summary, LANG)))
    else:
        st.caption(f"{emergency_message(summary, LANG)}.")  # a sentence, as the page's other captions
    note = emergency_note(summary, LANG)
    if note:
        st.caption(note)

# --- missions: top 5 | bottom 5 -----------------------------------------------------------------
heading("공관 목표 달성률 상·하위 5", "Missions: top and bottom 5 by attainment")
if summary.missions.empty:
    if summary.unranked.empty:  # else the line below says why none is ranked
        st.caption(
            tr("선택한 조건에 맞는 공관 목표가 없습니다.", "No mission target matches the chosen filters.")
            if NARROWED
            else tr("공관 목표가 없습니다.", "No mission targets.")
        )
else:
    table = missions_table(summary, LANG)
    group = table.columns[0]
    top, bottom = st.columns(2)
    show_table(
        cycle.mark_table(table[table[group] == table[group].iloc[0]].iloc[:, 1:]), where=top, hide_index=True
    )
    show_table(
        cycle.mark_table(table[table[group] != table[group].iloc[0]].iloc[:, 1:]),
        where=bottom,
        hide_index=True,
    )
if summary.unranked_text(LANG):  # missions without their return for the quarter: not ranked, named
    st.caption(summary.unranked_text(LANG))

# --- the briefing pack for the next council meeting (multi-page PDF; views/briefing_pack.py) ------------
heading("정책협의회 회의 자료", "Council briefing pack")
pack_button("summary_pack")
