"""Since the last council on the demo warehouse: its three restatements, four closes and two incidents
(Mexico's, begun since; Istanbul's, monitoring since its acute phase ended: ongoing, not ended).

The demo (etl/demo/build.py) held 제2차 on 2025-12-19 reviewing 2025 Q3 and plans 제3차 for 2026-12-18;
KISED restated 2024 Q3 before 제2차 (2025-02-14), KOSME 2025 Q3 after it (2026-01-22) and MSS
2026 Q2 (2026-10-20), a quarter 제2차 never saw. "Today" is 2026-12-01 in these tests.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from metrics import Filters, attainment
from metrics.council import (
    council_filters,
    last_meeting,
    meeting_moment,
    meetings,
    next_meeting,
    since_last_council,
)
from warehouse.connection import connection

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def since(demo_db):
    with connection(demo_db, read_only=True) as con:
        return since_last_council(con, today=TODAY)


def test_the_meeting_moment_is_the_start_of_its_day() -> None:
    assert meeting_moment(date(2025, 12, 19)) == datetime(2025, 12, 19, 0, 0)


def test_the_last_council_is_the_latest_held_before_the_day(demo_db) -> None:
    with connection(demo_db, read_only=True) as con:
        assert [m.meeting_no for m in meetings(con)] == [1, 2, 3]
        assert last_meeting(con, TODAY).meeting_no == 2
        assert last_meeting(con, date(2026, 12, 18)).meeting_no == 2  # preparing 제3차
        assert last_meeting(con, date(2025, 12, 19)).meeting_no == 1  # on 제2차's own day
        assert last_meeting(con, date(2024, 12, 20)) is None
        assert next_meeting(con, TODAY).meeting_no == 3


def test_then_is_the_reviewed_quarter_as_of_the_meeting_and_now_the_latest_close(since) -> None:
    assert since.meeting.meeting_no == 2
    assert since.then == Filters(year=2025, quarter_to=3, through=20253, at=datetime(2025, 12, 19))
    assert since.now == Filters(year=2026, quarter_to=3, through=20263)
    assert (since.then_period, since.now_period) == (20253, 20263)


def test_each_target_then_and_now_is_the_attainment_of_that_view(demo_db, since) -> None:
    with connection(demo_db, read_only=True) as con:
        then = attainment(con, council_filters(since.meeting), level="total").set_index("metric_code")
        now = attainment(con, since.now, level="total").set_index("metric_code")
        # the total export value then, summed by hand from the figures as they stood that day
        seen = con.execute(
            "SELECT sum(value) FROM results_as_of(TIMESTAMP '2025-12-19 00:00') "
            "WHERE year = 2025 AND quarter <= 3 AND metric_code = 'export_value'"
        ).fetchall()[0][0]
    totals = since.targets[since.targets["level"] == "total"].set_index("metric_code")
    assert totals.at["export_value", "then_ytd"] == pytest.approx(seen)
    nan = float("nan")
    assert set(totals.index) == set(then.index) | set(now.index)  # a target of one year only is listed too
    for metric in totals.index:
        a = then["attainment_pct"].get(metric, nan)
        b = now["attainment_pct"].get(metric, nan)
        assert totals.at[metric, "then_pct"] == pytest.approx(a, nan_ok=True)
        assert totals.at[metric, "now_pct"] == pytest.approx(b, nan_ok=True)
        assert totals.at[metric, "change_pts"] == pytest.approx(b - a, nan_ok=True)
    assert totals.at["relief_cases", "moved"] == "new"  # targeted in 2026 only


def test_transitions_are_counted_and_listed(since) -> None:
    judged = since.targets[
        since.targets["then_status"].isin(["on_track", "at_risk", "behind"])
        & since.targets["now_status"].isin(["on_track", "at_risk", "behind"])
    ]
    assert since.transition_counts["targets"].sum() == len(judged)
    changed = since.transitions
    assert len(changed) == int((judged["then_status"] != judged["now_status"]).sum())
    assert (changed["then_status"] != changed["now_status"]).all()
    assert since.moved_count("better") + since.moved_count("worse") == len(changed)
    worse = {"on_track": 0, "at_risk": 1, "behind": 2}
    for row in changed.itertuples():
        assert (worse[row.now_status] > worse[row.then_status]) == (row.moved == "worse")


def test_movers_are_ordered_by_the_size_of_the_change(since) -> None:
    for df in (since.sector_movers, since.mission_movers):
        assert not df.empty
        sizes = df["change_pts"].abs().to_list()
        assert sizes == sorted(sizes, reverse=True)
        assert (df["change_pts"] - (df["now_pct"] - df["then_pct"])).abs().max() < 1e-9
    assert set(since.sector_movers["code"]) == {"kbeauty", "bio", "it", "green"}


def test_restated_figures_are_kosmes_2025q3_old_as_first_loaded_new_as_corrected(demo_db, since) -> None:
    r = since.restated
    assert not r.empty
    assert set(zip(r["year"], r["quarter"], r["agency_code"], strict=True)) == {(2025, 3, "kosme")}
    assert set(r["file_name"]) == {"2025Q3_kosme_정정.xlsx"}
    assert set(r["changed_by"]) == {"demo-kosme"}
    assert set(r["changed_at"]) == {datetime(2026, 1, 22)}
    with connection(demo_db, read_only=True) as con:
        first = dict(
            ((m, s, p, x), v)
            for m, s, p, x, v in con.execute(
                "SELECT mission_code, sector_code, program_code, metric_code, value FROM fact_result "
                "JOIN submission USING (submission_id) WHERE file_name = '2025Q3_kosme.xlsx'"
            ).fetchall()
        )
        now = dict(
            ((m, s, p, x), v)
            for m, s, p, x, v in con.execute(
                "SELECT mission_code, sector_code, program_code, metric_code, value FROM results "
                "WHERE year = 2025 AND quarter = 3 AND agency_code = 'kosme'"
            ).fetchall()
        )
    changed = {k for k in first if abs(first[k] - now.get(k, float("nan"))) > 1e-9 or k not in now}
    assert len(r) == len(changed)
    for row in r.itertuples():
        key = (row.mission_code, row.sector_code, row.program_code, row.metric_code)
        assert (row.old_value, row.new_value) == (first[key], now[key])
    summed = since.restated_summary.set_index("metric_code")
    assert summed["figures"].sum() == len(r)
    assert summed.at["export_value", "old_value"] == pytest.approx(
        r.loc[r.metric_code == "export_value", "old_value"].sum()
    )


def test_returns_quarters_and_incidents_since(since) -> None:
    restating = since.restating_returns
    # KOSME's restated 2025 Q3 and MSS's 2026 Q2 (a quarter the council never saw); not KISED's (before)
    assert list(restating["file_name"]) == ["2025Q3_kosme_정정.xlsx", "2026Q2_mss_정정.xlsx"]
    assert list(restating["restates"]) == ["2025Q3", "2026Q2"]
    assert since.quarters_closed == [20254, 20261, 20262, 20263]
    inc = since.incidents.set_index("mission_code")
    assert bool(inc.at["MX-MEX", "opened"]) and not bool(inc.at["MX-MEX", "ended"])
    # its end date (2026-03-20) is since, but it is monitoring: ongoing, not ended (#25 item 4)
    assert bool(inc.at["TR-IST", "acute_ended"]) and not bool(inc.at["TR-IST", "opened"])
    assert not bool(inc.at["TR-IST", "ended"])
    assert "TN-TUN" not in inc.index  # ended before the meeting


def test_highlights_say_the_numbers_in_both_languages(since) -> None:
    better, worse = since.moved_count("better"), since.moved_count("worse")
    for lang in ("ko", "en"):
        lines = since.highlights(lang)
        assert 3 <= len(lines) <= 5
        text = " ".join(lines)
        assert f"{len(since.restated):,}" in text
        assert str(better) in lines[0] and str(worse) in lines[0]
    ko = since.highlights("ko")
    assert ko[0].startswith("제2차 회의(2025-12-19, 2025년 3분기 검토) 이후 2026년 3분기 마감 기준")
    assert "4개 분기 마감(2025년 4분기~2026년 3분기), 긴급상황 1건 발생·0건 종료" in ko[-1]
    assert since.highlights("en")[0].startswith("Since the 2nd council (2025-12-19, reviewing 2025 Q3)")


def test_without_a_meeting_held_or_a_close_there_is_nothing_to_compare(con) -> None:
    assert since_last_council(con, today=TODAY) is None


# --- an incident's state: one rule everywhere (#25 item 4) ---------------------------------------------


def test_a_monitoring_incident_is_ongoing_and_not_ended_since_the_meeting(since) -> None:
    """Istanbul's earthquake is 모니터링 with an end date (2026-03-20) inside the window: its acute
    phase is over, the incident is not. Only a closed incident is said to have ended."""
    inc = since.incidents.set_index("mission_code")
    assert inc.at["TR-IST", "status"] == "monitoring"
    assert bool(inc.at["TR-IST", "is_active"]) and not bool(inc.at["TR-IST", "is_closed"])
    assert not bool(inc.at["TR-IST", "ended"])
    assert int(since.incidents["ended"].astype(bool).sum()) == 0
    assert "긴급상황 1건 발생·0건 종료" in since.highlights("ko")[-1]
    assert "incidents 1 began, 0 ended" in since.highlights("en")[-1]
    from ui.council_tables import incidents_table

    for lang, mission, what in (("ko", "재외공관", "회의 이후"), ("en", "Mission", "Since the meeting")):
        table = incidents_table(since, lang).set_index(mission)
        said = set(table[what])
        assert "종료" not in said and "ended" not in said
    assert incidents_table(since, "ko").set_index("재외공관").at["주이스탄불 총영사관", "회의 이후"] == (
        "모니터링 전환"
    )


def test_ended_since_means_closed_with_its_end_date_in_the_window(con, tmp_path) -> None:
    """A closed incident whose end date falls in the window ended since; a monitoring one with the
    same end date did not, and an open one is ongoing whatever its end date says."""
    from etl import intake
    from metrics.council import incidents_since
    from tests.support.xlsx import write_xlsx

    rows = [
        ["공관", "유형", "시작일", "종료일", "개요", "공관 상황 메모", "상태", "기록자"],
        ["TN-TUN", "시위", "2025-10-01", "2026-02-01", "시위", None, "종료", None],
        ["TR-IST", "지진", "2025-11-06", "2026-02-01", "지진", None, "모니터링", None],
        ["EG-CAI", "기타", "2025-11-10", "2026-02-01", "정전", None, "진행 중", None],
        ["MX-MEX", "관세", "2026-04-01", None, "관세", None, "진행 중", None],
    ]
    intake.load(
        con, write_xlsx(tmp_path / "inc.xlsx", rows, sheet="긴급상황"), intake.Actor(None), kind="incidents"
    )
    df = incidents_since(con, date(2025, 12, 19), TODAY).set_index("mission_code")
    assert df["ended"].astype(bool).to_dict() == {
        "TN-TUN": True,
        "TR-IST": False,
        "EG-CAI": False,
        "MX-MEX": False,
    }
    assert df["is_active"].astype(bool).to_dict() == {
        "TN-TUN": False,
        "TR-IST": True,
        "EG-CAI": True,
        "MX-MEX": True,
    }
    assert df["opened"].astype(bool).to_dict()["MX-MEX"]
