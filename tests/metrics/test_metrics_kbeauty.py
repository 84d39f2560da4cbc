"""kbeauty_comparison(): K-beauty hub missions against the other K-beauty missions."""

import pandas as pd
import pytest

from metrics import Filters, kbeauty_comparison
from tests.support.metrics import golden_warehouse


@pytest.fixture
def con(tmp_path):
    connection = golden_warehouse(tmp_path / "w.duckdb")
    yield connection
    connection.close()


def test_hubs_against_the_others(con):
    df = kbeauty_comparison(con)
    rows = {(r.group, r.metric_code): r for r in df.itertuples()}
    hub, other = rows[("hub", "export_value")], rows[("other", "export_value")]
    # JP-TYO (hub since 2026): 8 + 12 against 5 + 5; VN-HAN (K-beauty only, SG-SIN is IT): 70 against 40
    assert (hub.missions, hub.value, hub.prev_value, hub.growth_pct) == (1, 20, 10, 100)
    assert (other.missions, other.value, other.prev_value) == (1, 70, 40)
    assert other.value_per_mission == 70
    # satisfaction of the other K-beauty missions: VN-HAN's 90×30, 60×1 (Q1) and 80×1 (Q2)
    assert rows[("other", "satisfaction")].value == pytest.approx((2700 + 60 + 80) / 32)
    assert ("hub", "satisfaction") not in rows


def test_before_designation_every_mission_is_other(con):
    df = kbeauty_comparison(con, Filters(year=2025))
    assert set(df["group"]) == {"other"}
    ev = df[df["metric_code"] == "export_value"].iloc[0]
    assert (ev["missions"], ev["value"], ev["prev_value"]) == (2, 120, 100)


def test_by_mission(con):
    df = kbeauty_comparison(con, by_mission=True)
    ev = {r.mission_code: r for r in df[df["metric_code"] == "export_value"].itertuples()}
    assert set(ev) == {"JP-TYO", "VN-HAN"}
    assert ev["JP-TYO"].is_hub and ev["JP-TYO"].hub_since == 2026 and ev["JP-TYO"].value == 20
    assert not ev["VN-HAN"].is_hub and pd.isna(ev["VN-HAN"].hub_since)


def test_sector_filter_is_replaced_by_kbeauty(con):
    assert kbeauty_comparison(con, Filters(sectors=("it",))).equals(kbeauty_comparison(con))
