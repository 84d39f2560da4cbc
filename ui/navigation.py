"""Which pages exist, in what order, and which roles see them. dashboard.py builds navigation from this."""

from dataclasses import dataclass

from warehouse.paths import ROOT


@dataclass(frozen=True)
class PageSpec:
    path: str  # file under views/ (not pages/, which Streamlit would serve by itself)
    title_ko: str
    title_en: str
    icon: str
    roles: frozenset[str]  # viewer, analyst, admin
    section_ko: str
    section_en: str

    @property
    def exists(self) -> bool:
        return (ROOT / self.path).exists()

    @property
    def url_path(self) -> str:
        """The page's URL (/targets): the file name, whoever asks for it."""
        return self.path.rsplit("/", 1)[-1].removesuffix(".py")


ALL = frozenset({"viewer", "analyst", "admin"})
STAFF = frozenset({"analyst", "admin"})
ADMIN = frozenset({"admin"})

PAGES = (
    PageSpec("views/summary.py", "요약", "Summary", ":material/dashboard:", ALL, "성과", "Results"),
    PageSpec("views/by_sector.py", "분야별", "By sector", ":material/category:", ALL, "성과", "Results"),
    PageSpec("views/by_mission.py", "공관별", "By mission", ":material/public:", ALL, "성과", "Results"),
    PageSpec("views/by_year.py", "연도별", "By year", ":material/timeline:", ALL, "성과", "Results"),
    PageSpec(
        "views/by_agency.py", "기관별", "By agency", ":material/account_balance:", ALL, "성과", "Results"
    ),
    PageSpec(
        "views/emergency.py", "긴급 대응", "Emergencies", ":material/emergency:", ALL, "성과", "Results"
    ),
    PageSpec(
        "views/council.py",
        "지난 회의 이후",
        "Since the last council",
        ":material/compare_arrows:",
        ALL,
        "성과",
        "Results",
    ),
    PageSpec(
        "views/actions.py", "후속 조치", "Follow-up actions", ":material/checklist:", ALL, "성과", "Results"
    ),
    PageSpec(
        "views/submissions.py", "제출 현황", "Submissions", ":material/fact_check:", ALL, "관리", "Manage"
    ),
    PageSpec(
        "views/upload.py", "실적 업로드", "Upload returns", ":material/upload_file:", STAFF, "관리", "Manage"
    ),
    PageSpec("views/history.py", "적재 이력", "Load history", ":material/history:", STAFF, "관리", "Manage"),
    PageSpec("views/targets.py", "목표 관리", "Targets", ":material/flag:", ADMIN, "관리", "Manage"),
    PageSpec(
        "views/reference.py", "기준 정보", "Reference data", ":material/settings:", ADMIN, "관리", "Manage"
    ),
)


def visible_pages(role: str) -> list[PageSpec]:
    return [p for p in PAGES if p.exists and role in p.roles]


def refused_pages(role: str) -> list[PageSpec]:
    """Pages this role may not use: still routed (hidden from the menu) so their URL refuses."""
    return [p for p in PAGES if p.exists and role not in p.roles]
