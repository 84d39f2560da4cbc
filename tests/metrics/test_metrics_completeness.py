"""completeness(): which missions and agencies reported which quarter, and the one as-of line that
the 요약 page and the 제출 현황 page both show.

The golden warehouse (tests/support/metrics.py: mss and kosme figures only) plus the missions' own
returns, sent through MOFA:

    MOFA   2024 Q1 VN-HAN;  2026 Q1 VN-HAN, SG-SIN (it);  2026 Q2 VN-HAN
    others 2026 Q1 VN-HAN mss + kosme, SG-SIN mss, JP-TYO kosme;  2026 Q2 VN-HAN mss, JP-TYO kosme

So JP-TYO has KOSME figures in 2026 Q1 and Q2 but never a return of its own: it has not reported.
"Any agency's figure" would count it (3 missions in Q1, 2 in Q2); the council's rule does not
(2 in Q1, 1 in Q2).
"""

import pandas as pd
import pytest

from metrics import ALL, Filters, completeness, completeness_summary
from metrics.completeness import missions_reported
from metrics.summary import build_summary
from tests.support.metrics import add_figures, golden_warehouse, new_warehouse

THREE = ("VN-HAN", "SG-SIN", "JP-TYO")
MOFA = [
    (2024, 1, "mofa", "VN-HAN", "kbeauty", "emb_collab", "firms_supported", 6),
    (2026, 1, "mofa", "VN-HAN", "kbeauty", "emb_collab", "firms_supported", 12),
    (2026, 1, "mofa", "SG-SIN", "it", "emb_collab", "firms_supported", 4),
    (2026, 1, "mofa", "SG-SIN", "it", "emb_collab", "buyer_meetings", 9),
    (2026, 2, "mofa", "VN-HAN", "kbeauty", "emb_collab", "firms_supported", 9),
]


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    connection = golden_warehouse(tmp_path_factory.mktemp("completeness") / "w.duckdb")
    add_figures(connection, MOFA)
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
    # the counted figures and returns are the mission's own; every agency there is listed beside it
    assert (vn.figures, vn.submissions) == (1, 1)
    assert (vn.agencies, vn.agency_codes) == (3, "kosme,mofa,mss")
    assert vn.last_loaded_at == pd.Timestamp("2026-04-10")
    assert pd.isna(cells[(2, "SG-SIN")].agency_codes) and pd.isna(cells[(2, "SG-SIN")].last_loaded_at)


def test_a_mission_reports_through_mofa_other_agencies_do_not_stand_in(con):
    cells = grid(completeness(con))
    for quarter in (1, 2):
        tokyo = cells[(quarter, "JP-TYO")]
        assert not tokyo.reported, quarter  # KOSME reported its GBC figures there, the mission did not
        assert (tokyo.figures, tokyo.submissions, tokyo.agency_codes) == (0, 0, "kosme")
        assert pd.isna(tokyo.last_loaded_at)
    assert list(completeness_summary(con)["reported"]) == [2, 1]


def test_filters_narrow_the_missions_and_the_figures(con):
    df = completeness(con, Filters(missions=THREE))
    assert len(df) == 6
    # the agency filter does not choose whose return makes a mission's quarter: it is always MOFA's
    kosme = completeness(con, Filters(missions=THREE, agencies=("kosme",)))
    pd.testing.assert_frame_equal(kosme, df)
    it = grid(completeness(con, Filters(missions=THREE, sectors=("it",))))
    assert it[(1, "SG-SIN")].reported and not it[(1, "VN-HAN")].reported  # did the return cover IT?
    asia = completeness(con, Filters(regions=("ne_asia",)))
    assert set(asia["mission_code"]) >= {"JP-TYO", "CN-BJS"} and "VN-HAN" not in set(asia["mission_code"])
    q2 = completeness(con, Filters(missions=THREE, quarter_from=2))
    assert set(q2["quarter"]) == {2}


def test_by_agency(con):
    cells = grid(completeness(con, ALL, by="agency"), "agency_code")
    assert len(cells) == 5 * 2
    assert cells[(1, "mss")].missions == 2 and cells[(1, "mss")].mission_codes == "SG-SIN,VN-HAN"
    assert cells[(1, "kosme")].reported and cells[(1, "kosme")].mission_codes == "JP-TYO,VN-HAN"
    assert cells[(2, "kosme")].reported and not cells[(1, "koica")].reported
    assert cells[(1, "mofa")].missions == 2 and cells[(1, "mofa")].figures == 3
    with pytest.raises(ValueError):
        completeness(con, by="sector")


def test_summary(con):
    df = completeness_summary(con, Filters(missions=THREE))
    assert list(df["expected"]) == [3, 3] and list(df["reported"]) == [2, 1]
    assert list(df["rate_pct"]) == pytest.approx([200 / 3, 100 / 3])


def test_past_year_and_named_quarter(con):
    df = completeness(con, Filters(year=2024, missions=THREE))
    assert set(df["quarter"]) == {1, 2, 3, 4}
    assert grid(df)[(1, "VN-HAN")].reported and not grid(df)[(2, "VN-HAN")].reported
    assert not grid(df)[(4, "SG-SIN")].reported  # mss figures only
    # nothing reported in 2027 yet: nothing is due, unless quarter_to names the quarter
    assert completeness(con, Filters(year=2027)).empty
    assert len(completeness(con, Filters(year=2027, quarter_to=1))) == 40


@pytest.mark.parametrize("filters", [ALL, Filters(year=2026, quarter_to=1)], ids=["as of Q2", "as of Q1"])
def test_summary_as_of_line_and_completeness_agree(con, filters):
    """요약's "n/40 공관 제출" and completeness for the same year and quarter are one count."""
    line = build_summary(con, filters).completeness
    per_quarter = completeness_summary(con, filters).set_index("quarter")
    assert (line.year, line.quarter) == (2026, 2 if filters is ALL else 1)
    assert (line.submitted, line.expected) == tuple(per_quarter.loc[line.quarter, ["reported", "expected"]])
    cells = completeness(con, filters)
    missing = cells[(cells["quarter"] == line.quarter) & ~cells["reported"]]["mission_code"]
    assert line.missing == tuple(missing)
    assert "JP-TYO" in line.missing  # KOSME figures there do not make the mission's return
    assert line.submitted == (1 if filters is ALL else 2)


def test_missions_reported_counts_whole_returns_of_the_missions_in_view(con):
    line = missions_reported(con, Filters(missions=THREE, sectors=("it",), agencies=("kosme",)))
    assert (line.year, line.quarter, line.submitted, line.expected) == (2026, 2, 1, 3)
    assert line.missing == ("JP-TYO", "SG-SIN") and line.missing_ko == ("주일본 대사관", "주싱가포르 대사관")
    assert line.text("ko") == "2026년 2분기 마감 기준 · 1/3 공관 제출"
    assert line.missing_text("en") == "Not reported: Embassy in Japan, Embassy in Singapore"
    q1 = missions_reported(con, Filters(year=2026, quarter_to=1, regions=("ne_asia",)))
    assert q1.quarter == 1 and q1.submitted == 0 and "JP-TYO" in q1.missing


def test_empty_warehouse(tmp_path):
    con = new_warehouse(tmp_path / "e.duckdb")
    assert completeness(con).empty and completeness_summary(con).empty
    line = missions_reported(con)
    assert (line.quarter, line.submitted, line.expected) == (None, 0, 40)
    assert line.text("ko") == "아직 제출된 실적이 없습니다"
    con.close()


# --- the preliminary view: like with like, coverage beside it, judgement withheld when thin ---------


def _prev_same_reporters(db, metric: str) -> float:
    """2025 Q1–Q3 whole, and 2025 Q4 of only the slices (agency × mission) that reported 2026 Q4."""
    from tests.support.upload import Q4_SLICES
    from warehouse.connection import connection

    slices = ", ".join(f"('{a}', '{m}')" for a, m in Q4_SLICES)
    with connection(db, read_only=True) as c:
        return c.execute(
            f"""SELECT sum(value) FROM results WHERE metric_code = ? AND year = 2025
                AND (quarter <= 3 OR (agency_code, mission_code) IN ({slices}))""",
            [metric],
        ).fetchone()[0]


def test_preliminary_growth_compares_the_same_reporters_a_year_earlier(demo_db, tmp_path):
    from tests.support.upload import demo_with_one_agency_q4
    from warehouse.connection import connection

    db = demo_with_one_agency_q4(demo_db, tmp_path)
    with connection(db, read_only=True) as c:
        card = build_summary(c, Filters(year=2026)).scorecard.set_index("metric_code")
        closed = build_summary(c, Filters(year=2026, through=20263)).scorecard.set_index("metric_code")
    for metric in ("firms_supported", "export_value"):
        assert card.at[metric, "prev_value"] == pytest.approx(_prev_same_reporters(db, metric))
        # Q1–Q3 grew about 15–18 %; three missions' Q4 against their own Q4 keeps it near that
        assert card.at[metric, "growth_pct"] > 0 and closed.at[metric, "growth_pct"] > 0


def test_preliminary_status_is_withheld_where_coverage_is_thin(demo_db, tmp_path):
    from metrics.completeness import open_coverage
    from tests.support.upload import demo_with_one_agency_q4
    from warehouse.connection import connection

    db = demo_with_one_agency_q4(demo_db, tmp_path)
    with connection(db, read_only=True) as c:
        cov = open_coverage(c, Filters(year=2026))
        summary = build_summary(c, Filters(year=2026))
        closed = build_summary(c, Filters(year=2026, through=20263))
    assert (cov.year, cov.quarter, cov.missions, cov.missions_expected) == (2026, 4, 3, 40)
    assert (cov.agencies, cov.agencies_expected) == (1, 5) and cov.thin
    assert cov.text("ko") == "잠정 · 3/40 공관" and cov.text("en") == "Preliminary · 3/40 missions"
    judged = summary.scorecard["status"].dropna()
    assert set(judged) <= {"withheld", "no_data"} and "withheld" in set(judged)
    assert set(summary.sectors["status"].dropna()) <= {"withheld", "no_data"}
    assert set(summary.mission_attainment["status"].dropna()) <= {"withheld", "no_data"}
    assert "behind" not in set(summary.missions["worst_status"])
    text = " ".join(summary.highlights("ko"))
    assert "미흡" not in text and "판정 보류" in text
    # the closed quarter is judged as before, and its as-of line says nothing of coverage
    assert "behind" in set(closed.scorecard["status"]) or "on_track" in set(closed.scorecard["status"])
    # one count: the as-of line of the open quarter says the coverage the banner says
    assert summary.completeness.text("ko").startswith("2026년 4분기 잠정 기준 · 3/40 공관 접수")
