"""The reporting cycle: closing and reopening quarters, preliminary figures kept out, restatements.

Real returns through the real loader; the demo warehouse for what a council member sees.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from etl import intake
from metrics import Filters
from metrics.actuals import actuals
from metrics.period import resolve
from tests.support.pages import run_page
from tests.support.upload import PROGRAM, filled_return, seed_warehouse
from warehouse.connection import connection
from warehouse.cycle import CycleError, close_quarter, closed_through, reopen_quarter

AFTER_2026 = date(2027, 3, 1)  # every 2026 quarter has ended


def _return(tmp: Path, quarter: int, firms: int, *, agency: str = "mofa", name: str | None = None) -> Path:
    path = tmp / (name or f"{agency}_2026q{quarter}.xlsx")
    filled_return(
        path,
        [["주베트남 대사관", "K-뷰티", PROGRAM, firms, 20, 2, 100.0]],
        year=2026,
        quarter=quarter,
        agency=agency,
    )
    return path


def _cycle_tables(con) -> tuple:
    return (
        con.execute("SELECT * FROM quarter_close ORDER BY ALL").fetchall(),
        con.execute("SELECT * FROM quarter_event ORDER BY ALL").fetchall(),
    )


@pytest.fixture
def two_quarters(tmp_path: Path) -> Path:
    """mofa's 2026 Q1 (10 firms) and Q2 (7 firms) returns, both open."""
    db = tmp_path / "w.duckdb"
    seed_warehouse(db, tmp_path)
    with connection(db) as con:
        intake.load(con, _return(tmp_path, 2, 7), intake.Actor("analyst"))
    return db


def test_close_records_who_when_and_completeness_then_reopen(two_quarters: Path) -> None:
    with connection(two_quarters) as con:
        change = close_quarter(con, 2026, 1, by="admin@mss.go.kr", today=AFTER_2026)
        assert (change.missions_reported, change.agencies_reported) == (1, 1)
        assert "2026년 1분기 마감" in change.summary()
        state = con.execute(
            "SELECT year, quarter, state, closed_by, missions_reported FROM quarters ORDER BY 1, 2"
        ).fetchall()
        assert state == [(2026, 1, "closed", "admin@mss.go.kr", 1), (2026, 2, "open", None, 1)]
        assert closed_through(con) == 20261
        reopen_quarter(con, 2026, 1, by="admin@mss.go.kr")
        assert closed_through(con) is None
        events = con.execute("SELECT action, acted_by FROM quarter_event ORDER BY event_id").fetchall()
        assert events == [("close", "admin@mss.go.kr"), ("reopen", "admin@mss.go.kr")]


@pytest.mark.parametrize(
    ("setup", "year", "quarter", "action", "message"),
    [
        ((), 2026, 4, "close", "아직 끝나지 않았습니다"),  # not ended (today in Dec 2026)
        ((), 2026, 3, "close", "접수된 실적이 없어"),  # no returns
        ((), 2026, 2, "close", "2026년 1분기를 먼저 마감하세요"),  # an earlier quarter still open
        (((2026, 1),), 2026, 1, "close", "이미 마감되었습니다"),
        ((), 2026, 2, "reopen", "마감되지 않은(접수 중인) 분기"),
        (((2026, 1), (2026, 2)), 2026, 1, "reopen", "뒤 분기부터 다시 여세요"),
    ],
)
def test_refusals_say_why_and_change_nothing(two_quarters, setup, year, quarter, action, message) -> None:
    with connection(two_quarters) as con:
        for y, q in setup:
            close_quarter(con, y, q, by="admin", today=AFTER_2026)
        before = _cycle_tables(con)
        today = date(2026, 12, 1) if quarter == 4 else AFTER_2026
        with pytest.raises(CycleError, match=re.escape(message)):
            if action == "close":
                close_quarter(con, year, quarter, by="admin", today=today)
            else:
                reopen_quarter(con, year, quarter, by="admin")
        assert _cycle_tables(con) == before


def test_a_return_for_a_closed_quarter_is_recorded_as_a_restatement(
    two_quarters: Path, tmp_path: Path
) -> None:
    with connection(two_quarters) as con:
        close_quarter(con, 2026, 1, by="admin", today=AFTER_2026)
        loaded = intake.load(con, _return(tmp_path, 1, 12, name="corrected.xlsx"), intake.Actor("analyst"))
        assert loaded.result.restates == "2026Q1"
        assert "정정" in loaded.result.summary("corrected.xlsx")
        restates = dict(con.execute("SELECT file_name, restates FROM submissions").fetchall())
    assert restates["corrected.xlsx"] == "2026Q1"
    assert restates["mofa_2026q2.xlsx"] is None  # Q2 was open


def test_through_leaves_out_the_open_quarter_everywhere(two_quarters: Path) -> None:
    with connection(two_quarters) as con:
        close_quarter(con, 2026, 1, by="admin", today=AFTER_2026)
        closed = Filters(year=2026, metrics=("firms_supported",), through=closed_through(con))
        everything = Filters(year=2026, metrics=("firms_supported",))
        assert resolve(con, closed).quarter == 1  # as of the latest closed quarter
        assert resolve(con, everything).quarter == 2
        assert actuals(con, closed)["value"].sum() == 10
        assert actuals(con, everything)["value"].sum() == 17


def test_demo_closes_every_quarter_up_to_2026_q3(demo_db: Path) -> None:
    with connection(demo_db, read_only=True) as con:
        states = con.execute("SELECT DISTINCT state FROM quarters").fetchall()
        assert states == [("closed",)]
        assert closed_through(con) == 20263
        meetings = con.execute(
            "SELECT meeting_no, held_on, review_year, review_quarter FROM meetings"
        ).fetchall()
        assert [(m[0], m[2], m[3]) for m in meetings] == [(1, 2024, 3), (2, 2025, 3), (3, 2026, 3)]
        assert str(meetings[1][1]) == "2025-12-19"
        restated = con.execute("SELECT count(*) FROM submissions WHERE restates IS NOT NULL").fetchall()[0][0]
        assert restated == 3


def _summary_shown(at) -> tuple:
    return (
        [(m.label, m.value, m.delta) for m in at.metric],
        [c.value for c in at.caption],
        [m.value for m in at.markdown],
        [d.value.to_csv() for d in at.dataframe],
    )


def test_a_partial_return_for_a_new_quarter_leaves_the_default_summary_unchanged(
    demo_db: Path, tmp_path: Path, monkeypatch
) -> None:
    db = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, db)
    before = _summary_shown(run_page("views/summary.py", db, monkeypatch))
    path = tmp_path / "kosme_2026q4.xlsx"
    filled_return(
        path,
        [
            ["주베트남 대사관", "K-뷰티", "해외 비즈니스센터(GBC)", 4, 9, 1, 50.0],
            ["주프랑스 대사관", "바이오", "해외 비즈니스센터(GBC)", 2, 3, 0, 0],
        ],
        year=2026,
        quarter=4,
        agency="kosme",
    )
    with connection(db) as con:
        intake.load(con, path, intake.Actor("kosme-analyst"))
    at = run_page("views/summary.py", db, monkeypatch)
    metrics, captions, markdown, tables = _summary_shown(at)
    assert (metrics, markdown, tables) == (before[0], before[2], before[3])
    # the same lines; the note on what has arrived is the one addition
    assert [c for c in captions if "잠정:" not in c] == before[1]
    assert captions[0].startswith("2026년 3분기 마감 기준 · 38/40 공관 제출")
    assert any("2026년 4분기 잠정: 1개 기관, 2개 공관 접수" in c for c in captions)

    # the preliminary view, asked for by its link, counts Q4 and says so everywhere
    prelim = run_page("views/summary.py", db, monkeypatch, prelim="1")
    texts = [c.value for c in prelim.caption]
    assert texts[0].startswith("2026년 4분기 잠정 기준")
    assert any("잠정 보기" in w.value for w in prelim.warning)
    assert all(d.value.columns[0] == "구분" for d in prelim.dataframe)
    # the 잠정 mark carries the open quarter's coverage, and belongs to the actual, not the target
    assert all(set(d.value["구분"]) == {"잠정 · 2/40 공관"} for d in prelim.dataframe if not d.value.empty)
    assert prelim.metric and all(m.label.endswith("(잠정 · 2/40 공관)") for m in prelim.metric)
    tile_notes = [c for c in texts if "달성률" in c]  # the heat map legend names 목표 too
    assert tile_notes and not any("잠정" in c for c in tile_notes)


def test_a_meeting_link_shows_every_number_as_that_council_saw_it(demo_db: Path, monkeypatch) -> None:
    from datetime import datetime

    from metrics.summary import build_summary

    at = run_page("views/by_sector.py", demo_db, monkeypatch, meeting="2")
    assert at.sidebar.selectbox(key="year").value == 2025  # the year the second council reviewed
    assert any("제2차 회의(2025-12-19) 시점" in i.value for i in at.info)
    summary_page = run_page("views/summary.py", demo_db, monkeypatch, meeting="2")
    assert summary_page.caption[0].value.startswith("2025년 3분기 마감 기준")
    seen = Filters(year=2025, through=20253, at=datetime(2025, 12, 19))
    with connection(demo_db, read_only=True) as con:
        then = build_summary(con, seen).scorecard
        now = build_summary(con, Filters(year=2025, through=20253)).scorecard
    kosme_restated = (
        then.set_index(["metric_code"])["ytd_value"] != now.set_index(["metric_code"])["ytd_value"]
    )
    assert kosme_restated.any()  # KOSME restated 2025 Q3 in January 2026: the view differs from today's
    shown = {m.label: m.value for m in summary_page.metric}
    today = {m.label: m.value for m in run_page("views/summary.py", demo_db, monkeypatch, year="2025").metric}
    assert shown != today
