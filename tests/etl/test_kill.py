"""A load killed midway (kill -9) leaves the warehouse as it was before.

A real loader process is started on a real back-fill and killed with SIGKILL at a known point: once
the return is read and checked (before the transaction), inside the commit's transaction (after the
figures are inserted, before COMMIT), and just after COMMIT (before the connection is closed). The
loader prints a marker at that point and waits there, so the kill lands where it is meant to,
however busy the machine. Each time the warehouse is reopened and must hold exactly what it held
before or, killed after COMMIT, the whole new load and nothing less.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.backfill import write_backfill
from etl import intake
from tests.support.state import snapshot
from tests.support.xlsx import write_xlsx
from warehouse.connection import open_connection

pytestmark = pytest.mark.process

ROOT = Path(__file__).resolve().parents[2]
ROWS = 15_000

# The loader, stopping at a point named by its third argument: it prints a marker there and waits
# to be killed. "inside": after the INSERT into fact_result, the statuses are refreshed, then COMMIT.
WORKER = """
import sys, time
import etl.intake as intake
import etl.store.ledger as store
from warehouse.connection import open_connection

db, path, stop = sys.argv[1], sys.argv[2], sys.argv[3]

def wait_for_the_kill(*marker):
    print(*marker, flush=True)
    time.sleep(600)

if stop == "inside":
    refresh = store.refresh_statuses
    def marked(con, ids=None):
        refresh(con, ids)
        wait_for_the_kill("INSIDE-TRANSACTION", con.execute("SELECT count(*) FROM fact_result").fetchall()[0][0])
    store.refresh_statuses = marked
elif stop in ("prepared", "committed"):
    commit = intake.commit_return
    def marked(con, prepared, *args, **kwargs):
        if stop == "prepared":
            wait_for_the_kill("PREPARED", prepared.file_name)
        result = commit(con, prepared, *args, **kwargs)
        wait_for_the_kill("COMMITTED", result.rows)
    intake.commit_return = marked
con = open_connection(db)
print("OPEN", flush=True)
print("DONE", intake.load(con, path, intake.Actor(None)).result.rows, flush=True)
"""


@pytest.fixture(scope="module")
def backfill(tmp_path_factory) -> Path:
    return write_backfill(tmp_path_factory.mktemp("kill") / "backfill.xlsx", ROWS)


@pytest.fixture
def warehouse(tmp_path) -> Path:
    """A warehouse with one earlier load, which the back-fill partly supersedes."""
    db = tmp_path / "w.duckdb"
    con = open_connection(db)
    first = write_xlsx(
        tmp_path / "first.xlsx",
        [
            ["2026년 1분기"],
            ["주관기관", "공관", "분야", "사업", "지원기업 수"],
            ["외교부", "VN-HAN", "IT", "emb_collab", 7],
        ],
    )
    intake.load(con, first, intake.Actor(None))
    con.close()
    return db


def _start(db: Path, path: Path, stop: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(db), str(path), stop],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill_at(worker: subprocess.Popen, marker: str) -> str:
    """Wait for the worker to print `marker` (it then waits), kill it with SIGKILL; the marker line."""
    try:
        line = next((line for line in worker.stdout if line.startswith(marker)), None)
        assert line is not None, worker.stderr.read()  # the worker ended without reaching the marker
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=60)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == -signal.SIGKILL
    return line


def test_killed_inside_the_commit_leaves_the_warehouse_as_before(warehouse, backfill):
    before = snapshot(warehouse)
    line = _kill_at(_start(warehouse, backfill, "inside"), "INSIDE-TRANSACTION")
    # Inside the transaction the new figures are there (5 metrics per row, less empty cells).
    assert int(line.split()[1]) > len(before["fact_result"]) + ROWS * 4
    assert snapshot(warehouse) == before
    # And the warehouse still works: the same load, not killed, goes through whole.
    con = open_connection(warehouse)
    try:
        loaded = intake.load(con, backfill, intake.Actor(None))
        assert (
            con.execute("SELECT count(*) FROM fact_result").fetchall()[0][0]
            == len(before["fact_result"]) + loaded.result.rows
        )
    finally:
        con.close()


@pytest.mark.slow
def test_killed_after_reading_before_the_commit_leaves_the_warehouse_as_before(warehouse, backfill):
    before = snapshot(warehouse)
    _kill_at(_start(warehouse, backfill, "prepared"), "PREPARED")
    assert snapshot(warehouse) == before


@pytest.mark.slow
def test_killed_just_after_the_commit_keeps_the_whole_load(warehouse, backfill):
    before = snapshot(warehouse)
    figures = int(_kill_at(_start(warehouse, backfill, "committed"), "COMMITTED").split()[1])
    after = snapshot(warehouse)
    subs = after["submission"]
    assert figures > ROWS * 4
    assert len(subs) == len(before["submission"]) + 1
    con = open_connection(warehouse)
    try:
        newest = con.execute(
            "SELECT row_count FROM submission ORDER BY submission_id DESC LIMIT 1"
        ).fetchall()
    finally:
        con.close()
    assert newest == [(figures,)]
    assert len(after["fact_result"]) == len(before["fact_result"]) + figures
