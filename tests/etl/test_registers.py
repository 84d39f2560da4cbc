"""Explanations and follow-up actions as register files, and the 사유 sheet of a return, on real .xlsx files
and a copy of the demo warehouse (2026 Q3 closed, Q4 open; meetings 1-3; KOSME's 2026 targets)."""

import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest

from etl import intake
from etl.cli.main import main
from etl.problems import Refused
from etl.registers.explanations import read_explanations, store_explanations
from etl.returns.prepare import prepare
from etl.returns.preview import preview
from etl.store.ledger import rollback
from etl.workbooks.template import DATA_SHEET, HEADER_ROW, REASON_HEADER_ROW, REASON_SHEET, write_template
from tests.support.state import snapshot
from tests.support.xlsx import workbook
from warehouse.schema import ensure_schema

EXPLAIN = ["연도", "분기", "지표", "분야", "공관", "기관", "원인", "대책", "회복 예상 분기"]
KOSME_EXPORTS = [
    2026,
    3,
    "수출계약액",
    None,
    None,
    "중소벤처기업진흥공단",
    "바이어 이탈",
    "전시회 추가",
    "2026년 4분기",
]
KOSME_EXPORTS_KEY = (
    "year = 2026 AND quarter = 3 AND metric_code = 'export_value' AND agency_code = 'kosme' "
    "AND sector_code IS NULL AND mission_code IS NULL"
)
ACTION = ["번호", "회의", "내용", "내용(영문)", "담당 기관", "공관", "분야", "지표", "기한", "상태"]
HUBS = [
    None,
    2,
    "K-뷰티 거점공관 지정",
    "Designate K-beauty hubs",
    "외교부",
    None,
    "K-뷰티",
    None,
    "2026-06-30",
    "진행",
]
EMERGENCY = [
    None,
    "제2차",
    "긴급상황 시 공관·중기부 협력",
    None,
    "MSS",
    None,
    None,
    None,
    "2026-03-31",
    "planned",
]
NOTE = ["번호", "날짜", "내용", "작성자"]


@pytest.fixture
def wh_path(demo_db, tmp_path) -> Path:
    path = tmp_path / "wh.duckdb"
    shutil.copy(demo_db, path)
    with duckdb.connect(str(path)) as con:
        ensure_schema(con)
    return path


@pytest.fixture
def wh(wh_path):
    con = duckdb.connect(str(wh_path))
    yield con
    con.close()


def refused_at(call) -> list[tuple[str, str]]:
    with pytest.raises(Refused) as caught:
        call()
    return [(p.where, p.message_ko) for p in caught.value.problems if p.severity == "error"]


# --- explanations ---------------------------------------------------------------------------------------


def explanations_file(path: Path, *rows: list) -> Path:
    return workbook(path, {"사유": [["2026년 사유·대책"], EXPLAIN, *rows]})


def test_an_explanations_register_loads_adds_or_updates_and_rolls_back(wh, tmp_path):
    first = explanations_file(tmp_path / "e1.xlsx", KOSME_EXPORTS)
    loaded = intake.load(wh, first, intake.Actor("kim"), kind="explanations")
    assert loaded.added + loaded.updated == 1 and loaded.submission_id  # the demo may explain it already
    view = f"SELECT owner_agency, cause, recover_by, written_by FROM explanations WHERE {KOSME_EXPORTS_KEY}"
    assert wh.execute(view).fetchall() == [("kosme", "바이어 이탈", "2026Q4", "kim")]

    again = intake.load(wh, first, intake.Actor("kim"), kind="explanations")
    assert again.duplicate_of == loaded.submission_id and "변경 없음" in again.summary()

    changed = explanations_file(
        tmp_path / "e2.xlsx", [*KOSME_EXPORTS[:6], "환율 급등", "전시회 추가", "2026 Q4"]
    )
    second = intake.load(wh, changed, intake.Actor("lee"), kind="explanations")
    assert (second.added, second.updated, second.unchanged) == (0, 1, 0)
    assert wh.execute(view).fetchall()[0][1:2] == ("환율 급등",)

    rollback(wh, second.submission_id, by="admin")
    assert wh.execute(view).fetchall() == [("kosme", "바이어 이탈", "2026Q4", "kim")]


@pytest.mark.parametrize(
    ("column", "value", "cell", "words"),
    [
        (2, "없는 지표", "C3", "알 수 없는 지표"),
        (3, "우주", "D3", "알 수 없는 분야"),
        (4, "Atlantis", "E3", "알 수 없는 공관"),
        (5, "ACME", "F3", "알 수 없는 기관"),
        (1, 4, "B3", "마감되지 않았습니다"),
        (6, "가" * 2001, "G3", "2,001자로 너무 깁니다"),
        (8, "2026년 1분기", "I3", "회복 예상 분기"),
        (4, "주시애틀 총영사관", "C3", "목표가 없습니다"),
    ],
)
def test_a_bad_explanation_is_refused_naming_its_cell_and_nothing_changes(
    wh, tmp_path, column, value, cell, words
):
    row = list(KOSME_EXPORTS)
    row[column] = value
    before = snapshot(wh)
    problems = refused_at(
        lambda: intake.load(
            wh, explanations_file(tmp_path / "bad.xlsx", row), intake.Actor(None), kind="explanations"
        )
    )
    assert [w for w, _ in problems] == [f"사유!{cell}"]
    assert words in problems[0][1]
    assert snapshot(wh) == before


def test_an_explanation_of_a_target_on_track_is_stored_with_a_warning(wh, tmp_path):
    path = explanations_file(tmp_path / "e.xlsx", KOSME_EXPORTS)
    loaded = store_explanations(
        wh,
        read_explanations(path, path.name),
        name=path.name,
        sha256="x" * 64,
        size=1,
        loaded_by="kim",
        status_of=lambda year, quarter, metric, sector, mission, agency: "on_track",
    )
    assert loaded.added + loaded.updated == 1
    assert [(w.where, w.severity) for w in loaded.warnings] == [("사유!C3", "warning")]
    assert "정상" in loaded.warnings[0].message_ko


def test_explanations_on_the_command_line(wh_path, tmp_path, capsys):
    ok = explanations_file(tmp_path / "ok.xlsx", KOSME_EXPORTS)
    assert main(["explanations", str(ok), "--db", str(wh_path)]) == 0
    assert "사유·대책 #" in capsys.readouterr().out
    bad = explanations_file(tmp_path / "bad.xlsx", [*KOSME_EXPORTS[:2], "없는 지표", *KOSME_EXPORTS[3:]])
    assert main(["explanations", str(bad), "--db", str(wh_path), "--wait", "1"]) == 1
    assert "사유!C3" in capsys.readouterr().err


# --- follow-up actions ----------------------------------------------------------------------------------


def actions_file(path: Path, actions: list[list], notes: list[list] | None = None) -> Path:
    sheets = {"후속 조치": [ACTION, *actions]}
    if notes is not None:
        sheets["진행 메모"] = [NOTE, *notes]
    return workbook(path, sheets)


def last_action(con) -> int:
    return con.execute("SELECT coalesce(max(action_id), 0) FROM action").fetchall()[0][0]


def test_an_actions_register_with_notes_loads_updates_and_rolls_back(wh, tmp_path):
    base = last_action(wh)  # the demo's own actions come first
    first = intake.load(
        wh, actions_file(tmp_path / "a1.xlsx", [HUBS, EMERGENCY]), intake.Actor("kim"), kind="actions"
    )
    assert (first.added, first.updated) == (2, 0)
    view = (
        "SELECT action_id, meeting_no, owner_agency, sector_code, due_on::VARCHAR, status FROM actions "
        f"WHERE action_id > {base} ORDER BY 1"
    )
    assert wh.execute(view).fetchall() == [
        (base + 1, 2, "mofa", "kbeauty", "2026-06-30", "in_progress"),
        (base + 2, 2, "mss", None, "2026-03-31", "planned"),
    ]
    update = actions_file(
        tmp_path / "a2.xlsx",
        [[base + 1, *HUBS[1:9], "완료"], [base + 2, *EMERGENCY[1:]]],
        [[base + 1, "2026-02-01", "4개 공관 지정", "park"], [base + 1, "2026-03-15", "지정 공문 발송", None]],
    )
    second = intake.load(wh, update, intake.Actor("lee"), kind="actions")
    assert (second.added, second.updated, second.unchanged) == (0, 1, 1)
    assert "진행 메모 2건" in second.summary()
    status = f"SELECT status FROM actions WHERE action_id = {base + 1}"
    assert wh.execute(status).fetchall() == [("done",)]
    notes = wh.execute(
        f"SELECT action_id, noted_on::VARCHAR, text, written_by FROM action_notes WHERE action_id = {base + 1}"
    ).fetchall()
    assert notes == [
        (base + 1, "2026-02-01", "4개 공관 지정", "lee"),  # who loaded the file, not its 작성자
        (base + 1, "2026-03-15", "지정 공문 발송", "lee"),
    ]
    assert intake.load(wh, update, intake.Actor(None), kind="actions").duplicate_of == second.submission_id

    rollback(wh, second.submission_id, by="admin")
    assert wh.execute(status).fetchall() == [("in_progress",)]
    assert wh.execute(f"SELECT count(*) FROM action_notes WHERE action_id = {base + 1}").fetchall() == [(0,)]


@pytest.mark.parametrize(
    ("row", "cell", "words"),
    [
        (
            [None, 2, "x", None, "ACME", None, None, None, "2026-06-30", "예정"],
            "후속 조치!E3",
            "알 수 없는 담당 기관",
        ),
        ([None, 2, "x", None, "mss", None, None, None, "2025-12-01", "예정"], "후속 조치!I3", "회의일"),
        (
            [None, 2, "x", None, "mss", None, None, None, "2026-06-30", "끝"],
            "후속 조치!J3",
            "알 수 없는 상태",
        ),
        (
            [None, 9, "x", None, "mss", None, None, None, "2026-06-30", None],
            "후속 조치!B3",
            "제9차 회의가 없습니다",
        ),
        ([99, 2, "x", None, "mss", None, None, None, "2026-06-30", None], "후속 조치!A3", "#99"),
        (
            [None, 2, "가" * 2001, None, "mss", None, None, None, "2026-06-30", None],
            "후속 조치!C3",
            "너무 깁니다",
        ),
        (
            [None, 2, "x", None, "mss", "Atlantis", None, None, "2026-06-30", None],
            "후속 조치!F3",
            "알 수 없는 공관",
        ),
        (
            [None, 2, "x", None, "mss", None, None, "없는 지표", "2026-06-30", None],
            "후속 조치!H3",
            "알 수 없는 지표",
        ),
    ],
)
def test_a_bad_action_is_refused_naming_its_cell_and_nothing_changes(wh, tmp_path, row, cell, words):
    before = snapshot(wh)
    problems = refused_at(
        lambda: intake.load(
            wh, actions_file(tmp_path / "bad.xlsx", [HUBS, row]), intake.Actor(None), kind="actions"
        )
    )
    assert [w for w, _ in problems] == [cell]
    assert words in problems[0][1]
    assert snapshot(wh) == before


def test_english_status_spellings_and_a_note_for_a_missing_action(wh, tmp_path):
    english = [None, 2, "역할 분담", None, "kosme", None, None, None, "2026-09-30", "In progress"]
    base = last_action(wh)
    assert (
        intake.load(
            wh, actions_file(tmp_path / "en.xlsx", [english]), intake.Actor(None), kind="actions"
        ).added
        == 1
    )
    assert wh.execute(f"SELECT status FROM actions WHERE action_id > {base}").fetchall() == [("in_progress",)]
    before = snapshot(wh)
    stray = actions_file(tmp_path / "note.xlsx", [english], [[base + 9, "2026-04-01", "메모", None]])
    assert [w for w, _ in refused_at(lambda: intake.load(wh, stray, intake.Actor(None), kind="actions"))] == [
        "진행 메모!A2"
    ]
    assert snapshot(wh) == before


def test_actions_on_the_command_line(wh_path, tmp_path, capsys):
    path = actions_file(tmp_path / "a.xlsx", [HUBS])
    assert main(["actions", str(path), "--db", str(wh_path)]) == 0
    assert "후속 조치 #" in capsys.readouterr().out
    assert main(["actions", str(path), "--db", str(wh_path)]) == 0
    assert "변경 없음" in capsys.readouterr().out


# --- the 사유 sheet of a return -------------------------------------------------------------------------

FIGURES = ["주베트남 대사관", "K-뷰티", "재외공관 협업 중소벤처기업 글로벌 진출사업", 12, 40, 3, 250.5]


def kosme_return(path: Path, reasons: list[list] | None) -> Path:
    """The official template for KOSME 2026 Q3 (a restatement), one row of figures, its 사유 sheet filled."""
    names = [tuple(r[:3]) for r in reasons or []]
    write_template(path, year=2026, quarter=3, agency="kosme", reasons=names, reasons_period=(2026, 3))
    wb = openpyxl.load_workbook(path)
    for c, value in enumerate(FIGURES, start=1):
        wb[DATA_SHEET].cell(HEADER_ROW + 1, c, value)
    for r, row in enumerate(reasons or [], start=REASON_HEADER_ROW + 1):
        for c, value in enumerate(row[3:], start=4):
            wb[REASON_SHEET].cell(r, c, value)
    wb.save(path)
    return path


def test_a_return_with_a_reason_sheet_stores_its_explanations_with_the_figures(wh, tmp_path):
    path = kosme_return(
        tmp_path / "kosme.xlsx", [["수출계약액", None, None, "바이어 이탈", "전시회 추가", "2026년 4분기"]]
    )
    explained = f"SELECT cause FROM explanations WHERE {KOSME_EXPORTS_KEY}"
    before = wh.execute(explained).fetchall()
    loaded = intake.load(wh, path, intake.Actor("lee@kosme"))
    assert loaded.result.explanations == 1 and "사유·대책 1건" in loaded.summary()
    stored = wh.execute(
        "SELECT year, quarter, metric_code, agency_code, owner_agency, cause, written_by, submission_id "
        f"FROM explanations WHERE submission_id = {loaded.result.submission_id}"
    ).fetchall()
    assert stored == [
        (2026, 3, "export_value", "kosme", "kosme", "바이어 이탈", "lee@kosme", loaded.result.submission_id)
    ]
    # the 사유 sheet is never read as figures
    sheets = wh.execute(
        "SELECT DISTINCT source_sheet FROM fact_result WHERE submission_id = ?", [loaded.result.submission_id]
    ).fetchall()
    assert sheets == [(DATA_SHEET,)]
    rollback(wh, loaded.result.submission_id, by="admin")
    assert wh.execute(explained).fetchall() == before


@pytest.mark.parametrize(
    ("row", "words"),
    [
        (["없는 지표", None, None, "원인", "대책", None], "알 수 없는 지표"),
        (["MOU 체결", "바이오", "주시애틀 총영사관", "원인", "대책", None], "목표가 없습니다"),
        (["수출계약액", None, None, "원인", None, None], "대책이 비어 있습니다"),
    ],
)
def test_a_bad_reason_row_refuses_the_whole_return(wh, tmp_path, row, words):
    before = snapshot(wh)
    path = kosme_return(tmp_path / "kosme.xlsx", [row])
    problems = refused_at(lambda: intake.load(wh, path, intake.Actor(None)))
    assert len(problems) == 1 and problems[0][0].startswith(f"{REASON_SHEET}!") and words in problems[0][1]
    assert snapshot(wh) == before


def test_a_reason_for_another_agencys_target_refuses_the_return(wh, tmp_path):
    # a metric KOSME has no agency target for, given a MOFA target in this copy if the demo has none
    metric, name = wh.execute(
        "SELECT metric_code, name_ko FROM metrics WHERE has_target AND metric_code NOT IN (SELECT metric_code "
        "FROM targets WHERE year = 2026 AND agency_code = 'kosme' AND sector_code IS NULL AND mission_code IS NULL) "
        "ORDER BY metric_code LIMIT 1"
    ).fetchall()[0]
    wh.execute(
        "INSERT INTO fact_target (submission_id, year, metric_code, sector_code, mission_code, agency_code, value, "
        "source_sheet, source_cell, is_current) SELECT sid, 2026, $m, NULL, NULL, 'mofa', 100, '목표', 'Z1', true "
        "FROM (SELECT min(submission_id) AS sid FROM fact_target) WHERE NOT EXISTS (SELECT 1 FROM targets WHERE year = 2026 "
        "AND metric_code = $m AND agency_code = 'mofa' AND sector_code IS NULL AND mission_code IS NULL)",
        {"m": metric},
    )
    path = kosme_return(tmp_path / "kosme.xlsx", [[name, None, None, "원인", "대책", None]])
    problems = refused_at(lambda: intake.load(wh, path, intake.Actor(None)))
    assert "자기 기관 목표" in problems[0][1]


def test_an_empty_reason_sheet_changes_nothing_and_the_cli_loads_a_return_with_reasons(
    wh_path, tmp_path, capsys
):
    empty = kosme_return(tmp_path / "empty.xlsx", None)
    assert main(["load", str(empty), "--db", str(wh_path)]) == 0
    assert "사유" not in capsys.readouterr().out
    path = kosme_return(tmp_path / "k.xlsx", [["수출계약액", None, None, "원인", "대책", "2026 Q4"]])
    assert main(["load", str(path), "--db", str(wh_path)]) == 0
    assert "사유·대책 1건" in capsys.readouterr().out
    with duckdb.connect(str(wh_path), read_only=True) as con:
        assert con.execute(f"SELECT recover_by FROM explanations WHERE {KOSME_EXPORTS_KEY}").fetchall() == [
            ("2026Q4",)
        ]


def test_the_template_prefills_the_agencys_targets_at_risk(wh, tmp_path):
    from metrics.attainment import attainment
    from metrics.filters import Filters
    from ui.target_status import reasons_for

    period, rows = reasons_for(wh, "kosme")
    assert period == (2026, 3)
    df = attainment(wh, Filters(year=2026, quarter_to=3, through=20263))
    at_risk = df[(df["agency_code"] == "kosme") & df["status"].isin(["at_risk", "behind"])]
    assert len(rows) == len(at_risk) > 0
    path = write_template(tmp_path / "t.xlsx", agency="kosme", reasons=rows, reasons_period=period)
    ws = openpyxl.load_workbook(path)[REASON_SHEET]
    assert ws.cell(2, 1).value == "대상 분기: 2026년 3분기"
    assert [c.value for c in ws[REASON_HEADER_ROW]] == [
        "지표",
        "분야",
        "공관",
        "원인",
        "대책",
        "회복 예상 분기",
    ]
    written = [tuple(c.value for c in r[:3]) for r in ws.iter_rows(min_row=REASON_HEADER_ROW + 1)]
    assert [r for r in written if any(r)] == rows


def test_the_upload_page_previews_and_commits_a_return_with_its_reasons(wh_path, tmp_path, monkeypatch):
    from tests.support.upload import XLSX, app, texts

    monkeypatch.setenv("DASHBOARD_DB", str(wh_path))
    monkeypatch.setenv("DASHBOARD_ROLE", "admin")
    monkeypatch.setenv("DASHBOARD_USER", "kim@mss.test")
    bad = kosme_return(tmp_path / "bad.xlsx", [["없는 지표", None, None, "원인", "대책", None]])
    at = app("views/upload.py")
    at.file_uploader[0].upload("bad.xlsx", bad.read_bytes(), XLSX).run()
    assert not at.exception
    assert "문제 1건" in texts(at.error) and at.button(key="commit").disabled

    good = kosme_return(
        tmp_path / "good.xlsx", [["수출계약액", None, None, "바이어 이탈", "전시회 추가", None]]
    )
    at = app("views/upload.py")
    at.file_uploader[0].upload("good.xlsx", good.read_bytes(), XLSX).run()
    assert not at.exception
    assert "사유·대책 1건" in texts(at.info)
    at.button(key="commit").click().run()
    assert not at.exception
    with duckdb.connect(str(wh_path), read_only=True) as con:
        stored = con.execute(
            "SELECT metric_code, owner_agency, written_by FROM explanations WHERE written_by = 'kim@mss.test'"
        ).fetchall()
    assert stored == [("export_value", "kosme", "kim@mss.test")]


def test_a_refused_register_file_comes_back_marked_on_request(wh_path, tmp_path, capsys):
    bad = actions_file(
        tmp_path / "bad.xlsx", [[None, 2, "x", None, "ACME", None, None, None, "2026-06-30", None]]
    )
    marked = tmp_path / "marked.xlsx"
    assert main(["actions", str(bad), "--db", str(wh_path), "--marked", str(marked)]) == 1
    wb = openpyxl.load_workbook(marked)
    assert wb.sheetnames[0] == "검증 결과"
    assert "알 수 없는 담당 기관" in wb["후속 조치"]["E2"].comment.text
    assert "marked copy" in capsys.readouterr().err


def test_the_template_as_delivered_loads_and_says_its_prefilled_reasons_were_skipped(wh, tmp_path):
    from ui.target_status import reasons_for

    period, rows = reasons_for(wh, "kosme")
    assert len(rows) >= 2
    path = write_template(tmp_path / "t.xlsx", year=2026, quarter=3, agency="kosme", reasons=rows,
                          reasons_period=period)  # fmt: skip
    wb = openpyxl.load_workbook(path)
    for c, value in enumerate(FIGURES, start=1):
        wb[DATA_SHEET].cell(HEADER_ROW + 1, c, value)
    wb.save(path)
    shown = preview(prepare(path), wh)
    assert any("건너뜁니다" in w.message_ko for w in shown.warning_problems)
    loaded = intake.load(wh, path, intake.Actor("lee@kosme"))
    assert loaded.result.explanations == 0
    skipped = [w for w in loaded.result.warnings or [] if w.sheet == REASON_SHEET]
    assert len(skipped) == 1 and f"{len(rows)}개 행" in skipped[0].message_ko
    assert "건너뜁니다" in skipped[0].message_ko


def test_a_half_written_prefilled_reason_row_is_refused_and_the_unwritten_ones_are_not(wh, tmp_path):
    before = snapshot(wh)
    unwritten = ["수출계약액", None, None, None, None, None]
    half = ["지원기업 수", None, None, None, "대책만 적음", "2026년 4분기"]
    path = kosme_return(tmp_path / "kosme.xlsx", [unwritten, half])
    problems = refused_at(lambda: intake.load(wh, path, intake.Actor(None)))
    assert problems == [(f"{REASON_SHEET}!D{REASON_HEADER_ROW + 2}", problems[0][1])]
    assert "원인이 비어 있습니다" in problems[0][1]
    assert snapshot(wh) == before


# --- one text policy: no control or format character is stored (#26 item 1) ------------------------

# A right-to-left override and its pop, isolates, the LRM/RLM marks, a zero-width space, C1 controls
# (openpyxl cannot write C0 controls into a cell; Excel cannot either) and DEL.
HIDDEN = "\u202e\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u200b\x85\x9b\x7f\ufeff"


def sneaky(text: str) -> str:
    return f"{HIDDEN[:3]}{text}{HIDDEN[3:]}"


def unsafe_stored(con) -> list[tuple[str, str]]:
    import unicodedata

    found = []
    for table, rows in snapshot(con).items():
        for row in rows:
            for value in row:
                if isinstance(value, str) and any(
                    unicodedata.category(ch) in ("Cc", "Cf") and ch != "\n" for ch in value
                ):
                    found.append((table, value))
    return found


def test_no_register_or_return_stores_a_control_or_format_character(wh, tmp_path):
    from datetime import date, timedelta

    from etl import intake
    from etl.registers.followup import Editor, add_action_note, save_action
    from tests.support.xlsx import meetings_file, write_xlsx

    base = last_action(wh)
    actions = actions_file(
        tmp_path / "a.xlsx",
        [[None, 2, sneaky("조치 내용"), sneaky("action"), "외교부", None, None, None, "2026-06-30", "진행"]],
        [[base, "2026-02-01", sneaky("메모"), sneaky("park")]],
    )
    intake.load(wh, actions, intake.Actor("kim"), kind="actions")
    intake.load(
        wh,
        explanations_file(
            tmp_path / "e.xlsx", [*KOSME_EXPORTS[:6], sneaky("원인"), sneaky("대책"), "2026Q4"]
        ),
        intake.Actor("kim"),
        kind="explanations",
    )
    meetings = meetings_file(
        tmp_path / "m.xlsx",
        [[3, "2026-12-18", sneaky("제3차 회의"), sneaky("3rd council"), "2026 Q3", sneaky("비고")]],
    )
    intake.load(wh, meetings, intake.Actor(sneaky("kim")), kind="meetings")
    head = ["공관", "유형", "시작일", "종료일", "개요", "공관 상황 메모", "상태", "기록자"]
    incident = [
        "MX-MEX",
        "무역 조치",
        "2026-04-01",
        None,
        sneaky("개요"),
        sneaky("메모"),
        "진행 중",
        sneaky("lee"),
    ]
    intake.load(
        wh,
        write_xlsx(tmp_path / f"{HIDDEN[:2]}i.xlsx", [head, incident], sheet="긴급상황"),
        intake.Actor(None),
        kind="incidents",
    )
    # the app's own forms
    admin = Editor("kim@mss.go.kr")
    action = save_action(
        wh, admin, meeting_no=2, text_ko=sneaky("앱 조치"), owner_agency="mss",
        due_on=date.today() + timedelta(days=30), status="planned",
    )  # fmt: skip
    add_action_note(wh, admin, action, date.today(), sneaky("앱 메모\n둘째 줄"))
    assert unsafe_stored(wh) == []
    # what was written stays, line breaks too
    assert wh.execute("SELECT title_ko FROM meeting WHERE meeting_no = 3").fetchone()[0] == "제3차 회의"
    assert (
        wh.execute(f"SELECT text FROM action_note WHERE action_id = {action}").fetchone()[0]
        == "앱 메모\n둘째 줄"
    )


# --- dates in a plausible window (etl.shape.period.FIRST_DAY .. today + YEARS_AHEAD) --------------------------


def test_dates_and_quarters_outside_the_plausible_window_are_refused_naming_their_cells(wh, tmp_path):
    before = snapshot(wh)
    due = [*HUBS[:8], "9999-12-31", HUBS[9]]
    notes = [[1, "0001-01-01", "메모", None], [1, "9999-12-31", "메모", None]]
    problems = refused_at(
        lambda: intake.load(
            wh, actions_file(tmp_path / "far.xlsx", [due], notes), intake.Actor(None), kind="actions"
        )
    )
    where = dict(problems)
    for cell in ("후속 조치!I2", "진행 메모!B2", "진행 메모!B3"):
        assert "기간" in where[cell] and "2000-01-01" in where[cell], problems
        assert "(는)" not in where[cell]  # the particle is chosen from the value, not templated
    assert "'9999-12-31'은 받을 수 있는 기간" in where["후속 조치!I2"]
    far = [*KOSME_EXPORTS[:8], "9999년 4분기"]
    problems = refused_at(
        lambda: intake.load(
            wh, explanations_file(tmp_path / "far2.xlsx", far), intake.Actor(None), kind="explanations"
        )
    )
    assert [w for w, _ in problems] == ["사유!I3"] and "기간" in problems[0][1]
    old = [1990, *KOSME_EXPORTS[1:]]
    problems = refused_at(
        lambda: intake.load(
            wh, explanations_file(tmp_path / "old.xlsx", old), intake.Actor(None), kind="explanations"
        )
    )
    assert "사유!A3" in [w for w, _ in problems]
    assert snapshot(wh) == before


def test_a_notes_author_is_who_loaded_the_file_and_the_files_author_column_is_a_warning(wh, tmp_path):
    base = last_action(wh)
    intake.load(wh, actions_file(tmp_path / "a.xlsx", [HUBS]), intake.Actor("kim"), kind="actions")
    long_name = "가" * 5000
    notes = [
        [base + 1, "2026-02-01", "공문 발송", "kim@mss.go.kr (관리자, admin)"],
        [base + 1, "2026-02-02", "회의 개최", long_name],
    ]
    again = [[base + 1, *HUBS[1:]]]
    result = intake.load(
        wh, actions_file(tmp_path / "n.xlsx", again, notes), intake.Actor("test-user"), kind="actions"
    )
    stored = wh.execute(f"SELECT written_by FROM action_notes WHERE action_id = {base + 1}").fetchall()
    assert stored == [("test-user",), ("test-user",)]
    assert [(w.where, w.message_ko, w.severity) for w in result.warnings] == [
        ("진행 메모!D", "작성자 열은 무시합니다: 적재한 사람이 작성자로 기록됩니다.", "warning")
    ]


def test_the_withdrawal_warning_chooses_its_particle():
    from etl.registers.targets import withdrawal_message

    assert "2026년 목표 40건 중 38건이 빠집니다" in withdrawal_message([(2026, 40, 38)])[0]
