"""actuals(): sums, firms-weighted satisfaction, grouping and filters, on the golden warehouse."""

import pandas as pd
import pytest

from metrics import ALL, Filters, actuals, latest_period
from metrics.period import Period
from tests.support.metrics import add_figures, golden_warehouse, new_warehouse


@pytest.fixture
def con(tmp_path):
    connection = golden_warehouse(tmp_path / "w.duckdb")
    yield connection
    connection.close()


def values(df: pd.DataFrame, key: str | list[str], metric: str = "export_value") -> dict:
    rows = df[df["metric_code"] == metric]
    keys = [key] if isinstance(key, str) else key
    return {
        (tuple(r[k] for k in keys) if len(keys) > 1 else r[keys[0]]): r["value"] for _, r in rows.iterrows()
    }


def test_export_value_by_year(con):
    df = actuals(con, ALL, by="year")
    # 2026 Q2 holds a superseded 999 that must not count
    assert values(df, "year") == {2024: 130, 2025: 220, 2026: 100}


def test_columns_and_dtypes(con):
    df = actuals(con, Filters(year=2026), by=("year", "quarter", "sector"))
    assert list(df.columns) == ["year", "quarter", "sector_code", "metric_code", "value"]
    assert str(df["year"].dtype) == "Int64" and str(df["quarter"].dtype) == "Int64"
    assert pd.api.types.is_string_dtype(df["sector_code"]) and str(df["value"].dtype) == "float64"


def test_rows_follow_the_registry_order(con):
    df = actuals(con, Filters(year=2026))
    assert list(df["metric_code"]) == [
        "firms_supported",
        "buyer_meetings",
        "export_value",
        "mou_signed",
        "satisfaction",
        "affected_firms",
        "relief_cases",
    ]


def test_satisfaction_is_weighted_by_firms_of_the_same_row(con):
    df = actuals(con, Filters(year=2026), by="quarter")
    sat = values(df, "quarter", "satisfaction")
    # Q1: 90 × 30 firms, 70 × 10 firms, 60 with no firms figure (weight 1) → 3460 / 41
    assert sat[1] == pytest.approx((90 * 30 + 70 * 10 + 60 * 1) / 41)
    # Q2: one score, on a row reporting 0 firms (weight 1)
    assert sat[2] == pytest.approx(80)
    total = values(actuals(con, Filters(year=2026)), "metric_code", "satisfaction")
    assert total["satisfaction"] == pytest.approx(3540 / 42)


def test_metric_filter_keeps_the_weights(con):
    df = actuals(con, Filters(year=2026, metrics=("satisfaction",)))
    assert list(df["metric_code"]) == ["satisfaction"]
    assert df["value"].iloc[0] == pytest.approx(3540 / 42)


def test_a_repeated_row_key_weights_each_score(tmp_path):
    con = new_warehouse(tmp_path / "dup.duckdb")
    key = (2026, 1, "mss", "VN-HAN", "kbeauty", "emb_collab")
    add_figures(con, [(*key, "satisfaction", 90), (*key, "satisfaction", 60), (*key, "firms_supported", 10)])
    add_figures(con, [(2026, 1, "mss", "SG-SIN", "it", "emb_collab", "satisfaction", 30)])
    df = actuals(con, ALL)
    # each score on the repeated key weighs 10 firms; SG-SIN's weighs 1
    assert values(df, "metric_code", "satisfaction")["satisfaction"] == pytest.approx((900 + 600 + 30) / 21)
    assert values(df, "metric_code", "firms_supported")["firms_supported"] == 10
    con.close()


def test_quarter_range_applies_within_each_year(con):
    df = actuals(con, Filters(quarter_from=2, quarter_to=3), by="year")
    assert values(df, "year") == {2024: 70, 2025: 100, 2026: 52}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(agencies=("kosme",)), {"JP-TYO": 40}),
        (Filters(programs=("gbc",)), {"JP-TYO": 40}),
        (Filters(sectors=("it",)), {"SG-SIN": 140}),
        (Filters(missions=("VN-HAN", "SG-SIN")), {"VN-HAN": 270, "SG-SIN": 140}),
        (Filters(regions=("ne_asia",)), {"JP-TYO": 40}),
        (Filters(year=2024), {"VN-HAN": 100, "SG-SIN": 30}),
        (Filters(agencies=("koica",)), {}),
    ],
)
def test_dimension_filters(con, filters, expected):
    assert values(actuals(con, filters, by="mission"), "mission_code") == expected


def test_group_by_region_and_several_dimensions(con):
    df = actuals(con, Filters(year=2025), by=("region", "agency"))
    assert values(df, ["region_code", "agency_code"]) == {("ne_asia", "kosme"): 20, ("se_asia", "mss"): 200}


def test_by_accepts_short_and_column_names_and_rejects_others(con):
    assert actuals(con, ALL, by="sector").equals(actuals(con, ALL, by=["sector_code"]))
    with pytest.raises(ValueError, match="cannot group by"):
        actuals(con, ALL, by="colour")


def test_filters_normalise_and_validate():
    assert Filters(sectors=["kbeauty"]).sectors == ("kbeauty",)
    assert Filters(sectors="kbeauty").sectors == ("kbeauty",)
    assert hash(Filters(missions=["VN-HAN"])) == hash(Filters(missions=("VN-HAN",)))
    with pytest.raises(ValueError):
        Filters(quarter_from=3, quarter_to=2)


def test_empty_warehouse_gives_empty_frames_with_the_same_columns(tmp_path):
    con = new_warehouse(tmp_path / "empty.duckdb")
    df = actuals(con, ALL, by=("year", "mission"))
    assert df.empty and list(df.columns) == ["year", "mission_code", "metric_code", "value"]
    assert latest_period(con) is None
    con.close()


def test_latest_period(con):
    assert latest_period(con) == Period(2026, 2)
    assert latest_period(con, Filters(year=2025)) == Period(2025, 4)
    assert latest_period(con, Filters(quarter_to=1)) == Period(2026, 1)
    assert latest_period(con, Filters(year=2027)) is None
    assert latest_period(con, Filters(year=2027, quarter_to=1)) == Period(2027, 1)
    # the as-of quarter ignores dimension filters: SG-SIN lacks 2026 Q2 but the period is Q2
    assert latest_period(con, Filters(missions=("SG-SIN",))) == Period(2026, 2)
