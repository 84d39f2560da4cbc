"""The CLI holds the warehouse only for its commits, reads history read-only, and a lock that outlasts
its wait ends the command with one Korean line and exit status 75, never a traceback."""

import subprocess
import sys
from pathlib import Path

import pytest

import etl.cli.main
import etl.intake
from etl.cli.main import BUSY, main
from tests.support.upload import PROGRAM, ROOT, filled_return, seed_warehouse
from warehouse.connection import connection

pytestmark = pytest.mark.process

# Holds the warehouse read-write (as a long commit would) until its stdin closes.
HOLD = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
print("held", flush=True)
sys.stdin.read()
con.close()
"""
# Writes to the warehouse at once or fails: another writer's commit while the CLI reads a file.
WRITE_NOW = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("CREATE TABLE IF NOT EXISTS written_meanwhile (n INTEGER)")
con.execute("INSERT INTO written_meanwhile VALUES (1)")
con.close()
"""


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "etl", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    seed_warehouse(path, tmp_path)
    return path


def a_return(tmp_path: Path, name: str = "q2.xlsx", firms: int = 12) -> Path:
    path = tmp_path / name
    filled_return(
        path,
        [["주베트남 대사관", "K-뷰티", PROGRAM, firms, 40, 3, 250.5]],
        year=2026,
        quarter=2,
        agency="mofa",
    )
    return path


def a_meetings_file(tmp_path: Path) -> Path:
    from tests.support.xlsx import meetings_file

    return meetings_file(
        tmp_path / "meetings.xlsx", [[1, "2024-12-12", "제1차 정책협의회", None, "2024 Q3", None]]
    )


@pytest.fixture
def held(db: Path):
    """Another process holding the warehouse read-write for as long as the test runs."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    yield db
    holder.communicate(timeout=60)


def test_files_are_read_and_checked_without_the_warehouse_open(db, tmp_path, monkeypatch):
    """While each file is read, another process can write the warehouse (before, `load` held it)."""
    meanwhile = []
    real_prepare = etl.intake.prepare

    def prepare_while_someone_writes(path, defaults, **kwargs):
        done = subprocess.run([sys.executable, "-c", WRITE_NOW, str(db)], capture_output=True, text=True)
        meanwhile.append(done.returncode)
        return real_prepare(path, defaults, **kwargs)

    # one intake: the command line loads through etl.intake, as the app and the demo do
    monkeypatch.setattr(etl.intake, "prepare", prepare_while_someone_writes)
    first, second = a_return(tmp_path, "a.xlsx", 12), a_return(tmp_path, "b.xlsx", 13)
    assert main(["load", str(first), str(second), "--db", str(db)]) == 0
    assert meanwhile == [0, 0]
    with connection(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM written_meanwhile").fetchall()[0][0] == 2
        assert con.execute("SELECT count(*) FROM submission").fetchall()[0][0] == 3


def test_the_same_file_again_is_not_read_again(db, tmp_path, monkeypatch, capsys):
    path = a_return(tmp_path)
    assert main(["load", str(path), "--db", str(db)]) == 0
    monkeypatch.setattr(etl.intake, "prepare", lambda *a, **k: pytest.fail("read again"))
    assert main(["load", str(path), "--db", str(db)]) == 0
    assert "이미 적재된 파일입니다(제출 #2)" in capsys.readouterr().out


def test_history_opens_the_warehouse_read_only(db):
    before = db.read_bytes()
    db.chmod(0o444)
    try:
        done = run("history", "--db", str(db))
    finally:
        db.chmod(0o644)
    assert done.returncode == 0, done.stderr
    assert "seed_2026q1.xlsx" in done.stdout
    assert db.read_bytes() == before and not Path(f"{db}.wal").exists()


@pytest.mark.parametrize(
    "command",
    [
        lambda tmp: ["load", str(a_return(tmp))],
        lambda tmp: ["history"],
        lambda tmp: ["rollback", "1"],
        lambda tmp: ["verify"],
        lambda tmp: ["close", "2026", "1"],
        lambda tmp: ["quarters"],
        lambda tmp: ["meetings", str(a_meetings_file(tmp))],
    ],
    ids=["load", "history", "rollback", "verify", "close", "quarters", "meetings"],
)
def test_a_lock_that_outlasts_the_wait_is_one_korean_line(held, tmp_path, command):
    before = held.read_bytes()
    done = run(*command(tmp_path), "--db", str(held), "--wait", "0.5")
    assert done.returncode == BUSY, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if not line.startswith("…")]
    assert len(lines) == 1 and "다른 작업" in lines[0] and "잠시 후 다시 실행하세요" in lines[0]
    assert held.read_bytes() == before


def test_targets_and_incidents_wait_only_to_commit(held, tmp_path):
    from tests.support.xlsx import write_xlsx

    targets = write_xlsx(
        tmp_path / "targets.xlsx", [["연도", "지표", "목표"], [2026, "지원기업 수", 100]], sheet="목표"
    )
    incidents = write_xlsx(
        tmp_path / "incidents.xlsx",
        [
            ["공관", "유형", "시작일", "개요", "상태"],
            ["MX-MEX", "무역 조치", "2026-04-01", "관세", "진행 중"],
        ],
        sheet="긴급상황",
    )
    for args in (["targets", str(targets)], ["incidents", str(incidents)]):
        done = run(*args, "--db", str(held), "--wait", "0.5")
        assert done.returncode == BUSY, done.stdout + done.stderr
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    # a refused file is refused before the warehouse is even asked for
    bad = write_xlsx(
        tmp_path / "bad.xlsx", [["연도", "지표", "목표"], [2026, "없는 지표", 100]], sheet="목표"
    )
    refused = run("targets", str(bad), "--db", str(held), "--wait", "0.5")
    assert refused.returncode == 1 and "적재 거부" in refused.stderr


def test_a_missing_files_name_is_shown_printable(db, tmp_path):
    """A file name is the caller's text: a terminal escape in it is written out, not sent to the terminal."""
    for command in ("load", "meetings", "actions"):
        done = run(command, str(tmp_path / "\x1b[2Jgone.xlsx"), "--db", str(db))
        assert done.returncode == 1, (command, done.stdout + done.stderr)
        assert "\x1b" not in done.stderr and "\\x1b[2Jgone.xlsx" in done.stderr, (command, done.stderr)
        assert "Traceback" not in done.stderr
