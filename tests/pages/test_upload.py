"""The upload page, driven by AppTest with real .xlsx bytes: preview, commit, refusal, limits, roles."""

import re
from datetime import date
from pathlib import Path

import pytest

from etl.intake_text import last_ended_quarter
from tests.support.state import snapshot
from tests.support.upload import (
    HOSTILE_MISSION,
    HOSTILE_SHEET,
    ROOT,
    XLSX,
    app,
    bad_return,
    good_return,
    hostile_return,
    page_alone,
    seed_warehouse,
    serve_to_analyst,
    text_tables,
    texts,
)
from warehouse.connection import connection

UPLOAD = "views/upload.py"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "warehouse.duckdb"
    seed_warehouse(path, tmp_path)
    serve_to_analyst(monkeypatch, path)
    return path


def firms_tiles(at) -> list[str]:
    """The 지원기업 수 (firms supported) tiles of the 분야별 page, one per sector with figures."""
    at.switch_page("views/by_sector.py")
    at.run()
    assert not at.exception
    return [m.value for m in at.metric if m.label == "지원기업 수"]


def test_page_states_the_limit_and_offers_the_prefilled_template(db):
    at = app(UPLOAD)
    assert not at.exception
    assert "50 MB" in texts(at.caption)
    assert at.file_uploader[0].accept_multiple_files
    at.selectbox(key="tpl_agency").set_value("mofa")
    at.selectbox(key="tpl_quarter").set_value(3)
    at.run()
    # mofa reported one row (VN-HAN × K-beauty) in its latest quarter: the template is pre-filled with it.
    assert "공관·분야·사업 1개" in texts(at.caption)
    assert at.get("download_button")[0].proto.label.startswith("양식 내려받기")


def test_the_korean_page_has_no_english_we_control(db, tmp_path):
    at = app(UPLOAD)
    year, quarter = last_ended_quarter(date.today())
    # the template comes pre-filled for the quarter being reported, as the README says
    assert at.selectbox(key="tpl_year").value == year
    assert at.selectbox(key="tpl_quarter").value == quarter
    shown = [
        *(
            o
            for key in ("tpl_year", "tpl_quarter", "def_year", "def_quarter")
            for o in at.selectbox(key=key).options
        ),
        at.multiselect(key="tpl_missions").placeholder,
    ]
    assert not [t for t in shown if re.search(r"[A-Za-z]{3,}", t)], shown
    css = "\n".join(h.proto.body for h in at.get("html"))
    assert "파일 선택" in css and "파일당 최대 50 MB" in css  # over Streamlit's own "Upload", "50MB per file"
    at.file_uploader[0].upload("mofa_2026q2.xlsx", good_return(tmp_path), XLSX)
    at.run()
    assert "형식: 가로형 (지표마다 열)" in texts(at.caption)
    assert "wide" not in texts(at.caption)


def test_last_ended_quarter():
    assert last_ended_quarter(date(2026, 12, 1)) == (2026, 3)
    assert last_ended_quarter(date(2026, 1, 15)) == (2025, 4)
    assert last_ended_quarter(date(2026, 4, 1)) == (2026, 1)


def test_good_return_is_previewed_then_committed_and_the_pages_show_it(db, tmp_path):
    at = app(UPLOAD)
    assert firms_tiles(at) == ["10개사"]  # K-beauty only: the seed's 2026 Q1

    at.switch_page(UPLOAD)
    at.run()
    at.file_uploader[0].upload("mofa_2026q2.xlsx", good_return(tmp_path), XLSX)
    at.run()
    assert not at.exception
    assert "검사 통과: 실적 8건, 공관·분기 구간 2개 (신규 2" in texts(at.success)
    # What was read: the comparison, rows by mission and sector, totals, the layout.
    shown = [e.value for e in at.dataframe]
    totals = next(df for df in shown if "지표" in df.columns and "값" in df.columns)
    assert dict(zip(totals["지표"], totals["값"], strict=True))["수출계약액"] == "250.5"
    assert len(snapshot(db)["submission"]) == 1  # nothing stored before commit

    at.button(key="commit").click()
    at.run()
    assert not at.exception
    assert "제출 #2로 적재했습니다 — 실적 8건, 공관·분기 구간 2개" in texts(at.success)
    assert "loaded" not in texts(at.success)
    # The analysis pages show the new figures at once: K-beauty 10 + 12, and bio appears with 5.
    assert firms_tiles(at) == ["22개사", "5개사"]
    with connection(db, read_only=True) as con:
        who = con.execute("SELECT loaded_by FROM submissions WHERE submission_id = 2").fetchall()[0][0]
        audit = con.execute("SELECT actor, action FROM audit_log").fetchall()
    assert who == "analyst@mofa.test"
    assert audit == [("analyst@mofa.test", "commit")]


def test_corrected_return_shows_what_it_replaces(db, tmp_path):
    at = app(UPLOAD)
    at.file_uploader[0].upload("first.xlsx", good_return(tmp_path, name="first.xlsx"), XLSX)
    at.run()
    at.button(key="commit").click()
    at.run()
    at.file_uploader[0].upload("fixed.xlsx", good_return(tmp_path, firms=15, name="fixed.xlsx"), XLSX)
    at.run()
    # Only the Viet Nam slice changes (firms 12 → 15); Ho Chi Minh's is the same as stored.
    assert "(신규 0, 대체 1, 변경 없음 1)" in texts(at.success)
    changes = [e.value for e in at.dataframe][1]  # values that change, by slice and metric
    row = changes[changes["지표"] == "지원기업 수"].iloc[0]
    assert (row["현재 저장값"], row["이 파일"], row["증감"]) == ("12", "15", "3")


def test_bad_return_lists_every_problem_offers_the_marked_workbook_and_changes_nothing(db, tmp_path):
    before = snapshot(db)
    at = app(UPLOAD)
    at.file_uploader[0].upload("bad.xlsx", bad_return(tmp_path), XLSX)
    at.run()
    assert not at.exception
    assert "적재할 수 없습니다: 문제 3건" in texts(at.error)
    table = text_tables(at)[0]
    assert list(table.columns) == ["시트", "셀", "문제", "고치는 방법"]
    assert set(table["셀"]) == {"E6", "G6", "A7"}
    assert all(table["고치는 방법"].str.len() > 0)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "문제 셀을 표시한 통합문서 내려받기" in labels
    assert at.button(key="commit").disabled
    assert snapshot(db) == before


@pytest.mark.parametrize("language", ["ko", "en"])
def test_refusal_table_shows_the_files_own_text_as_text(db, tmp_path, language):
    """A sheet named like an HTML tag and a mission named in Markdown read exactly as typed: the
    table escapes every cell (no image, no bold, no tag), in Korean and in English."""
    at = app(UPLOAD, lang=language)
    at.file_uploader[0].upload("hostile.xlsx", hostile_return(tmp_path), XLSX)
    at.run()
    assert not at.exception
    table = text_tables(at)[0]
    problem, fix = ("문제", "고치는 방법") if language == "ko" else ("Problem", "How to fix")
    assert list(table.columns) == (
        ["시트", "셀", "문제", "고치는 방법"]
        if language == "ko"
        else ["Sheet", "Cell", "Problem", "How to fix"]
    )
    assert set(table.iloc[:, 0]) == {HOSTILE_SHEET}
    assert any(HOSTILE_MISSION in text for text in table[problem]), table[problem].tolist()
    assert all(table[fix].str.len() > 0)
    body = next(h.proto.body for h in at.get("html") if "text-table" in h.proto.body)
    assert "<img" not in body and "<b>" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    csv = next(b for b in at.get("download_button") if b.proto.label.endswith("(CSV)"))
    assert csv.proto.label in ("문제 목록 내려받기 (CSV)", "Download the list of problems (CSV)")


def test_file_over_the_limit_is_refused_with_the_limit_named(db, tmp_path, monkeypatch):
    from ui import upload_helpers

    monkeypatch.setattr(upload_helpers, "upload_limit_bytes", lambda: 2_000)
    before = snapshot(db)
    at = app(UPLOAD)
    assert "2 KB" in texts(at.caption)
    at.file_uploader[0].upload("big.xlsx", good_return(tmp_path), XLSX)
    at.run()
    assert "파일이 너무 큽니다" in "\n".join(text_tables(at)[0]["문제"])
    assert "업로드 한도 2 KB" in "\n".join(text_tables(at)[0]["문제"])
    assert snapshot(db) == before


def test_several_files_at_once_all_land(db, tmp_path):
    at = app(UPLOAD)
    at.file_uploader[0].upload("q2.xlsx", good_return(tmp_path, quarter=2, name="q2.xlsx"), XLSX)
    at.file_uploader[0].upload("q3.xlsx", good_return(tmp_path, quarter=3, name="q3.xlsx"), XLSX)
    at.run()
    assert at.button(key="commit").proto.label == "적재하기 (2개 파일)"
    at.button(key="commit").click()
    at.run()
    assert texts(at.success).count("적재했습니다 — 실적 8건") == 2
    with connection(db, read_only=True) as con:
        periods = con.execute("SELECT DISTINCT quarter FROM results ORDER BY 1").fetchall()
    assert periods == [(1,), (2,), (3,)]


def test_same_file_again_is_shown_as_already_loaded(db, tmp_path):
    data = good_return(tmp_path)
    at = app(UPLOAD)
    at.file_uploader[0].upload("a.xlsx", data, XLSX)
    at.run()
    at.button(key="commit").click()
    at.run()
    at.file_uploader[0].upload("a-again.xlsx", data, XLSX)
    at.run()
    assert "이미 적재된 파일입니다 (제출 #2)" in texts(at.info)
    assert at.button(key="commit").disabled


def test_analyst_may_load_only_their_own_agency(db, tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_AGENCY", "kosme")
    before = snapshot(db)
    at = app(UPLOAD)
    at.file_uploader[0].upload("mofa.xlsx", good_return(tmp_path), XLSX)
    at.run()
    refusal = text_tables(at)[0]
    assert "다른 기관(외교부)" in "\n".join(refusal["문제"])
    assert "본인 기관(중진공)의 실적만" in "\n".join(refusal["문제"])
    assert set(refusal["시트"]) == {"실적"} and all(refusal["셀"]), refusal.to_dict()
    assert snapshot(db) == before


@pytest.mark.parametrize("page", [UPLOAD, "views/history.py", "views/targets.py", "views/reference.py"])
def test_viewer_cannot_reach_staff_pages_even_by_url(db, monkeypatch, page):
    monkeypatch.setenv("DASHBOARD_ROLE", "viewer")
    at = app(page)  # not in the viewer's navigation: Streamlit serves another page
    assert not at.exception
    assert not at.file_uploader
    assert page not in texts(at.title)
    alone = page_alone(page)  # the file run directly refuses by itself
    assert "권한이 없습니다" in texts(alone.error)
    assert not alone.file_uploader
    assert not alone.dataframe


@pytest.mark.parametrize("page", ["views/targets.py", "views/reference.py"])
def test_analyst_cannot_reach_admin_pages(db, page):
    alone = page_alone(page)
    assert "권한이 없습니다" in texts(alone.error)
    assert not alone.dataframe


def test_navigation_lists_only_the_pages_a_role_may_use():
    from ui.navigation import visible_pages

    def paths(role: str) -> set[str]:
        return {p.path for p in visible_pages(role)}

    manage = {"views/upload.py", "views/history.py", "views/targets.py", "views/reference.py"}
    assert not paths("viewer") & manage
    assert paths("analyst") & manage == {"views/upload.py", "views/history.py"}
    assert paths("admin") >= manage


def test_streamlit_upload_limit_matches_the_loaders_and_local_mode_listens_on_loopback():
    import tomllib

    from ui.upload_helpers import MB, upload_limit_bytes

    with open(ROOT / ".streamlit" / "config.toml", "rb") as fh:
        server = tomllib.load(fh)["server"]
    assert server["maxUploadSize"] * MB == upload_limit_bytes()
    assert server["address"] == "127.0.0.1"


def test_first_upload_creates_the_warehouse(tmp_path, monkeypatch):
    db = tmp_path / "new" / "warehouse.duckdb"
    serve_to_analyst(monkeypatch, db)
    at = app(UPLOAD)
    assert not at.exception
    at.file_uploader[0].upload("first.xlsx", good_return(tmp_path), XLSX)
    at.run()
    assert "(신규 2, 대체 0, 변경 없음 0)" in texts(at.success)
    at.button(key="commit").click()
    at.run()
    assert "제출 #1로 적재했습니다 — 실적 8건" in texts(at.success)
    with connection(db, read_only=True) as con:
        assert con.execute("SELECT count(*), sum(value) FROM results").fetchall() == [
            (8, 12 + 40 + 3 + 250.5 + 5 + 8 + 0 + 0)
        ]
        assert con.execute("SELECT count(*) FROM submission").fetchall() == [(1,)]


def test_a_sheet_no_reader_can_open_says_no_marked_workbook_can_be_made(db, tmp_path):
    """Refused at sheet level (the sheet's XML ends mid-way): openpyxl cannot open it either, so the
    page says so instead of offering a download that would do nothing."""
    from tests.support import hostile as hb
    from tests.support.returns import GOOD
    from tests.support.xlsx import write_xlsx

    parts = hb.parts_of(write_xlsx(tmp_path / "source.xlsx", GOOD))
    xml = parts[hb.SHEET]
    parts[hb.SHEET] = xml[: xml.index(b"</sheetData>")]
    cut = hb.write_parts(tmp_path / "cut.xlsx", parts)
    before = snapshot(db)
    at = app(UPLOAD)
    at.file_uploader[0].upload("cut.xlsx", cut.read_bytes(), XLSX)
    at.run()
    assert not at.exception
    assert "시트를 읽을 수 없습니다" in " ".join(text_tables(at)[0]["문제"])
    assert "문제 셀을 표시한 통합문서를 만들 수 없습니다" in texts(at.caption)
    assert not any("문제 셀을 표시한" in b.proto.label for b in at.get("download_button"))
    assert snapshot(db) == before
