"""공관별 page: map, ranking and profile; filters and page choices move the numbers as expected."""

import pytest

from tests.support.pages import build, run_page, set_filter, table_with, total

PAGE = "views/by_mission.py"


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    return build(tmp_path_factory.mktemp("small") / "small.duckdb")


def test_runs_on_the_demo_warehouse(demo_db, monkeypatch):
    at = run_page(PAGE, demo_db, monkeypatch, measure="attainment", focus="FR-PAR")
    assert len(at.get("plotly_chart")) == 3  # map, the profile's sector mix and trend
    assert at.dataframe


def test_ranking_and_hubs(small_db, monkeypatch):
    at = run_page(PAGE, small_db, monkeypatch, metric="firms_supported")
    ranking = table_with(at, "순위", "재외공관", "실적")
    assert list(ranking["재외공관"]) == ["주베트남 대사관", "주로스앤젤레스 총영사관 ★", "주프랑스 대사관 ★"]
    assert list(ranking["실적"]) == [
        total("firms_supported", mission=m, year=2026) for m in ("VN-HAN", "US-LAX", "FR-PAR")
    ]
    # LA and Paris are hubs from 2026: a star beside the name
    assert list(ranking["달성률(%)"].round(1))[:2] == [
        round(total("firms_supported", mission="VN-HAN", year=2026) / 200 * 100, 1),
        round(total("firms_supported", mission="US-LAX", year=2026) / 100 * 100, 1),
    ]
    set_filter(at, "sector", ["bio"])
    ranking = table_with(at, "순위", "재외공관", "실적")
    assert list(ranking["실적"]) == [
        total("firms_supported", mission=m, year=2026, sector="bio") for m in ("VN-HAN", "US-LAX", "FR-PAR")
    ]
    assert ranking["달성률(%)"].isna().all()  # no mission target describes one sector
    set_filter(at, "year", 2025)
    assert not any(name.endswith("★") for name in table_with(at, "순위", "재외공관")["재외공관"])


def test_attainment_map_and_profile(small_db, monkeypatch):
    at = run_page(
        PAGE, small_db, monkeypatch, metric="firms_supported", measure="attainment", focus="VN-HAN", lang="en"
    )
    shown = table_with(at, "Mission", "Attainment (%)", "Status")
    # the map places the missions and stars the hubs: their country, coordinates and hub column are
    # in the downloads, not on screen
    assert not {"Country", "Latitude", "Longitude", "K-beauty hub"} & set(shown.columns)
    assert list(shown["Mission"]) == [
        "Embassy in Viet Nam",
        "Consulate General in Los Angeles ★",  # a K-beauty hub from 2026
    ]  # missions with a target
    profile = table_with(at, "Metric", "Target", "Year to date")
    row = profile[profile["Metric"] == "Firms supported"].iloc[0]
    assert (row["Target"], row["Year to date"]) == (
        200.0,
        total("firms_supported", mission="VN-HAN", year=2026),
    )
    assert at.query_params["focus"] == "VN-HAN" and at.query_params["measure"] == "attainment"


def test_no_data_is_a_sentence(small_db, monkeypatch):
    at = run_page(PAGE, small_db, monkeypatch, mission=["KE-NBO"])
    assert not at.get("plotly_chart")
    assert "실적이 없습니다" in at.info[0].value


def _hub_trace(at, name: str = "K-뷰티 거점공관") -> dict:
    import json

    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    [trace] = [t for t in figure["data"] if t.get("name") == name]
    return trace


def test_every_hub_gets_a_star_value_or_not(small_db, monkeypatch):
    """Issue 15 #6: the four 2026 hubs are starred, Tokyo and Dubai without a figure too."""
    at = run_page(PAGE, small_db, monkeypatch, metric="firms_supported")
    hubs = _hub_trace(at)
    assert len(hubs["customdata"]) == 4  # JP-TYO, AE-DXB, FR-PAR, US-LAX
    assert sum("실적 없음" in h for h in hubs["customdata"]) == 2
    at = run_page(PAGE, small_db, monkeypatch, metric="firms_supported", measure="attainment")
    assert len(_hub_trace(at)["customdata"]) == 4  # Paris has no target: starred all the same
    set_filter(at, "region", ["europe"])
    assert len(_hub_trace(at)["customdata"]) == 1  # the region filter keeps Paris only


@pytest.fixture(scope="module")
def quiet_q2_db(tmp_path_factory):
    """Hanoi reports in Q1 only, Los Angeles in Q1 and Q2; both have a mission target of 100 firms."""
    from tests.support.metrics import add_figures, add_targets
    from warehouse.connection import open_connection

    path = tmp_path_factory.mktemp("quiet") / "quiet.duckdb"
    con = open_connection(path)
    try:
        add_figures(
            con,
            [
                (2026, 1, "mofa", "VN-HAN", "kbeauty", "emb_collab", "firms_supported", 50),
                (2026, 1, "mofa", "US-LAX", "kbeauty", "emb_collab", "firms_supported", 30),
                (2026, 2, "mofa", "US-LAX", "kbeauty", "emb_collab", "firms_supported", 20),
            ],
        )
        add_targets(con, [(2026, "firms_supported", None, m, None, 100) for m in ("VN-HAN", "US-LAX")])
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def test_a_quarter_without_figures_says_so(quiet_q2_db, monkeypatch):
    """Issue 15 #10: no empty map with a colour bar from −1 to 4; a sentence instead."""
    at = run_page(PAGE, quiet_q2_db, monkeypatch, metric="firms_supported", q="3-3")
    assert not at.get("plotly_chart")
    assert "실적이 없습니다" in at.info[0].value


def test_a_row_without_a_figure_claims_no_attainment(quiet_q2_db, monkeypatch):
    at = run_page(PAGE, quiet_q2_db, monkeypatch, metric="firms_supported", q="2-2")
    ranking = table_with(at, "순위", "재외공관", "실적", "달성률(%)", "상태")
    # a K-beauty hub carries its star beside the name
    hanoi = ranking[ranking["재외공관"].str.contains("주베트남 대사관")].iloc[0]
    la = ranking[ranking["재외공관"].str.contains("주로스앤젤레스 총영사관")].iloc[0]
    assert hanoi.isna()["실적"] and hanoi.isna()["달성률(%)"] and hanoi["상태"] == ""
    assert (la["실적"], la["달성률(%)"]) == (
        20,
        50.0,
    )  # Q2's figure; the year to date against the target


def test_one_mission_gets_a_colour_bar_from_zero(quiet_q2_db, monkeypatch):
    import json

    at = run_page(PAGE, quiet_q2_db, monkeypatch, metric="firms_supported", mission=["VN-HAN"])
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    marker = figure["data"][0]["marker"]
    assert (marker["cmin"], marker["cmax"]) == (0, 50)
