"""Entry point: page config, navigation by role, language, shared filters and the demo banner."""

import streamlit as st

from ui import a11y, filters
from ui.failure import warehouse_guard
from ui.i18n import language_switch, tr
from ui.navigation import refused_pages, visible_pages
from ui.roles import current_role, refuse_page
from ui.warehouse import is_demo
from warehouse.paths import ROOT

# The tab's icon is a file of ours: a Material icon there is fetched from Google's font server, which
# a government network may not reach and should not tell who reads the dashboard.
st.set_page_config(
    page_title="중기부–외교부 정책협의회 성과 대시보드",
    page_icon=str(ROOT / "static" / "favicon.png"),
    layout="wide",
)

language_switch()
a11y.page_setup()
role = current_role()
sections: dict[str, list] = {}
for spec in visible_pages(role):
    sections.setdefault(tr(spec.section_ko, spec.section_en), []).append(
        st.Page(spec.path, title=tr(spec.title_ko, spec.title_en), icon=spec.icon, url_path=spec.url_path)
    )
# A page this role may not use keeps its URL but is left out of the menu and only refuses: typed in
# the address bar it says so inside the dashboard instead of falling back to 요약.
for spec in refused_pages(role):
    sections.setdefault(tr(spec.section_ko, spec.section_en), []).append(
        st.Page(
            refuse_page,
            title=tr(spec.title_ko, spec.title_en),
            icon=spec.icon,
            url_path=spec.url_path,
            visibility="hidden",
        )
    )
# every page listed: with the default (a few, then "View more") 적재 이력, 목표 관리 and 기준 정보 were hidden
page = st.navigation(sections, expanded=True)
with warehouse_guard():  # a damaged or long-locked warehouse: one Korean page, never DuckDB's exception
    filters.sidebar()
    if is_demo():
        st.warning(
            tr(
                "**데모 데이터** — 화면의 모든 수치는 시연용으로 만든 가상 데이터입니다 (실제 실적 아님).",
                "**Demo data** — every figure shown is synthetic, made for demonstration (not real results).",
            ),
            icon=":material/science:",
        )
    page.run()
