"""Committing while the dashboard reads: no lock errors, writers serialised, every commit lands whole.

Two cases: separate processes (the CLI or a second server next to the dashboard), and threads of one
process (the Streamlit server, one thread per session), where DuckDB also refuses a read-only and a
read-write connection side by side.
"""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.upload_support import PROGRAM, ROOT, filled_return, seed_warehouse
from warehouse.connection import connection

SEED_FIGURES = 4  # the seed return: one row × four metrics
PER_FILE = 8  # each return below: two rows × four metrics
AGENCIES = ("mss", "kosme", "kised", "koica", "mofa")


def returns(tmp: Path, n: int) -> list[Path]:
    """n returns (at most ten), each with its own (agency, quarter) slices: every commit adds PER_FILE figures."""
    out = []
    for i, (agency, quarter) in enumerate([(a, q) for a in AGENCIES for q in (2, 3)][:n]):
        path = tmp / f"{agency}_2026q{quarter}.xlsx"
        filled_return(
            path,
            [
                ["주베트남 대사관", "K-뷰티", PROGRAM, 10 + i, 20 + i, 2, 100.0 + i],
                ["주케냐 대사관", "친환경", PROGRAM, 3 + i, 5, 1, 20.0 + i],
            ],
            year=2026,
            quarter=quarter,
            agency=agency,
        )
        out.append(path)
    return out


def figures_and_loaders(db: Path) -> tuple[int, dict[str, int]]:
    with connection(db, read_only=True) as con:
        figures = con.execute("SELECT count(*) FROM results").fetchall()[0][0]
        by = dict(con.execute("SELECT loaded_by, count(*) FROM submissions GROUP BY 1").fetchall())
    return figures, by


@pytest.mark.slow
def test_two_writer_processes_and_a_reader_process_never_fail(tmp_path):
    db = tmp_path / "warehouse.duckdb"
    seed_warehouse(db, tmp_path)
    files = [str(p) for p in returns(tmp_path, 6)]
    stop = tmp_path / "stop"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def start(*args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.concurrency_worker", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    started = time.monotonic()
    reader = start("reader", str(db), str(stop), str(PER_FILE), str(SEED_FIGURES))
    writers = [
        start("writer", str(db), "writer-a", *files[0::2]),
        start("writer", str(db), "writer-b", *files[1::2]),
    ]
    try:
        written = [json.loads(w.communicate(timeout=120)[0].strip().splitlines()[-1]) for w in writers]
    finally:
        stop.touch()
    read = json.loads(reader.communicate(timeout=60)[0].strip().splitlines()[-1])
    elapsed = time.monotonic() - started

    assert [w["errors"] for w in written] == [[], []]
    assert [len(w["committed"]) for w in written] == [3, 3]  # both writers landed everything
    assert read["errors"] == []
    assert read["torn"] == []  # no reader ever saw a commit half done
    assert read["queries"] >= 3
    assert elapsed < 90
    figures, by = figures_and_loaders(db)
    assert figures == SEED_FIGURES + 6 * PER_FILE
    assert by == {"seed": 1, "writer-a": 3, "writer-b": 3}


def test_in_one_process_commits_and_page_reads_wait_for_each_other(tmp_path):
    """The Streamlit server: reader threads (sessions) and two committing analysts in one process."""
    from etl.prepare import prepare
    from etl.store import commit

    db = tmp_path / "warehouse.duckdb"
    seed_warehouse(db, tmp_path)
    prepared = [prepare(p) for p in returns(tmp_path, 6)]
    stop = threading.Event()
    errors: list[str] = []
    reads: list[int] = []
    torn: list[int] = []

    def read() -> None:
        while not stop.is_set():
            try:
                with connection(db, read_only=True) as con:
                    figures = con.execute("SELECT count(*) FROM results").fetchall()[0][0]
                reads.append(figures)
                if (figures - SEED_FIGURES) % PER_FILE:
                    torn.append(figures)
            except Exception as exc:
                errors.append(f"read: {exc!r}")

    def write(who: str, items) -> None:
        for item in items:
            try:
                with connection(db) as con:
                    commit(con, item, loaded_by=who)
            except Exception as exc:
                errors.append(f"{who}: {exc!r}")

    readers = [threading.Thread(target=read) for _ in range(3)]
    writers = [
        threading.Thread(target=write, args=("analyst-a", prepared[0::2])),
        threading.Thread(target=write, args=("analyst-b", prepared[1::2])),
    ]
    started = time.monotonic()
    for t in readers + writers:
        t.start()
    for t in writers:
        t.join(timeout=120)
    stop.set()
    for t in readers:
        t.join(timeout=60)

    assert errors == []
    assert torn == []
    assert len(reads) >= 3
    assert time.monotonic() - started < 60
    figures, by = figures_and_loaders(db)
    assert figures == SEED_FIGURES + 6 * PER_FILE
    assert by == {"seed": 1, "analyst-a": 3, "analyst-b": 3}


def test_a_page_read_during_a_commit_answers_at_once_with_the_last_committed_figures(tmp_path):
    db = tmp_path / "warehouse.duckdb"
    seed_warehouse(db, tmp_path)
    in_transaction, finish = threading.Event(), threading.Event()

    def slow_commit() -> None:
        with connection(db) as con:
            con.execute("BEGIN TRANSACTION")
            con.execute("UPDATE fact_result SET value = value + 1000")
            in_transaction.set()
            finish.wait(timeout=30)
            con.execute("COMMIT")

    def total() -> float:
        with connection(db, read_only=True) as con:
            return con.execute("SELECT sum(value) FROM results").fetchall()[0][0]

    before = total()
    writer = threading.Thread(target=slow_commit)
    writer.start()
    assert in_transaction.wait(timeout=30)
    asked = time.monotonic()
    during = total()
    waited = time.monotonic() - asked
    finish.set()
    writer.join(timeout=30)
    assert during == before  # the commit in progress is invisible ...
    assert waited < 1.0  # ... and does not hold the page up
    assert total() == before + 1000 * SEED_FIGURES
