"""연도별 page: running totals, year-on-year growth and annual figures follow the filters."""

import pytest

from tests.support.pages import build, run_page, set_filter, table_with, total

PAGE = "views/by_year.py"


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    return build(tmp_path_factory.mktemp("small") / "small.duckdb")


def test_runs_on_the_demo_warehouse(demo_db, monkeypatch):
    at = run_page(PAGE, demo_db, monkeypatch)
    assert len(at.get("plotly_chart")) == 2


def test_annual_running_and_growth(small_db, monkeypatch):
    at = run_page(PAGE, small_db, monkeypatch, metric="firms_supported")
    annual = table_with(at, "지표", "2025년", "2026년 (2분기까지)")
    firms = annual[annual["지표"] == "지원기업 수"].iloc[0]
    assert (firms["2025년"], firms["2026년 (2분기까지)"]) == (
        total("firms_supported", year=2025),
        total("firms_supported", year=2026),
    )
    running = table_with(at, "분기", "2025년", "2026년", "2026년 목표")
    assert list(running["2025년"]) == [
        total("firms_supported", year=2025, quarter=tuple(range(1, q + 1))) for q in range(1, 5)
    ]
    assert running["2026년 목표"].iloc[0] == 400
    growth = table_with(at, "지표", "누계 실적", "전년 동기", "전년 동기 대비(%)")
    row = growth[growth["지표"] == "지원기업 수"].iloc[0]
    now, before = total("firms_supported", year=2026), total("firms_supported", year=2025, quarter=(1, 2))
    assert (row["누계 실적"], row["전년 동기"], row["전년 동기 대비(%)"]) == (
        now,
        before,
        round((now - before) / before * 100, 1),
    )


def test_filters_change_the_numbers(small_db, monkeypatch):
    at = run_page(PAGE, small_db, monkeypatch, metric="firms_supported")
    set_filter(at, "q", (1, 1))
    annual = table_with(at, "지표", "2025년", "2026년 (1분기까지)")
    firms = annual[annual["지표"] == "지원기업 수"].iloc[0]
    assert firms["2025년"] == total("firms_supported", year=2025, quarter=1)
    set_filter(at, "q", (1, 4))
    set_filter(at, "agency", ["kosme"])
    annual = table_with(at, "지표", "2025년")
    assert annual[annual["지표"] == "지원기업 수"]["2025년"].iloc[0] == total(
        "firms_supported", year=2025, agency="kosme"
    )


def test_no_data_is_a_sentence(small_db, monkeypatch):
    at = run_page(PAGE, small_db, monkeypatch, program=["gbc"])
    assert not at.get("plotly_chart")
    assert "실적이 없습니다" in at.info[0].value


def _navigate(at, page: str):
    """Follow a sidebar link: the browser asks for the page without the old query string."""
    at.switch_page(page)
    at.query_params.clear()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_the_chosen_metric_survives_a_visit_to_another_page(small_db, monkeypatch):
    """Issue 15 #9: the metric is kept in the URL like the filters, on every page."""
    at = run_page(PAGE, small_db, monkeypatch)
    assert at.selectbox(key="metric").value == "export_value"
    at.selectbox(key="metric").set_value("firms_supported").run()
    assert at.query_params["metric"] == "firms_supported"
    _navigate(at, "views/summary.py")
    assert at.query_params["metric"] == "firms_supported"  # a link copied here keeps it
    _navigate(at, PAGE)
    assert at.selectbox(key="metric").value == "firms_supported"
    _navigate(at, "views/by_sector.py")
    assert at.selectbox(key="metric").value == "firms_supported"


@pytest.mark.parametrize("first", ["views/summary.py", "views/by_sector.py", "views/by_mission.py", PAGE])
def test_one_default_metric_however_one_arrives(small_db, monkeypatch, first):
    at = run_page(first, small_db, monkeypatch)
    _navigate(at, PAGE)
    assert at.selectbox(key="metric").value == "export_value"


def test_growth_is_coloured_by_whether_it_is_good_news(demo_db, monkeypatch):
    """A rise of firms hit by emergencies is bad news (lower is better in data/ref/metrics.csv): it is
    coloured as a fall of firms supported is, not as an improvement."""
    import json

    from ui.figures import NAVY

    worse = "#8A9AAE"

    at = run_page(PAGE, demo_db, monkeypatch)
    bars = json.loads(at.get("plotly_chart")[1].proto.spec)["data"][0]
    colour = dict(zip(bars["y"], bars["marker"]["color"], strict=True))
    change = dict(zip(bars["y"], bars["text"], strict=True))
    assert change["긴급상황 피해기업"].startswith("+") and colour["긴급상황 피해기업"] == worse
    assert change["지원기업 수"].startswith("+") and colour["지원기업 수"] == NAVY
