"""공관별 page: map, ranking and profile; filters and page choices move the numbers as expected."""

import pytest

from tests.page_fixtures import build, run_page, set_filter, table_with, total

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
    shown = table_with(at, "Mission", "Attainment (%)", "Latitude")
    assert list(shown["Mission"]) == [
        "Embassy in Viet Nam",
        "Consulate General in Los Angeles",
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
