"""The 긴급 대응 page on a fixed warehouse, and metrics.emergency's figures behind it.

Fixed warehouse (incidents from a real .xlsx through the loader; figures as mofa returns through
tests.support.metrics.add_figures, which also refreshes the derived data):

    MX-MEX trade measure, 2026-04-01 ~, open:   2026 Q2 kbeauty affected 12, relief 4
                                                2026 Q3 kbeauty affected 5, relief 8; it affected 3, relief 0
                                                → affected 20, relief 12, ratio 60 %
    TR-IST disaster, 2025-11-06 ~ 2026-03-20, monitoring: 2025 Q4 green affected 10, relief 3
                                                2026 Q1 green relief 7 → 10, 10, ratio 100 %
    TN-TUN unrest, 2025-01-14 ~ 2025-09-30, closed: 2025 Q1 kbeauty affected 6, relief 2 → 33 %
    VN-HAN 2026 Q1 affected 2, no incident recorded (unattributed)

    open (open + monitoring): 2 incidents, affected 30, relief 22, ratio 73 %
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from etl import intake
from metrics.emergency import incident_by_sector, incident_timeline, incidents, open_brief, unattributed
from tests.support.metrics import add_figures
from tests.support.pages import run_page_file
from tests.support.upload import shown
from tests.support.xlsx import write_xlsx
from warehouse.connection import open_connection
from warehouse.paths import ROOT

HEAD = ["공관", "유형", "시작일", "종료일", "개요", "공관 상황 메모", "상태", "기록자"]
INCIDENTS = [
    ["MX-MEX", "무역 조치", "2026-04-01", None, "관세 인상", "경제부와 협의 중", "진행 중", "kim"],
    ["TR-IST", "지진", "2025-11-06", "2026-03-20", "지진", "AFAD 협의", "모니터링", "lee"],
    ["TN-TUN", "시위", "2025-01-14", "2025-09-30", "반정부 시위", None, "종료", "park"],
]
FIGURES = [
    # year, quarter, mission, sector, metric, value
    (2026, 2, "MX-MEX", "kbeauty", "affected_firms", 12),
    (2026, 2, "MX-MEX", "kbeauty", "relief_cases", 4),
    (2026, 3, "MX-MEX", "kbeauty", "affected_firms", 5),
    (2026, 3, "MX-MEX", "kbeauty", "relief_cases", 8),
    (2026, 3, "MX-MEX", "it", "affected_firms", 3),
    (2026, 3, "MX-MEX", "it", "relief_cases", 0),
    (2025, 4, "TR-IST", "green", "affected_firms", 10),
    (2025, 4, "TR-IST", "green", "relief_cases", 3),
    (2026, 1, "TR-IST", "green", "relief_cases", 7),
    (2025, 1, "TN-TUN", "kbeauty", "affected_firms", 6),
    (2025, 1, "TN-TUN", "kbeauty", "relief_cases", 2),
    (2026, 1, "VN-HAN", "it", "affected_firms", 2),
    (2026, 3, "MX-MEX", "kbeauty", "export_value", 500),  # not an emergency figure
]
TODAY = date(2026, 10, 31)


@pytest.fixture(scope="module")
def fixed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("emergency")
    path = folder / "w.duckdb"
    con = open_connection(path)
    try:
        sheet = write_xlsx(folder / "incidents.xlsx", [HEAD, *INCIDENTS], sheet="긴급상황")
        intake.load(con, sheet, intake.Actor("admin"), kind="incidents")
        # one mofa return per quarter, with its derived data (weights, result_sums) refreshed
        add_figures(con, [(y, q, "mofa", m, s, "emb_collab", metric, v) for y, q, m, s, metric, v in FIGURES])
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


@pytest.fixture
def reader(fixed_db: Path):
    con = open_connection(fixed_db, read_only=True)
    yield con
    con.close()


def test_incidents_with_figures_and_ratio(reader) -> None:
    df = incidents(reader, TODAY).set_index("incident_id")
    assert list(df.index) == ["MX-MEX-20260401", "TR-IST-20251106", "TN-TUN-20250114"]
    assert df["affected_firms"].tolist() == [20, 10, 6]
    assert df["relief_cases"].tolist() == [12, 10, 2]
    assert [round(v, 1) for v in df["relief_ratio_pct"]] == [60.0, 100.0, 33.3]
    assert df.loc["MX-MEX-20260401", "days"] == 214  # 2026-04-01 to 2026-10-31, both counted
    assert df.loc["TN-TUN-20250114", "days"] == 260
    assert df["type_en"].tolist() == ["Trade measure", "Disaster", "Unrest"]


def test_by_sector_timeline_and_unattributed(reader) -> None:
    sectors = incident_by_sector(reader, "MX-MEX-20260401")
    assert sectors[["sector_code", "affected_firms", "relief_cases"]].values.tolist() == [
        ["kbeauty", 17, 12],
        ["it", 3, 0],
    ]
    line = incident_timeline(reader, "TR-IST-20251106")
    assert line[["year", "quarter", "cum_affected", "cum_relief"]].values.tolist() == [
        [2025, 4, 10, 3],
        [2026, 1, 10, 10],
    ]
    assert [round(v) for v in line["relief_ratio_pct"]] == [30, 100]
    loose = unattributed(reader)
    assert loose[["mission_code", "year", "quarter", "affected_firms"]].values.tolist() == [
        ["VN-HAN", 2026, 1, 2]
    ]


def test_open_brief(reader) -> None:
    brief = open_brief(reader, TODAY)
    assert (brief.count, brief.affected_firms, brief.relief_cases) == (2, 30, 22)
    assert (
        brief.headline() == "진행 중 긴급상황 2건 · 발생 이후 누계 · 피해기업 30개사 · 지원 22건 (지원율 73%)"
    )
    assert brief.lines("en") == [
        "Embassy in Mexico · Trade measure (2026-04-01~, Open): relief ratio 60%",
        "Consulate General in Istanbul · Disaster (2025-11-06~2026-03-20, Monitoring): relief ratio 100%",
    ]


@pytest.fixture
def page_on(monkeypatch: pytest.MonkeyPatch):
    def run(db: Path, role: str = "viewer", lang: str = "ko"):
        return run_page_file("views/emergency.py", db, monkeypatch, role=role, user="tester", lang=lang)

    return run


def test_page_shows_open_incidents_detail_and_history(fixed_db: Path, page_on) -> None:
    at = page_on(fixed_db)
    assert not at.exception
    tiles = {m.label: m.value for m in at.metric}
    assert tiles == {"진행 중 긴급상황": "2", "피해기업": "30개사", "지원": "22건", "지원율": "73%"}
    assert len(at.get("plotly_chart")) == 3  # map, by sector, over time
    tables = [d.value for d in at.dataframe]
    open_table, sectors, timeline, closed, loose = tables
    assert open_table["공관"].tolist() == ["주멕시코 대사관", "주이스탄불 총영사관"]
    assert open_table["지원율(%)"].tolist() == [60.0, 100.0]
    assert sectors["피해기업(개사)"].tolist() == [17, 3]
    assert timeline["분기"].tolist() == ["2026년 2분기", "2026년 3분기"]
    assert timeline["지원율(%)"].tolist() == [33.3, 60.0]
    assert closed["공관"].tolist() == ["주튀니지 대사관"] and closed["기록자"].tolist() == [
        "admin"
    ]  # who loaded the sheet, not its 기록자
    assert loose["공관"].tolist() == ["주베트남 대사관"]
    assert "경제부와 협의 중" in [i.value for i in at.info]
    assert not at.button  # no editor for a viewer


def test_choosing_another_incident(fixed_db: Path, page_on) -> None:
    at = page_on(fixed_db)
    at.selectbox(key="incident").set_value("TR-IST-20251106").run()
    assert not at.exception
    timeline = at.dataframe[2].value
    assert timeline["지원 누계"].tolist() == [3, 10]
    assert timeline["지원율(%)"].tolist() == [30.0, 100.0]
    assert "AFAD 협의" in [i.value for i in at.info]


def test_page_in_english(fixed_db: Path, page_on) -> None:
    at = page_on(fixed_db, lang="en")
    assert not at.exception
    assert {m.label for m in at.metric} == {
        "Open emergencies",
        "Firms affected",
        "Relief cases",
        "Relief ratio",
    }
    assert at.dataframe[0].value["Type"].tolist() == ["Trade measure", "Disaster"]


def test_admin_sees_the_editor(fixed_db: Path, page_on) -> None:
    at = page_on(fixed_db, role="admin")
    assert not at.exception
    assert "긴급상황 목록 편집 (관리자)" in [s.value for s in at.subheader]
    editor = at.dataframe[-1].value
    assert sorted(editor["mission_code"]) == ["MX-MEX", "TN-TUN", "TR-IST"]
    assert at.button(key="incident_save")


def test_page_without_incidents_or_warehouse(tmp_path: Path, page_on) -> None:
    open_connection(tmp_path / "empty.duckdb").close()
    at = page_on(tmp_path / "empty.duckdb")
    assert not at.exception
    assert at.metric[0].value == "0"
    assert len(at.get("plotly_chart")) == 0
    at = page_on(tmp_path / "missing.duckdb")
    assert not at.exception
    assert "웨어하우스" in at.info[0].value


def test_summary_shows_open_incidents_and_relief_ratio(
    fixed_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DASHBOARD_DB", str(fixed_db))
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "views" / "summary.py"), default_timeout=60).run()
    assert not at.exception
    assert "진행 중 긴급상황 2건 · 발생 이후 누계 · 피해기업 30개사 · 지원 22건 (지원율 73%)" in [
        c.value for c in at.caption
    ]
    markdown = "\n".join(m.value for m in at.markdown)
    assert "- 주멕시코 대사관 · 무역 조치 (2026-04-01~, 진행 중): 지원율 60%" in markdown


def test_admin_save_without_changes_says_so(fixed_db: Path, page_on) -> None:
    at = page_on(fixed_db, role="admin")
    at.button(key="incident_save").click().run()
    assert not at.exception
    assert [shown(s.value) for s in at.success] == [
        "화면 편집 / app edit: 바뀐 긴급상황이 없습니다 — 변경 없음 / no incident changed"
    ]


def test_demo_incidents_cover_every_emergency_figure(demo_db: Path) -> None:
    from etl.demo.build import EMERGENCIES

    con = open_connection(demo_db, read_only=True)
    try:
        df = incidents(con, TODAY).set_index("mission_code")
        loose = unattributed(con)
    finally:
        con.close()
    assert sorted(df.index) == sorted(EMERGENCIES)
    assert all(d.startswith("[데모]") for d in df["description"])  # marked as demo like everything else
    assert loose.empty  # every reported emergency figure falls inside a recorded incident
    for mission, periods in EMERGENCIES.items():
        assert df.loc[mission, "affected_firms"] == sum(a for a, _ in periods.values())
        assert df.loc[mission, "relief_cases"] == sum(r for _, r in periods.values())
    assert df["status"].to_dict() == {"TN-TUN": "closed", "TR-IST": "monitoring", "MX-MEX": "open"}


def test_admin_editor_on_an_empty_warehouse(tmp_path: Path, page_on) -> None:
    open_connection(tmp_path / "empty.duckdb").close()
    at = page_on(tmp_path / "empty.duckdb", role="admin")
    assert not at.exception
    assert at.dataframe[-1].value.empty
    assert at.button(key="incident_save")


def test_figures_stop_at_the_last_closed_quarter(reader) -> None:
    """With 2026 Q2 the last closed quarter, MX-MEX's Q3 figures (5 + 3 firms, 8 relief) stay out of
    every total, as an open quarter's returns do on every other page; None keeps them all."""
    brief = open_brief(reader, TODAY, 20262)
    assert (brief.affected_firms, brief.relief_cases) == (22, 14)
    assert (open_brief(reader, TODAY).affected_firms, open_brief(reader, TODAY).relief_cases) == (30, 22)
    mx = incidents(reader, TODAY, 20262).set_index("incident_id").loc["MX-MEX-20260401"]
    assert (mx["affected_firms"], mx["relief_cases"], mx["quarters_reported"]) == (12, 4, 1)
    assert incident_timeline(reader, "MX-MEX-20260401", 20262)["quarter"].tolist() == [2]
    assert incident_by_sector(reader, "MX-MEX-20260401", 20262)["sector_code"].tolist() == ["kbeauty"]
    assert unattributed(reader, 20254).empty and len(unattributed(reader, 20261)) == 1
