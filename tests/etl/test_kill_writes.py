"""kill -9 during every cycle and register write, and writes racing each other (#26 item 12).

A real `python -m etl` process (its main(), with warehouse.transaction.transaction wrapped so that
it stops at a named point and says so through a file) is killed with SIGKILL inside the transaction
(every statement run, COMMIT not yet) and just after COMMIT. Reopened, the warehouse holds exactly
what it held before, or the whole write: never a change without its event, submission or audit line.
Then two administrators closing and reopening the same quarter at once, and a return committed while
its quarter is being closed, as separate processes: each ends in a state its events explain.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.state import snapshot
from tests.support.xlsx import meetings_file, workbook, write_xlsx
from warehouse.connection import connection
from warehouse.cycle import reopen_quarter

pytestmark = pytest.mark.process

ROOT = Path(__file__).resolve().parents[2]
WAIT = 120.0  # the longest a condition below is polled for on a busy machine

# `python -c WORKER STOP READY args…`: etl's command line, halted at STOP ("inside" or "committed")
# until killed (or sent SIGUSR1 to go on); STOP "none" never halts
WORKER = """
import signal, sys
from contextlib import contextmanager
import warehouse.transaction as wt

stop, ready, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
real = wt.transaction

def halt(point):
    if point == stop:
        signal.signal(signal.SIGUSR1, lambda *_: None)  # SIGUSR1: go on; SIGKILL: the end
        open(ready, "w").write(point)
        signal.pause()

@contextmanager
def marked(con):
    with real(con):
        yield
        halt("inside")
    halt("committed")

wt.transaction = marked  # before etl is imported: every `from warehouse.transaction import` gets it
if argv[0] == "app-targets":  # the 목표 관리 page's save, as the page calls it (DASHBOARD_DB)
    from ui.roles import Identity
    from ui.targets_helpers import save

    save(open(argv[1], "rb").read(), "edited.xlsx", Identity("admin@mss.test", "admin", "local"), 0)
    sys.exit(0)
if argv[0] == "app-note":  # a progress note written on the 후속 조치 page
    from etl.registers.followup import Editor, add_action_note
    from warehouse.connection import connection

    with connection(argv[-1]) as con:
        add_action_note(con, Editor("admin@mss.test"), 1, "2026-11-30", "진행 메모")
    sys.exit(0)
from etl.cli.main import main
sys.exit(main(argv))
"""


def until(condition, what: str, proc: subprocess.Popen | None = None):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if found := condition():
            return found
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the writer ended ({proc.returncode}) before {what}: {proc.stderr.read().decode()}")
        time.sleep(0.05)  # a poll interval
    pytest.fail(f"not within {WAIT:.0f} s: {what}")


def _files(where: Path, db: Path) -> dict[str, list[str]]:
    """One real register file of each kind, for the demo warehouse."""
    with connection(db, read_only=True) as con:
        target = con.execute(
            "SELECT metric_code, sector_code, mission_code, agency_code FROM targets WHERE year = 2026 "
            "ORDER BY ALL LIMIT 1"
        ).fetchall()[0]
        targets = con.execute(
            "SELECT year, metric_code, sector_code, mission_code, agency_code, value FROM targets "
            "WHERE year = 2026 ORDER BY ALL"
        ).fetchall()
    head = ["연도", "지표", "분야", "공관", "주관기관", "목표"]
    changed = [[*t[:5], t[5] + 1] for t in targets]
    explain = ["연도", "분기", "지표", "분야", "공관", "기관", "원인", "대책", "회복 예상 분기"]
    action = ["번호", "회의", "내용", "내용(영문)", "담당 기관", "공관", "분야", "지표", "기한", "상태"]
    incident = ["공관", "유형", "시작일", "종료일", "개요", "공관 상황 메모", "상태", "기록자"]
    return {
        "targets": ["targets", str(workbook(where / "t.xlsx", {"목표": [head, *changed]}))],
        "meetings": [
            "meetings",
            str(
                meetings_file(
                    where / "m.xlsx", [[4, "2027-03-20", "제4차 정책협의회", None, "2026년 4분기", None]]
                )
            ),
        ],
        "incidents": [
            "incidents",
            str(
                write_xlsx(
                    where / "i.xlsx",
                    [
                        incident,
                        ["주헝가리 대사관", "관세", "2026-04-01", None, "관세 인상", None, "진행 중", None],
                    ],
                    sheet="긴급상황",
                )
            ),
        ],
        "explanations": [
            "explanations",
            str(
                workbook(
                    where / "e.xlsx",
                    {"사유": [explain, [2026, 3, *target, "원인", "대책", "2026년 4분기"]]},
                )
            ),
        ],
        "actions and notes": [
            "actions",
            str(
                workbook(
                    where / "a.xlsx",
                    {
                        "후속 조치": [
                            action,
                            [None, 2, "새 조치", None, "중기부", None, None, None, "2026-12-31", "예정"],
                        ],
                        "진행 메모": [
                            ["번호", "날짜", "내용", "작성자"],
                            [1, "2026-11-30", "진행 메모", None],
                        ],
                    },
                )
            ),
        ],
    }


@pytest.fixture(scope="module")
def base(demo_db, tmp_path_factory) -> tuple[Path, dict[str, list[str]]]:
    where = tmp_path_factory.mktemp("writes")
    return demo_db, _files(where, demo_db)


def _writer(db: Path, stop: str, ready: Path, args: list[str]) -> subprocess.Popen:
    command = [sys.executable, "-c", WORKER, stop, str(ready), *args, "--db", str(db)]
    env = {**os.environ, "DASHBOARD_DB": str(db)}
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


WRITES = [
    "close",
    "reopen",
    "targets",
    "app-targets",
    "meetings",
    "incidents",
    "explanations",
    "actions and notes",
    "app-note",
]


@pytest.mark.parametrize("stop", ["inside", "committed"])
@pytest.mark.parametrize("write", WRITES)
def test_kill_9_during_a_write_leaves_all_of_it_or_none(base, tmp_path, write, stop) -> None:
    demo, files = base
    db = Path(shutil.copy(demo, tmp_path / "w.duckdb"))
    if write == "close":
        with connection(db) as con:
            reopen_quarter(con, 2026, 3, by="setup")
    args = {"close": ["close", "2026", "3"], "reopen": ["reopen", "2026", "3"]}.get(write) or files.get(write)
    if write == "app-targets":
        args = ["app-targets", files["targets"][1]]
    if write == "app-note":
        args = ["app-note"]
    if write == "targets":
        args = [*args, "--replace"]
    before = snapshot(db)
    ready = tmp_path / "ready"
    proc = _writer(db, stop, ready, args)
    try:
        until(ready.exists, f"the {write} reached {stop}", proc)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    after = snapshot(db)
    if stop == "inside":
        assert after == before
        return
    changed = {t for t in after if after[t] != before.get(t)}
    assert changed, f"the committed {write} is kept"
    assert "audit_log" in changed, changed  # its audit line with it
    _state_and_events_agree(db)


def _state_and_events_agree(db: Path) -> None:
    """Each quarter is closed exactly when its last close/reopen event is a close."""
    with connection(db, read_only=True) as con:
        closed = set(con.execute("SELECT year, quarter FROM quarter_close").fetchall())
        last = con.execute(
            "SELECT year, quarter, arg_max(action, event_id) FROM quarter_event GROUP BY ALL"
        ).fetchall()
    by_events = {(y, q) for y, q, action in last if action in ("close", "auto_close")}
    assert closed == by_events


# --- writes racing each other -------------------------------------------------------------------------


def _race(db: Path, tmp_path: Path, first: list[str], second: list[str]) -> tuple[subprocess.Popen, ...]:
    """`first` is held inside its transaction (it has the file) while `second` starts, then let go: the
    second runs after the first's COMMIT, whatever the machine's timing."""
    ready = tmp_path / "first-ready"
    one = _writer(db, "inside", ready, first)
    until(ready.exists, "the first write holds its transaction", one)
    two = _writer(db, "none", tmp_path / "never", [*second, "--wait", str(WAIT)])
    one.send_signal(signal.SIGUSR1)
    for proc in (one, two):
        proc.wait(timeout=WAIT)
    return one, two


def test_two_administrators_close_the_same_quarter_at_once(base, tmp_path) -> None:
    db = Path(shutil.copy(base[0], tmp_path / "w.duckdb"))
    with connection(db) as con:
        reopen_quarter(con, 2026, 3, by="setup")
    one, two = _race(db, tmp_path, ["close", "2026", "3"], ["close", "2026", "3"])
    assert (one.returncode, two.returncode) == (0, 1)
    assert "이미 마감되었습니다" in two.stderr.read().decode()
    _state_and_events_agree(db)
    with connection(db, read_only=True) as con:
        closes = con.execute(
            "SELECT count(*) FROM quarter_event WHERE year = 2026 AND quarter = 3 AND action = 'close' "
            "AND event_id > (SELECT max(event_id) FROM quarter_event WHERE acted_by = 'setup')"
        ).fetchall()[0][0]
    assert closes == 1


def test_a_close_and_a_reopen_of_the_same_quarter_at_once(base, tmp_path) -> None:
    db = Path(shutil.copy(base[0], tmp_path / "w.duckdb"))
    with connection(db) as con:
        reopen_quarter(con, 2026, 3, by="setup")
    one, two = _race(db, tmp_path, ["close", "2026", "3"], ["reopen", "2026", "3"])
    assert (one.returncode, two.returncode) == (0, 0)  # closed, then reopened: open again
    _state_and_events_agree(db)
    with connection(db, read_only=True) as con:
        assert con.execute("SELECT state FROM quarters WHERE year = 2026 AND quarter = 3").fetchall() == [
            ("open",)
        ]


def test_a_return_committed_while_its_quarter_is_being_closed_is_a_restatement(base, tmp_path) -> None:
    from tests.support.upload import PROGRAM, filled_return

    db = Path(shutil.copy(base[0], tmp_path / "w.duckdb"))
    with connection(db) as con:
        reopen_quarter(con, 2026, 3, by="setup")
        reported = con.execute(
            "SELECT missions_reported, agencies_reported FROM quarter_reporting WHERE year = 2026 AND quarter = 3"
        ).fetchall()[0]
    late = tmp_path / "late.xlsx"
    filled_return(
        late, [["주헝가리 대사관", "K-뷰티", PROGRAM, 3, 4, 1, 10.0]], year=2026, quarter=3, agency="mofa"
    )
    one, two = _race(db, tmp_path, ["close", "2026", "3"], ["load", str(late)])
    assert (one.returncode, two.returncode) == (0, 0), two.stderr.read().decode()
    _state_and_events_agree(db)
    with connection(db, read_only=True) as con:
        closed = con.execute(
            "SELECT missions_reported, agencies_reported FROM quarter_close WHERE year = 2026 AND quarter = 3"
        ).fetchall()[0]
        restates = con.execute("SELECT restates FROM submission WHERE file_name = 'late.xlsx'").fetchall()
    assert closed == reported  # the close counted what had arrived when it was made
    assert restates == [("2026Q3",)]  # the return after it is flagged as a restatement (정정)
