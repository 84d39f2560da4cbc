"""The incidents loader on real .xlsx files: reading, every refusal, upsert, rollback, app edits, and
how emergency figures of returns are tied to the incident open at their mission in their quarter."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from etl import intake
from etl.cli.main import main
from etl.problems import Refused
from etl.registers.cells import parse_date
from etl.registers.incidents import read_incidents, save_edits
from etl.store.ledger import rollback
from tests.support.metrics import add_figures
from tests.support.xlsx import write_xlsx

HEAD = ["공관", "유형", "시작일", "종료일", "개요", "공관 상황 메모", "상태", "기록자"]
TUNIS = [
    "주튀니지 대사관",
    "시위",
    datetime(2025, 1, 14),
    datetime(2025, 9, 30),
    "반정부 시위",
    "통금",
    "종료",
    "kim",
]
MEXICO = ["멕시코", "관세", "2026-04-01", None, "관세 인상", None, "진행 중", None]


def sheet(path: Path, *rows: list) -> Path:
    """An incidents workbook with a title row and a blank row above the header, as staff keep it."""
    return write_xlsx(path, [["재외공관 긴급상황 현황"], [], HEAD, *rows], sheet="긴급상황")


def incidents_of(con) -> pd.DataFrame:
    return con.execute("SELECT * FROM incidents ORDER BY started_on").df()


def refusal(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(Refused) as caught:
        read_incidents(path, path.name)
    return [(p.where, p.message_en) for p in caught.value.problems]


def test_a_sheet_loads_with_codes_dates_and_recorder(con, tmp_path: Path) -> None:
    result = intake.load(
        con, sheet(tmp_path / "inc.xlsx", TUNIS, MEXICO), intake.Actor("lee"), kind="incidents"
    )
    assert (result.added, result.updated, result.submission_id) == (2, 0, 1)
    df = incidents_of(con)
    assert df["incident_id"].tolist() == ["TN-TUN-20250114", "MX-MEX-20260401"]
    assert df["type_code"].tolist() == ["unrest", "trade_measure"]
    assert df["status"].tolist() == ["closed", "open"]
    assert df["is_active"].tolist() == [False, True]
    assert df["country_iso2"].tolist() == ["TN", "MX"]
    assert df["ended_on"].iloc[0] == pd.Timestamp(2025, 9, 30) and pd.isna(df["ended_on"].iloc[1])
    assert df["recorded_by"].tolist() == ["lee", "lee"]  # who loaded it, whatever the sheet's 기록자 says
    assert df["situation"].iloc[0] == "통금"
    kind = con.execute("SELECT kind, row_count, loaded_by FROM submissions").fetchall()
    assert kind == [("incidents", 2, "lee")]


def test_the_same_file_again_changes_nothing(con, tmp_path: Path) -> None:
    path = sheet(tmp_path / "inc.xlsx", TUNIS, MEXICO)
    intake.load(con, path, intake.Actor(None), kind="incidents")
    again = intake.load(con, path, intake.Actor(None), kind="incidents")
    assert again.duplicate_of == 1 and "변경 없음" in again.summary()
    assert con.execute("SELECT count(*) FROM incident").fetchall()[0][0] == 2


def test_unknown_mission_is_refused_with_its_cell(tmp_path: Path) -> None:
    bad = ["Atlantis", "재난", "2025-03-01", None, "홍수", None, "진행 중", None]
    problems = refusal(sheet(tmp_path / "bad.xlsx", TUNIS, bad))
    assert problems == [("긴급상황!A5", "unknown mission 'Atlantis'")]


def test_end_before_start_is_refused(tmp_path: Path) -> None:
    bad = ["TR-IST", "지진", "2025-11-06", "2025.10.01", "지진", None, "모니터링", None]
    problems = refusal(sheet(tmp_path / "bad.xlsx", bad))
    assert problems == [("긴급상황!D4", "end date 2025-10-01 is before the start date 2025-11-06")]


def test_overlapping_incidents_at_one_mission_are_refused(tmp_path: Path) -> None:
    first = ["MX-MEX", "무역", "2026-04-01", None, "관세 인상", None, "진행 중", None]
    second = ["주멕시코 대사관", "시위", "2026-06-10", "2026-06-20", "시위", None, "종료", None]
    elsewhere = ["TR-IST", "시위", "2026-06-10", "2026-06-20", "시위", None, "종료", None]
    problems = refusal(sheet(tmp_path / "bad.xlsx", first, second, elsewhere))
    assert len(problems) == 1
    where, message = problems[0]
    assert where == "긴급상황!C5"
    assert message.startswith("overlaps another incident at MX-MEX: 2026-06-10 ~ 2026-06-20 and 2026-04-01 ~")


def test_every_other_rule(tmp_path: Path) -> None:
    rows = [
        ["TN-TUN", "??", "soon", "later", None, None, "maybe", None],
        ["EG-CAI", "기타", "2025-05-01", None, "정전", None, "종료", None],
        ["KE-NBO", "홍수", "2025-05-01", None, "홍수", None, "open", None],
        ["KE-NBO", "홍수", "2025-05-01", None, "홍수", None, "open", None],
    ]
    problems = refusal(sheet(tmp_path / "bad.xlsx", *rows))
    assert problems == [
        ("긴급상황!B4", "unknown incident type '??'"),
        ("긴급상황!G4", "unknown status 'maybe'"),
        ("긴급상황!C4", "missing or unreadable start date 'soon'"),
        ("긴급상황!D4", "unreadable end date 'later'"),
        ("긴급상황!E4", "missing description"),
        ("긴급상황!D5", "a closed incident needs an end date"),
        ("긴급상황!C7", "the same incident (mission, start date) twice (also at 긴급상황!C6)"),
    ]


def test_a_file_without_the_table_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "notes.xlsx", [["메모"], ["아무 표도 없음"]])
    assert refusal(path)[0][1].startswith("no incidents table")


def test_refused_file_leaves_the_warehouse_unchanged(con, tmp_path: Path) -> None:
    intake.load(con, sheet(tmp_path / "ok.xlsx", MEXICO), intake.Actor(None), kind="incidents")
    overlapping = ["MX-MEX", "시위", "2026-07-01", "2026-07-05", "시위", None, "종료", None]
    with pytest.raises(Refused) as caught:
        intake.load(con, sheet(tmp_path / "bad.xlsx", overlapping), intake.Actor(None), kind="incidents")
    assert "#MX-MEX-20260401" in caught.value.problems[0].message_en  # against the stored incident
    assert len(incidents_of(con)) == 1
    assert con.execute("SELECT count(*) FROM submission").fetchall()[0][0] == 1


def test_a_file_upserts_by_mission_and_start_date_and_rollback_restores(con, tmp_path: Path) -> None:
    intake.load(con, sheet(tmp_path / "v1.xlsx", TUNIS, MEXICO), intake.Actor(None), kind="incidents")
    closed = ["MX-MEX", "관세", "2026-04-01", "2026-08-31", "관세 인상 철회", None, "종료", "park"]
    result = intake.load(con, sheet(tmp_path / "v2.xlsx", closed), intake.Actor("park"), kind="incidents")
    assert (result.added, result.updated, result.unchanged) == (0, 1, 0)
    df = incidents_of(con).set_index("incident_id")
    assert len(df) == 2  # Tunis, not in the second file, stays
    assert df.loc["MX-MEX-20260401", "status"] == "closed"
    assert df.loc["MX-MEX-20260401", "recorded_by"] == "park"
    rollback(con, result.submission_id, by="admin")
    df = incidents_of(con).set_index("incident_id")
    assert df.loc["MX-MEX-20260401", "status"] == "open"
    assert pd.isna(df.loc["MX-MEX-20260401", "ended_on"])


def test_app_edits_are_validated_recorded_and_delete(con, tmp_path: Path) -> None:
    intake.load(con, sheet(tmp_path / "v1.xlsx", TUNIS, MEXICO), intake.Actor("lee"), kind="incidents")
    edited = pd.DataFrame(
        {
            "mission_code": ["MX-MEX", "KE-NBO"],
            "type_code": ["trade_measure", "disaster"],
            "started_on": [date(2026, 4, 1), date(2026, 5, 2)],
            "ended_on": [None, None],
            "description": ["관세 인상 (2차)", "홍수"],
            "situation": [None, "나이로비 침수"],
            "status": ["monitoring", "open"],
        }
    )
    result = save_edits(con, edited, by="admin@mss.go.kr")
    assert (result.added, result.updated, result.deleted) == (1, 1, 1)  # Tunis was dropped
    df = incidents_of(con).set_index("incident_id")
    assert sorted(df.index) == ["KE-NBO-20260502", "MX-MEX-20260401"]
    assert df.loc["MX-MEX-20260401", "status"] == "monitoring"
    assert set(df["recorded_by"]) == {"admin@mss.go.kr"}
    audit = con.execute("SELECT actor, action, detail FROM audit_log").fetchall()
    assert audit == [("admin@mss.go.kr", "incidents", "added 1, updated 1, deleted 1")]
    assert save_edits(con, edited, by="admin@mss.go.kr").submission_id is None  # nothing changed

    edited.loc[1, "ended_on"] = date(2026, 4, 1)
    with pytest.raises(Refused) as caught:
        save_edits(con, edited, by="admin@mss.go.kr")
    assert [p.where for p in caught.value.problems] == ["화면 편집!D2"]


def test_figures_tie_to_the_incident_open_in_their_quarter(con, tmp_path: Path) -> None:
    early = ["TR-IST", "시위", "2025-01-01", "2025-02-10", "시위", None, "종료", None]  # 41 days of Q1
    late = ["TR-IST", "지진", "2025-03-01", "2025-06-30", "지진", None, "종료", None]  # 31 days of Q1
    intake.load(con, sheet(tmp_path / "inc.xlsx", early, late), intake.Actor(None), kind="incidents")
    figures = [
        (2025, 1, "affected_firms", 4),
        (2025, 2, "relief_cases", 3),
        (2025, 3, "affected_firms", 1),  # after both: no incident
        (2025, 1, "export_value", 99),  # not an emergency figure
    ]
    add_figures(con, [(y, q, "mofa", "TR-IST", "green", "emb_collab", m, v) for y, q, m, v in figures])
    rows = con.execute(
        "SELECT year, quarter, metric_code, incident_id FROM incident_results ORDER BY year, quarter"
    ).fetchall()
    assert rows == [
        (2025, 1, "affected_firms", "TR-IST-20250101"),
        (2025, 2, "relief_cases", "TR-IST-20250301"),
        (2025, 3, "affected_firms", None),
    ]


def test_figures_reported_after_an_ongoing_incidents_end_date_are_its_own(con, tmp_path: Path) -> None:
    """Monitoring: the acute phase ended, relief goes on; what the mission reports later is that
    incident's, until one closed is said to be over or a later incident's dates cover the quarter."""
    monitoring = ["TR-IST", "지진", "2025-01-05", "2025-03-20", "지진", None, "모니터링", None]
    closed = ["VN-HAN", "시위", "2025-01-05", "2025-02-10", "시위", None, "종료", None]
    intake.load(con, sheet(tmp_path / "inc.xlsx", monitoring, closed), intake.Actor(None), kind="incidents")
    figures = [
        ("TR-IST", 2025, 1, "affected_firms", 4),
        ("TR-IST", 2025, 3, "relief_cases", 3),  # after the end date, still monitoring
        ("VN-HAN", 2025, 3, "relief_cases", 2),  # after a closed incident: none
    ]
    add_figures(con, [(y, q, "mofa", m, "green", "emb_collab", k, v) for m, y, q, k, v in figures])
    rows = con.execute(
        "SELECT mission_code, year, quarter, incident_id FROM incident_results ORDER BY mission_code, quarter"
    ).fetchall()
    assert rows == [
        ("TR-IST", 2025, 1, "TR-IST-20250105"),
        ("TR-IST", 2025, 3, "TR-IST-20250105"),
        ("VN-HAN", 2025, 3, None),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-10", date(2025, 1, 10)),
        ("2025-01-10 00:00:00", date(2025, 1, 10)),
        ("2025.1.10", date(2025, 1, 10)),
        ("2025. 1. 10.", date(2025, 1, 10)),
        ("2025/01/10", date(2025, 1, 10)),
        ("2025년 1월 10일", date(2025, 1, 10)),
        ("２０２５-０１-１０", date(2025, 1, 10)),
        ("45667", date(2025, 1, 10)),
        ("2025-02-30", None),
        ("1월 10일", None),
        ("", None),
    ],
)
def test_dates_as_analysts_write_them(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_cli_loads_and_refuses(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = str(tmp_path / "w.duckdb")
    assert main(["incidents", str(sheet(tmp_path / "ok.xlsx", TUNIS)), "--db", db]) == 0
    assert "추가 1건" in capsys.readouterr().out
    bad = ["Atlantis", "재난", "2025-03-01", None, "홍수", None, "진행 중", None]
    assert main(["incidents", str(sheet(tmp_path / "bad.xlsx", bad)), "--db", db]) == 1
    assert "unknown mission 'Atlantis'" in capsys.readouterr().err


# --- contradictory records and the one rule for an incident's state (#25 item 4) ----------------------


def _warehouse_state(con) -> tuple:
    return (
        con.execute("SELECT * FROM incident ORDER BY version_id").fetchall(),
        con.execute("SELECT submission_id, kind, status FROM submission ORDER BY submission_id").fetchall(),
    )


@pytest.mark.parametrize(
    ("row", "where", "message"),
    [
        (
            ["MX-MEX", "관세", "2026-04-01", None, "관세 인상 철회", None, "종료", None],
            "긴급상황!D4",
            "a closed incident needs an end date",
        ),
        (
            ["MX-MEX", "관세", "2026-04-01", "2026-03-31", "관세 인상", None, "모니터링", None],
            "긴급상황!D4",
            "end date 2026-03-31 is before the start date 2026-04-01",
        ),
        (
            ["MX-MEX", "관세", "2026-04-01", "2026-03-31", "관세 인상 철회", None, "closed", None],
            "긴급상황!D4",
            "end date 2026-03-31 is before the start date 2026-04-01",
        ),
    ],
)
def test_a_contradictory_record_is_refused_and_the_warehouse_is_unchanged(
    con, tmp_path: Path, capsys: pytest.CaptureFixture, row: list, where: str, message: str
) -> None:
    intake.load(con, sheet(tmp_path / "ok.xlsx", TUNIS, MEXICO), intake.Actor(None), kind="incidents")
    before = _warehouse_state(con)
    path = sheet(tmp_path / "bad.xlsx", row)
    with pytest.raises(Refused) as caught:
        intake.load(con, path, intake.Actor(None), kind="incidents")
    assert [(p.where, p.message_en) for p in caught.value.problems] == [(where, message)]
    assert _warehouse_state(con) == before
    # the same through the command line, on a warehouse file of its own
    db = str(tmp_path / "w.duckdb")
    assert main(["incidents", str(sheet(tmp_path / "ok2.xlsx", MEXICO)), "--db", db]) == 0
    capsys.readouterr()
    assert main(["incidents", str(path), "--db", db]) == 1
    assert message in capsys.readouterr().err
    from warehouse.connection import connection

    with connection(db, read_only=True) as other:
        df = incidents_of(other)
    assert df["status"].tolist() == ["open"] and pd.isna(df["ended_on"].iloc[0])


def test_an_app_edit_closing_an_incident_without_an_end_date_is_refused(con, tmp_path: Path) -> None:
    intake.load(con, sheet(tmp_path / "v1.xlsx", MEXICO), intake.Actor(None), kind="incidents")
    before = _warehouse_state(con)
    edited = current_incidents_table(con)
    edited.loc[0, "status"] = "closed"
    with pytest.raises(Refused) as caught:
        save_edits(con, edited, by="admin")
    assert [(p.where, p.message_en) for p in caught.value.problems] == [
        ("화면 편집!D1", "a closed incident needs an end date")
    ]
    assert _warehouse_state(con) == before


def current_incidents_table(con) -> pd.DataFrame:
    from etl.registers.incidents import EDIT_COLUMNS, current_incidents

    return current_incidents(con)[list(EDIT_COLUMNS)].copy()


def test_the_view_says_each_incidents_state_by_its_status_whatever_its_end_date(con, tmp_path: Path) -> None:
    """is_active (ongoing) = open or monitoring; is_closed = closed. The end date never decides."""
    rows = [
        TUNIS,  # closed, with its end date
        ["TR-IST", "지진", "2025-11-06", "2026-03-20", "지진", None, "모니터링", None],
        ["EG-CAI", "기타", "2025-05-01", "2025-05-03", "정전", None, "진행 중", None],
        MEXICO,
    ]
    intake.load(con, sheet(tmp_path / "inc.xlsx", *rows), intake.Actor(None), kind="incidents")
    df = con.execute("SELECT mission_code, status, is_active, is_closed FROM incidents").df()
    state = {r.mission_code: (r.status, bool(r.is_active), bool(r.is_closed)) for r in df.itertuples()}
    assert state == {
        "TN-TUN": ("closed", False, True),
        "TR-IST": ("monitoring", True, False),
        "EG-CAI": ("open", True, False),
        "MX-MEX": ("open", True, False),
    }
    # the status list agrees with the rule
    listed = dict(con.execute("SELECT status_code, is_active FROM incident_statuses").fetchall())
    assert listed == {"open": True, "monitoring": True, "closed": False}


def test_the_demo_incidents_pass_the_registers_checks(tmp_path: Path) -> None:
    from etl.demo.build import DEMO_INCIDENTS, write_incidents

    incidents = read_incidents(write_incidents(tmp_path / "demo.xlsx"), "demo.xlsx")
    assert len(incidents) == len(DEMO_INCIDENTS) == 3
    for i in incidents:
        assert i.ended_on is None or i.ended_on >= i.started_on
        assert i.status != "closed" or i.ended_on is not None


def test_an_incident_open_since_year_one_or_ending_in_9999_is_refused_naming_the_cell(tmp_path: Path) -> None:
    rows = [
        ["TN-TUN", "시위", "0001-01-01", None, "시위", None, "진행 중", None],
        ["EG-CAI", "기타", "2025-05-01", "9999-12-31", "정전", None, "종료", None],
    ]
    problems = dict(refusal(sheet(tmp_path / "far.xlsx", *rows)))
    assert "outside" in problems["긴급상황!C4"] and "outside" in problems["긴급상황!D5"], problems


def test_a_recorder_is_who_loaded_the_file_and_the_files_recorder_column_is_a_warning(
    con, tmp_path: Path
) -> None:
    admin = [*TUNIS[:7], "kim@mss.go.kr (관리자, admin)"]
    long_name = [*MEXICO[:7], "가" * 32767]
    result = intake.load(
        con, sheet(tmp_path / "inc.xlsx", admin, long_name), intake.Actor("test-user"), kind="incidents"
    )
    assert incidents_of(con)["recorded_by"].tolist() == ["test-user", "test-user"]
    assert [(w.where, w.message_ko, w.severity) for w in result.warnings] == [
        ("긴급상황!H", "기록자 열은 무시합니다: 적재한 사람이 기록자로 기록됩니다.", "warning")
    ]
