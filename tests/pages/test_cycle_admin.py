"""분기 마감 on 제출 현황 and the close/reopen log in 적재 이력, for an administrator, through AppTest."""

from pathlib import Path

import pytest

from tests.support.pages import build
from tests.support.upload import app, texts
from warehouse.connection import connection

PAGE = "views/submissions.py"


@pytest.fixture
def small_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The page fixtures' warehouse (2025 Q1 – 2026 Q2, every quarter open), served to an administrator."""
    db = build(tmp_path / "small.duckdb")
    reopen_everything(db)
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_ROLE", "admin")
    monkeypatch.setenv("DASHBOARD_USER", "kim@mss.test")
    return db


def reopen_everything(db: Path) -> None:
    """The fixtures close every quarter they write (as a warehouse in use has): open them again."""
    with connection(db) as con:
        con.execute("DELETE FROM quarter_close")


def cycle_tables(db: Path) -> tuple:
    with connection(db, read_only=True) as con:
        return (
            con.execute("SELECT * FROM quarter_close ORDER BY ALL").fetchall(),
            con.execute("SELECT * FROM quarter_event ORDER BY ALL").fetchall(),
            con.execute("SELECT count(*) FROM audit_log").fetchall()[0][0],
        )


def confirmation(at) -> str | None:
    """The panel's question (the page may warn of other things, such as preliminary figures)."""
    return next((w.value for w in at.warning if "하시겠습니까" in w.value or "계속할까요" in w.value), None)


def ask(at, action: str, period: tuple[int, int] | None = None):
    if period:
        at.selectbox(key="cycle_close_choice").set_value(period).run()
    at.button(key=f"cycle_{action}").click().run()
    return at


def test_panel_lists_quarters_due_dates_and_who_is_missing(small_db):
    at = app(PAGE)
    assert not at.exception
    states = at.dataframe[0].value
    # latest first, so the quarters being closed now are in view
    assert list(states["분기"]) == [f"{y}년 {q}분기" for y in (2025, 2026) for q in (1, 2, 3, 4)][:6][::-1]
    assert set(states["상태"]) == {"접수 중"}
    assert list(states["제출 기한"])[-2:] == ["2025-07-30 (지남)", "2025-04-30 (지남)"]
    # the earliest open quarter is offered; MOFA never reports here, so every mission is missing
    assert at.selectbox(key="cycle_close_choice").value == (2025, 1)
    line = next(c.value for c in at.caption if c.value.startswith("제출 기한"))
    assert "공관 0/40 제출" in line and "외 35곳" in line and "기관 2/5 제출" in line


def test_close_asks_naming_the_missing_returns_then_records_who(small_db):
    before = cycle_tables(small_db)
    at = ask(app(PAGE), "close")
    question = confirmation(at)
    assert question.startswith("2025년 1분기 마감: 미제출: ")
    assert "외 35곳" in question and "그래도 마감하시겠습니까?" in question
    at.button(key="cycle_cancel").click().run()
    assert confirmation(at) is None and cycle_tables(small_db) == before  # cancelled: nothing changed

    at = ask(at, "close")
    at.button(key="cycle_confirm").click().run()
    assert not at.exception
    assert "2025년 1분기 마감 — 공관 0곳, 기관 2곳 제출" in texts(at.success)
    closed, events, _ = cycle_tables(small_db)
    assert [(y, q, by) for y, q, _, by, *_ in closed] == [(2025, 1, "kim@mss.test")]
    assert [(e[1], e[2], e[3], e[5], e[6], e[7]) for e in events] == [
        (2025, 1, "close", "kim@mss.test", 0, 2)
    ]
    with connection(small_db, read_only=True) as con:
        assert con.execute("SELECT actor, role, action, subject FROM audit_log").fetchall() == [
            ("kim@mss.test", "admin", "close_quarter", "2025Q1")
        ]
    assert at.dataframe[0].value["상태"].iloc[-1] == "마감"  # 2025 Q1, at the bottom
    assert at.selectbox(key="cycle_close_choice").value == (2025, 2)  # the next one is offered


def test_closing_out_of_order_is_refused_and_changes_nothing(small_db):
    before = cycle_tables(small_db)
    at = ask(app(PAGE), "close", (2026, 1))
    at.button(key="cycle_confirm").click().run()
    assert not at.exception
    assert texts(at.error).startswith("앞선 2025년 1분기가 아직 마감되지 않았습니다")
    assert " / " not in texts(at.error)  # Korean only, in the Korean view
    assert cycle_tables(small_db) == before


def test_a_quarter_not_ended_is_not_offered_and_the_panel_says_why(small_db):
    from datetime import date

    from tests.support.pages import add_figure

    future = date.today().year + 1
    with connection(small_db) as con:  # everything before it closed, so only "not ended" is left
        from warehouse.cycle import close_quarter

        for year, quarter in [(y, q) for y in (2025, 2026) for q in (1, 2, 3, 4)][:6]:
            close_quarter(con, year, quarter, by="setup")
    add_figure(small_db, "mss", "VN-HAN", "kbeauty", future, 1, "firms_supported", 3)
    with connection(small_db) as con:  # add_figure closes it, as a fixture; here it is still to come
        con.execute("DELETE FROM quarter_close WHERE year = ?", [future])
    before = cycle_tables(small_db)
    at = app(PAGE)
    assert not [s for s in at.selectbox if s.key == "cycle_close_choice"]
    assert not [b for b in at.button if b.key == "cycle_close"]
    assert f"{future}년 1분기: 분기가 끝나지 않았습니다 ({future}-03-31 종료)" in texts(at.caption)
    assert cycle_tables(small_db) == before  # (warehouse.cycle refuses it too: tests/test_cycle.py)


def test_reopen_the_latest_closed_quarter_with_confirmation(small_db):
    from warehouse.cycle import close_quarter

    with connection(small_db) as con:
        close_quarter(con, 2025, 1, by="setup")
        close_quarter(con, 2025, 2, by="setup")
    at = ask(app(PAGE), "reopen")
    assert "2025년 2분기를 다시 엽니다" in confirmation(at)
    at.button(key="cycle_confirm").click().run()
    assert "2025년 2분기를 다시 열었습니다" in texts(at.success)
    closed, events, _ = cycle_tables(small_db)
    assert [(c[0], c[1]) for c in closed] == [(2025, 1)]
    assert events[-1][3:6:2] == ("reopen", "kim@mss.test")


def test_panel_is_for_administrators_only(small_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_ROLE", "analyst")
    at = app(PAGE)
    assert not at.exception
    assert not [b for b in at.button if (b.key or "").startswith("cycle_")]
    assert "분기 마감" not in [s.value for s in at.subheader]


def test_history_shows_closes_reopens_and_flags_restatements(tmp_path, monkeypatch):
    from etl import intake
    from tests.support.upload import PROGRAM, filled_return, seed_warehouse
    from warehouse.cycle import close_quarter, reopen_quarter

    db = tmp_path / "warehouse.duckdb"
    seed_warehouse(db, tmp_path)  # mofa 2026 Q1, open
    correction = tmp_path / "mofa_2026q1_late_fix.xlsx"
    filled_return(
        correction,
        [["주베트남 대사관", "K-뷰티", PROGRAM, 11, 20, 2, 100.0]],
        year=2026,
        quarter=1,
        agency="mofa",
    )
    with connection(db) as con:
        close_quarter(con, 2026, 1, by="kim@mss.test")
        reopen_quarter(con, 2026, 1, by="lee@mss.test")
        close_quarter(con, 2026, 1, by="kim@mss.test")
        intake.load(con, correction, intake.Actor("analyst@mofa.test"))
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_ROLE", "analyst")

    at = app("views/history.py")
    assert not at.exception
    loads = at.dataframe[0].value
    assert list(loads["파일"]) == ["mofa_2026q1_late_fix.xlsx", "seed_2026q1.xlsx"]
    assert list(loads["기간"]) == ["2026Q1 · 정정", "2026Q1"]
    assert "정정 적재 1건" in texts(at.warning)
    events = at.dataframe[1].value
    assert list(events["처리"]) == ["마감", "다시 열기", "마감"]
    assert list(events["처리자"]) == ["kim@mss.test", "lee@mss.test", "kim@mss.test"]
    assert set(events["분기"]) == {"2026년 1분기"}
    assert list(events["공관 제출"]) == [1, 1, 1]


# --- a quarter that has not ended is not offered for closing; the panel follows a reopen (#25 item 6) -
TODAY = __import__("datetime").date(2026, 12, 7)  # 2026 Q4 ends 2026-12-31


def on_day(today=TODAY):
    """The page for the administrator, on `today` (ui.cycle.TODAY), as `app` opens it."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.support.upload import ROOT

    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["today"] = today
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_quarter_not_ended_is_not_offered_for_closing(demo_db, tmp_path, monkeypatch):
    import shutil

    from etl import intake
    from tests.support.upload import PROGRAM, filled_return

    db = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, db)  # closed through 2026 Q3
    path = tmp_path / "mofa_2026q4.xlsx"
    filled_return(
        path, [["주베트남 대사관", "K-뷰티", PROGRAM, 3, 5, 1, 20.0]], year=2026, quarter=4, agency="mofa"
    )
    with connection(db) as con:
        intake.load(con, path, intake.Actor("mofa-analyst"))
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_ROLE", "admin")
    monkeypatch.setenv("DASHBOARD_USER", "kim@mss.test")
    before = cycle_tables(db)

    at = on_day()
    # the latest quarters come first, above the table's own scroll
    states = at.dataframe[0].value
    assert list(states["분기"])[:2] == ["2026년 4분기", "2026년 3분기"]
    assert list(states["상태"])[:2] == ["접수 중", "마감"]
    # 2026 Q4 is open but has not ended: nothing to close, and the panel says why
    assert not [s for s in at.selectbox if s.key == "cycle_close_choice"]
    assert not [b for b in at.button if b.key == "cycle_close"]
    assert "2026년 4분기: 분기가 끝나지 않았습니다 (2026-12-31 종료)" in texts(at.caption)

    # reopening 2026 Q3 offers it for closing again, selected
    at = ask(at, "reopen")
    at.button(key="cycle_confirm").click().run()
    assert "2026년 3분기를 다시 열었습니다" in texts(at.success)
    choice = at.selectbox(key="cycle_close_choice")
    assert choice.value == (2026, 3) and choice.options == ["2026년 3분기"]
    assert [(c[0], c[1]) for c in cycle_tables(db)[0]][-1] == (2026, 2)
    assert cycle_tables(db)[1][: len(before[1])] == before[1]

    # in the new year it has ended, and is offered after 2026 Q3
    later = on_day(TODAY.replace(year=2027, month=1, day=2))
    assert later.selectbox(key="cycle_close_choice").options == ["2026년 3분기", "2026년 4분기"]


def test_after_a_reopen_the_choice_follows_the_reopened_quarter(small_db):
    from warehouse.cycle import close_quarter

    with connection(small_db) as con:
        close_quarter(con, 2025, 1, by="setup")
        close_quarter(con, 2025, 2, by="setup")
    at = on_day()
    assert at.selectbox(key="cycle_close_choice").value == (2025, 3)
    at.selectbox(key="cycle_close_choice").set_value((2026, 1)).run()
    at = ask(at, "reopen")
    at.button(key="cycle_confirm").click().run()
    assert "2025년 2분기를 다시 열었습니다" in texts(at.success)
    assert at.selectbox(key="cycle_close_choice").value == (2025, 2)
    assert at.dataframe[0].value["분기"].iloc[0] == "2026년 2분기"  # latest first
