"""History with a confirmed rollback, targets upload, and the K-beauty hub designation, through AppTest."""

from pathlib import Path

import openpyxl
import pytest

from etl import intake
from tests.support.prepared import copy_of
from tests.support.state import snapshot
from tests.support.upload import (
    XLSX,
    app,
    good_return,
    page_alone,
    seed_warehouse,
    text_tables,
    texts,
)
from warehouse.connection import connection


def _corrected(path: Path) -> None:
    """The seed (mofa 2026 Q1, 4 figures) and a correction of it loaded on top (submission #2)."""
    from tests.support.upload import PROGRAM, filled_return

    seed_warehouse(path, path.parent)
    correction = path.parent / "mofa_2026q1_fixed.xlsx"
    filled_return(
        correction,
        [["주베트남 대사관", "K-뷰티", PROGRAM, 11, 20, 2, 100.0]],
        year=2026,
        quarter=1,
        agency="mofa",
    )
    with connection(path) as con:
        intake.load(con, correction, intake.Actor("analyst@mofa.test"))


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of `_corrected`'s warehouse (built once, tests/support/prepared.py), served to an administrator."""
    path = copy_of("history", _corrected, tmp_path / "warehouse.duckdb")
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    monkeypatch.setenv("DASHBOARD_ROLE", "admin")
    monkeypatch.setenv("DASHBOARD_USER", "admin@mss.test")
    return path


def firms(db: Path) -> float:
    with connection(db, read_only=True) as con:
        return con.execute("SELECT value FROM results WHERE metric_code = 'firms_supported'").fetchall()[0][0]


def test_history_lists_who_when_file_rows_and_status(db):
    at = app("views/history.py")
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["#"]) == [2, 1]
    assert list(table["파일"]) == ["mofa_2026q1_fixed.xlsx", "seed_2026q1.xlsx"]
    assert list(table["적재자"]) == ["analyst@mofa.test", "seed"]
    assert list(table["상태"]) == ["현재 반영", "대체됨"]
    assert list(table["행 수"]) == [4, 4]
    assert list(table["보고"]) == ["외교부 · 주베트남 대사관"] * 2  # names, not mofa/VN-HAN


def test_rollback_asks_for_confirmation_then_restores_the_earlier_version(db):
    assert firms(db) == 11
    at = app("views/history.py")
    at.selectbox(key="rb_choice").set_value(2)
    at.button(key="rb_ask").click()
    at.run()
    assert "다음 제출을 취소합니다: " in texts(at.warning)
    assert "(를)" not in texts(at.warning)  # no particle left as a template
    assert "이전에 올린 판이 다시 반영됩니다" in texts(at.warning)
    at.button(key="rb_cancel").click()
    at.run()
    assert firms(db) == 11  # cancelled: nothing happened
    assert not at.warning

    at.button(key="rb_ask").click()
    at.run()
    at.button(key="rb_confirm").click()
    at.run()
    assert not at.exception
    assert "제출 #2를 취소했습니다" in texts(at.success)
    assert firms(db) == 10  # the seed's figure is back
    table = at.dataframe[0].value
    assert [s.split(" · ")[0] for s in table["상태"]] == ["취소됨", "현재 반영"]
    assert table["상태"].iloc[0].endswith(" · admin@mss.test")  # when and by whom, in the status
    with connection(db, read_only=True) as con:
        audit = con.execute("SELECT actor, action, subject FROM audit_log").fetchall()
    assert audit == [("admin@mss.test", "rollback", "#2")]
    # the audit log on screen speaks Korean, to the minute (its raw columns were wider than 1280 px)
    log = at.dataframe[-1].value
    assert list(log.columns) == ["일시", "변경자", "역할", "변경", "대상", "내용"]
    assert log.iloc[0, 1:5].to_list() == ["admin@mss.test", "admin", "적재 취소", "#2"]
    assert len(log.iloc[0, 0]) == len("2026-01-01 00:00")


def test_analyst_sees_the_history_but_cannot_roll_back(db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_ROLE", "analyst")
    at = app("views/history.py")
    assert len(at.dataframe[0].value) == 2
    assert "관리자만" in texts(at.caption)
    assert not [b for b in at.button if b.key and b.key.startswith("rb_")]


def targets_file(path: Path, rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "목표"
    ws.append(["연도", "지표", "분야", "공관", "주관기관", "목표"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path.read_bytes()


def test_admin_uploads_targets_previewed_and_validated_like_returns(db, tmp_path):
    at = app("views/targets.py")
    assert not at.exception
    assert "2026년 목표가 없습니다" in texts(at.info)
    bad = targets_file(tmp_path / "bad_targets.xlsx", [[2026, "지원기업 수", "", "", "", -5]])
    at.file_uploader[0].upload("bad_targets.xlsx", bad, XLSX)
    at.run()
    assert "적재할 수 없습니다" in texts(at.error)
    problems = text_tables(at)[-1]
    assert list(problems["셀"]) == ["F2"]

    good = targets_file(
        tmp_path / "targets_2026.xlsx",
        [[2026, "지원기업 수", "", "", "", 400], [2026, "수출계약액", "K-뷰티", "", "", 5000]],
    )
    at.file_uploader[0].upload("targets_2026.xlsx", good, XLSX)
    at.run()
    assert "검사 통과: 2026년 목표 2건 (신규 2" in texts(at.success)
    at.button(key="targets_commit").click()
    at.run()
    assert not at.exception
    assert "목표 #3 적재" in texts(at.success)
    with connection(db, read_only=True) as con:
        targets = con.execute("SELECT metric_code, sector_code, value FROM targets ORDER BY 1").fetchall()
        who = con.execute("SELECT loaded_by FROM submissions WHERE kind = 'targets'").fetchall()
    assert targets == [("export_value", "kbeauty", 5000.0), ("firms_supported", None, 400.0)]
    assert who == [("admin@mss.test",)]
    assert len(at.dataframe[0].value) == 2  # the targets in force, shown at once


def test_admin_designates_a_k_beauty_hub_and_the_missions_view_follows(db):
    at = app("views/reference.py")
    assert not at.exception
    at.selectbox[0].set_value("KE-NBO")
    at.radio[0].set_value("designate")
    at.number_input[0].set_value(2027)
    at.button[0].click()  # the form's submit button
    at.run()
    assert not at.exception
    assert "2027년부터 거점공관으로 지정" in texts(at.success)
    with connection(db, read_only=True) as con:
        since = con.execute("SELECT kbeauty_hub_since FROM missions WHERE mission_code = 'KE-NBO'").fetchall()
        audit = con.execute("SELECT actor, action, subject FROM audit_log").fetchall()
    assert since == [(2027,)]
    assert audit == [("admin@mss.test", "kbeauty_hub", "KE-NBO")]
    hubs = at.dataframe[0].value
    assert hubs.loc[hubs["코드"] == "KE-NBO", "거점 지정 연도"].iloc[0] == 2027


def test_targets_and_reference_refuse_an_analyst(db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_ROLE", "analyst")
    for page in ("views/targets.py", "views/reference.py"):
        assert "권한이 없습니다" in texts(page_alone(page).error)


def test_good_return_fixture_is_a_real_workbook(tmp_path):
    data = good_return(tmp_path)
    assert data[:2] == b"PK"


def test_targets_edited_on_screen_are_checked_like_a_file(db, tmp_path):

    path = tmp_path / "t.xlsx"
    targets_file(
        path, [[2026, "지원기업 수", "", "", "", 400], [2026, "수출계약액", "K-뷰티", "", "중기부", 5000]]
    )
    with connection(db) as con:
        intake.load(con, path, intake.Actor("seed"), kind="targets")
    at = app("views/targets.py")
    editor = at.dataframe[1].value  # the editor (second tab): the year's targets with names
    assert editor["metric"].tolist() == ["지원기업 수", "수출계약액"]
    assert editor["agency"].tolist()[1] == "중기부"
    at.button(key="targets_save").click()
    at.run()
    assert not at.exception
    assert "바뀐 목표가 없습니다" in texts(at.info)  # unchanged rows: nothing stored
    with connection(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM submissions WHERE kind = 'targets'").fetchall()[0][0] == 1


def test_editor_rows_go_back_to_codes():
    import pandas as pd

    from ui.targets_helpers import codes_from_editor, editor_frame

    current = pd.DataFrame(
        {
            "year": [2026, 2026],
            "metric_code": ["firms_supported", "export_value"],
            "sector_code": [None, "kbeauty"],
            "mission_code": [None, "VN-HAN"],
            "agency_code": ["mss", None],
            "value": [1.0, 2.0],
        }
    )
    edited = editor_frame(current)
    assert edited["mission"].tolist()[1] == "주베트남 대사관"
    edited.loc[len(edited)] = ["지원기업 수", None, "없는 공관", None, 3.0]  # a typo the loader will refuse
    back = codes_from_editor(edited, 2026)
    assert back["metric_code"].tolist() == ["firms_supported", "export_value", "firms_supported"]
    assert back["mission_code"].tolist()[1:] == ["VN-HAN", "없는 공관"]
    assert pd.isna(back["sector_code"].iloc[0])


def _cumulative(path: Path) -> None:
    """Paris and Hanoi: Q1 (10, 3), Q2 as 누계 (25, 31), then a Q1 correction (12, 2), submission #3."""
    from tests.support.returns import HANOI, PARIS, load, row

    with connection(path) as con:
        load(con, path.parent, "q1.xlsx", 1, [row(PARIS, 10), row(HANOI, 3)])
        load(con, path.parent, "q2.xlsx", 2, [row(PARIS, 25), row(HANOI, 31)], cumulative=True)
        load(con, path.parent, "q1_fix.xlsx", 1, [row(PARIS, 12), row(HANOI, 2)])


@pytest.fixture
def cumulative_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of `_cumulative`'s warehouse (built once), served to an administrator."""
    path = copy_of("history_cumulative", _cumulative, tmp_path / "warehouse.duckdb")
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    monkeypatch.setenv("DASHBOARD_ROLE", "admin")
    monkeypatch.setenv("DASHBOARD_USER", "admin@mss.test")
    return path


def stored(db: Path) -> dict[str, list[tuple]]:

    with connection(db, read_only=True) as con:
        return snapshot(con)


def ask_to_roll_back(submission_id: int):
    at = app("views/history.py")
    at.selectbox(key="rb_choice").set_value(submission_id)
    at.button(key="rb_ask").click()
    return at.run()


def test_the_confirmation_counts_the_later_figures_derived_again(cumulative_db):
    before = stored(cumulative_db)
    at = ask_to_roll_back(3)
    assert not at.exception
    warning = texts(at.warning)
    # 2 figures out, the 2 of #1 back, Paris's and Hanoi's Q2 derived again
    assert "바뀌는 수치는 모두 6건입니다(이후 분기 누계 환산 2건 재계산 포함)" in warning
    assert not at.error and not at.button(key="rb_confirm").disabled
    assert stored(cumulative_db) == before  # showing the confirmation stored nothing
    at.button(key="rb_confirm").click()
    at.run()
    assert not at.exception
    assert "제출 #3을 취소했습니다: 수치 6건이 바뀌었습니다" in texts(at.success)
    with connection(cumulative_db, read_only=True) as con:
        q2 = con.execute("SELECT value FROM results WHERE quarter = 2 ORDER BY mission_code").fetchall()
    assert q2 == [(15.0,), (28.0,)]  # FR-PAR 25 − 10, VN-HAN 31 − 3


def test_a_rollback_that_would_be_refused_says_so_before_the_confirm(tmp_path, monkeypatch):
    from etl.store.ledger import RollbackError, rollback
    from tests.support.returns import PARIS, load, row

    path = tmp_path / "warehouse.duckdb"
    with connection(path) as con:
        load(con, tmp_path, "q1.xlsx", 1, [row(PARIS, 30)])
        load(con, tmp_path, "q1_fix.xlsx", 1, [row(PARIS, 10)])  # #2
        load(con, tmp_path, "q2.xlsx", 2, [row(PARIS, 25)], cumulative=True)  # 15 after #2's 10
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    monkeypatch.setenv("DASHBOARD_ROLE", "admin")
    monkeypatch.setenv("DASHBOARD_USER", "admin@mss.test")
    before = stored(path)
    at = ask_to_roll_back(2)
    assert not at.exception
    shown = texts(at.error)
    assert "제출 #2를 취소할 수 없습니다" in shown and "이후 분기 실적이 음수가 됩니다" in shown
    assert not at.warning
    assert at.button(key="rb_confirm").disabled
    assert stored(path) == before
    with connection(path) as con, pytest.raises(RollbackError) as caught:
        rollback(con, 2, by="test")
    assert str(caught.value) in shown  # the very message the rollback gives


def test_a_targets_file_withdrawing_most_of_a_year_says_so_and_needs_a_confirmation(db, tmp_path):

    metrics = ["지원기업 수", "수출계약액", "바이어 상담", "MOU 체결", "투자유치액"]
    five = tmp_path / "five.xlsx"
    targets_file(five, [[2026, m, "", "", "", 100] for m in metrics])
    with connection(db) as con:
        intake.load(con, five, intake.Actor(None), kind="targets")
    at = app("views/targets.py")
    two = targets_file(
        tmp_path / "two.xlsx", [[2026, "지원기업 수", "", "", "", 1], [2026, "수출계약액", "", "", "", 2]]
    )
    at.file_uploader[0].upload("two.xlsx", two, XLSX)
    at.run()
    assert not at.exception
    assert "2026년 목표 5건 중 3건" in texts(at.warning)
    assert at.button(key="targets_commit").disabled
    at.checkbox(key="targets_withdraw_ok").check()
    at.run()
    assert not at.button(key="targets_commit").disabled
    at.button(key="targets_commit").click()
    at.run()
    assert not at.exception
    with connection(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM targets").fetchone()[0] == 2


def test_an_on_screen_edit_withdrawing_most_of_a_year_says_so_and_needs_a_confirmation(db, tmp_path):
    metrics = ["지원기업 수", "수출계약액", "바이어 상담", "MOU 체결", "투자유치액"]
    five = tmp_path / "five.xlsx"
    targets_file(five, [[2026, m, "", "", "", 100] for m in metrics])
    with connection(db) as con:
        intake.load(con, five, intake.Actor("test"), kind="targets")
    at = app("views/targets.py")
    # the editor's own edit state, as the browser sends it: three of the five rows deleted
    at.session_state["targets_editor_2026_0"] = {
        "edited_rows": {},
        "added_rows": [],
        "deleted_rows": [0, 1, 2],
    }
    at.run()
    at.button(key="targets_save").click()
    at.run()
    assert not at.exception
    assert "2026년 목표 5건 중 3건" in texts(at.warning)
    with connection(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM targets").fetchone()[0] == 5  # nothing stored yet
    at.checkbox(key="targets_edit_withdraw_ok").check()
    at.run()
    at.button(key="targets_save").click()
    at.run()
    assert not at.exception
    with connection(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM targets").fetchone()[0] == 2
