"""Explanations in the app (AppTest): 제출 현황's list of what is owed, writing from 제출 현황 and 목표 관리."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.explanations import build_short
from tests.support.pages import table_with
from tests.support.upload import app, shown
from warehouse.connection import connection

SUBMISSIONS = "views/submissions.py"
TARGETS = "views/targets.py"
KOSME_TARGET = "firms_supported|||kosme"
MSS_TARGET = "firms_supported|||mss"
VN_TARGET = "firms_supported||VN-HAN|"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = build_short(tmp_path / "short.duckdb")
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    return path


def as_analyst(monkeypatch, agency: str = "kosme") -> None:
    monkeypatch.setenv("DASHBOARD_ROLE", "analyst")
    monkeypatch.setenv("DASHBOARD_USER", f"lee@{agency}.test")
    monkeypatch.setenv("DASHBOARD_AGENCY", agency)


def as_admin(monkeypatch) -> None:
    monkeypatch.setenv("DASHBOARD_ROLE", "admin")
    monkeypatch.setenv("DASHBOARD_USER", "kim@mss.test")
    monkeypatch.delenv("DASHBOARD_AGENCY", raising=False)


def stored(db: Path) -> list[tuple]:
    with connection(db, read_only=True) as con:
        return con.execute(
            "SELECT metric_code, mission_code, agency_code, owner_agency, cause, measures, recover_by, written_by "
            "FROM explanations ORDER BY ALL"
        ).fetchall()


def counts(db: Path) -> tuple:
    with connection(db, read_only=True) as con:
        return tuple(
            con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
            for t in ("explanation", "submission", "audit_log")
        )


def choose(at, key: str, target: str):
    at.selectbox(key=f"{key}_choice").set_value(target).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def fill(at, cause: str, measures: str, recover: str | None = None, owner: str | None = None):
    at.text_area[0].input(cause)
    at.text_area[1].input(measures)
    if recover is not None:
        next(s for s in at.selectbox if s.label == "회복 예상 분기").set_value(recover)
    if owner is not None:
        next(s for s in at.selectbox if s.label == "담당 기관").set_value(owner)
    next(b for b in at.button if b.label == "저장").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_submissions_lists_what_each_agency_still_owes(db, monkeypatch):
    as_admin(monkeypatch)
    at = app(SUBMISSIONS)
    assert not at.exception
    assert any("주의·미흡 목표 4개 중 사유·대책 작성 0개, 미작성 4개" in c.value for c in at.caption)
    by_agency = table_with(at, "담당 기관", "미작성", "■ 미흡", "▲ 주의")
    assert by_agency.to_dict("list") == {
        "담당 기관": ["중기부", "중진공"],
        "미작성": [3, 1],
        "■ 미흡": [1, 1],
        "▲ 주의": [2, 0],
    }
    listed = table_with(at, "담당 기관", "상태", "지표", "범위", "달성률(%)")
    assert sorted(zip(listed["담당 기관"], listed["범위"], strict=True)) == [
        ("중기부", "바이오"),
        ("중기부", "주베트남 대사관"),
        ("중기부", "중기부"),
        ("중진공", "중진공"),
    ]
    assert list(listed["상태"])[:2] == ["■ 미흡", "■ 미흡"]  # worst first


def test_analyst_writes_for_their_own_agency_only(db, monkeypatch):
    as_analyst(monkeypatch)
    at = app(SUBMISSIONS)
    assert not at.exception
    # the list opens on the analyst's own agency; only their targets can be chosen to write
    assert at.selectbox(key="expl_missing_agency").value == "kosme"
    assert at.selectbox(key="sub_expl_choice").options[1:] == [
        o for o in at.selectbox(key="sub_expl_choice").options[1:] if "중진공" in o
    ]
    assert len(at.selectbox(key="sub_expl_choice").options) == 2
    choose(at, "sub_expl", KOSME_TARGET)
    assert not [s for s in at.selectbox if s.label == "담당 기관"]  # an analyst cannot reassign
    fill(at, "현지 규제 강화", "인증 지원 확대", recover="2026Q4")
    assert any("저장했습니다" in shown(s.value) for s in at.success)
    assert stored(db) == [
        (
            "firms_supported",
            None,
            "kosme",
            "kosme",
            "현지 규제 강화",
            "인증 지원 확대",
            "2026Q4",
            "lee@kosme.test",
        )
    ]
    assert any("작성 1개, 미작성 3개" in c.value for c in at.caption)  # the page shows it at once


def test_analyst_refused_for_another_agencys_target(db, monkeypatch):
    from etl.registers.followup import TargetKey
    from ui import explanations as ex
    from ui.roles import Identity

    as_analyst(monkeypatch)
    before = counts(db)
    me = Identity("lee@kosme.test", "analyst", "local", agency="kosme")
    saved, _warnings, errors = ex.save(
        me, TargetKey(2026, 2, "firms_supported", agency="mss"), "at_risk", cause="c", measures="m"
    )
    assert not saved
    assert any("중기부" in m or "MSS" in m for m in errors["담당 기관"]), errors
    assert counts(db) == before
    # an analyst without an agency writes nothing (as an Editor without one they would be an admin)
    nobody = Identity("x@test", "analyst", "local", agency=None)
    assert ex.editor_for(nobody) is None
    assert not ex.save(
        nobody, TargetKey(2026, 2, "firms_supported", agency="mss"), None, cause="c", measures="m"
    )[0]
    assert counts(db) == before


def test_admin_reassigns_the_owner_on_targets(db, monkeypatch):
    as_admin(monkeypatch)
    at = app(TARGETS)
    assert not at.exception
    table = table_with(at, "상태", "지표", "범위", "사유·대책")
    assert sorted(table["사유·대책"]) == ["", "", "", "✗ 미작성", "✗ 미작성", "✗ 미작성", "✗ 미작성"]
    choose(at, "targets_expl_write", VN_TARGET)
    fill(at, "행사 일정 변경", "4분기 집중", owner="mofa")
    assert stored(db) == [
        ("firms_supported", "VN-HAN", None, "mofa", "행사 일정 변경", "4분기 집중", None, "kim@mss.test")
    ]
    table = table_with(at, "상태", "지표", "범위", "사유·대책")
    assert list(table["사유·대책"]).count("✓ 작성") == 1
    # the form opens again prefilled with what is stored
    choose(at, "targets_expl_write", VN_TARGET)
    assert [a.value for a in at.text_area] == ["행사 일정 변경", "4분기 집중"]
    assert next(s for s in at.selectbox if s.label == "담당 기관").value == "mofa"


def test_an_on_track_target_is_accepted_with_a_warning(db, monkeypatch):
    as_admin(monkeypatch)
    at = app(TARGETS)
    choose(at, "targets_expl_write", "firms_supported|||")
    assert any("정상" in w.value for w in at.warning)
    fill(at, "c", "m")
    assert any("저장했습니다" in shown(s.value) for s in at.success)
    assert any("정상" in w.value for w in at.warning)
    assert len(stored(db)) == 1


def test_stored_text_is_shown_as_text(db, monkeypatch):
    as_admin(monkeypatch)
    at = app(TARGETS)
    choose(at, "targets_expl_write", MSS_TARGET)
    hostile = "**굵게** <b>태그</b> [링크](javascript:alert(1)) :red[빨강] $x$"
    fill(at, hostile, "<script>alert(1)</script>")
    bodies = " ".join(h.proto.body for h in at.get("html"))
    assert "**굵게** &lt;b&gt;태그&lt;/b&gt; [링크](javascript:alert(1)) :red[빨강] $x$" in bodies
    # the stored script is escaped (the page's own accessibility script, ui/a11y.py, is another one)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in bodies and "<script>alert(1)" not in bodies
    # the success line names the target, plain
    assert all("<b>" not in s.value for s in at.success)


def test_too_long_text_is_refused_under_its_field_and_nothing_changes(db, monkeypatch):
    as_admin(monkeypatch)
    at = app(TARGETS)
    choose(at, "targets_expl_write", MSS_TARGET)
    fill(at, "c", "m")
    before = (stored(db), counts(db))
    choose(at, "targets_expl_write", MSS_TARGET)
    fill(at, "가" * 2001, "대책")
    errors = [shown(e.value) for e in at.error]
    assert any("원인이 2,001자로 2,000자를 넘습니다" in e for e in errors), errors
    assert not any("대책이" in e for e in errors)
    assert (stored(db), counts(db)) == before
    assert not at.exception
    # the typed text stays in the form, to shorten and save again
    assert at.text_area[0].value == "가" * 2001


def test_viewer_sees_the_list_but_cannot_write(db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_ROLE", "viewer")
    at = app(SUBMISSIONS)
    assert not at.exception
    assert table_with(at, "담당 기관", "미작성")["미작성"].sum() == 4
    assert not [s for s in at.selectbox if s.key == "sub_expl_choice"]
