"""Explanations, actions and notes written in the app (etl.registers.followup): stored as versions, refused whole."""

import shutil
from datetime import date

import duckdb
import pytest

from etl.problems import Refused
from etl.registers.followup import (
    Editor,
    TargetKey,
    add_action_note,
    save_action,
    save_explanation,
    set_action_status,
)
from etl.store.ledger import rollback
from tests.support.state import snapshot
from warehouse.schema import ensure_schema

ADMIN = Editor("kim@mss.go.kr")
KOSME = Editor("lee@kosme.or.kr", agency="kosme", role="analyst")


@pytest.fixture
def wh(demo_db, tmp_path):
    path = tmp_path / "wh.duckdb"
    shutil.copy(demo_db, path)
    con = duckdb.connect(str(path))
    ensure_schema(con)
    con.execute("DELETE FROM explanation")  # the demo's own (etl/demo/explanations.py): start from none
    yield con
    con.close()


def _a_target(con, agency: str | None) -> TargetKey:
    year, quarter = con.execute(
        "SELECT year, quarter FROM quarters WHERE state = 'closed' ORDER BY year DESC, quarter DESC LIMIT 1"
    ).fetchall()[0]
    cond = "agency_code = ?" if agency else "agency_code IS NULL"
    row = con.execute(
        f"SELECT metric_code, sector_code, mission_code, agency_code FROM targets WHERE year = ? AND {cond} LIMIT 1",
        [year, agency] if agency else [year],
    ).fetchall()
    assert row, f"demo has no {year} target for {agency}"
    return TargetKey(year, quarter, *row[0])


def test_an_explanation_is_stored_as_a_version_and_shown_by_the_view(wh):
    key = _a_target(wh, "kosme")
    save_explanation(
        wh, KOSME, key, cause="현지 규제 강화", measures="인증 지원 확대", recover_by="2026년 4분기"
    )
    save_explanation(
        wh, KOSME, key, cause="현지 규제 강화(수정)", measures="인증 지원 확대", recover_by="2026Q4"
    )
    rows = wh.execute(
        "SELECT owner_agency, cause, recover_by, written_by FROM explanations WHERE metric_code = ? AND agency_code = 'kosme'",
        [key.metric],
    ).fetchall()
    assert rows == [("kosme", "현지 규제 강화(수정)", "2026Q4", "lee@kosme.or.kr")]
    assert wh.execute("SELECT count(*) FROM explanation").fetchall()[0][0] >= 2


def test_a_target_without_agency_belongs_to_the_secretariat(wh):
    key = _a_target(wh, None)
    with pytest.raises(Refused) as refused:
        save_explanation(wh, KOSME, key, cause="c", measures="m")
    assert any("MSS" in p.message_ko for p in refused.value.problems)
    save_explanation(wh, ADMIN, key, cause="c", measures="m")
    assert wh.execute("SELECT owner_agency FROM explanations").fetchall() == [("mss",)]


def test_bad_explanations_are_refused_whole_and_change_nothing(wh):
    key = _a_target(wh, "kosme")
    before = snapshot(wh)
    open_quarter = TargetKey(key.year, 4, key.metric, key.sector, key.mission, key.agency)
    cases = [
        (KOSME, open_quarter, {"cause": "c", "measures": "m"}, "마감되지 않았습니다"),
        (KOSME, key, {"cause": "x" * 2001, "measures": "m"}, "2,000자"),
        (KOSME, key, {"cause": "c", "measures": "m", "recover_by": "언젠가"}, "분기로 읽을 수 없습니다"),
        (
            KOSME,
            TargetKey(key.year, key.quarter, "no_such_metric"),
            {"cause": "c", "measures": "m"},
            "알 수 없는 지표",
        ),
        (
            Editor("p@mofa.go.kr", agency="mofa", role="analyst"),
            key,
            {"cause": "c", "measures": "m"},
            "자기 기관",
        ),
    ]
    for editor, k, values, words in cases:
        with pytest.raises(Refused) as refused:
            save_explanation(wh, editor, k, **values)
        assert any(words in p.message_ko for p in refused.value.problems), (words, refused.value.report())
    assert snapshot(wh) == before


def test_an_explanation_for_a_target_on_track_is_stored_with_a_warning(wh):
    warnings = save_explanation(wh, ADMIN, _a_target(wh, "kosme"), cause="c", measures="m", status="on_track")
    assert len(warnings) == 1 and "정상" in warnings[0]


def test_actions_statuses_and_notes(wh):
    meeting, held = wh.execute(
        "SELECT meeting_no, held_on FROM meetings ORDER BY meeting_no LIMIT 1"
    ).fetchall()[0]
    action_id = save_action(
        wh, ADMIN, meeting_no=meeting, text_ko="K-뷰티 거점공관 지정", owner_agency="KOSME",
        due_on=date(held.year + 1, 6, 30), status="진행 중",
    )  # fmt: skip
    set_action_status(wh, KOSME, action_id, "완료")
    add_action_note(wh, KOSME, action_id, "2026-11-30", "<b>지정 완료</b>")
    row = wh.execute(
        "SELECT status, owner_agency, is_finished FROM actions WHERE action_id = ?", [action_id]
    ).fetchall()
    assert row == [("done", "kosme", True)]
    assert wh.execute("SELECT text FROM action_notes WHERE action_id = ?", [action_id]).fetchall() == [
        ("<b>지정 완료</b>",)
    ]


def test_bad_actions_are_refused_whole(wh):
    meeting, held = wh.execute(
        "SELECT meeting_no, held_on FROM meetings ORDER BY meeting_no LIMIT 1"
    ).fetchall()[0]
    good = {
        "meeting_no": meeting,
        "text_ko": "조치",
        "owner_agency": "mofa",
        "due_on": date(held.year + 1, 1, 1),
    }
    action_id = save_action(wh, ADMIN, **good)
    before = snapshot(wh)
    for editor, values, words in [
        (ADMIN, {**good, "due_on": date(held.year - 1, 1, 1)}, "회의일"),
        (ADMIN, {**good, "status": "보류중인것"}, "알 수 없는 상태"),
        (ADMIN, {**good, "meeting_no": 99}, "회의가 없습니다"),
        (ADMIN, {**good, "owner_agency": "nasa"}, "알 수 없는 담당 기관"),
        (KOSME, good, "관리자만"),
    ]:
        with pytest.raises(Refused) as refused:
            save_action(wh, editor, **values)
        assert any(words in p.message_ko for p in refused.value.problems), (words, refused.value.report())
    with pytest.raises(Refused):
        set_action_status(wh, KOSME, action_id, "완료")  # MOFA's action
    with pytest.raises(Refused):
        add_action_note(wh, ADMIN, action_id, "2026-13-01", "메모")
    assert snapshot(wh) == before


def test_rolling_back_an_edit_restores_the_version_before(wh):
    key = _a_target(wh, "kosme")
    save_explanation(wh, KOSME, key, cause="첫 번째", measures="m")
    save_explanation(wh, KOSME, key, cause="두 번째", measures="m")
    last = wh.execute("SELECT max(submission_id) FROM submission WHERE kind = 'explanations'").fetchall()[0][
        0
    ]
    rollback(wh, last, by="kim@mss.go.kr")
    assert wh.execute("SELECT cause FROM explanations").fetchall() == [("첫 번째",)]


def test_app_dates_and_quarters_outside_the_plausible_window_are_refused(wh):
    meeting = wh.execute("SELECT meeting_no FROM meetings ORDER BY meeting_no LIMIT 1").fetchall()[0][0]
    good = {"meeting_no": meeting, "text_ko": "조치", "owner_agency": "mofa", "due_on": date(2026, 12, 31)}
    action_id = save_action(wh, ADMIN, **good)
    before = snapshot(wh)
    for call in (
        lambda: save_action(wh, ADMIN, **{**good, "due_on": date(9999, 12, 31)}),
        lambda: save_action(wh, ADMIN, **{**good, "due_on": "9999-12-31"}),
        lambda: add_action_note(wh, ADMIN, action_id, "0001-01-01", "메모"),
        lambda: add_action_note(wh, ADMIN, action_id, date(9999, 12, 31), "메모"),
        lambda: save_explanation(
            wh, ADMIN, _a_target(wh, "kosme"), cause="c", measures="m", recover_by="9999Q4"
        ),
    ):
        with pytest.raises(Refused) as refused:
            call()
        assert any("기간" in p.message_ko for p in refused.value.problems), refused.value.report()
    assert snapshot(wh) == before
