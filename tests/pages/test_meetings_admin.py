"""Council meetings on 기준 정보: the editable table, a register workbook and the download (AppTest and
the page's helpers on a real warehouse)."""

import io
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from etl.registers.meetings import Meeting, read_meetings, save_meetings
from tests.support.upload import XLSX, app, seed_warehouse, text_tables, texts
from ui.roles import Identity
from warehouse.connection import connection

PAGE = "views/reference.py"
ADMIN = Identity(user="kim@mss.test", role="admin", mode="local")
STORED = [
    Meeting(1, date(2024, 12, 12), "제1차 정책협의회 **굵게** <b>x</b>", "1st council", 2024, 3),
    Meeting(2, date(2025, 12, 19), "제2차 정책협의회", None, 2025, 3, "K-뷰티 거점공관 지정"),
]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "warehouse.duckdb"
    seed_warehouse(path, tmp_path)
    with connection(path) as con:
        save_meetings(con, STORED, by="seed")
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    monkeypatch.setenv("DASHBOARD_ROLE", "admin")
    monkeypatch.setenv("DASHBOARD_USER", "kim@mss.test")
    return path


def meetings(db: Path) -> list[tuple]:
    with connection(db, read_only=True) as con:
        return con.execute(
            "SELECT meeting_no, held_on, title_ko, review_year, review_quarter, updated_by FROM meeting ORDER BY 1"
        ).fetchall()


def register(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "회의"
    ws.append(["회차", "일자", "제목", "영문 제목", "검토 분기", "비고"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def editor(at) -> pd.DataFrame:
    return next(
        d.value for d in at.dataframe if "검토 분기" in d.value.columns or "review" in d.value.columns
    )


def test_page_shows_the_meetings_as_text_and_saving_unchanged_changes_nothing(db):
    before = meetings(db)
    at = app(PAGE)
    assert not at.exception
    table = editor(at)
    assert table["title_ko"].tolist()[0] == "제1차 정책협의회 **굵게** <b>x</b>"  # as stored, not rendered
    assert table["review"].tolist() == ["2024년 3분기", "2025년 3분기"]
    assert not any("굵게" in m.value for m in at.markdown)
    at.button(key="meetings_save").click().run()
    assert "회의 0건 추가, 0건 수정, 2건 변경 없음" in texts(at.success)
    assert meetings(db) == before


def test_download_is_the_register_the_loader_reads_back(db, tmp_path):
    at = app(PAGE)
    button = next(b for b in at.get("download_button") if b.proto.label.startswith("회의 목록 내려받기"))
    assert button.proto.label
    from ui.meetings_helpers import workbook_bytes

    path = tmp_path / "meetings.xlsx"
    path.write_bytes(workbook_bytes(STORED))
    assert [m for m, *_ in read_meetings(path, path.name)] == STORED


def test_a_meetings_workbook_is_added_through_the_page_and_audited(db):
    at = app(PAGE)
    at.file_uploader(key="meetings_file_0").upload(
        "meetings.xlsx",
        register([[3, "2026-12-18", "제3차 정책협의회", "3rd council", "2026 Q3", None]]),
        XLSX,
    ).run()
    at.button(key="meetings_load").click().run()
    assert not at.exception
    assert "회의 1건 추가, 0건 수정, 0건 변경 없음" in texts(at.success)
    assert meetings(db)[-1] == (3, date(2026, 12, 18), "제3차 정책협의회", 2026, 3, "kim@mss.test")
    with connection(db, read_only=True) as con:
        assert con.execute(
            "SELECT actor, role, action, subject FROM audit_log WHERE actor <> 'seed'"
        ).fetchall() == [("kim@mss.test", "admin", "meeting", "제3차")]
    assert editor(at)["meeting_no"].tolist() == [1, 2, 3]


def test_a_bad_meetings_workbook_lists_each_problem_by_cell_and_changes_nothing(db):
    before = meetings(db)
    at = app(PAGE)
    at.file_uploader(key="meetings_file_0").upload(
        "bad.xlsx",
        register(
            [
                [3, "2026-13-40", "제3차", None, "2026 Q3", None],  # no such date
                [4, "2026-06-01", "제4차", None, "2026 Q3", None],  # Q3 had not ended
            ]
        ),
        XLSX,
    ).run()
    at.button(key="meetings_load").click().run()
    assert not at.exception
    assert "문제 2건" in texts(at.error) and "아무것도 바뀌지 않았습니다" in texts(at.error)
    problems = next(d for d in text_tables(at) if "셀" in d.columns)
    assert problems["셀"].tolist() == ["B2", "E3"]
    assert "읽을 수 없습니다" in problems["문제"].iloc[0]
    assert "끝나지 않은 분기" in problems["문제"].iloc[1]
    assert meetings(db) == before


def edited(rows: list[dict]) -> pd.DataFrame:
    from ui.meetings_helpers import editor_frame

    frame = editor_frame(STORED)
    extra = pd.DataFrame(rows, columns=frame.columns)
    return pd.concat([frame, extra], ignore_index=True) if rows else frame


def problems_of(db: Path, table: pd.DataFrame) -> pd.DataFrame:
    from ui.meetings_helpers import edit_problems_table, save_edits

    before = meetings(db)
    outcome = save_edits(STORED, table, ADMIN)
    assert outcome.saved is None
    assert meetings(db) == before  # refused: nothing changed
    return edit_problems_table(outcome.problems)


def third(**change) -> dict:
    row = {
        "meeting_no": 3,
        "held_on": pd.Timestamp("2026-12-18"),
        "title_ko": "제3차",
        "title_en": "",
        "review": "2026년 3분기",
        "note": "",
    }
    return {**row, **change}


def test_edits_are_checked_field_by_field(db):
    missing_date = problems_of(db, edited([third(held_on=pd.NaT)]))
    assert missing_date[["행", "항목"]].values.tolist() == [["3", "일자"]]
    assert "회의 일자" in missing_date["문제"].iloc[0]

    not_ended = problems_of(db, edited([third(review="2026년 4분기")]))
    assert not_ended[["행", "항목"]].values.tolist() == [["3", "검토 분기"]]
    assert "끝나지 않은 분기" in not_ended["문제"].iloc[0]

    bad_quarter = problems_of(db, edited([third(review="언젠가")]))
    assert "검토 분기를 읽을 수 없습니다: '언젠가'" in bad_quarter["문제"].iloc[0]
    bad_number = problems_of(db, edited([third(meeting_no="셋째")]))
    assert "회차를 읽을 수 없습니다: '셋째'" in " ".join(bad_number["문제"])

    twice = problems_of(db, edited([third(meeting_no=2)]))
    assert ["3", "회차"] in twice[["행", "항목"]].values.tolist()
    assert any("두 번" in t for t in twice["문제"])

    out_of_order = problems_of(db, edited([third(held_on=pd.Timestamp("2025-06-01"), review="2025년 1분기")]))
    assert out_of_order[["행", "항목"]].values.tolist() == [["3", "회차"]]
    assert "앞서거나 같은 날" in out_of_order["문제"].iloc[0]

    renumbered = edited([])
    renumbered.loc[1, "meeting_no"] = 5
    moved = problems_of(db, renumbered)
    assert moved[["행", "항목"]].values.tolist() == [["2", "회차"]]
    assert "바꿀 수 없습니다" in moved["문제"].iloc[0]


def test_an_added_and_an_edited_row_are_saved_with_who(db):
    from ui.meetings_helpers import save_edits

    table = edited([third(), {}])  # a blank row left by the editor is ignored
    table.loc[1, "title_ko"] = "제2차 중기부–외교부 정책협의회"
    outcome = save_edits(STORED, table, ADMIN)
    assert outcome.problems == []
    assert (outcome.saved.added, outcome.saved.updated, outcome.saved.unchanged) == (1, 1, 1)
    stored = meetings(db)
    assert [m[0] for m in stored] == [1, 2, 3]
    assert stored[1][2] == "제2차 중기부–외교부 정책협의회" and stored[1][5] == "kim@mss.test"
    assert stored[2] == (3, date(2026, 12, 18), "제3차", 2026, 3, "kim@mss.test")
