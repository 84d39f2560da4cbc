"""A return for a closed quarter, uploaded through the page: the preview says so before committing,
the commit summary and the history record it as a restatement (정정)."""

from pathlib import Path

import pytest

from tests.support.state import snapshot
from tests.support.upload import (
    XLSX,
    app,
    good_return,
    seed_warehouse,
    serve_to_analyst,
    texts,
)
from warehouse.connection import connection
from warehouse.cycle import close_quarter

UPLOAD = "views/upload.py"
NOTE = "이 분기는 마감되었습니다(2026년 1분기) — 적재하면 정정으로 기록됩니다"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "warehouse.duckdb"
    seed_warehouse(path, tmp_path)  # mofa 2026 Q1
    serve_to_analyst(monkeypatch, path)
    return path


def restates(db: Path) -> list:
    with connection(db, read_only=True) as con:
        return con.execute("SELECT submission_id, restates FROM submission ORDER BY 1").fetchall()


def test_return_for_a_closed_quarter_is_previewed_and_recorded_as_a_restatement(db, tmp_path):
    with connection(db) as con:
        close_quarter(con, 2026, 1, by="kim@mss.test")
    at = app(UPLOAD)
    at.file_uploader[0].upload("mofa_2026q1_fix.xlsx", good_return(tmp_path, quarter=1), XLSX)
    at.run()
    assert not at.exception
    assert NOTE in texts(at.warning)
    assert restates(db) == [(1, None)]  # nothing stored before the commit

    at.button(key="commit").click()
    at.run()
    assert not at.exception
    done = texts(at.success)
    assert "제출 #2로 적재했습니다" in done and "마감된 분기(2026년 1분기)의 정정으로 기록했습니다" in done
    assert restates(db) == [(1, None), (2, "2026Q1")]


def test_return_for_an_open_quarter_says_nothing_of_restatement(db, tmp_path):
    with connection(db) as con:
        close_quarter(con, 2026, 1, by="kim@mss.test")
    before = snapshot(db)
    at = app(UPLOAD)
    at.file_uploader[0].upload("mofa_2026q2.xlsx", good_return(tmp_path, quarter=2), XLSX)
    at.run()
    assert not at.exception
    assert "마감되었습니다" not in texts(at.warning)
    assert snapshot(db) == before
    at.button(key="commit").click()
    at.run()
    assert "정정" not in texts(at.success)
    assert restates(db) == [(1, None), (2, None)]


# --- a return for a quarter that has not ended: loaded, with a notice that its figures are preliminary
NOT_ENDED = "2026년 4분기는 아직 끝나지 않았습니다 (2026-12-31 종료)"


def test_return_for_a_quarter_not_ended_says_its_figures_are_preliminary(db, tmp_path):
    from datetime import date

    at = app(UPLOAD)
    at.session_state["today"] = date(2026, 12, 7)  # ui.cycle.TODAY: the page's day
    at.file_uploader[0].upload("mofa_2026q4.xlsx", good_return(tmp_path, quarter=4), XLSX)
    at.run()
    assert not at.exception
    notice = texts(at.info) + texts(at.warning)
    assert NOT_ENDED in notice and "잠정" in notice
    assert not at.button(key="commit").disabled  # a notice, not a refusal
    at.button(key="commit").click()
    at.run()
    assert "제출 #2로 적재했습니다" in texts(at.success)

    # an ended quarter gets no such notice
    at.file_uploader[0].upload("mofa_2026q2.xlsx", good_return(tmp_path, quarter=2), XLSX)
    at.run()
    assert "아직 끝나지 않았습니다" not in texts(at.info) + texts(at.warning)
