"""The upload preview says which later 누계-derived quarters a correction derives again, or refuses it as commit would.

Real .xlsx returns (the official template, 기준 set to 누계 in its cover cell as in tests/test_rederive.py);
the preview runs on a read-only connection and stores nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from etl import intake
from etl.problems import Refused
from etl.returns.prepare import prepare
from etl.returns.preview import preview
from etl.store.ledger import commit
from tests.support.prepared import copy_of
from tests.support.returns import HANOI, PARIS, load, row
from tests.support.state import snapshot
from tests.support.upload import (
    XLSX,
    app,
    filled_return,
    serve_to_analyst,
    text_tables,
    texts,
)
from warehouse.connection import connection

UPLOAD = "views/upload.py"


def stored(db: Path) -> None:
    """Paris and Hanoi: Q1 quarterly (10, 3), Q2 and Q3 as 누계 (25 and 31 by Q2; 40 by Q3 for Paris):
    a copy of the warehouse `_stored` builds once (tests/support/prepared.py)."""
    copy_of("upload_rederive", _stored, db)


def _stored(db: Path) -> None:
    with connection(db) as con:
        load(con, db.parent, "q1.xlsx", 1, [row(PARIS, 10), row(HANOI, 3)])
        load(con, db.parent, "q2.xlsx", 2, [row(PARIS, 25), row(HANOI, 31)], cumulative=True)
        load(con, db.parent, "q3.xlsx", 3, [row(PARIS, 40)], cumulative=True)


def correction(tmp: Path, name: str, paris: float, hanoi: float) -> Path:
    path = tmp / name
    filled_return(path, [row(PARIS, paris), row(HANOI, hanoi)], year=2026, quarter=1, agency="mofa")
    return path


def test_the_preview_counts_the_figures_commit_derives_again_and_stores_nothing(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    stored(db)
    path = correction(tmp_path, "q1_fix.xlsx", 12, 3)  # Paris's Q1 10 → 12; Hanoi unchanged
    prepared = prepare(path)
    with connection(db, read_only=True) as con:
        before = snapshot(con)
        pv = preview(prepared, con)
        assert snapshot(con) == before
    # Paris's Q2 (15 → 13) only: its Q3 (40 − 25) stays 15, Hanoi's Q2 keeps its Q1
    assert pv.rederived.to_dict("records") == [
        {"year": 2026, "quarter": 2, "agency_code": "mofa", "mission_code": "FR-PAR", "figures": 1}
    ]
    with connection(db) as con:
        assert commit(con, prepared, loaded_by="test").rederived == 1


def test_the_preview_refuses_with_the_problems_commit_would_give(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    stored(db)
    path = correction(tmp_path, "q1_fix.xlsx", 30, 40)  # both above what was reported by Q2
    with connection(db, read_only=True) as con:
        before = snapshot(con)
        with pytest.raises(Refused) as previewed:
            preview(prepare(path), con)
        assert snapshot(con) == before
    with connection(db) as con, pytest.raises(Refused) as committed:
        intake.load(con, path, intake.Actor("test"))

    def shown(exc: pytest.ExceptionInfo[Refused]) -> list[tuple]:
        return [(p.severity, p.where, p.message_ko, p.fix_ko, p.message_en) for p in exc.value.problems]

    assert shown(previewed) == shown(committed)
    assert len(shown(previewed)) == 2 and "이후 분기 실적이 음수가 됩니다" in shown(previewed)[0][2]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "warehouse.duckdb"
    stored(path)
    serve_to_analyst(monkeypatch, path)
    return path


def test_the_page_says_which_later_quarters_are_derived_again(db: Path, tmp_path: Path) -> None:
    before = snapshot(db)
    at = app(UPLOAD)
    at.file_uploader[0].upload("q1_fix.xlsx", correction(tmp_path, "q1_fix.xlsx", 12, 2).read_bytes(), XLSX)
    at.run()
    assert not at.exception
    note = texts(at.info)
    assert "이후 분기에 누계로 보고된 실적 2건이 다시 계산됩니다" in note
    assert "2026년 2분기 주프랑스 대사관(외교부) 1건 · 2026년 2분기 주베트남 대사관(외교부) 1건" in note
    assert not at.button(key="commit").disabled
    assert snapshot(db) == before
    at.button(key="commit").click()
    at.run()
    assert "이후 분기 실적 2건을 다시 계산했습니다" in texts(at.success)


def test_the_page_shows_the_refusal_before_loading_and_offers_no_load(db: Path, tmp_path: Path) -> None:
    before = snapshot(db)
    at = app(UPLOAD)
    at.file_uploader[0].upload("q1_fix.xlsx", correction(tmp_path, "q1_fix.xlsx", 30, 3).read_bytes(), XLSX)
    at.run()
    assert not at.exception
    assert "적재할 수 없습니다: 문제 1건" in texts(at.error)
    problems = text_tables(at)[0]
    assert list(problems["셀"]) == ["D6"]  # Paris's corrected Q1 firms
    assert "이후 분기 실적이 음수가 됩니다: 주프랑스 대사관(외교부)" in problems["문제"][0]
    assert at.button(key="commit").disabled
    assert snapshot(db) == before
