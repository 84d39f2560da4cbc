"""completeness(): which missions and agencies reported which quarter."""

import pandas as pd
import pytest

from metrics import ALL, Filters, completeness, completeness_summary
from tests.metrics_fixtures import golden_warehouse, new_warehouse

THREE = ("VN-HAN", "SG-SIN", "JP-TYO")


@pytest.fixture
def con(tmp_path):
    connection = golden_warehouse(tmp_path / "w.duckdb")
    yield connection
    connection.close()


def grid(df, unit="mission_code"):
    return {(r.quarter, getattr(r, unit)): r for r in df.itertuples()}


def test_every_mission_is_expected_each_quarter_up_to_the_as_of_quarter(con):
    df = completeness(con)
    assert len(df) == 40 * 2 and set(df["quarter"]) == {1, 2}
    cells = grid(df)
    assert cells[(1, "SG-SIN")].reported and not cells[(2, "SG-SIN")].reported
    assert not cells[(1, "US-LAX")].reported and cells[(1, "US-LAX")].figures == 0
    vn = cells[(1, "VN-HAN")]
    assert (vn.agencies, vn.agency_codes, vn.submissions) == (2, "kosme,mss", 2)
    assert vn.last_loaded_at == pd.Timestamp("2026-04-10")
    assert pd.isna(cells[(2, "SG-SIN")].agency_codes) and pd.isna(cells[(2, "SG-SIN")].last_loaded_at)


def test_filters_narrow_the_missions_and_the_figures(con):
    df = completeness(con, Filters(missions=THREE))
    assert len(df) == 6
    kosme = grid(completeness(con, Filters(missions=THREE, agencies=("kosme",))))
    assert kosme[(1, "JP-TYO")].reported and kosme[(1, "VN-HAN")].reported
    assert not kosme[(1, "SG-SIN")].reported and not kosme[(2, "VN-HAN")].reported
    asia = completeness(con, Filters(regions=("ne_asia",)))
    assert set(asia["mission_code"]) >= {"JP-TYO", "CN-BJS"} and "VN-HAN" not in set(asia["mission_code"])
    q2 = completeness(con, Filters(missions=THREE, quarter_from=2))
    assert set(q2["quarter"]) == {2}


def test_by_agency(con):
    cells = grid(completeness(con, ALL, by="agency"), "agency_code")
    assert len(cells) == 5 * 2
    assert cells[(1, "mss")].missions == 2 and cells[(1, "mss")].mission_codes == "SG-SIN,VN-HAN"
    assert cells[(2, "kosme")].reported and not cells[(1, "koica")].reported
    with pytest.raises(ValueError):
        completeness(con, by="sector")


def test_summary(con):
    df = completeness_summary(con, Filters(missions=THREE))
    assert list(df["expected"]) == [3, 3] and list(df["reported"]) == [3, 2]
    assert list(df["rate_pct"]) == pytest.approx([100, 200 / 3])


def test_past_year_and_named_quarter(con):
    df = completeness(con, Filters(year=2024, missions=THREE))
    assert set(df["quarter"]) == {1, 2, 3, 4}
    assert not grid(df)[(4, "SG-SIN")].reported and not grid(df)[(1, "JP-TYO")].reported
    # nothing reported in 2027 yet: nothing is due, unless quarter_to names the quarter
    assert completeness(con, Filters(year=2027)).empty
    assert len(completeness(con, Filters(year=2027, quarter_to=1))) == 40


def test_empty_warehouse(tmp_path):
    con = new_warehouse(tmp_path / "e.duckdb")
    assert completeness(con).empty and completeness_summary(con).empty
    con.close()
