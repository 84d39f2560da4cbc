"""Committing while the dashboard reads: no lock errors, writers serialised, every commit lands whole.

Two cases: separate processes (the CLI or a second server next to the dashboard), and threads of one
process (the Streamlit server, one thread per session), where DuckDB also refuses a read-only and a
read-write connection side by side.

Nothing here depends on how the machine schedules the work: writers and readers hand over through
files (processes) or a condition variable (threads), so that a page read while each commit holds the
warehouse and a page read after each commit happen by construction. What is checked is what the
lock promises: every read succeeds within the documented wait (warehouse.connection raises after
LOCK_WAIT_SECONDS), no read sees a commit half done, every commit lands, the final figures are exact.
"""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.support.concurrency_worker import HANDSHAKE_TIMEOUT, page_read
from tests.support.upload import PROGRAM, ROOT, filled_return, seed_warehouse
from warehouse.connection import LOCK_WAIT_SECONDS, connection

pytestmark = pytest.mark.process

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


def whole(read: dict) -> bool:
    """A read saw only whole commits: its figures are the seed's plus PER_FILE per later load it saw."""
    return read["figures"] == SEED_FIGURES + PER_FILE * (sum(read["by"].values()) - 1)


def final_state(db: Path) -> dict:
    with connection(db, read_only=True) as con:
        return page_read(con)


# ---- separate processes ----------------------------------------------------------------------------


@pytest.mark.slow
def test_two_writer_processes_and_a_reader_process_never_fail(tmp_path):
    db = tmp_path / "warehouse.duckdb"
    seed_warehouse(db, tmp_path)
    files = [str(p) for p in returns(tmp_path, 6)]
    board = tmp_path / "board"
    board.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def start(*args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.support.concurrency_worker", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def outcome(proc: subprocess.Popen) -> dict:
        out, err = proc.communicate(timeout=HANDSHAKE_TIMEOUT * 2)
        assert proc.returncode == 0, err
        return json.loads(out.strip().splitlines()[-1])

    procs = [start("reader", str(db), str(board))]
    try:
        procs += [
            start("writer", str(db), str(board), "writer-a", "writer-b", *files[0::2]),
            start("writer", str(db), str(board), "writer-b", "writer-a", *files[1::2]),
        ]
        written = [outcome(w) for w in procs[1:]]
        (board / "stop").touch()
        read = outcome(procs[0])
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()

    assert [w["errors"] for w in written] == [[], []]
    assert read["errors"] == []  # every read got its answer within the lock wait
    reads = read["reads"]
    assert all(whole(r) for r in reads.values()), reads  # no read saw a commit half done
    in_order = [reads[k]["figures"] for k in sorted(reads, key=int)]
    assert in_order == sorted(in_order)  # nothing committed ever disappeared from a later read
    for w in written:
        assert [c["figures"] for c in w["commits"]] == [PER_FILE] * 3  # both writers landed everything
        for i, c in enumerate(w["commits"]):
            # The read begun while this commit held the file waited for it and then saw it whole,
            # and so did the read begun after it (the writer went on only after that one).
            assert reads[str(c["blocked_read"])]["by"].get(w["who"], 0) >= i + 1
            assert reads[str(c["read_after"])]["by"].get(w["who"], 0) >= i + 1
    # The first writer to hold the file did so while the other was asking for it: they met.
    assert sorted(w["commits"][0]["peer_waited"] for w in written) == [False, True]
    assert final_state(db) == {
        "figures": SEED_FIGURES + 6 * PER_FILE,
        "by": {"seed": 1, "writer-a": 3, "writer-b": 3},
    }


# ---- threads of one process ------------------------------------------------------------------------


class ReadBoard:
    """Writers ask for page reads; reader threads answer each request with a read begun after it."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.request = 0
        self.reads: list[tuple[int, dict]] = []  # (the latest request when the read began, what it saw)
        self.stopped = False

    def ask(self) -> dict:
        """A page read begun after this call, by some reader thread."""
        with self.cond:
            self.request += 1
            asked = self.request
            self.cond.notify_all()
            answered = self.cond.wait_for(
                lambda: next((r for n, r in self.reads if n >= asked), None), timeout=HANDSHAKE_TIMEOUT
            )
        if answered is None:
            raise TimeoutError("no reader answered")
        return answered

    def next_request(self, handled: int) -> int | None:
        with self.cond:
            self.cond.wait_for(lambda: self.request > handled or self.stopped)
            return None if self.request == handled else self.request

    def answer(self, request: int, seen: dict) -> None:
        with self.cond:
            self.reads.append((request, seen))
            self.cond.notify_all()

    def stop(self) -> None:
        with self.cond:
            self.stopped = True
            self.cond.notify_all()


def test_in_one_process_commits_and_page_reads_wait_for_each_other(tmp_path):
    """The Streamlit server: reader threads (sessions) and two committing analysts in one process.

    Each analyst, holding the warehouse, asks for a page read before and after its commit, then
    another once it has closed. The two analysts are serialised, so while one holds the file the
    figures can only be what it sees itself: page reads must see exactly that, without waiting.
    """
    from etl.returns.prepare import prepare
    from etl.store.ledger import commit

    db = tmp_path / "warehouse.duckdb"
    seed_warehouse(db, tmp_path)
    prepared = [prepare(p) for p in returns(tmp_path, 6)]
    board = ReadBoard()
    errors: list[str] = []
    seen: dict[str, list[dict]] = {"analyst-a": [], "analyst-b": []}

    def read() -> None:
        handled = 0
        while (request := board.next_request(handled)) is not None:
            handled = request
            try:
                with connection(db, read_only=True) as con:
                    board.answer(request, page_read(con))
            except Exception as exc:
                errors.append(f"read: {exc!r}")
                board.answer(request, {"error": repr(exc)})

    def write(who: str, items) -> None:
        for item in items:
            try:
                with connection(db) as con:
                    before = page_read(con.cursor())  # what is committed, seen by the writer itself
                    during = board.ask()
                    commit(con, item, loaded_by=who)
                    after_commit = board.ask()
                after_close = board.ask()
                seen[who].append(
                    {
                        "before": before,
                        "during": during,
                        "after_commit": after_commit,
                        "after_close": after_close,
                    }
                )
            except Exception as exc:
                errors.append(f"{who}: {exc!r}")

    readers = [threading.Thread(target=read) for _ in range(3)]
    writers = [
        threading.Thread(target=write, args=("analyst-a", prepared[0::2])),
        threading.Thread(target=write, args=("analyst-b", prepared[1::2])),
    ]
    for t in readers + writers:
        t.start()
    for t in writers:
        t.join(timeout=HANDSHAKE_TIMEOUT * 2)
    board.stop()
    for t in readers:
        t.join(timeout=HANDSHAKE_TIMEOUT)
    assert not any(t.is_alive() for t in readers + writers)

    assert errors == []
    assert all(whole(r) for _, r in board.reads)  # no read saw a commit half done
    for who, steps in seen.items():
        assert len(steps) == 3
        for i, step in enumerate(steps):
            before = step["before"]
            assert step["during"] == before  # the commit to come is invisible, the page answered
            assert step["after_commit"] == {  # committed: the next page read has all of it
                "figures": before["figures"] + PER_FILE,
                "by": {**before["by"], who: before["by"].get(who, 0) + 1},
            }
            assert step["after_close"]["by"][who] >= i + 1
    assert final_state(db) == {
        "figures": SEED_FIGURES + 6 * PER_FILE,
        "by": {"seed": 1, "analyst-a": 3, "analyst-b": 3},
    }


def test_a_page_read_during_a_commit_answers_at_once_with_the_last_committed_figures(tmp_path):
    db = tmp_path / "warehouse.duckdb"
    seed_warehouse(db, tmp_path)
    in_transaction, finish, committed = threading.Event(), threading.Event(), threading.Event()

    def slow_commit() -> None:
        with connection(db) as con:
            con.execute("BEGIN TRANSACTION")
            con.execute("UPDATE fact_result SET value = value + 1000")
            in_transaction.set()
            # Gives up only if the read below waits for this commit (then the test fails).
            finish.wait(timeout=2 * LOCK_WAIT_SECONDS)
            con.execute("COMMIT")
            committed.set()

    def total() -> float:
        with connection(db, read_only=True) as con:
            return con.execute("SELECT sum(value) FROM results").fetchall()[0][0]

    before = total()
    writer = threading.Thread(target=slow_commit)
    writer.start()
    assert in_transaction.wait(timeout=HANDSHAKE_TIMEOUT)
    during = total()
    answered_before_commit = not committed.is_set()
    finish.set()
    writer.join(timeout=HANDSHAKE_TIMEOUT)
    assert during == before  # the commit in progress is invisible ...
    assert answered_before_commit  # ... and the page did not wait for it: it answered while it was open
    assert total() == before + 1000 * SEED_FIGURES
