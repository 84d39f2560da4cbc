"""Which pages exist, in what order, and which roles see them. dashboard.py builds navigation from this."""

from dataclasses import dataclass

import streamlit as st

from warehouse.paths import ROOT


@dataclass(frozen=True)
class PageSpec:
    path: str  # file under pages/
    title_ko: str
    title_en: str
    icon: str
    roles: frozenset[str]  # viewer, analyst, admin
    section_ko: str
    section_en: str

    @property
    def exists(self) -> bool:
        return (ROOT / self.path).exists()


ALL = frozenset({"viewer", "analyst", "admin"})
STAFF = frozenset({"analyst", "admin"})
ADMIN = frozenset({"admin"})

PAGES = (
    PageSpec("pages/summary.py", "요약", "Summary", ":material/dashboard:", ALL, "성과", "Results"),
    PageSpec("pages/by_sector.py", "분야별", "By sector", ":material/category:", ALL, "성과", "Results"),
    PageSpec("pages/by_mission.py", "공관별", "By mission", ":material/public:", ALL, "성과", "Results"),
    PageSpec("pages/by_year.py", "연도별", "By year", ":material/timeline:", ALL, "성과", "Results"),
    PageSpec(
        "pages/by_agency.py", "기관별", "By agency", ":material/account_balance:", ALL, "성과", "Results"
    ),
    PageSpec(
        "pages/emergency.py", "긴급 대응", "Emergencies", ":material/emergency:", ALL, "성과", "Results"
    ),
    PageSpec(
        "pages/submissions.py", "제출 현황", "Submissions", ":material/fact_check:", ALL, "관리", "Manage"
    ),
    PageSpec(
        "pages/upload.py", "실적 업로드", "Upload returns", ":material/upload_file:", STAFF, "관리", "Manage"
    ),
    PageSpec("pages/history.py", "적재 이력", "Load history", ":material/history:", STAFF, "관리", "Manage"),
    PageSpec("pages/targets.py", "목표 관리", "Targets", ":material/flag:", ADMIN, "관리", "Manage"),
    PageSpec(
        "pages/reference.py", "기준 정보", "Reference data", ":material/settings:", ADMIN, "관리", "Manage"
    ),
)


def visible_pages(role: str) -> list[PageSpec]:
    return [p for p in PAGES if p.exists and role in p.roles]


def ensure_entry_script() -> None:
    """Make sure pages run inside dashboard.py's st.navigation, never as Streamlit's legacy pages.

    Because the page files live in `pages/`, Streamlit starts each server process in its legacy
    multipage mode (PagesManager.uses_pages_directory) until some session has called
    st.navigation. The first visitor of a fresh server who opens a page by its link (/by_sector)
    would get that page alone: no sidebar filters, no language switch, no demo banner, narrow layout.
    Seeing the legacy flag still set, leave that mode and rerun: the entry script then runs and
    resolves the same page by its URL. Costs one extra run, once per server process.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
