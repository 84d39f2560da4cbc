"""The reporting cycle on the command line (`python -m etl close|reopen|quarters|meetings`), and an
older warehouse adopting the cycle when it is opened."""

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from etl import intake
from etl.cli.main import main, operator
from tests.support.prepared import copy_of
from tests.support.upload import PROGRAM, ROOT, filled_return, seed_warehouse
from tests.support.xlsx import meetings_file
from warehouse.connection import connection
from warehouse.cycle import AUTO_CLOSER

HANGUL = re.compile(r"[가-힣]")
OPERATOR = operator()  # os:NAME, the account the operating system runs the tests as


def _two_quarters(path: Path) -> None:
    seed_warehouse(path, path.parent)
    q2 = path.parent / "mofa_2026q2.xlsx"
    filled_return(
        q2, [["주베트남 대사관", "K-뷰티", PROGRAM, 12, 40, 3, 250.5]], year=2026, quarter=2, agency="mofa"
    )
    with connection(path) as con:
        intake.load(con, q2, intake.Actor("seed"))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """mofa's returns for 2026 Q1 (the seed) and Q2: both ended and open, nothing closed (a copy of
    the warehouse `_two_quarters` builds once, tests/support/prepared.py)."""
    return copy_of("cycle_cli", _two_quarters, tmp_path / "warehouse.duckdb")


def cli(capsys, db: Path, *args: str) -> tuple[int, str, str]:
    status = main([*args, "--db", str(db)])
    out = capsys.readouterr()
    return status, out.out, out.err


def cycle_state(db: Path) -> tuple:
    with connection(db, read_only=True) as con:
        return (
            con.execute("SELECT * FROM quarter_close ORDER BY ALL").fetchall(),
            con.execute("SELECT * FROM quarter_event ORDER BY ALL").fetchall(),
            con.execute("SELECT * FROM meeting ORDER BY ALL").fetchall(),
        )


def test_quarters_close_and_reopen(capsys, db):
    status, out, _ = cli(capsys, db, "quarters")
    assert status == 0
    assert out.splitlines() == [
        "2026년 1분기  접수 중 / open  공관 1 · 기관 1",
        "2026년 2분기  접수 중 / open  공관 1 · 기관 1",
        "분기 2개 / 2 quarter(s)",
    ]
    status, out, err = cli(capsys, db, "close", "2026", "1")
    assert (status, err) == (0, "")
    assert out.startswith("2026년 1분기 마감 — 공관 1곳, 기관 1곳 제출")
    closed, events, _ = cycle_state(db)
    assert [(c[0], c[1], c[3], c[4], c[5]) for c in closed] == [(2026, 1, OPERATOR, 1, 1)]
    assert [(e[1], e[2], e[3], e[5]) for e in events] == [(2026, 1, "close", OPERATOR)]
    status, out, _ = cli(capsys, db, "quarters")
    assert out.splitlines()[0].startswith("2026년 1분기  마감 / closed  공관 1 · 기관 1 · ")
    assert out.splitlines()[0].endswith(OPERATOR)

    status, out, err = cli(capsys, db, "reopen", "2026", "1")
    assert (status, err) == (0, "")
    assert out.startswith("2026년 1분기를 다시 열었습니다")
    closed, events, _ = cycle_state(db)
    assert closed == [] and [e[3] for e in events] == ["close", "reopen"]


REFUSALS = [
    # (what was closed first, the command, the start of its one Korean line)
    ((), ("close", "2099", "1"), "2099년 1분기는 아직 끝나지 않았습니다(2099-03-31 종료)"),
    ((), ("close", "2025", "4"), "2025년 4분기에는 접수된 실적이 없어 마감할 수 없습니다"),
    (((2026, 1),), ("close", "2026", "1"), "2026년 1분기는 이미 마감되었습니다"),
    ((), ("close", "2026", "2"), "앞선 2026년 1분기가 아직 마감되지 않았습니다"),
    ((), ("reopen", "2026", "2"), "2026년 2분기는 마감되지 않은(접수 중인) 분기입니다"),
    (
        ((2026, 1), (2026, 2)),
        ("reopen", "2026", "1"),
        "뒤의 2026년 2분기가 마감되어 있어 2026년 1분기를 다시 열 수 없습니다",
    ),
    ((), ("close", "2026", "5"), "2026년 5분기는 올바른 분기가 아닙니다"),
]


@pytest.mark.parametrize(
    ("closed", "command", "message"),
    REFUSALS,
    ids=lambda v: "-".join(map(str, v)) if isinstance(v, tuple) else None,
)
def test_every_refusal_is_one_korean_line_and_changes_nothing(capsys, db, closed, command, message):
    for year, quarter in closed:
        assert cli(capsys, db, "close", str(year), str(quarter))[0] == 0
    before = cycle_state(db)
    status, out, err = cli(capsys, db, *command)
    assert status == 1
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), err
    assert HANGUL.search(lines[0])
    assert cycle_state(db) == before


def test_meetings_are_added_then_updated_from_a_register(capsys, db, tmp_path):
    first = meetings_file(
        tmp_path / "meetings.xlsx",
        [
            [1, "2024-12-12", "제1차 정책협의회", None, "2024 Q3", None],
            [2, "2025-12-19", "제2차", None, "2025년 3분기", None],
        ],
    )
    status, out, err = cli(capsys, db, "meetings", str(first))
    assert (status, err) == (0, "")
    assert (
        out.strip()
        == "meetings.xlsx: 회의 2건 추가, 0건 수정, 0건 변경 없음 / meetings added 2, updated 0, unchanged 0"
    )
    again = meetings_file(
        tmp_path / "again.xlsx", [[2, "2025-12-19", "제2차 정책협의회", "2nd council", "2025 Q3", None]]
    )
    status, out, _ = cli(capsys, db, "meetings", str(again))
    assert status == 0 and "회의 0건 추가, 1건 수정" in out
    with connection(db, read_only=True) as con:
        assert con.execute("SELECT meeting_no, title_ko, updated_by FROM meeting ORDER BY 1").fetchall() == [
            (1, "제1차 정책협의회", OPERATOR),
            (2, "제2차 정책협의회", OPERATOR),
        ]


def test_a_bad_register_or_a_missing_file_is_refused_and_changes_nothing(capsys, db, tmp_path):
    bad = meetings_file(tmp_path / "bad.xlsx", [[3, "2026-06-01", "제3차", None, "2026 Q3", None]])
    before = cycle_state(db)
    status, out, err = cli(capsys, db, "meetings", str(bad))
    assert (status, out) == (1, "")
    assert err.splitlines()[0] == "bad.xlsx: 적재 거부 — 문제 1건 / refused, 1 problem(s)"
    assert "Sheet!E2" in err and "끝나지 않은 분기" in err
    status, out, err = cli(capsys, db, "meetings", str(tmp_path / "nowhere.xlsx"))
    assert status == 1 and len(err.splitlines()) == 1 and "파일이 없습니다" in err
    assert cycle_state(db) == before


@pytest.mark.process
def test_the_module_entry_point_closes_a_quarter(db):
    done = subprocess.run(
        [sys.executable, "-m", "etl", "close", "2026", "1", "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "2026년 1분기 마감" in done.stdout
    refused = subprocess.run(
        [sys.executable, "-m", "etl", "close", "2026", "1", "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 1 and refused.stderr.strip().startswith("2026년 1분기는 이미 마감되었습니다")


def test_an_older_warehouse_closes_every_quarter_whose_deadline_passed(db):
    from tests.support.pages import add_figure

    future = date.today().year + 1  # a quarter still within its deadline, whatever day the test runs
    add_figure(db, "mss", "VN-HAN", "kbeauty", future, 1, "firms_supported", 3)
    with connection(db) as con:  # as a warehouse built before the reporting cycle
        con.execute("DELETE FROM meta WHERE key = 'cycle'")
        con.execute("DELETE FROM quarter_close")
        con.execute("DELETE FROM quarter_event")
    with connection(db) as con:  # opened again: the schema step adopts the cycle, once
        closed = con.execute("SELECT year, quarter, closed_by FROM quarter_close ORDER BY 1, 2").fetchall()
        events = con.execute(
            "SELECT year, quarter, action, acted_by, missions_reported FROM quarter_event ORDER BY 1, 2"
        ).fetchall()
        states = con.execute("SELECT year, quarter, state FROM quarters ORDER BY 1, 2").fetchall()
        mark = con.execute("SELECT value FROM meta WHERE key = 'cycle'").fetchall()
    assert closed == [(2026, 1, AUTO_CLOSER), (2026, 2, AUTO_CLOSER)]
    assert events == [(2026, 1, "auto_close", AUTO_CLOSER, 1), (2026, 2, "auto_close", AUTO_CLOSER, 1)]
    assert states[-1] == (future, 1, "open")
    assert mark == [("adopted",)]
    with connection(db) as con:  # and only once: a reopen is not undone by the next open
        con.execute("DELETE FROM quarter_close WHERE year = 2026 AND quarter = 2")
    with connection(db) as con:
        assert con.execute("SELECT count(*) FROM quarter_close").fetchall()[0][0] == 1


def test_quarters_lists_nothing_on_an_empty_warehouse(capsys, tmp_path):
    db = tmp_path / "empty.duckdb"
    with connection(db):
        pass
    status, out, _ = cli(capsys, db, "quarters")
    assert status == 0 and out.strip() == "분기 0개 / 0 quarter(s)"


def test_the_command_line_records_the_os_account_not_logname_and_audits_every_change(
    capsys, db, tmp_path, monkeypatch
):
    """close, reopen, rollback, load and the registers: the operator is the account the operating system
    reports, marked `os:`, whatever LOGNAME says; each writes an audit line."""
    import os
    import pwd

    me = f"os:{pwd.getpwuid(os.geteuid()).pw_name}"
    monkeypatch.setenv("LOGNAME", "kim@mss.go.kr\x1b[2J")
    monkeypatch.setenv("USER", "kim@mss.go.kr")
    assert cli(capsys, db, "close", "2026", "1")[0] == 0
    assert cli(capsys, db, "reopen", "2026", "1")[0] == 0
    assert cli(capsys, db, "rollback", "2")[0] == 0
    q3 = tmp_path / "mofa_2026q3.xlsx"
    filled_return(
        q3, [["주베트남 대사관", "K-뷰티", PROGRAM, 7, 40, 3, 250.5]], year=2026, quarter=3, agency="mofa"
    )
    assert cli(capsys, db, "load", str(q3))[0] == 0
    meetings = meetings_file(
        tmp_path / "m.xlsx", [[1, "2024-12-12", "제1차 정책협의회", None, "2024 Q3", None]]
    )
    assert cli(capsys, db, "meetings", str(meetings))[0] == 0
    with connection(db, read_only=True) as con:
        assert con.execute(
            "SELECT DISTINCT acted_by FROM quarter_event WHERE action <> 'auto_close'"
        ).fetchall() == [(me,)]
        assert con.execute("SELECT rolled_back_by FROM submission WHERE submission_id = 2").fetchall() == [
            (me,)
        ]
        assert con.execute("SELECT loaded_by FROM submission WHERE file_name = ?", [q3.name]).fetchall() == [
            (me,)
        ]
        audit = con.execute(
            "SELECT actor, role, action, subject FROM audit_log WHERE actor <> 'seed' ORDER BY audit_id"
        ).fetchall()
    assert [(a[0], a[1], a[2]) for a in audit] == [
        (me, "cli", "close_quarter"),
        (me, "cli", "reopen_quarter"),
        (me, "cli", "rollback"),
        (me, "cli", "commit"),
        (me, "cli", "meeting"),
    ]
    assert [a[3] for a in audit[:4]] == ["2026Q1", "2026Q1", "#2", q3.name]


def test_quarters_shows_a_stored_escape_sequence_escaped(capsys, db):
    with connection(db) as con:
        con.execute(
            "INSERT INTO quarter_close VALUES (2026, 1, TIMESTAMP '2026-05-01 09:00', ?, 1, 1)",
            ["evil\x1b[2J\u202e"],
        )
    status, out, _ = cli(capsys, db, "quarters")
    assert status == 0
    assert "\x1b" not in out and "\u202e" not in out
    assert "evil\\x1b[2J\\u202e" in out


def test_a_meeting_on_9999_12_31_or_reviewing_9999_q4_is_refused_naming_the_cell(capsys, db, tmp_path):
    before = cycle_state(db)
    far = meetings_file(
        tmp_path / "far.xlsx",
        [
            [1, "9999-12-31", "제1차 정책협의회", None, "2024 Q3", None],
            [2, "2025-12-19", "제2차", None, "9999 Q4", None],
        ],
    )
    status, out, err = cli(capsys, db, "meetings", str(far))
    assert status == 1 and out == ""
    assert "B2" in err and "E3" in err and "기간" in err, err
    assert cycle_state(db) == before
