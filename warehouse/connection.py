"""Opening the warehouse.

DuckDB lets one process hold the file read-write, or many processes read it, never both at once;
inside one process it also refuses a read-only and a read-write connection to the same file side
by side ("different configuration"). So:

* within a process (the Streamlit server: one thread per session), `connection()` takes a
  readers-writer lock per file first: any number of readers, or one writer, and a waiting writer
  goes before new readers so a busy dashboard cannot starve a commit. Two analysts committing at
  once are serialised here. While the writer works, readers do not wait: they get a cursor on
  the writer's database, which shows the last committed state until the commit ends;
* between processes (the dashboard and the CLI, or two servers), every open retries on DuckDB's
  lock error for up to LOCK_WAIT_SECONDS with jittered back-off.
"""

import random
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb

from warehouse.paths import db_path
from warehouse.schema import ensure_schema

LOCK_WAIT_SECONDS = 30.0
# Retries of a locked open back off to this, jittered up to twice as long. A writer holds the file
# for a commit (under a second), and a busy dashboard's readers leave it free only briefly between
# reads: a long back-off leaves a page waiting well after the commit ended, and a writer missing
# every gap. Shorter is not free either: a failed open costs DuckDB some 30 ms of CPU.
MAX_RETRY_DELAY = 0.1


class WarehouseMissing(FileNotFoundError):
    """The warehouse file does not exist yet (build it with `python -m etl demo` or load a return)."""


class WarehouseBusy(TimeoutError):
    """The warehouse stayed locked by other work for longer than the wait allowed."""


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return (
        # a word: a corrupt file's "checksum ... in block at location" is no lock error
        re.search(r"\block\b", text) is not None
        or "conflicting" in text
        or "being used by another process" in text
        # the same process already has the file open with the other read-only setting
        or "different configuration" in text
    )


class _ReadWriteLock:
    """Many readers or one writer; a waiting writer blocks new readers. Re-entrant per thread."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer: int | None = None  # thread id
        self._writer_depth = 0
        self._writers_waiting = 0
        self._local = threading.local()

    def _reads(self) -> int:
        return getattr(self._local, "reads", 0)

    def acquire(self, write: bool, timeout: float) -> None:
        me = threading.get_ident()
        deadline = time.monotonic() + timeout
        with self._cond:
            if self._writer == me:
                if not write:
                    raise RuntimeError(
                        "a read-only warehouse connection was opened inside a write on the same thread"
                    )
                self._writer_depth += 1
                return
            if write:
                if self._reads():
                    raise RuntimeError(
                        "a writable warehouse connection was opened inside a read on the same thread"
                    )
                self._writers_waiting += 1
                try:
                    while self._writer is not None or self._readers:
                        if (
                            not self._cond.wait(max(deadline - time.monotonic(), 0))
                            and time.monotonic() >= deadline
                        ):
                            raise WarehouseBusy("웨어하우스가 다른 작업으로 잠겨 있습니다 / warehouse busy")
                finally:
                    self._writers_waiting -= 1
                self._writer, self._writer_depth = me, 1
                return
            if not self._reads():  # a thread already reading goes on, or it would wait for itself
                while self._writer is not None or self._writers_waiting:
                    if (
                        not self._cond.wait(max(deadline - time.monotonic(), 0))
                        and time.monotonic() >= deadline
                    ):
                        raise WarehouseBusy("웨어하우스가 다른 작업으로 잠겨 있습니다 / warehouse busy")
            self._readers += 1
            self._local.reads = self._reads() + 1

    def release(self, write: bool) -> None:
        with self._cond:
            if write:
                self._writer_depth -= 1
                if self._writer_depth == 0:
                    self._writer = None
            else:
                self._readers -= 1
                self._local.reads = self._reads() - 1
            self._cond.notify_all()


class _FileState:
    """Per warehouse file in this process: the readers-writer lock and the open writer, if any."""

    def __init__(self) -> None:
        self.lock = _ReadWriteLock()
        self.guard = threading.Condition()
        self.writer: duckdb.DuckDBPyConnection | None = None
        self.borrowed = 0

    @contextmanager
    def borrow(self) -> Iterator[duckdb.DuckDBPyConnection | None]:
        """A cursor on the open writer's database, or None when no writer is open.

        A cursor is its own connection to the same DuckDB instance: it reads the last committed
        state (MVCC), never the writer's transaction in progress, so pages keep answering while a
        large return is committed instead of waiting for it.
        """
        with self.guard:
            writer = self.writer
            cursor = writer.cursor() if writer is not None else None
            if cursor is not None:
                self.borrowed += 1
        try:
            yield cursor
        finally:
            if cursor is not None:
                cursor.close()
                with self.guard:
                    self.borrowed -= 1
                    self.guard.notify_all()

    def open_writer(self, con: duckdb.DuckDBPyConnection) -> None:
        with self.guard:
            self.writer = con

    def close_writer(self) -> None:
        """Stop lending, wait for the cursors lent out to come back (closing would break them)."""
        with self.guard:
            self.writer = None
            while self.borrowed:
                self.guard.wait()


def _checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Write the WAL into the file now; a checkpoint DuckDB declines (readers busy) is left to close()."""
    with suppress(duckdb.Error):
        con.execute("CHECKPOINT")


_STATES: dict[str, _FileState] = {}
_STATES_GUARD = threading.Lock()


def _file_state(target: Path) -> _FileState:
    key = str(target.resolve())
    with _STATES_GUARD:
        return _STATES.setdefault(key, _FileState())


def open_connection(
    path: str | Path | None = None, *, read_only: bool = False, wait: float = LOCK_WAIT_SECONDS
) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse; a writable one also has an up-to-date schema and reference data.

    This does not take the in-process lock (the caller decides how long to hold the connection);
    prefer `connection()`, which does.
    """
    target = db_path(path)
    if read_only and not target.exists():
        raise WarehouseMissing(f"웨어하우스 파일이 없습니다 / warehouse not found: {target}")
    if not read_only:
        target.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    delay = 0.01
    while True:
        try:
            con = duckdb.connect(str(target), read_only=read_only)
            break
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    "웨어하우스를 다른 프로그램이 쓰고 있습니다 / warehouse locked by another process"
                ) from exc
            time.sleep(delay * (1 + random.random()))
            delay = min(delay * 2, MAX_RETRY_DELAY)
    if not read_only:
        ensure_schema(con)
    return con


@contextmanager
def connection(
    path: str | Path | None = None, *, read_only: bool = False, wait: float = LOCK_WAIT_SECONDS
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open, yield and always close: the lock is held no longer than the work.

    A read-only request while this process is writing the same file gets a cursor on the writer's
    database instead (see _FileState.borrow), so it neither waits nor fails. Still locked after
    `wait` seconds (by this process or another): WarehouseBusy.
    """
    target = db_path(path)
    if read_only and not target.exists():
        raise WarehouseMissing(f"웨어하우스 파일이 없습니다 / warehouse not found: {target}")
    if not read_only:
        target.parent.mkdir(parents=True, exist_ok=True)
    state = _file_state(target)
    started = time.monotonic()
    if read_only:
        while True:
            with state.borrow() as cursor:
                if cursor is not None:
                    yield cursor
                    return
            # No writer to borrow from: take a read lock, looking again shortly if a writer came first.
            left = wait - (time.monotonic() - started)
            try:
                state.lock.acquire(write=False, timeout=min(0.05, max(left, 0)))
                break
            except WarehouseBusy:
                if left <= 0:
                    raise
    else:
        state.lock.acquire(write=True, timeout=wait)
    try:
        left = max(wait - (time.monotonic() - started), min(wait, 1.0))
        con = open_connection(target, read_only=read_only, wait=left)
        if not read_only:
            state.open_writer(con)
        try:
            yield con
        finally:
            if not read_only:
                _checkpoint(con)  # while readers still borrow, so closing below is quick
                state.close_writer()
            con.close()
    finally:
        state.lock.release(write=not read_only)
