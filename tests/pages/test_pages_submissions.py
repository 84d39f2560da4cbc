"""제출 현황 page: on-time, late and missing returns per mission, agency and quarter."""

import pytest

from tests.support.pages import build, metrics_shown, run_page, set_filter, table_with

PAGE = "views/submissions.py"


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    return build(tmp_path_factory.mktemp("small") / "small.duckdb")


# The as-of line of the 요약 page (tests/test_summary.py), by the same rule: MOFA's returns for
# 주케냐 대사관 and 주애틀랜타 총영사관 did not come in, though KOICA and MSS reported there.
DEMO_AS_OF = "2026년 3분기 마감 기준 · 38/40 공관 제출 · :red[미제출: 주케냐 대사관, 주애틀랜타 총영사관]"


def as_of_lines(at):
    return [c.value for c in at.caption if "공관 제출" in c.value or "missions reported" in c.value]


def test_runs_on_the_demo_warehouse(demo_db, monkeypatch):
    at = run_page(PAGE, demo_db, monkeypatch)
    assert len(at.get("plotly_chart")) == 1
    assert as_of_lines(at) == [DEMO_AS_OF]


def test_counts_and_late_list(small_db, monkeypatch):
    at = run_page(PAGE, small_db, monkeypatch)
    # 2026 Q1–Q2 × (2 agencies × 3 missions); mss sent nothing for Paris in Q2; kosme sent Q2 late
    assert [v for _, v in metrics_shown(at)] == ["12건", "8건", "3건", "1건"]
    late = table_with(at, "주관기관", "재외공관", "상태", "지연 일수")
    assert sorted(zip(late["주관기관"], late["재외공관"], late["상태"], strict=True)) == sorted(
        [
            ("중진공", m, "▲ 지연 제출")
            for m in ("주베트남 대사관", "주로스앤젤레스 총영사관", "주프랑스 대사관")
        ]
        + [("중기부", "주프랑스 대사관", "■ 미제출")]
    )
    assert set(late["지연 일수"].dropna()) == {21}


def test_missions_report_through_mofa(small_db, monkeypatch):
    # mss and kosme report here, MOFA never does: no mission's own return is in
    at = run_page(PAGE, small_db, monkeypatch, mission=["VN-HAN", "FR-PAR"])
    assert as_of_lines(at) == [
        "2026년 2분기 마감 기준 · 0/2 공관 제출 · :red[미제출: 주프랑스 대사관, 주베트남 대사관]"
    ]


def test_filters_change_the_numbers(small_db, monkeypatch):
    at = run_page(PAGE, small_db, monkeypatch, agency=["kosme"])
    assert [v for _, v in metrics_shown(at)] == ["6건", "3건", "3건", "0건"]
    assert as_of_lines(at) == []  # one agency's returns in view, not the missions' own
    set_filter(at, "year", 2025)
    assert [v for _, v in metrics_shown(at)] == ["12건", "12건", "0건", "0건"]
    assert "모든 보고가 기한 안에 들어왔습니다" in at.success[0].value


def test_no_data_is_a_sentence(small_db, monkeypatch):
    at = run_page(PAGE, small_db, monkeypatch, mission=["KE-NBO"])
    assert not at.get("plotly_chart")
    assert "제출을 기다리는 보고가 없습니다" in at.info[0].value


# --- a quarter that has not ended: its returns are not yet due (기한 전), not missing (#25 item 3) ----
TODAY = __import__("datetime").date(2026, 12, 7)  # 2026 Q4 ends 2026-12-31; its returns are due 2027-01-30


def _with_a_q4_return(demo_db, tmp_path):
    """The demo warehouse (closed through 2026 Q3) and one MOFA return for 2026 Q4, through the loader."""
    import shutil

    from etl import intake
    from tests.support.upload import PROGRAM, filled_return
    from warehouse.connection import connection

    db = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, db)
    path = tmp_path / "mofa_2026q4.xlsx"
    filled_return(
        path, [["주베트남 대사관", "K-뷰티", PROGRAM, 3, 5, 1, 20.0]], year=2026, quarter=4, agency="mofa"
    )
    with connection(db) as con:
        intake.load(con, path, intake.Actor("mofa-analyst"))
    return db


def _on(db, monkeypatch, today=TODAY, **params):
    """The page with its day set (ui.cycle.TODAY), as run_page opens it."""
    from streamlit.testing.v1 import AppTest

    from tests.support.pages import ROOT

    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_ROLE", "viewer")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.session_state["today"] = today
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(PAGE).run()  # straight from the page's URL (tests/support/pages.py's run_page)
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_a_quarter_not_yet_due_is_not_missing(demo_db, tmp_path, monkeypatch):
    before = _on(demo_db, monkeypatch)
    db = _with_a_q4_return(demo_db, tmp_path)
    at = _on(db, monkeypatch)
    # the defaults stay on the latest closed quarter: the as-of line and the tiles do not move
    assert as_of_lines(at) == [DEMO_AS_OF]
    assert metrics_shown(at) == metrics_shown(before)
    # the grid has a 2026 Q4 column, where no return is missing yet: 기한 전 (not yet due)
    cells = table_with(at, "연도", "분기", "상태", "기한")
    q4 = cells[cells["분기"] == 4]
    assert len(q4) > 1 and set(q4["기한"]) == {"2027-01-30"}
    assert "■ 미제출" not in set(q4["상태"])
    assert (q4["상태"] == "◇ 기한 전").sum() == len(q4) - 1  # all but MOFA's return for Hanoi
    assert "◇ 기한 전" not in set(cells.loc[cells["분기"] < 4, "상태"])
    late = table_with(at, "주관기관", "재외공관", "상태", "지연 일수")
    assert set(late["분기"]) <= {1, 2, 3}  # the late and missing list has nothing of Q4


def test_preliminary_view_counts_the_open_quarter_without_calling_it_missing(demo_db, tmp_path, monkeypatch):
    db = _with_a_q4_return(demo_db, tmp_path)
    closed = dict(metrics_shown(_on(db, monkeypatch)))
    at = _on(db, monkeypatch, prelim="1")
    shown = dict(metrics_shown(at))
    assert shown["■ 미제출"] == closed["■ 미제출"] == "3건"  # Q4's returns are not yet due
    assert shown["◇ 기한 전"] == "95건"  # 96 returns owe Q4: MOFA's for Hanoi is in
    assert (shown["제출 대상"], closed["제출 대상"]) == ("289건", "288건")  # the one in counts, not the 95
    # the open quarter's line says the banner's count: missions with any figure (#25 item 2)
    line = next(c.value for c in at.caption if "잠정 기준" in c.value)
    assert line.startswith("2026년 4분기 잠정 기준 · 1/40 공관 접수 (1/5개 기관)")
    assert "미제출" not in line
    # a month after the due date the same returns are missing
    late = dict(metrics_shown(_on(db, monkeypatch, today=TODAY.replace(year=2027, month=3), prelim="1")))
    assert "◇ 기한 전" not in late and late["■ 미제출"] != closed["■ 미제출"]
