"""Loading files end to end: prepare (read and check) then commit (one transaction).

`load_return` is the one intake of a return: the app, the command line, the demo and the tests load
through it. Given a connection it stages the file on the warehouse itself; given a function that opens
the warehouse (the command line's), it reads and checks the file first and holds the warehouse only
for the commit, so a slow file never keeps another writer waiting.
"""

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.normalise import Defaults
from etl.prepare import prepare
from etl.read.safety import file_digest
from etl.registers.explanations import StatusOf
from etl.registers.store import find_duplicate
from etl.store import CommitResult, commit

Opener = Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]


@dataclass
class Loaded:
    file_name: str
    result: CommitResult

    def summary(self) -> str:
        return self.result.summary(self.file_name)


def load_return(
    con: duckdb.DuckDBPyConnection | Opener,
    path: str | Path,
    defaults: Defaults | None = None,
    *,
    loaded_by: str | None = None,
    display_name: str | None = None,
    status_of: StatusOf | None = None,
    role: str | None = None,
    known: Mapping[str, int] | None = None,
) -> Loaded:
    """Load one return (with its 사유 sheet, if any); raises Refused (warehouse unchanged) when it breaks a rule.

    `con` is an open warehouse, or a function opening it for the commit alone (then `known`, submission
    ids by file hash read beforehand, spares reading a file already loaded; commit() itself finds a
    duplicate under the write lock). With a `role` (the app's or the command line's) the audit line
    is written in the load's transaction.
    """
    path = Path(path)
    name = display_name or path.name
    if callable(con):
        if known:  # hashed here only to spare reading a file already loaded (prepare hashes it too)
            sha256, _ = file_digest(path)
            if sha256 in known:
                return Loaded(name, CommitResult(None, 0, 0, 0, unchanged=True, duplicate_of=known[sha256]))
        prepared = prepare(path, defaults, display_name=name)
        try:
            # The figures are fetched from the staging database first: the write lock is held for the
            # commit alone, not for running the pipeline's last views.
            prepared.rows  # noqa: B018 (a property that fetches and keeps them)
            with con() as warehouse:
                return Loaded(name, commit(warehouse, prepared, loaded_by, status_of, role=role))
        finally:
            prepared.connection.close()
    sha256, _ = file_digest(path)
    duplicate = find_duplicate(con, sha256)
    if duplicate is not None:
        return Loaded(name, CommitResult(None, 0, 0, 0, unchanged=True, duplicate_of=duplicate))
    # Staged on a cursor of the warehouse, so that the commit inserts straight from the staged figures.
    cursor = con.cursor()
    try:
        prepared = prepare(path, defaults, display_name=name, stg=cursor)
        return Loaded(name, commit(cursor, prepared, loaded_by, status_of, role=role))
    finally:
        cursor.close()
