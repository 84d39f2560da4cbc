"""A load killed midway (kill -9) leaves the warehouse as it was before.

A real loader process is started on a real back-fill and killed with SIGKILL: once at a known
point inside the commit's transaction (after the figures are inserted, before COMMIT), and then
at several moments of a plain load. Each time the warehouse is reopened and must hold exactly
what it held before, or, if the kill came after COMMIT, the whole new load and nothing less.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.backfill import write_backfill
from etl.loader import load_return
from tests.xlsx_builders import sheet
from warehouse.connection import open_connection

ROOT = Path(__file__).resolve().parent.parent
ROWS = 15_000

# The loader, with a marker printed inside the transaction when PAUSE is set: after the INSERT
# into fact_result, the statuses are refreshed, then COMMIT. Killing at the marker is mid-commit.
WORKER = """
import sys, time
import etl.store as store
from etl.loader import load_return
from warehouse.connection import open_connection

db, path, pause = sys.argv[1], sys.argv[2], sys.argv[3] == "pause"
if pause:
    refresh = store.refresh_statuses
    def marked(con, ids=None):
        refresh(con, ids)
        print("INSIDE-TRANSACTION", con.execute("SELECT count(*) FROM fact_result").fetchall()[0][0], flush=True)
        time.sleep(60)
    store.refresh_statuses = marked
con = open_connection(db)
print("OPEN", flush=True)
print("DONE", load_return(con, path).result.rows, flush=True)
"""


def snapshot(db: Path) -> tuple:
    con = open_connection(db)
    try:
        facts = con.execute("SELECT * FROM fact_result ORDER BY ALL").fetchall()
        subs = con.execute(
            "SELECT submission_id, file_sha256, row_count, status FROM submission ORDER BY 1"
        ).fetchall()
        current = con.execute("SELECT count(*) FROM results").fetchall()[0][0]
    finally:
        con.close()
    return facts, subs, current


@pytest.fixture(scope="module")
def backfill(tmp_path_factory) -> Path:
    return write_backfill(tmp_path_factory.mktemp("kill") / "backfill.xlsx", ROWS)


@pytest.fixture
def warehouse(tmp_path) -> Path:
    """A warehouse with one earlier load, which the back-fill partly supersedes."""
    db = tmp_path / "w.duckdb"
    con = open_connection(db)
    first = sheet(
        tmp_path / "first.xlsx",
        [
            ["2026년 1분기"],
            ["주관기관", "공관", "분야", "사업", "지원기업 수"],
            ["외교부", "VN-HAN", "IT", "emb_collab", 7],
        ],
    )
    load_return(con, first)
    con.close()
    return db


def _start(db: Path, path: Path, mode: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(db), str(path), mode],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_killed_inside_the_commit_leaves_the_warehouse_as_before(warehouse, backfill):
    before = snapshot(warehouse)
    worker = _start(warehouse, backfill, "pause")
    try:
        line = ""
        deadline = time.monotonic() + 120
        while not line.startswith("INSIDE-TRANSACTION") and time.monotonic() < deadline:
            line = worker.stdout.readline()
            assert line or worker.poll() is None, worker.stderr.read()
        # Inside the transaction the new figures are there (5 metrics per row, less empty cells).
        assert int(line.split()[1]) > len(before[0]) + ROWS * 4
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == -signal.SIGKILL
    assert snapshot(warehouse) == before
    # And the warehouse still works: the same load, not killed, goes through whole.
    con = open_connection(warehouse)
    try:
        loaded = load_return(con, backfill)
        assert (
            con.execute("SELECT count(*) FROM fact_result").fetchall()[0][0]
            == len(before[0]) + loaded.result.rows
        )
    finally:
        con.close()


@pytest.fixture(scope="module")
def full_load(backfill, tmp_path_factory) -> tuple[float, int]:
    """(seconds, figures) of a whole load here, timed from the moment the warehouse is open."""
    worker = _start(tmp_path_factory.mktemp("timing") / "w.duckdb", backfill, "run")
    assert worker.stdout.readline().startswith("OPEN")
    started = time.monotonic()
    done = worker.stdout.readline()
    seconds = time.monotonic() - started
    worker.wait(timeout=60)
    assert done.startswith("DONE"), worker.stderr.read()
    return seconds, int(done.split()[1])


@pytest.mark.slow
@pytest.mark.parametrize("fraction", [0.4, 0.8, 0.95])
def test_killed_at_any_moment_is_all_or_nothing(warehouse, backfill, full_load, fraction):
    seconds, figures = full_load
    before = snapshot(warehouse)
    worker = _start(warehouse, backfill, "run")
    try:
        assert worker.stdout.readline().startswith("OPEN")
        time.sleep(seconds * fraction)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    after = snapshot(warehouse)
    if after != before:  # the kill came after COMMIT: then all of it is there
        facts, subs, _ = after
        assert len(subs) == len(before[1]) + 1 and subs[-1][2] == figures
        assert len(facts) == len(before[0]) + figures
