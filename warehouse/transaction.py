"""The one transaction: every write that must be all or nothing runs inside `with transaction(con):`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All or nothing: whatever fails inside (any exception, an interrupt too) leaves the warehouse as it was.

    COMMIT when the block ends; on any exception ROLLBACK and raise it again, unchanged. Not nestable
    (DuckDB has no savepoints): a caller already in a transaction calls the parts, not their wrappers.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
