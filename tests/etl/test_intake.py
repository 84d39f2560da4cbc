"""The one intake (etl.intake): every kind of file, a return or any register, recognised and held to
the same policies: a number finite and plausible, a date inside etl.shape.period's window, text without
control or bidi characters, the taker recorded from the caller and never from the file.

Each policy is one test over every kind; each file is a real .xlsx on disk, taken in on a copy of the
demo warehouse (meetings 1-3, 2026 Q3 closed, KOSME's targets)."""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from etl import intake
from etl.problems import Refused
from etl.read.workbook import open_book
from tests.support.state import snapshot
from tests.support.xlsx import workbook
from warehouse.schema import ensure_schema

# a right-to-left override, a delete and a left-to-right isolate inside a free text (openpyxl writes no
# C0 control but a tab, which is a space anyway)
HOSTILE = "원인\u202e 2026\x7f끝\u2066"
CLEANED = "원인 2026 끝"  # the format characters dropped, the control character read as a space
MARKED_NAME = "보고\u202e\x07.xlsx"  # a file name with both


@dataclass(frozen=True)
class Kind:
    """One kind of file: its sheets as rows (fields overridable), where each field sits, what it stores."""

    kind: str
    sheet: str
    header: list[str]
    row: dict[str, object]  # field → value, in header order
    number: str  # a field read as a number (for incidents, whose only numbers are dates: the start)
    date: str  # a field inside the date window (a date, a year or a quarter)
    text: str  # a field whose text is stored (free text; a code where the kind has no free text)
    stored: str  # SQL giving the texts this load stored, the file name among them

    def file(self, path: Path, **values: object) -> Path:
        cells = {**self.row, **values}
        return workbook(path, {self.sheet: [self.header, list(cells.values())]})

    def cell(self, field: str) -> str:
        return f"{self.sheet}!{'ABCDEFGHIJ'[list(self.row).index(field)]}2"


KINDS = [
    Kind(
        "results",
        "실적",
        ["연도", "분기", "주관기관", "공관", "분야", "사업", "지원기업 수"],
        dict(year=2026, quarter=4, agency="외교부", mission="주베트남 대사관", sector="K-뷰티",
             program="재외공관 협업 중소벤처기업 글로벌 진출사업", firms=7),
        number="firms",
        date="year",
        text="mission",  # a return holds no free text: a code whose spelling hides an override
        stored="SELECT file_name FROM submission WHERE kind = 'results' ORDER BY submission_id DESC LIMIT 1",
    ),
    Kind(
        "targets",
        "목표",
        ["연도", "지표", "분야", "공관", "주관기관", "목표"],
        dict(year=2027, metric="지원기업 수", sector=None, mission="주베트남 대사관", agency="외교부", target=40),
        number="target",
        date="year",
        text="mission",
        stored="SELECT file_name FROM submission WHERE kind = 'targets' ORDER BY submission_id DESC LIMIT 1",
    ),
    Kind(
        "incidents",
        "긴급상황",
        ["공관", "유형", "시작일", "종료일", "개요", "공관 상황 메모", "상태"],
        dict(mission="주케냐 대사관", type="재난", start="2026-11-02", end=None, description="홍수",
             situation="공관 정상 운영", status="진행 중"),
        number="start",
        date="start",
        text="situation",
        stored="SELECT situation FROM incidents WHERE mission_code = 'KE-NBO' AND started_on = DATE '2026-11-02' "
        "UNION ALL SELECT file_name FROM submission WHERE kind = 'incidents' "
        "AND submission_id = (SELECT max(submission_id) FROM submission)",
    ),
    Kind(
        "meetings",
        "회의",
        ["회차", "일자", "제목", "영문 제목", "검토 분기", "비고"],
        dict(meeting_no=4, held_on="2027-06-18", title="제4차 정책협의회", title_en=None, review="2027년 1분기",
             note="비고"),
        number="meeting_no",
        date="held_on",
        text="note",
        stored="SELECT note FROM meeting WHERE meeting_no = 4",  # not versioned: no submission row
    ),
    Kind(
        "explanations",
        "사유",
        ["연도", "분기", "지표", "분야", "공관", "기관", "원인", "대책", "회복 예상 분기"],
        dict(year=2026, quarter=3, metric="수출계약액", sector=None, mission=None, agency="중소벤처기업진흥공단",
             cause="바이어 이탈", measures="전시회 추가", recover="2026년 4분기"),
        number="year",
        date="recover",
        text="cause",
        stored="SELECT cause FROM explanation WHERE submission_id = (SELECT max(submission_id) FROM submission) "
        "UNION ALL SELECT file_name FROM submission WHERE submission_id = (SELECT max(submission_id) FROM submission)",
    ),
    Kind(
        "actions",
        "후속 조치",
        ["번호", "회의", "내용", "내용(영문)", "담당 기관", "공관", "분야", "지표", "기한", "상태"],
        dict(action_id=None, meeting=2, text="K-뷰티 거점공관 지정", text_en=None, owner="외교부", mission=None,
             sector="K-뷰티", metric=None, due="2026-06-30", status="진행"),
        number="meeting",
        date="due",
        text="text",
        stored="SELECT text_ko FROM action WHERE submission_id = (SELECT max(submission_id) FROM submission) "
        "UNION ALL SELECT file_name FROM submission WHERE submission_id = (SELECT max(submission_id) FROM submission)",
    ),
]  # fmt: skip
BY_KIND = pytest.mark.parametrize("kind", KINDS, ids=[k.kind for k in KINDS])


@pytest.fixture
def wh(demo_db, tmp_path):
    path = tmp_path / "wh.duckdb"
    shutil.copy(demo_db, path)
    con = duckdb.connect(str(path))
    ensure_schema(con)
    yield con
    con.close()


def refusal(call: Callable[[], object]) -> list[tuple[str, str]]:
    with pytest.raises(Refused) as caught:
        call()
    return [(p.where, p.message_ko) for p in caught.value.problems if p.severity == "error"]


@BY_KIND
def test_each_kind_is_recognised_from_its_headers(kind, tmp_path):
    path = kind.file(tmp_path / f"{kind.kind}.xlsx")
    assert intake.recognise(open_book(path)) == kind.kind
    assert intake.read(path, intake.Actor("kim")).kind == kind.kind


def test_a_return_with_a_reasons_sheet_stays_a_return(tmp_path):
    """A return's 사유 sheet names no year or quarter (they are the return's): not an explanations register."""
    reasons = ["지표", "분야", "공관", "원인", "대책", "회복 예상 분기"]
    results = KINDS[0]
    path = workbook(
        tmp_path / "return.xlsx",
        {
            "실적": [results.header, list(results.row.values())],
            "사유": [reasons, ["수출계약액", None, None, "a", "b", None]],
        },
    )
    assert intake.recognise(open_book(path)) == "results"


@BY_KIND
@pytest.mark.parametrize("value", ["nan", "inf", "-Infinity", 1e308, "ＮａＮ"])
def test_a_number_that_is_not_finite_or_not_plausible_is_refused_naming_its_cell(kind, value, wh, tmp_path):
    before = snapshot(wh)
    path = kind.file(tmp_path / "bad.xlsx", **{kind.number: value})
    problems = refusal(lambda: intake.load(wh, path, intake.Actor("kim", "admin")))
    assert kind.cell(kind.number) in [where for where, _ in problems], problems
    assert snapshot(wh) == before


@BY_KIND
@pytest.mark.parametrize("far", ["past", "future"])
def test_a_date_outside_the_window_is_refused_naming_its_cell(kind, far, wh, tmp_path):
    value = {
        "year": {"past": 1899, "future": 9999},
        "start": {"past": "0001-01-01", "future": "9999-12-31"},
        "held_on": {"past": "1900-01-01", "future": "9999-12-31"},
        "recover": {"past": "1800년 1분기", "future": "9999년 4분기"},
        "due": {"past": "0001-01-01", "future": "9999-12-31"},
    }[kind.date][far]
    before = snapshot(wh)
    path = kind.file(tmp_path / "far.xlsx", **{kind.date: value})
    problems = refusal(lambda: intake.load(wh, path, intake.Actor("kim", "admin")))
    assert kind.cell(kind.date) in [where for where, _ in problems], problems
    assert snapshot(wh) == before


def _unsafe(text: str) -> list[str]:
    return [f"U+{ord(ch):04X}" for ch in text if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cf")]


@BY_KIND
def test_control_and_bidi_characters_never_reach_the_warehouse(kind, wh, tmp_path):
    """Free text keeps its words without them; a code's spelling is read through them; so is the file name."""
    code = str(kind.row.get("mission"))
    value = HOSTILE if kind.text != "mission" else f"{code[:2]}\u202e{code[2:]}"
    path = kind.file(tmp_path / "text.xlsx", **{kind.text: value})
    loaded = intake.load(wh, path, intake.Actor("kim", "admin"), name=MARKED_NAME)
    assert loaded.summary()
    stored = [r[0] for r in wh.execute(kind.stored).fetchall()]
    assert stored and all(not _unsafe(text) for text in stored), stored
    if kind.text != "mission":
        assert CLEANED in stored
    if kind.kind != "meetings":
        assert "보고 .xlsx" in stored


@BY_KIND
def test_the_taker_is_the_actor_never_the_file(kind, wh, tmp_path):
    """Who loads a file is recorded as the caller said, with the audit line in the same transaction."""
    path = kind.file(tmp_path / "who.xlsx")
    intake.load(wh, path, intake.Actor("os:kim", "cli"))
    assert wh.execute("SELECT actor, role FROM audit_log ORDER BY audit_id DESC LIMIT 1").fetchall() == [
        ("os:kim", "cli")
    ]
    if kind.kind != "meetings":
        assert wh.execute(
            "SELECT loaded_by FROM submission ORDER BY submission_id DESC LIMIT 1"
        ).fetchall() == [("os:kim",)]
