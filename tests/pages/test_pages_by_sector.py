"""분야별 page: runs on the demo warehouse; on the small fixed one, filters move the numbers as expected."""

import pytest

from tests.support.pages import add_figure, build, metrics_shown, run_page, set_filter, table_with, total
from ui import format as fmt

PAGE = "views/by_sector.py"


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    return build(tmp_path_factory.mktemp("small") / "small.duckdb")


def test_runs_on_the_demo_warehouse(demo_db, monkeypatch):
    at = run_page(PAGE, demo_db, monkeypatch)
    assert len(at.get("plotly_chart")) == 2
    assert [m.label for m in at.metric][:3] == ["지원기업 수", "수출계약액", "바이어 상담"]


def test_tiles_and_target_table(small_db, monkeypatch):
    at = run_page(PAGE, small_db, monkeypatch)
    kbeauty = total("firms_supported", sector="kbeauty", year=2026)
    assert kbeauty == 387
    assert metrics_shown(at)[:2] == [
        ("지원기업 수", "387개사"),
        ("수출계약액", fmt.money(total("export_value", sector="kbeauty", year=2026))),
    ]
    targets = table_with(at, "분야", "지표", "목표", "누계 실적", "달성률(%)")
    row = targets[(targets["분야"] == "K-뷰티") & (targets["지표"] == "지원기업 수")].iloc[0]
    assert (row["목표"], row["누계 실적"], row["달성률(%)"]) == (300.0, 387.0, 129.0)


def test_filters_change_the_numbers(small_db, monkeypatch):
    at = run_page(PAGE, small_db, monkeypatch)
    set_filter(at, "agency", ["kosme"])
    assert metrics_shown(at)[0] == (
        "지원기업 수",
        fmt.count(total("firms_supported", sector="kbeauty", year=2026, agency="kosme"), "개사", "firms"),
    )
    set_filter(at, "agency", [])
    set_filter(at, "q", (1, 1))
    assert (
        metrics_shown(at)[0][1]
        == f"{total('firms_supported', sector='kbeauty', year=2026, quarter=1):,.0f}개사"
    )
    set_filter(at, "year", 2025)
    assert (
        metrics_shown(at)[0][1]
        == f"{total('firms_supported', sector='kbeauty', year=2025, quarter=1):,.0f}개사"
    )
    assert at.query_params["year"] == "2025" and at.query_params["q"] == "1-1"


def test_a_link_reproduces_the_view_in_english(small_db, monkeypatch):
    at = run_page(PAGE, small_db, monkeypatch, sector=["bio"], lang="en", metric="firms_supported")
    assert at.title[0].value == "Results by sector"
    assert metrics_shown(at)[0] == (
        "Firms supported",
        f"{total('firms_supported', sector='bio', year=2026):,.0f} firms",
    )
    trend = table_with(at, "Year", "Quarter", "Bio")
    assert "K-beauty" not in trend.columns
    q1 = trend[(trend["Year"] == 2025) & (trend["Quarter"] == 1)]["Bio"].iloc[0]
    assert q1 == total("firms_supported", sector="bio", year=2025, quarter=1)


def test_no_data_is_a_sentence(small_db, monkeypatch):
    at = run_page(PAGE, small_db, monkeypatch, program=["gbc"])
    assert not at.get("plotly_chart")
    assert "실적이 없습니다" in at.info[0].value


def test_a_new_return_shows_without_restart(tmp_path, monkeypatch):
    db = build(tmp_path / "changing.duckdb")  # its own warehouse: this test loads into it
    at = run_page(PAGE, db, monkeypatch)
    assert metrics_shown(at)[0][1] == "387개사"
    add_figure(db, "mss", "VN-HAN", "kbeauty", 2026, 2, "firms_supported", 1000)
    at.run()
    assert metrics_shown(at)[0][1] == "1,387개사"
