"""The executive summary: its data, its highlight sentences, the page, and the one-page PDF/PNG export.

The fixed warehouse (hand-worked figures, 2025 Q1 and 2026 Q1 only, so the expected pace is the
linear 1/4 of the annual target):

    export_value  2025 Q1: VN-HAN it 100, US-LAX kbeauty 200     2026 Q1: VN-HAN it 134, US-LAX kbeauty 180
    firms_supported 2025 Q1: 8 + 8                              2026 Q1: 10 + 10
    affected_firms 2026 Q1: VN-HAN 5; relief_cases 2026 Q1: VN-HAN 3
    an open incident (loaded from an .xlsx through etl.registers.incidents): VN-HAN unrest since 2026-01-10,
                  tied to those Q1 figures → 1 open, 5 affected, 3 relief, relief ratio 60 %
    targets 2026: export_value total 1000 (31.4 %, expected 250 → on track), it 500, kbeauty 500;
                  firms_supported total 200 (20 vs expected 50 → behind);
                  export_value VN-HAN 400 (33.5 %, on track), US-LAX 1000 (18 %, 180 < 0.8 × 250 → behind)
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from etl import intake
from metrics.summary import build_summary, sector_names
from tests.support.browser import needs_chromium
from tests.support.metrics import add_figures, add_targets
from tests.support.pages import ROOT, run_page_file
from tests.support.xlsx import write_xlsx
from warehouse.connection import connection, open_connection

RESULTS = [
    # year, quarter, agency, mission, sector, metric, value
    (2025, 1, "mofa", "VN-HAN", "it", "export_value", 100),
    (2025, 1, "mofa", "US-LAX", "kbeauty", "export_value", 200),
    (2026, 1, "mofa", "VN-HAN", "it", "export_value", 134),
    (2026, 1, "mofa", "US-LAX", "kbeauty", "export_value", 180),
    (2025, 1, "mofa", "VN-HAN", "it", "firms_supported", 8),
    (2025, 1, "mofa", "US-LAX", "kbeauty", "firms_supported", 8),
    (2026, 1, "mofa", "VN-HAN", "it", "firms_supported", 10),
    (2026, 1, "mofa", "US-LAX", "kbeauty", "firms_supported", 10),
    (2026, 1, "mofa", "VN-HAN", "it", "affected_firms", 5),
    (2026, 1, "mofa", "VN-HAN", "it", "relief_cases", 3),
]
TARGETS = [
    # metric, sector, mission, value
    ("export_value", None, None, 1000),
    ("export_value", "it", None, 500),
    ("export_value", "kbeauty", None, 500),
    ("firms_supported", None, None, 200),
    ("export_value", None, "VN-HAN", 400),
    ("export_value", None, "US-LAX", 1000),
]
INCIDENTS = [
    ["공관", "유형", "시작일", "종료일", "개요", "공관 상황 메모", "상태", "기록자"],
    ["VN-HAN", "시위", "2026-01-10", None, "하노이 시위", None, "진행 중", "kim"],
]
INCIDENT_KO = "주베트남 대사관 · 정세 불안 (2026-01-10~, 진행 중): 지원율 60%"

EXPECTED_KO = [
    "수출계약액 2026년 목표 대비 31.4% 달성 (정상)",
    "IT 수출계약액 전년 동기 대비 34% 증가",
    "목표가 있는 2개 지표 중 정상 1개, 미흡 1개",
    "1개 공관 목표 대비 미흡",
    "긴급상황 1개 공관: 피해기업 5개사, 지원 3건 (2026년 보고 기준)",
]
EXPECTED_EN = [
    "Export contract value at 31.4% of the 2026 target (On track)",
    "IT export contract value up 34% year on year",
    "Of 2 metrics with a target: 1 on track, 1 behind",
    "1 mission behind target",
    "Emergencies at 1 mission: 5 firms affected, 3 relief cases (2026 reports)",
]


@pytest.fixture(scope="module")
def fixed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("summary") / "fixed.duckdb"
    con = open_connection(path)
    try:
        add_figures(con, [(y, q, a, m, s, "emb_collab", metric, v) for y, q, a, m, s, metric, v in RESULTS])
        add_targets(con, [(2026, metric, sector, mission, None, v) for metric, sector, mission, v in TARGETS])
        intake.load(
            con,
            write_xlsx(path.parent / "incidents.xlsx", INCIDENTS, sheet="긴급상황"),
            intake.Actor(None),
            kind="incidents",
        )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def fixed_summary(fixed_db: Path):
    with connection(fixed_db, read_only=True) as con:
        return build_summary(con), sector_names(con, "ko"), sector_names(con, "en")


def test_completeness_counts_missions_with_a_mofa_return(fixed_summary) -> None:
    summary, _, _ = fixed_summary
    c = summary.completeness
    assert (c.year, c.quarter, c.submitted, c.expected) == (2026, 1, 2, 40)
    assert c.text("ko") == "2026년 1분기 마감 기준 · 2/40 공관 제출"
    assert c.text("en") == "As of 2026 Q1 (closed) · 2/40 missions reported"
    assert len(c.missing) == 38 and "VN-HAN" not in c.missing
    assert c.missing_text("ko").startswith("미제출: ") and c.missing_text("ko").endswith(" 외 33곳")


def test_mission_ranking_hubs_and_emergencies(fixed_summary) -> None:
    summary, _, _ = fixed_summary
    m = summary.missions
    assert list(m["mission_code"]) == ["VN-HAN", "US-LAX"]
    assert list(m["group"]) == ["top", "bottom"]
    assert m["attainment_pct"].round(1).tolist() == [33.5, 18.0]
    assert list(m["worst_status"]) == ["on_track", "behind"]
    hubs = summary.hubs.set_index("mission_code")
    assert "US-LAX" in hubs.index and "JP-TYO" in hubs.index
    assert hubs.at["US-LAX", "export_value"] == 180
    assert round(hubs.at["US-LAX", "export_value_growth"], 1) == -10.0
    assert round(hubs.at["US-LAX", "firms_supported_growth"], 1) == 25.0
    e = summary.emergencies
    assert e[["mission_code", "affected_firms", "relief_cases"]].values.tolist() == [["VN-HAN", 5, 3]]
    i = summary.incidents
    assert (i.count, i.affected_firms, i.relief_cases) == (1, 5, 3)
    assert i.lines("ko") == [INCIDENT_KO]


def test_highlights_hand_worked(fixed_summary) -> None:
    summary, names_ko, names_en = fixed_summary
    assert summary.highlights("ko", names_ko) == EXPECTED_KO
    assert summary.highlights("en", names_en) == EXPECTED_EN
    assert summary.highlights("ko") == EXPECTED_KO  # sector names from the warehouse by default


def test_highlights_on_empty_frames_are_empty() -> None:
    import pandas as pd

    from metrics.summary import highlights

    assert highlights(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), None, "ko") == []


def test_status_sentence_names_every_part_of_its_count() -> None:
    """Issue 15 #2: a metric with a target and no figure yet is named, so the parts add up."""
    import pandas as pd

    from metrics.summary import highlights

    card = pd.DataFrame(
        {
            "metric_code": [
                "firms_supported",
                "export_contracts",
                "mou_signed",
                "events_held",
                "relief_cases",
            ],
            "status": ["on_track", "at_risk", "at_risk", "behind", "no_data"],
            "attainment_pct": [30.0, 20.0, 21.0, 5.0, None],
        }
    )
    ko = highlights(card, pd.DataFrame(), pd.DataFrame(), None, "ko")
    assert ko == ["목표가 있는 5개 지표 중 정상 1개, 주의 2개, 미흡 1개, 자료없음 1개"]
    en = highlights(card, pd.DataFrame(), pd.DataFrame(), None, "en")
    assert en == ["Of 5 metrics with a target: 1 on track, 2 at risk, 1 behind, 1 no data"]
    for sentence in ko + en:
        total, *parts = (int(n) for n in re.findall(r"\d+", sentence))
        assert total == sum(parts)


def test_summary_follows_the_dimension_filters(fixed_db: Path) -> None:
    """Issue 15 #4: a summary for one sector, mission or agency is theirs."""
    from metrics import Filters

    with connection(fixed_db, read_only=True) as con:
        kbeauty = build_summary(con, Filters(year=2026, sectors=("kbeauty",)))
        hanoi = build_summary(con, Filters(year=2026, missions=("VN-HAN",)))
        la = build_summary(con, Filters(year=2026, missions=("US-LAX",)))
        mss = build_summary(con, Filters(year=2026, agencies=("mss",)))
    export = kbeauty.scorecard.set_index("metric_code").loc["export_value"]
    # K-beauty: US-LAX's 180 against the K-beauty target 500, 200 a year earlier
    assert (export["ytd_value"], export["target"], round(export["growth_pct"], 1)) == (180, 500, -10.0)
    assert kbeauty.emergencies.empty and kbeauty.emergency_case == "open"  # Hanoi's figures are IT
    assert list(kbeauty.hubs["mission_code"]) == list(build_summary_hubs(fixed_db))
    # one mission: its own target (400), its incident; not a hub
    export = hanoi.scorecard.set_index("metric_code").loc["export_value"]
    assert (export["ytd_value"], export["target"]) == (134, 400)
    assert hanoi.hubs.empty and hanoi.incidents.count == 1
    assert la.incidents.count == 0 and la.emergencies.empty
    assert list(la.hubs["mission_code"]) == ["US-LAX"] and la.hubs.at[0, "export_value"] == 180
    # MSS reported nothing: no figure anywhere on its summary
    assert mss.scorecard["ytd_value"].isna().all() and mss.emergencies.empty
    assert mss.hubs[["firms_supported", "export_contracts", "export_value"]].isna().all().all()
    # the printed page names the filters too
    from ui.report_html import report_html as printed

    assert '<span class="badge">조회 조건</span> 2026년 · K-뷰티<br>' in printed(
        kbeauty, "ko", scope="2026년 · K-뷰티"
    )
    assert "조회 조건" not in printed(kbeauty, "ko")


def build_summary_hubs(db: Path) -> list[str]:
    with connection(db, read_only=True) as con:
        return list(build_summary(con).hubs["mission_code"])


def test_page_follows_and_names_the_sidebar_filters(fixed_db: Path, monkeypatch) -> None:
    from tests.support.pages import run_page

    at = run_page("views/summary.py", fixed_db, monkeypatch, sector="kbeauty")
    export = {m.label: m for m in at.metric}["수출계약액"]
    assert export.value == "180천달러" and float(export.delta) == -10.0
    assert ":blue-badge[조회 조건] 2026년 · 1–4분기 · K-뷰티" in [c.value for c in at.caption]
    captions = [c.value for c in at.caption]
    assert "선택한 조건에 맞는 공관 목표가 없습니다." in captions  # mission targets pin no sector
    at = run_page("views/summary.py", fixed_db, monkeypatch, mission="SG-SIN")
    assert "선택한 조건에 해당하는 거점공관이 없습니다." in [c.value for c in at.caption]
    at = run_page("views/summary.py", fixed_db, monkeypatch)
    assert not any("조회 조건" in c.value for c in at.caption)


def test_heat_map_shows_status_by_shape_as_well_as_colour(fixed_summary) -> None:
    """Issue 15 #7: each cell carries its status's shape (● ▲ ■ ○), on the page and in print."""
    from ui.report_charts import heat_legend, heatmap_figure
    from ui.report_html import heat_cell, report_html

    summary, names_ko, _ = fixed_summary
    [trace] = heatmap_figure(summary, names_ko, "ko").data
    cells = [c for row in trace.text for c in row if c]
    assert sorted(cells) == ["● 27%", "● 36%"]  # IT 134 and K-beauty 180 of 500, on track
    assert (
        heat_legend("ko") == "연간 목표 대비 누계(%). 진도 대비 상태: ● 정상 · ▲ 주의 · ■ 미흡 · ○ 자료없음"
    )
    assert (heat_cell("at_risk", 64.2), heat_cell("behind", 20), heat_cell("no_data", None)) == (
        "▲ 64%",
        "■ 20%",
        "○ –",
    )
    page = report_html(summary, "ko", sector_names=names_ko)
    assert ">● 27%</td>" in page and ">● 36%</td>" in page


@pytest.fixture
def page_on(monkeypatch: pytest.MonkeyPatch):
    def run(db: Path, lang: str = "ko"):
        return run_page_file("views/summary.py", db, monkeypatch, lang=lang)

    return run


def test_page_shows_tiles_heatmap_highlights_and_tables(fixed_db: Path, page_on) -> None:
    at = page_on(fixed_db)
    assert not at.exception
    tiles = {m.label: m for m in at.metric}
    assert tiles["수출계약액"].value == "314천달러"
    assert float(tiles["수출계약액"].delta) == 4.7
    assert tiles["수출계약액"].proto.delta_description == "전년 동기 대비"
    assert tiles["지원기업 수"].value == "20개사"
    captions = [c.value.replace("\xa0", " ") for c in at.caption]  # no-break spaces read as spaces
    assert captions[0].startswith("2026년 1분기 마감 기준 · 2/40 공관 제출 · :red[미제출: ")
    assert "목표 1,000천달러 · 달성률 31.4% :blue-badge[● 정상]" in captions  # the tile's unit (314천달러)
    markdown = "\n".join(m.value for m in at.markdown)
    for sentence in EXPECTED_KO:
        assert sentence in markdown
    assert len(at.get("plotly_chart")) == 1
    assert "연간 목표 대비 누계(%). 진도 대비 상태: ● 정상 · ▲ 주의 · ■ 미흡 · ○ 자료없음" in captions
    assert len(at.dataframe) == 3  # hubs (under the heat map), top missions, bottom missions
    assert "- 주베트남 대사관: 피해기업 5개사, 지원 3건" in markdown
    assert "진행 중 긴급상황 1건 · 발생 이후 누계 · 피해기업 5개사 · 지원 3건 (지원율 60%)" in captions
    assert f"- {INCIDENT_KO}" in markdown
    hubs = at.dataframe[0].value
    # short headers and plain numbers, so the table fits its column at 1280 px; the unit in the caption
    assert list(hubs.columns) == ["공관", "지원기업", "계약 건수", "계약액"]
    assert "180 (-10%)" in hubs["계약액"].to_list()
    assert "10 (+25%)" in hubs["지원기업"].to_list()
    assert "계약액 단위: 천달러 · 괄호 안은 전년 동기 대비" in captions
    # PDF and PNG of the page, and the council briefing pack (views/briefing_pack.py; no meeting planned here)
    assert [b.label for b in at.get("download_button")] == [
        "PDF",
        "PNG",
        "회의 자료 (PDF)",
        "회의 자료 (HWPX)",
    ]


def test_page_in_english(fixed_db: Path, page_on) -> None:
    at = page_on(fixed_db, "en")
    assert not at.exception
    assert "Export contract value" in [m.label for m in at.metric]
    assert at.caption[0].value.startswith(
        "As of 2026 Q1 (closed) · 2/40 missions reported · :red[Not reported: "
    )
    markdown = "\n".join(m.value for m in at.markdown)
    assert EXPECTED_EN[1] in markdown
    assert list(at.dataframe[0].value.columns) == ["Mission", "Firms", "Contracts", "Value"]
    assert "Value in USD thousand · in brackets: change vs same period last year" in [
        c.value for c in at.caption
    ]


def test_page_without_warehouse(tmp_path: Path, page_on) -> None:
    at = page_on(tmp_path / "missing.duckdb")
    assert not at.exception
    assert "웨어하우스가 없습니다" in at.info[0].value


def test_export_buttons_disabled_without_chromium(fixed_db: Path, page_on, monkeypatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("CHROMIUM_PATH", raising=False)
    at = page_on(fixed_db)
    assert not at.exception
    assert all(b.proto.disabled for b in at.get("download_button"))
    assert any("Chromium" in c.value for c in at.caption)


@pytest.mark.slow
def test_page_on_demo_warehouse(demo_db: Path, page_on) -> None:
    at = page_on(demo_db)
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert (
        "2026년 3분기 마감 기준 · 38/40 공관 제출 · :red[미제출: 주케냐 대사관, 주애틀랜타 총영사관]"
        in captions
    )
    assert len(at.metric) == 6


@pytest.mark.browser
def test_pdf_is_one_a4_landscape_page_with_the_page_figures(fixed_summary) -> None:
    needs_chromium()
    from pypdf import PdfReader

    from ui.export import html_to_pdf
    from ui.report_html import report_html, tile_rows

    summary, names_ko, _ = fixed_summary
    pdf = html_to_pdf(report_html(summary, "ko", sector_names=names_ko, demo=True))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    assert abs(float(box.width) - 841.9) < 2 and abs(float(box.height) - 595.3) < 2  # A4
    # pypdf maps NanumGothic's space glyph to U+0001 and a hyphen to a soft hyphen: drop both kinds.
    squashed = re.sub(r"[\s\x00-\x1f\xad]", "", reader.pages[0].extract_text())
    for label in ("성과요약", "지원기업수", "수출계약액", "주요내용", "K-뷰티거점공관", "긴급상황대응"):
        assert label in squashed, label
    assert "2026년1분기마감기준·2/40공관제출" in squashed
    for tile in tile_rows(summary, "ko"):  # the same figures as the page's tiles
        for value in (tile["value"], tile["attainment"]):
            if value != "–":
                assert value.replace(" ", "") in squashed, value
    assert "IT수출계약액전년동기대비34%증가" in squashed
    # the open incident, as on the page: the headline, then its line
    assert "진행중긴급상황1건·발생이후누계·피해기업5개사·지원3건(지원율60%)" in squashed
    assert re.sub(r"\s", "", INCIDENT_KO) in squashed


@pytest.mark.browser
def test_english_pdf_is_one_page_with_hub_names_whole_and_one_line_headers(fixed_summary) -> None:
    needs_chromium()
    from pypdf import PdfReader

    from metrics.summary import HUB_METRICS
    from ui.export import html_to_pdf
    from ui.report_html import HUB_HEADERS, report_html

    assert tuple(HUB_HEADERS) == HUB_METRICS  # every hub column has its short header
    summary, _, names_en = fixed_summary
    page = report_html(summary, "en", sector_names=names_en, demo=True)
    for header in ("Firms", "Contracts", "Value"):
        assert f'<th class="nw">{header}</th>' in page  # one line each, not "Export / contract / value"
    assert '<td class="name wrap">Consulate General in Los Angeles</td>' in page  # wraps, never cut
    reader = PdfReader(io.BytesIO(html_to_pdf(page)))
    assert len(reader.pages) == 1
    squashed = re.sub(r"[\s\x00-\x1f\xad]", "", reader.pages[0].extract_text())
    assert "ConsulateGeneralinLosAngeles" in squashed and "…" not in squashed


def test_printed_page_lists_a_few_open_incidents_and_counts_the_rest(fixed_summary) -> None:
    import dataclasses

    import pandas as pd

    from metrics.emergency import OpenBrief
    from ui.report_html import MAX_INCIDENTS, report_html

    summary, names_ko, _ = fixed_summary
    one = summary.incidents.incidents
    many = pd.concat([one] * (MAX_INCIDENTS + 2), ignore_index=True)
    crowded = dataclasses.replace(summary, incidents=OpenBrief(many, 30.0, 18.0))
    page = report_html(crowded, "ko", sector_names=names_ko)
    assert page.count("주베트남 대사관 · 정세 불안") == MAX_INCIDENTS
    assert "외 2건" in page
    quiet = dataclasses.replace(summary, incidents=OpenBrief(one.head(0), None, None))
    assert "진행 중인 긴급상황이 없습니다" in report_html(quiet, "ko", sector_names=names_ko)


# --- the emergencies block: (a) nothing, (b) open incidents without this year's figures, (c) figures -----
#
# (a) quiet: 2026 Q1 VN-HAN it export_value 100; no incident, no emergency figure.
# (b) open:  the same, plus two open incidents and 2025 figures only:
#            VN-HAN unrest since 2025-11-03, 2025 Q4 affected 4, relief 2 (ratio 50 %);
#            MX-MEX trade measure since 2026-02-01, nothing reported.
# (c) is the module's fixed warehouse: VN-HAN's 2026 Q1 figures, tied to its open incident.

QUIET = [(2026, 1, "mofa", "VN-HAN", "it", "emb_collab", "export_value", 100)]
OPEN_FIGURES = [
    (2025, 4, "mofa", "VN-HAN", "it", "emb_collab", "affected_firms", 4),
    (2025, 4, "mofa", "VN-HAN", "it", "emb_collab", "relief_cases", 2),
]
OPEN_INCIDENTS = [
    INCIDENTS[0],
    ["VN-HAN", "시위", "2025-11-03", None, "하노이 시위", None, "진행 중", "kim"],
    ["MX-MEX", "무역 조치", "2026-02-01", None, "관세 인상", None, "진행 중", "lee"],
]
OPEN_HEADLINE = "진행 중 긴급상황 2건 · 발생 이후 누계 · 피해기업 4개사 · 지원 2건 (지원율 50%)"
OPEN_LINES = [
    "주멕시코 대사관 · 무역 조치 (2026-02-01~, 진행 중)",  # nothing reported: no ratio
    "주베트남 대사관 · 정세 불안 (2025-11-03~, 진행 중): 지원율 50%",
]
NONE_KO = "보고된 긴급상황이 없습니다"
NOT_YET_KO = "2026년 피해기업·지원 실적은 아직 보고되지 않았습니다"
NOT_YET_EN = "No affected-firm or relief figures reported for 2026 yet"
SINCE_KO = "합계·지원율: 사건 시작 이후"
BOTH_KO = "합계·지원율: 사건 시작 이후 · 공관별: 올해 누적 보고"


def _small_db(folder: Path, figures: list[tuple], incidents: list[list] | None = None) -> Path:
    path = folder / "w.duckdb"
    con = open_connection(path)
    try:
        add_figures(con, figures)
        if incidents:
            intake.load(
                con,
                write_xlsx(folder / "incidents.xlsx", incidents, sheet="긴급상황"),
                intake.Actor(None),
                kind="incidents",
            )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def quiet_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _small_db(tmp_path_factory.mktemp("quiet"), QUIET)


@pytest.fixture(scope="module")
def open_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _small_db(tmp_path_factory.mktemp("open"), QUIET + OPEN_FIGURES, OPEN_INCIDENTS)


def _summary(db: Path):
    with connection(db, read_only=True) as con:
        return build_summary(con), sector_names(con, "ko")


def report_html(summary, lang: str, **kwargs) -> str:
    from ui.report_html import report_html as render

    return render(summary, lang, **kwargs)


def _emergency_block(at) -> tuple[list[str], str]:
    """The captions and the markdown after the 긴급상황 대응 heading (the block ends at the next heading)."""
    captions = [c.value for c in at.caption]
    markdown = "\n".join(m.value for m in at.markdown)
    return captions, markdown.split("긴급상황 대응", 1)[1].split("#####", 1)[0]


def test_emergencies_none_says_so(quiet_db: Path, page_on) -> None:
    summary, names = _summary(quiet_db)
    assert summary.emergency_case == "none"
    at = page_on(quiet_db)
    assert not at.exception
    captions, block = _emergency_block(at)
    assert "진행 중인 긴급상황이 없습니다" in captions and f"{NONE_KO}." in captions
    assert not any("사건 시작 이후" in c or "올해 누적" in c for c in captions)
    assert block.strip() == ""  # no list
    page = report_html(summary, "ko", sector_names=names)
    assert NONE_KO in page and "아직 보고되지" not in page and "사건 시작 이후" not in page


def test_emergencies_open_without_this_years_figures(open_db: Path, page_on) -> None:
    summary, names = _summary(open_db)
    assert summary.emergencies.empty and summary.emergency_case == "open"
    at = page_on(open_db)
    assert not at.exception
    captions, block = _emergency_block(at)
    assert OPEN_HEADLINE in captions
    assert [f"- {line}" for line in OPEN_LINES] == block.strip().splitlines()
    assert f"{NOT_YET_KO}." in captions and SINCE_KO in captions
    assert not any(NONE_KO in c for c in captions)
    page = report_html(summary, "ko", sector_names=names)
    assert NONE_KO not in page
    assert NOT_YET_KO in page and f'<div class="legend">{SINCE_KO}</div>' in page
    assert "주멕시코 대사관 · 무역 조치" in page and "지원율 50%" in page
    at = page_on(open_db, "en")
    captions = [c.value for c in at.caption]
    assert f"{NOT_YET_EN}." in captions
    assert "Totals, relief ratio: since each incident began" in captions
    assert NOT_YET_EN in report_html(summary, "en", sector_names=names)


def test_emergencies_open_with_nothing_reported_at_all(open_db: Path) -> None:
    import dataclasses

    from metrics.emergency import OpenBrief

    summary, names = _summary(open_db)
    mexico = summary.incidents.incidents.head(1)  # the incident with no figure
    bare = dataclasses.replace(summary, incidents=OpenBrief(mexico, None, None))
    assert bare.incidents.headline("ko") == "진행 중 긴급상황 1건"  # not a row of dashes
    assert bare.incidents.headline("en") == "1 open emergency"
    page = report_html(bare, "ko", sector_names=names)
    assert NOT_YET_KO in page and "사건 시작 이후" not in page  # no total to explain


def test_emergencies_with_figures_explain_both_periods(fixed_db: Path, fixed_summary, page_on) -> None:
    summary, names_ko, _ = fixed_summary
    assert summary.emergency_case == "figures"
    at = page_on(fixed_db)
    captions, block = _emergency_block(at)
    assert BOTH_KO in captions
    assert not any(NONE_KO in c or "아직 보고되지" in c for c in captions)
    assert "- 주베트남 대사관: 피해기업 5개사, 지원 3건" in block
    page = report_html(summary, "ko", sector_names=names_ko)
    assert f'<div class="legend">{BOTH_KO}</div>' in page and NONE_KO not in page


@pytest.mark.browser
def test_pdf_with_open_incidents_and_no_figures_is_one_page(open_db: Path) -> None:
    needs_chromium()
    from pypdf import PdfReader

    from ui.export import html_to_pdf

    summary, names = _summary(open_db)
    reader = PdfReader(io.BytesIO(html_to_pdf(report_html(summary, "ko", sector_names=names, demo=True))))
    assert len(reader.pages) == 1
    squashed = re.sub(r"[\s\x00-\x1f\xad]", "", reader.pages[0].extract_text())
    for text in (OPEN_HEADLINE, *OPEN_LINES, NOT_YET_KO, SINCE_KO):
        assert re.sub(r"\s", "", text) in squashed, text


@pytest.mark.browser
def test_png_is_a4_landscape_sized(fixed_summary) -> None:
    needs_chromium()
    from ui.export import PNG_SIZE, html_to_png
    from ui.report_html import report_html

    summary, names_ko, _ = fixed_summary
    png = html_to_png(report_html(summary, "ko", sector_names=names_ko))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    assert abs(width - PNG_SIZE[0]) <= 2 and abs(height - PNG_SIZE[1]) <= 2


# --- the demo's incidents on 요약: the end date of a monitoring incident, and each figure's period ------


def test_demo_summary_shows_the_end_date_and_the_period_of_each_figure(demo_db: Path, page_on) -> None:
    """Istanbul (모니터링, acute phase over on 2026-03-20) is listed with its end date; the highlight's
    figures (2026 reports: 21 firms, 19 cases) and the panel's (since each incident began: 30, 22) each
    say which period they count (#25 item 4)."""
    with connection(demo_db, read_only=True) as con:
        from metrics.council import now_filters

        summary = build_summary(con, now_filters(con))
    lines = summary.incidents.lines("ko")
    assert "주이스탄불 총영사관 · 재난 (2025-11-06~2026-03-20, 모니터링): 지원율 77%" in lines
    assert any("(2025-11-06~2026-03-20, Monitoring)" in x for x in summary.incidents.lines("en"))
    assert summary.incidents.headline("ko") == (
        "진행 중 긴급상황 2건 · 발생 이후 누계 · 피해기업 30개사 · 지원 22건 (지원율 73%)"
    )
    assert summary.incidents.headline("en") == (
        "2 open emergencies · since each began · 30 firms affected · 22 relief cases (relief ratio 73%)"
    )
    assert "긴급상황 2개 공관: 피해기업 21개사, 지원 19건 (2026년 보고 기준)" in summary.highlights("ko")
    assert (
        "Emergencies at 2 missions: 21 firms affected, 19 relief cases (2026 reports)"
        in summary.highlights("en")
    )
    at = page_on(demo_db)
    assert not at.exception, [e.value for e in at.exception]
    captions, block = _emergency_block(at)
    assert summary.incidents.headline("ko") in captions
    assert "- 주이스탄불 총영사관 · 재난 (2025-11-06~2026-03-20, 모니터링): 지원율 77%" in block
    markdown = "\n".join(m.value for m in at.markdown)
    assert "피해기업 21개사, 지원 19건 (2026년 보고 기준)" in markdown


# (d) unreported: three missions with export targets; Tokyo's mission sent Q1 but not Q2, the
#     quarter shown: its year to date (one quarter) would rank it last as ■ 미흡.
UNREPORTED_FIGURES = [
    (2026, 1, "mofa", "VN-HAN", "it", "emb_collab", "export_value", 100),
    (2026, 1, "mofa", "US-LAX", "kbeauty", "emb_collab", "export_value", 100),
    (2026, 1, "mofa", "JP-TYO", "kbeauty", "emb_collab", "export_value", 100),
    (2026, 2, "mofa", "VN-HAN", "it", "emb_collab", "export_value", 100),
    (2026, 2, "mofa", "US-LAX", "kbeauty", "emb_collab", "export_value", 90),
]
UNREPORTED_TARGETS = [("export_value", None, m, 400) for m in ("VN-HAN", "US-LAX", "JP-TYO")]


def test_a_mission_that_has_not_reported_is_not_ranked_and_the_page_says_so(
    tmp_path_factory: pytest.TempPathFactory, page_on
) -> None:
    """Issue 25 #9: a mission without its return for the quarter shown is kept out of the ranking,
    and a note under it names the mission as 미제출, on the page and on the printed page."""
    db = _small_db(tmp_path_factory.mktemp("unreported"), UNREPORTED_FIGURES)
    with connection(db) as con:
        add_targets(
            con,
            [(2026, metric, sector, mission, None, v) for metric, sector, mission, v in UNREPORTED_TARGETS],
        )
    summary, names = _summary(db)
    assert (summary.completeness.year, summary.completeness.quarter) == (2026, 2)
    assert list(summary.missions["mission_code"]) == ["VN-HAN", "US-LAX"]
    note_ko = "순위 제외 — 2026년 2분기 미제출: 주일본 대사관"
    assert summary.unranked_text("ko") == note_ko
    assert summary.unranked_text("en") == "Not ranked — not reported for 2026 Q2: Embassy in Japan"
    assert note_ko in report_html(summary, "ko", sector_names=names)
    at = page_on(db)
    assert not at.exception, [e.value for e in at.exception]
    assert note_ko in [c.value for c in at.caption]
    # the hubs (Tokyo is one) come first, then the top and bottom missions: Tokyo in neither
    assert len(at.dataframe) == 3
    assert all("주일본 대사관" not in df.value.to_string() for df in at.dataframe[1:])


def test_preliminary_summary_compares_like_with_like_and_withholds_judgement(demo_db, tmp_path, monkeypatch):
    """#25 item 2: one agency's Q4 return for three missions, 잠정 on: no tile, sentence or table reads
    미흡, growth stays near the closed quarter's, and the coverage is said beside the figures."""
    from datetime import date

    from streamlit.testing.v1 import AppTest

    from tests.support.upload import demo_with_one_agency_q4

    db = demo_with_one_agency_q4(demo_db, tmp_path)
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_ROLE", "viewer")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.session_state["today"] = date(2026, 12, 7)
    at.query_params["prelim"] = "1"
    at.switch_page("views/summary.py").run()
    assert not at.exception, [e.message for e in at.exception]
    captions = [c.value for c in at.caption]
    # one count: the as-of line says what the banner says
    assert captions[0].startswith("2026년 4분기 잠정 기준 · 3/40 공관 접수"), captions[0]
    assert not any("0/40 공관" in c for c in captions)
    assert any("1개 기관, 3개 공관 접수" in w.value for w in at.warning)
    tiles = [m for m in at.metric]
    assert len(tiles) == 6 and all("잠정 · 3/40 공관" in m.label for m in tiles)
    judged = [
        c for c in captions if not c.startswith("연간 목표 대비")
    ]  # the heat map's legend names every status
    assert not any("미흡" in c for c in judged) and any("판정 보류" in c for c in judged)
    # the missions named as not in are those without any figure: the 3 counted are not among them
    assert "주호주 대사관" not in captions[0] and "주두바이 총영사관" in captions[0]
    assert not any("잠정] 목표" in c or "잠정 목표" in c for c in captions)  # the mark is the actual's
    firms = next(m for m in tiles if m.label.startswith("지원기업"))
    assert float(firms.delta) > 0  # like with like: the closed quarters grew, so does this
    markdown = " ".join(m.value for m in at.markdown)
    assert "미흡" not in markdown and "판정 보류" in markdown
