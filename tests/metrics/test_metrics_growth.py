"""growth() over the same quarters, and rank_missions(), on the golden warehouse."""

import math

import pytest

from metrics import ALL, Filters, growth, rank_missions
from metrics.growth import COMPOSITE_CAP
from tests.support.metrics import golden_warehouse, new_warehouse


@pytest.fixture
def con(tmp_path):
    connection = golden_warehouse(tmp_path / "w.duckdb")
    yield connection
    connection.close()


def by_mission(df, metric="export_value"):
    return {r.mission_code: r for r in df[df["metric_code"] == metric].itertuples()}


def test_growth_compares_the_same_quarters(con):
    df = growth(con, ALL, by="mission")
    assert list(df.columns) == [
        "mission_code",
        "metric_code",
        "year",
        "quarter_from",
        "quarter_to",
        "value",
        "prev_value",
        "change",
        "growth_pct",
    ]
    rows = by_mission(df)
    # 2026 Q1–Q2 against 2025 Q1–Q2
    assert (rows["VN-HAN"].value, rows["VN-HAN"].prev_value) == (70, 40)
    assert rows["VN-HAN"].growth_pct == pytest.approx(75)
    assert rows["SG-SIN"].growth_pct == pytest.approx(-80) and rows["SG-SIN"].change == -40
    assert rows["JP-TYO"].growth_pct == pytest.approx(100)
    assert (rows["VN-HAN"].year, rows["VN-HAN"].quarter_from, rows["VN-HAN"].quarter_to) == (2026, 1, 2)


def test_growth_of_a_quarter_range_and_of_a_past_year(con):
    q2 = by_mission(growth(con, Filters(quarter_from=2), by="mission"))
    assert (q2["VN-HAN"].value, q2["VN-HAN"].prev_value) == (40, 20)
    assert math.isnan(q2["SG-SIN"].value) and q2["SG-SIN"].prev_value == 25  # no 2026 Q2 figure
    past = by_mission(growth(con, Filters(year=2025), by="mission"))
    assert (past["SG-SIN"].value, past["SG-SIN"].prev_value) == (100, 30)
    assert math.isnan(past["JP-TYO"].growth_pct)  # nothing in 2024 to grow from


def test_growth_of_satisfaction_is_relative_and_change_is_in_points(con):
    total = growth(con).set_index("metric_code").loc["satisfaction"]
    assert total["value"] == pytest.approx(3540 / 42) and total["prev_value"] == 70
    assert total["change"] == pytest.approx(3540 / 42 - 70)


def test_growth_refuses_time_groupings(con):
    with pytest.raises(ValueError):
        growth(con, ALL, by="year")


def test_rank_missions_by_attainment_of_one_metric(con):
    df = rank_missions(con, by="attainment", metric_code="export_value", n=1)
    assert list(df["side"]) == ["top", "bottom"]
    assert list(df["mission_code"]) == ["JP-TYO", "SG-SIN"]
    assert list(df["value"]) == pytest.approx([50, 10])
    # US-LAX has no figure: not ranked; VN-HAN sits in the middle
    everyone = rank_missions(con, by="attainment", metric_code="export_value", n=5)
    assert list(everyone["mission_code"]) == ["JP-TYO", "VN-HAN", "SG-SIN"]
    assert list(everyone["side"]) == ["top", "top", "top"]


def test_composite_attainment_caps_each_metric(con):
    df = rank_missions(con, n=2)
    rows = {r.mission_code: r for r in df.itertuples()}
    # JP-TYO: export 50 %, firms 200 % capped at 120 → 85; VN-HAN: (35 + 30) / 2; SG-SIN: 10
    assert rows["JP-TYO"].value == pytest.approx((50 + COMPOSITE_CAP) / 2) and rows["JP-TYO"].metrics == 2
    assert rows["VN-HAN"].value == pytest.approx(32.5)
    assert list(df["mission_code"]) == ["JP-TYO", "VN-HAN", "SG-SIN"]
    assert list(df["side"]) == ["top", "top", "bottom"] and df["metric_code"].isna().all()


def test_rank_missions_by_growth(con):
    df = rank_missions(con, by="growth", metric_code="export_value", n=1)
    assert list(df["mission_code"]) == ["JP-TYO", "SG-SIN"]
    assert list(df["value"]) == pytest.approx([100, -80])
    with pytest.raises(ValueError, match="metric_code"):
        rank_missions(con, by="growth")


def test_rank_missions_by_growth_of_a_lower_is_better_metric(tmp_path):
    con = new_warehouse(tmp_path / "w.duckdb")
    from tests.support.metrics import add_figures

    add_figures(
        con,
        [
            (2025, 1, "mss", "VN-HAN", "kbeauty", "emb_collab", "affected_firms", 10),
            (2026, 1, "mss", "VN-HAN", "kbeauty", "emb_collab", "affected_firms", 5),
            (2025, 1, "mss", "SG-SIN", "it", "emb_collab", "affected_firms", 10),
            (2026, 1, "mss", "SG-SIN", "it", "emb_collab", "affected_firms", 20),
        ],
    )
    df = rank_missions(con, by="growth", metric_code="affected_firms", n=1)
    # fewer affected firms is better: VN-HAN (−50 %) ranks on top, its value sign flipped
    assert list(df["mission_code"]) == ["VN-HAN", "SG-SIN"] and list(df["value"]) == [50, -100]
    con.close()


def test_rank_missions_on_an_empty_warehouse(tmp_path):
    con = new_warehouse(tmp_path / "e.duckdb")
    assert rank_missions(con).empty and growth(con).empty
    con.close()
