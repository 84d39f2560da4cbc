"""attainment(), scorecard() and pace_curve() against expectations worked out by hand.

See tests/support/metrics.py for the golden figures. Pace shares, for export_value:
    VN-HAN  2024: 10/100 30/100 60/100   2025: 20/100 40/100 60/100   → Q2 mean 0.35
    SG-SIN  2024 lacks Q4 (not a full year); 2025: .25 .50 .75         → Q2 0.50, one prior year
    JP-TYO  2025 only: .25 .50 .75                                       → Q2 0.50
    kbeauty 2024: 10 30 60 /100   2025: 25 50 75 /120                    → Q2 (0.30 + 50/120) / 2
    total   2024: 20 50 90 /130   2025: 50 100 150 /220                  → Q2 (50/130 + 100/220) / 2
"""

import math
from datetime import datetime

import pandas as pd
import pytest

from metrics import ALL, LEVELS, Filters, attainment, pace_curve, scorecard, status_label
from tests.support.metrics import add_figures, add_targets, golden_warehouse, new_warehouse
from warehouse.connection import connection

TOTAL_Q2 = (50 / 130 + 100 / 220) / 2
KBEAUTY_Q2 = (30 / 100 + 50 / 120) / 2


@pytest.fixture
def con(tmp_path):
    connection = golden_warehouse(tmp_path / "w.duckdb")
    yield connection
    connection.close()


def row(df: pd.DataFrame, metric: str, sector=None, mission=None, agency=None) -> pd.Series:
    mask = df["metric_code"] == metric
    for column, value in (("sector_code", sector), ("mission_code", mission), ("agency_code", agency)):
        mask &= df[column].isna() if value is None else df[column] == value
    found = df[mask]
    assert len(found) == 1, f"expected one row for {metric} {sector} {mission} {agency}, got {len(found)}"
    return found.iloc[0]


def test_total_target_is_compared_with_the_total(con):
    r = row(attainment(con), "export_value")
    assert (r["year"], r["as_of_quarter"], r["level"]) == (2026, 2, "total")
    assert r["ytd_value"] == 100 and r["quarters_reported"] == 2
    assert r["attainment_pct"] == pytest.approx(40.0)
    assert r["expected_share"] == pytest.approx(TOTAL_Q2)
    assert r["expected_value"] == pytest.approx(250 * TOTAL_Q2)  # 104.9: 100 is 95 % of it
    assert r["status"] == "at_risk"
    assert r["projection"] == pytest.approx(100 / TOTAL_Q2)
    assert (r["pace_basis"], r["prior_years"]) == ("prior_years", 2)
    # same quarters of 2025: 50 + 50
    assert r["prev_value"] == 100 and r["growth_pct"] == pytest.approx(0.0)


def test_sector_target_is_compared_with_that_sector(con):
    r = row(attainment(con, level="sector"), "export_value", sector="kbeauty")
    assert r["ytd_value"] == 90 and r["attainment_pct"] == pytest.approx(45.0)
    assert r["expected_share"] == pytest.approx(KBEAUTY_Q2)
    assert r["status"] == "on_track"


def test_mission_targets_and_their_pace(con):
    df = attainment(con, level="mission")
    assert set(df["level"]) == {"mission"}
    vn = row(df, "export_value", mission="VN-HAN")
    # expected 0.35 × 200 = 70 (up to float rounding) and the actual is exactly 70: on track
    assert vn["expected_share"] == pytest.approx(0.35) and vn["ytd_value"] == 70
    assert vn["status"] == "on_track" and vn["projection"] == pytest.approx(200)
    sg = row(df, "export_value", mission="SG-SIN")
    # Q2 is missing in 2026 and 2024 lacks Q4: one prior full year, 10 of 50 expected
    assert sg["quarters_reported"] == 1 and sg["prior_years"] == 1
    assert sg["expected_value"] == pytest.approx(50) and sg["status"] == "behind"
    assert sg["projection"] == pytest.approx(20)
    jp = row(df, "export_value", mission="JP-TYO")
    assert jp["expected_value"] == pytest.approx(20) and jp["ytd_value"] == 20 and jp["status"] == "on_track"


def test_mission_with_a_target_and_no_figures(con):
    r = row(attainment(con, level="mission"), "export_value", mission="US-LAX")
    assert math.isnan(r["ytd_value"]) and math.isnan(r["attainment_pct"])
    assert r["quarters_reported"] == 0 and r["status"] == "no_data"


def test_agency_and_sector_mission_targets(con):
    df = attainment(con)
    kosme = row(df, "export_value", agency="kosme")
    assert kosme["level"] == "agency" and kosme["ytd_value"] == 20
    assert kosme["attainment_pct"] == pytest.approx(200 / 3)
    both = row(df, "export_value", sector="kbeauty", mission="VN-HAN")
    assert both["level"] == "sector+mission" and both["attainment_pct"] == pytest.approx(70)


def test_satisfaction_is_judged_on_its_weighted_mean(con):
    r = row(attainment(con), "satisfaction")
    mean = 3540 / 42  # (90×30 + 70×10 + 60×1 + 80×1) / (30 + 10 + 1 + 1)
    assert r["ytd_value"] == pytest.approx(mean)
    assert r["attainment_pct"] == pytest.approx(mean / 85 * 100)
    assert math.isnan(r["expected_share"]) and r["expected_value"] == 85
    assert r["pace_basis"] == "target" and r["prior_years"] == 0
    assert r["projection"] == pytest.approx(mean)
    assert r["status"] == "at_risk"  # 84.3 < 85 but above 80 % of it
    assert r["prev_value"] == pytest.approx(70)


def test_target_of_zero(con):
    r = row(attainment(con), "mou_signed")
    assert r["target"] == 0 and math.isnan(r["attainment_pct"]) and math.isnan(r["projection_pct"])
    assert r["status"] == "on_track"  # 2 ≥ 0 × share
    assert r["projection"] == pytest.approx(4)  # 2 ÷ 0.5


def test_no_prior_year_means_linear_pace(con):
    r = row(attainment(con), "relief_cases")
    assert (r["pace_basis"], r["expected_share"]) == ("linear", 0.5)
    assert r["expected_value"] == 4 and r["ytd_value"] == 2 and r["status"] == "behind"


def test_no_target_means_no_attainment(con):
    df = attainment(con)
    assert "buyer_meetings" not in set(df["metric_code"])
    assert "affected_firms" not in set(df["metric_code"])  # registry: no target, even if one is loaded
    card = scorecard(con).set_index("metric_code")
    assert card.loc["buyer_meetings", "ytd_value"] == 5
    assert pd.isna(card.loc["buyer_meetings", "target"]) and pd.isna(
        card.loc["buyer_meetings", "attainment_pct"]
    )
    assert card.loc["buyer_meetings", "status"] is None or pd.isna(card.loc["buyer_meetings", "status"])
    assert pd.isna(card.loc["affected_firms", "target"])
    assert card.loc["affected_firms", "projection"] == pytest.approx(6)  # projections need no target


def test_scorecard_is_one_row_per_metric(con):
    card = scorecard(con)
    assert len(card) == 13 and card["metric_code"].iloc[0] == "firms_supported"
    ev = card.set_index("metric_code").loc["export_value"]
    assert ev["target"] == 250 and ev["attainment_pct"] == pytest.approx(40)


def test_scorecard_of_one_mission_uses_that_missions_target(con):
    card = scorecard(con, Filters(missions=("VN-HAN",))).set_index("metric_code")
    assert card.loc["export_value", "target"] == 200 and card.loc["export_value", "ytd_value"] == 70
    assert card.loc["firms_supported", "target"] == 100
    both = scorecard(con, Filters(missions=("VN-HAN",), sectors=("kbeauty",))).set_index("metric_code")
    assert both.loc["export_value", "target"] == 100
    several = scorecard(con, Filters(missions=("VN-HAN", "SG-SIN"))).set_index("metric_code")
    assert pd.isna(several.loc["export_value", "target"]) and several.loc["export_value", "ytd_value"] == 80
    program = scorecard(con, Filters(programs=("gbc",))).set_index("metric_code")
    assert pd.isna(program.loc["export_value", "target"]) and program.loc["export_value", "ytd_value"] == 20


def test_filters_keep_only_targets_that_pin_the_filtered_dimensions(con):
    df = attainment(con, Filters(sectors=("kbeauty",)))
    assert set(df["level"]) == {"sector", "sector+mission"}
    assert attainment(con, Filters(programs=("emb_collab",))).empty
    regional = attainment(con, Filters(regions=("ne_asia",)))
    assert set(regional["mission_code"]) == {"JP-TYO"}
    one = attainment(con, Filters(metrics=("satisfaction",)))
    assert list(one["metric_code"]) == ["satisfaction"]


def test_a_past_year_ignores_later_figures(con):
    r = row(attainment(con, Filters(year=2025)), "export_value")
    # all of 2025 against 200; 2024 is the one prior full year; 2026 must not leak in
    assert (r["as_of_quarter"], r["ytd_value"], r["prior_years"]) == (4, 220, 1)
    assert r["attainment_pct"] == pytest.approx(110) and r["expected_share"] == pytest.approx(1.0)
    assert r["status"] == "on_track"


def test_quarter_to_sets_the_as_of_quarter(con):
    r = row(attainment(con, Filters(year=2025, quarter_to=2)), "export_value")
    assert (r["as_of_quarter"], r["ytd_value"]) == (2, 100)
    assert r["expected_share"] == pytest.approx(50 / 130)  # 2024 only
    # quarter_from does not shorten the year to date
    r3 = row(attainment(con, Filters(year=2025, quarter_from=2, quarter_to=2)), "export_value")
    assert r3["ytd_value"] == 100


def test_year_with_targets_and_no_figures(tmp_path):
    con = new_warehouse(tmp_path / "t.duckdb")
    add_figures(con, [(2025, 1, "mss", "VN-HAN", "kbeauty", "emb_collab", "export_value", 5)])
    add_targets(con, [(2026, "export_value", None, None, None, 10)])
    r = row(attainment(con, Filters(year=2026)), "export_value")
    assert pd.isna(r["as_of_quarter"]) and r["status"] == "no_data" and pd.isna(r["expected_share"])
    con.close()


def test_duplicate_targets_take_the_largest(tmp_path):
    con = new_warehouse(tmp_path / "t.duckdb")
    add_figures(con, [(2026, 1, "mss", "VN-HAN", "kbeauty", "emb_collab", "export_value", 5)])
    add_targets(
        con, [(2026, "export_value", None, None, None, 10), (2026, "export_value", None, None, None, 20)]
    )
    assert row(attainment(con), "export_value")["target"] == 20
    con.close()


def test_levels_and_errors(con):
    assert LEVELS["total"] == 7 and LEVELS["sector+mission"] == 1 and len(LEVELS) == 8
    with pytest.raises(ValueError, match="unknown level"):
        attainment(con, level="region")


def test_empty_warehouse(tmp_path):
    con = new_warehouse(tmp_path / "e.duckdb")
    assert attainment(con).empty and scorecard(con).empty and pace_curve(con).empty
    assert list(attainment(con).columns)[:7] == [
        "year",
        "as_of_quarter",
        "level",
        "metric_code",
        "sector_code",
        "mission_code",
        "agency_code",
    ]
    con.close()


def test_pace_curve(con):
    df = pace_curve(con, Filters(metrics=("export_value",)))
    assert list(df["quarter"]) == [1, 2, 3, 4]
    assert list(df["expected_share"]) == pytest.approx(
        [(20 / 130 + 50 / 220) / 2, TOTAL_Q2, (90 / 130 + 150 / 220) / 2, 1]
    )
    assert list(df["expected_value"]) == pytest.approx([250 * s for s in df["expected_share"]])
    assert list(df["cum_value"].iloc[:2]) == [48, 100] and df["cum_value"].iloc[2:].isna().all()
    assert list(df["prev_cum_value"]) == [50, 100, 150, 220]


def test_pace_curve_of_satisfaction_is_the_running_mean(con):
    df = pace_curve(con, Filters(metrics=("satisfaction",)))
    assert df["expected_share"].isna().all() and (df["expected_value"] == 85).all()
    assert df["cum_value"].iloc[0] == pytest.approx(3460 / 41) and df["cum_value"].iloc[1] == pytest.approx(
        3540 / 42
    )


def test_status_labels():
    assert status_label("on_track") == "정상" and status_label("at_risk") == "주의"
    assert status_label("behind") == "미흡" and status_label("behind", "en") == "Behind"
    assert status_label(None) == ""


def test_scorecard_by_dimension_matches_one_scorecard_per_value(con):
    by = scorecard(con, ALL, by="mission")
    assert len(by) == 40 * 13 and list(by.columns[:3]) == ["year", "as_of_quarter", "mission_code"]
    for mission in ("VN-HAN", "SG-SIN", "US-LAX"):
        one = scorecard(con, Filters(missions=(mission,)))
        block = by[by["mission_code"] == mission].drop(columns="mission_code").reset_index(drop=True)
        pd.testing.assert_frame_equal(block, one)
    sectors = scorecard(con, Filters(sectors=("kbeauty", "it")), by="sector")
    assert list(dict.fromkeys(sectors["sector_code"])) == ["kbeauty", "it"]  # reference order
    kb = sectors.set_index(["sector_code", "metric_code"]).loc[("kbeauty", "export_value")]
    assert kb["target"] == 200 and kb["attainment_pct"] == pytest.approx(45)
    asian = scorecard(con, Filters(regions=("ne_asia",)), by="mission")
    assert "JP-TYO" in set(asian["mission_code"]) and "VN-HAN" not in set(asian["mission_code"])
    with pytest.raises(ValueError):
        scorecard(con, by="program")


def test_every_level_at_once_equals_each_level_alone(demo_db):
    """With every level asked at once, coarser levels are summed from finer ones' rows (metrics.pace):
    the same numbers as each level read from the figures alone, for current and past moments."""
    with connection(demo_db, read_only=True) as db:
        # the demo's targets: the total, sectors and hub missions, so some levels nest in others
        assert {"total", "sector", "mission"} <= set(attainment(db, Filters(year=2026))["level"])
        for filters in (
            Filters(year=2026),
            Filters(year=2025, quarter_to=3, at=datetime(2025, 12, 19)),
            Filters(year=2026, sectors=("kbeauty",)),
        ):
            together = attainment(db, filters)
            assert not together.empty
            for level, alone_rows in together.groupby("level"):
                alone = attainment(db, filters, level=level).reset_index(drop=True)
                pd.testing.assert_frame_equal(alone_rows.reset_index(drop=True), alone, rtol=1e-12)
