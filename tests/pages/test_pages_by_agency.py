"""기관별 page: each agency's contribution by sector and mission, and against its target."""

import pytest

from tests.support.pages import build, run_page, set_filter, table_with, total

PAGE = "views/by_agency.py"


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    return build(tmp_path_factory.mktemp("small") / "small.duckdb")


def test_runs_on_the_demo_warehouse(demo_db, monkeypatch):
    at = run_page(PAGE, demo_db, monkeypatch)
    assert len(at.get("plotly_chart")) == 3


def test_contribution_and_target(small_db, monkeypatch):
    at = run_page(PAGE, small_db, monkeypatch, metric="firms_supported")
    by_sector = table_with(at, "주관기관", "K-뷰티 (개사)", "바이오 (개사)", "합계 (개사)", "비중(%)")
    assert list(by_sector["주관기관"]) == ["중기부", "중진공"]
    assert list(by_sector["합계 (개사)"]) == [
        total("firms_supported", year=2026, agency=a) for a in ("mss", "kosme")
    ]
    assert by_sector["바이오 (개사)"].iloc[0] == total(
        "firms_supported", year=2026, agency="mss", sector="bio"
    )
    assert by_sector["바이오 (개사)"].isna().iloc[1]  # kosme reports no bio figure: blank, not zero
    by_mission = table_with(at, "재외공관", "중기부 (개사)", "중진공 (개사)")
    assert by_mission["재외공관"].iloc[0] == "주베트남 대사관"
    target = table_with(at, "주관기관", "목표 (개사)", "달성률(%)")
    assert list(target["주관기관"]) == ["중기부"]
    mss = total("firms_supported", year=2026, agency="mss")
    assert target["달성률(%)"].iloc[0] == round(mss / 250 * 100, 1)


def test_filters_change_the_numbers(small_db, monkeypatch):
    at = run_page(PAGE, small_db, monkeypatch, metric="export_value")
    set_filter(at, "sector", ["bio"])
    bio = total("export_value", year=2026, sector="bio")
    assert 1_000 < bio < 1_000_000  # so the page shows it in 백만달러
    by_sector = table_with(at, "주관기관", "합계 (백만달러)")
    assert list(by_sector["주관기관"]) == ["중기부"]
    assert by_sector["합계 (백만달러)"].iloc[0] == round(bio / 1_000, 2)
    assert "기관별 목표가 없습니다" in at.info[-1].value


def test_no_data_is_a_sentence(small_db, monkeypatch):
    at = run_page(PAGE, small_db, monkeypatch, region=["africa"])
    assert not at.get("plotly_chart")
    assert "보고한 기관이 없습니다" in at.info[0].value
