"""Opening the warehouse.

DuckDB lets one process hold the file read-write, or many processes read it, never both at once.
Every open therefore retries for a while on a lock conflict, so that a page refreshing while a
return is committed (or two analysts committing together) waits its turn instead of failing.
"""

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse.paths import db_path
from warehouse.schema import ensure_schema

LOCK_WAIT_SECONDS = 30.0


class WarehouseMissing(FileNotFoundError):
    """The warehouse file does not exist yet (build it with `python -m etl demo` or load a return)."""


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text or "being used by another process" in text


def open_connection(
    path: str | Path | None = None, *, read_only: bool = False, wait: float = LOCK_WAIT_SECONDS
) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse; a writable one also has an up-to-date schema and reference data."""
    target = db_path(path)
    if read_only and not target.exists():
        raise WarehouseMissing(f"웨어하우스 파일이 없습니다 / warehouse not found: {target}")
    if not read_only:
        target.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    delay = 0.02
    while True:
        try:
            con = duckdb.connect(str(target), read_only=read_only)
            break
        except duckdb.Error as exc:
            if not _is_lock_error(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(delay * (1 + random.random()))
            delay = min(delay * 2, 0.5)
    if not read_only:
        ensure_schema(con)
    return con


@contextmanager
def connection(
    path: str | Path | None = None, *, read_only: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open, yield and always close: the lock is held no longer than the work."""
    con = open_connection(path, read_only=read_only)
    try:
        yield con
    finally:
        con.close()
