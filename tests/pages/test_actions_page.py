"""후속 조치 under AppTest: marks, notes as text, and who may write what (admin, owner analyst, others, viewer).

A small warehouse (the fixed warehouse's figures (tests/support/pages.py), one meeting, three actions due around the
day the module was loaded, which the page is told is today); every write goes through the page's forms and is checked in the
warehouse afterwards; every refusal is checked to leave the stored rows as they were.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from etl.registers.followup import Editor, add_action_note, save_action
from etl.registers.meetings import Meeting, save_meetings
from tests.support import pages as page_fixtures
from tests.support.pages import past_fixture_ids
from ui.text import plain
from warehouse.connection import connection

PAGE = "views/actions.py"
TODAY = date.today()
ADMIN = Editor("kim@mss.go.kr")
NOTE = "**굵게** <b>태그</b> [링크](javascript:alert(1)) :red[빨강]"
TEXT = "# 제목처럼 <i>보이는</i> 조치"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    path = page_fixtures.build(tmp_path_factory.mktemp("actions_page") / "base.duckdb")
    with connection(path) as con:
        past_fixture_ids(con)
        save_meetings(con, [Meeting(1, date(2025, 12, 19), "제1차 회의", "1st council", 2025, 3)], by="test")
        ids = {
            "late": save_action(
                con, ADMIN, meeting_no=1, text_ko=TEXT, owner_agency="mss", due_on=TODAY - timedelta(days=10),
                status="in_progress", mission="VN-HAN",
            ),
            "soon": save_action(
                con, ADMIN, meeting_no=1, text_ko="KOSME 조치", owner_agency="kosme",
                due_on=TODAY + timedelta(days=10), status="planned", metric="export_value",
            ),
            "done": save_action(
                con, ADMIN, meeting_no=1, text_ko="끝난 조치", owner_agency="mss",
                due_on=TODAY + timedelta(days=200), status="done",
            ),
        }  # fmt: skip
        add_action_note(con, ADMIN, ids["late"], TODAY - timedelta(days=20), NOTE)
    return path, ids


@pytest.fixture
def wh(built, tmp_path) -> tuple[Path, dict[str, int]]:
    """A copy per test, so writes in one test never reach another."""
    path, ids = built
    copy = tmp_path / "wh.duckdb"
    shutil.copy(path, copy)
    return copy, ids


def open_page(monkeypatch, db: Path, role: str, agency: str | None = None, lang: str = "ko") -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_ROLE", role)
    monkeypatch.setenv("DASHBOARD_USER", f"{role}@test")
    if agency:
        monkeypatch.setenv("DASHBOARD_AGENCY", agency)
    else:
        monkeypatch.delenv("DASHBOARD_AGENCY", raising=False)
    st.cache_data.clear()
    at = AppTest.from_file(str(page_fixtures.ROOT / "dashboard.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.session_state["today"] = TODAY  # the day the actions were built around, even past midnight
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def stored(db: Path) -> dict:
    with connection(db, read_only=True) as con:
        return {
            "action": con.execute("SELECT * FROM action ORDER BY version_id").fetchall(),
            "action_note": con.execute("SELECT * FROM action_note ORDER BY version_id").fetchall(),
            "submission": con.execute("SELECT count(*) FROM submission").fetchall(),
        }


def text_of(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in [*at.markdown, *at.caption])


def keys(at: AppTest) -> set[str]:
    widgets = [*at.button, *at.selectbox, *at.text_area, *at.date_input]
    return {w.key for w in widgets if w.key and w.key.startswith("act_")}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_overdue_and_due_soon_are_marked_with_colour_and_symbol(monkeypatch, wh, lang):
    db, _ = wh
    at = open_page(monkeypatch, db, "viewer", lang=lang)
    text = text_of(at)
    if lang == "ko":
        assert ":red-badge[■ 기한 경과 · 10일 지남]" in text
        assert ":orange-badge[▲ 기한 임박 · D-10]" in text
        assert ":green-badge[✔ 완료]" in text
        assert "후속 조치 3건: ✔ 완료 1 · ◐ 진행 1 · ○ 예정 1 · ✕ 중단 0" in text
    else:
        assert ":red-badge[■ Overdue · 10 days late]" in text
        assert ":orange-badge[▲ Due soon · D-10]" in text
        assert "3 follow-up actions: ✔ Done 1" in text
    assert ":violet-badge[" not in text  # nothing here is demo data
    # the mission and the metric the actions concern are links to their pages
    links = [
        (
            p.proto.page,
            dict((p.proto.query_string and [kv.split("=") for kv in p.proto.query_string.split("&")]) or []),
        )
        for p in at.get("page_link")
    ]
    assert any(page.endswith("by_mission") and q.get("focus") == "VN-HAN" for page, q in links), links
    assert any(page.endswith("by_year") and q.get("metric") == "export_value" for page, q in links), links


def test_stored_text_is_shown_as_text(monkeypatch, wh):
    db, _ = wh
    text = text_of(open_page(monkeypatch, db, "viewer"))
    assert plain(NOTE) in text and plain(TEXT) in text
    # nothing of them reaches the Markdown unescaped: no tag, link or heading
    assert "<b>" not in text and "<i>" not in text and "](javascript" not in text and "**# 제목" not in text


def test_a_viewer_reads_only(monkeypatch, wh):
    db, _ = wh
    at = open_page(monkeypatch, db, "viewer")
    assert keys(at) == set()
    assert not [e for e in at.expander if "갱신" in e.label or "수정" in e.label]


def test_an_administrator_adds_an_action(monkeypatch, wh):
    db, _ = wh
    at = open_page(monkeypatch, db, "admin")
    at.text_area(key="act_new_text_ko").input("거점공관 점검 회의 개최")
    at.selectbox(key="act_new_owner").set_value("kised")
    at.selectbox(key="act_new_mission").set_value("FR-PAR")
    at.date_input(key="act_new_due").set_value(TODAY + timedelta(days=60))
    at.button(key="act_new_submit").click()
    rerun(at)
    with connection(db, read_only=True) as con:
        rows = con.execute(
            "SELECT owner_agency, mission_code, due_on, status, is_demo FROM actions WHERE text_ko = ?",
            ["거점공관 점검 회의 개최"],
        ).fetchall()
    assert rows == [("kised", "FR-PAR", TODAY + timedelta(days=60), "planned", False)]
    assert any("저장했습니다" in s.value for s in at.success)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("act_new_due", date(2025, 1, 1), ["기한", "회의일 2025-12-19보다 앞섭니다"]),
        ("act_new_text_ko", "가" * 2001, ["내용", "2,000자를 넘습니다"]),
        ("act_new_text_ko", "   ", ["내용", "비어 있습니다"]),
    ],
)
def test_bad_input_is_refused_with_the_field_and_nothing_changes(monkeypatch, wh, field, value, words):
    db, _ = wh
    before = stored(db)
    at = open_page(monkeypatch, db, "admin")
    if field != "act_new_text_ko":
        at.text_area(key="act_new_text_ko").input("정상 내용")
    widget = at.date_input(key=field) if field.endswith("due") else at.text_area(key=field)
    widget.set_value(value) if field.endswith("due") else widget.input(value)
    at.button(key="act_new_submit").click()
    rerun(at)
    errors = "\n".join(e.value for e in at.error)
    assert "아무것도 바뀌지 않았습니다" in errors
    for word in words:
        assert plain(word) in errors, errors  # the message quotes what was entered, escaped
    assert stored(db) == before


def test_an_analyst_of_the_owner_sets_the_status_and_adds_a_note(monkeypatch, wh):
    db, ids = wh
    late, soon = ids["late"], ids["soon"]
    at = open_page(monkeypatch, db, "analyst", agency="mss")
    assert f"act_status_{late}_status" in keys(at)
    assert not any(k.startswith(f"act_status_{soon}") or k.startswith(f"act_note_{soon}") for k in keys(at))
    assert not any(k.startswith("act_new") or k.startswith("act_edit") for k in keys(at))  # admins only
    assert "담당 기관의 분석 담당자나 관리자만 갱신할 수 있습니다" in text_of(at)
    at.selectbox(key=f"act_status_{late}_status").set_value("done")
    at.button(key=f"act_status_{late}_submit").click()
    rerun(at)
    at.text_area(key=f"act_note_{late}_text_0").input("관계 기관 회의 개최 <script>x</script>")
    at.date_input(key=f"act_note_{late}_date").set_value(TODAY)
    at.button(key=f"act_note_{late}_submit").click()
    rerun(at)
    with connection(db, read_only=True) as con:
        status = con.execute("SELECT status, updated_by FROM actions WHERE action_id = ?", [late]).fetchall()
        notes = con.execute(
            "SELECT noted_on, text, written_by FROM action_notes WHERE action_id = ?", [late]
        ).fetchall()
    assert status == [("done", "analyst@test")]
    assert notes[-1] == (TODAY, "관계 기관 회의 개최 <script>x</script>", "analyst@test")
    assert plain("관계 기관 회의 개최 <script>x</script>") in text_of(at)
    assert ":red-badge[" not in text_of(at)  # done: no longer overdue


def test_an_empty_note_is_refused_and_nothing_changes(monkeypatch, wh):
    db, ids = wh
    before = stored(db)
    at = open_page(monkeypatch, db, "analyst", agency="mss")
    at.button(key=f"act_note_{ids['late']}_submit").click()
    rerun(at)
    assert any("진행 메모" in e.value and "비어 있습니다" in e.value for e in at.error)
    assert stored(db) == before


def test_an_analyst_of_another_agency_gets_no_edit_controls(monkeypatch, wh):
    db, ids = wh
    at = open_page(monkeypatch, db, "analyst", agency="mofa")
    assert keys(at) == set()  # mofa owns none of these
    assert text_of(at).count("담당 기관의 분석 담당자나 관리자만 갱신할 수 있습니다") == 3
    at = open_page(monkeypatch, db, "analyst", agency="kosme")
    assert {k for k in keys(at) if k.endswith("_submit")} == {
        f"act_status_{ids['soon']}_submit",
        f"act_note_{ids['soon']}_submit",
    }


def test_an_analyst_without_an_agency_cannot_write(monkeypatch, wh):
    db, _ = wh
    at = open_page(monkeypatch, db, "analyst")
    assert keys(at) == set()
    assert "소속 기관이 지정되지 않아" in text_of(at)


def test_summary_shows_the_counts_with_a_link(monkeypatch, wh):
    db, _ = wh
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_ROLE", "viewer")
    st.cache_data.clear()
    at = AppTest.from_file(str(page_fixtures.ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    captions = [c.value for c in at.caption if "후속 조치 3건" in c.value]
    assert len(captions) == 1
    assert "✔ 완료 1 · ◐ 진행 1 · ○ 예정 1" in captions[0] and "■ 기한 경과 1" in captions[0]
    assert "▲ 30일 내 기한 1" in captions[0]
    assert any(p.proto.page.endswith("actions") for p in at.get("page_link"))
    assert len(at.metric) == 6  # the block adds no tile


def test_since_the_last_council_lists_actions_due_or_overdue(monkeypatch, wh):
    db, _ = wh
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_ROLE", "viewer")
    st.cache_data.clear()
    at = AppTest.from_file(str(page_fixtures.ROOT / "dashboard.py"), default_timeout=120)
    at.switch_page("views/council.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    # on screen the due-date state follows the status in one cell (the table fits 1280 px)
    table = next(d.value for d in at.dataframe if "기한" in d.value.columns)
    assert len(table) == 2  # the overdue one, then the one due within 30 days
    assert "· ■ 기한 경과" in table["상태"].iloc[0]
    assert "· ▲ 기한 임박" in table["상태"].iloc[1]


def test_an_administrator_edits_an_action_as_a_new_version(monkeypatch, wh):
    db, ids = wh
    soon = ids["soon"]
    at = open_page(monkeypatch, db, "admin")
    at.date_input(key=f"act_edit_{soon}_due").set_value(TODAY + timedelta(days=90))
    at.selectbox(key=f"act_edit_{soon}_status").set_value("in_progress")
    at.button(key=f"act_edit_{soon}_submit").click()
    rerun(at)
    with connection(db, read_only=True) as con:
        now = con.execute(
            "SELECT text_ko, owner_agency, due_on, status FROM actions WHERE action_id = ?", [soon]
        ).fetchall()
        versions = con.execute("SELECT count(*) FROM action WHERE action_id = ?", [soon]).fetchall()
    assert now == [("KOSME 조치", "kosme", TODAY + timedelta(days=90), "in_progress")]
    assert versions == [(2,)]  # the earlier version stays for history and rollback
    assert ":orange-badge[▲ 기한 임박" not in "\n".join(
        m.value for m in at.markdown if f"#{soon}**" in m.value
    )


HOSTILE_TITLE = "![t](http://host.example/p.png) :red[빨강] $x^2$ \u202e제1차 회의\u202c"


def test_a_stored_meeting_title_is_text_and_cannot_turn_the_page_around(monkeypatch, wh):
    """A title already in the warehouse with Markdown, a directive, LaTeX and a right-to-left override."""
    db, _ = wh
    with connection(db) as con:
        con.execute("UPDATE meeting SET title_ko = ? WHERE meeting_no = 1", [HOSTILE_TITLE])
    at = open_page(monkeypatch, db, "admin")
    elements = [*at.markdown, *at.caption, *at.subheader, *at.header, *at.title, *at.expander]
    strings = [str(getattr(e, "value", None) or getattr(e, "label", "")) for e in elements]
    heading = next(s for s in strings if "2025-12-19" in s and "제1차 회의" in s)
    assert heading == plain(HOSTILE_TITLE.replace("\u202e", "").replace("\u202c", "")) + " · 2025-12-19"
    joined = "\n".join(strings)  # all of it Markdown
    assert "](http" not in joined and ":red[빨강]" not in joined and "$x^2$" not in joined
    # a selectbox shows its options as written (not Markdown), without the override
    options = [str(o) for s in at.selectbox for o in s.options]
    assert "![t](http://host.example/p.png) :red[빨강] $x^2$ 제1차 회의 (2025-12-19)" in options
    joined += "\n".join(options)
    assert not any(
        ch in joined for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
    )


def test_a_note_saves_a_changed_status_too(monkeypatch, wh):
    """Issue #25 item 7a: choosing a status and adding a note is one submit; both are stored."""
    db, ids = wh
    soon = ids["soon"]
    at = open_page(monkeypatch, db, "analyst", agency="kosme")
    at.selectbox(key=f"act_status_{soon}_status").set_value("in_progress")
    at.text_area(key=f"act_note_{soon}_text_0").input("착수 회의 개최")
    at.button(key=f"act_note_{soon}_submit").click()
    rerun(at)
    with connection(db, read_only=True) as con:
        status = con.execute("SELECT status FROM actions WHERE action_id = ?", [soon]).fetchall()
        notes = con.execute("SELECT text FROM action_notes WHERE action_id = ?", [soon]).fetchall()
    assert status == [("in_progress",)]
    assert notes == [("착수 회의 개최",)]
    success = "\n".join(s.value for s in at.success)
    assert "진행 메모" in success and "◐ 진행" in success, success


def test_the_card_shows_the_sector_and_the_metric_under_their_own_labels(monkeypatch, wh):
    """Issue #25 item 7b: the sector under 분야, the metric under 지표 (never the metric under 분야별)."""
    db, _ = wh
    with connection(db) as con:
        save_action(
            con, ADMIN, meeting_no=1, text_ko="분야 조치", owner_agency="mss",
            due_on=TODAY + timedelta(days=100), status="planned", sector="kbeauty", metric="export_value",
        )  # fmt: skip
    at = open_page(monkeypatch, db, "viewer")
    labels = [p.proto.label.replace("\\", "") for p in at.get("page_link")]  # Markdown escapes
    assert any(label.startswith("분야: ") and "수출" not in label for label in labels), labels
    assert any(label.startswith("지표: ") for label in labels), labels
    assert not any(label.startswith("분야별: ") for label in labels), labels


def test_a_new_action_is_offered_only_meetings_already_held(monkeypatch, wh):
    """Issue #25 item 7c: a meeting not yet held is not offered for a new action."""
    db, _ = wh
    with connection(db) as con:
        save_meetings(
            con, [Meeting(2, TODAY + timedelta(days=30), "제2차 회의", "2nd council", 2026, 4)], by="test"
        )
    at = open_page(monkeypatch, db, "admin")
    assert at.selectbox(key="act_new_meeting").options == ["제1차 회의 (2025-12-19)"], at.selectbox(
        key="act_new_meeting"
    ).options


def test_last_updated_is_the_latest_of_the_action_and_its_notes(monkeypatch, wh):
    """Issue #25 item 7d: a note later than the action's own update moves 최근 갱신."""
    db, _ = wh
    with connection(db) as con:
        con.execute("UPDATE submission SET loaded_at = TIMESTAMP '2025-12-22 10:00:00'")
    at = open_page(monkeypatch, db, "viewer")
    note_day = TODAY - timedelta(days=20)  # the fixture's note on the overdue action
    assert note_day > date(2025, 12, 22)
    card = "\n".join(c.value for c in at.caption if f"기한 {TODAY - timedelta(days=10):%Y-%m-%d}" in c.value)
    assert f"최근 갱신 {note_day:%Y-%m-%d}" in card, card
