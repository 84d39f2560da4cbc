"""Loading files end to end: prepare (read and check) then commit (one transaction)."""

from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.normalise import Defaults
from etl.prepare import prepare
from etl.read.safety import file_digest
from etl.registers.explanations import StatusOf
from etl.registers.store import find_duplicate
from etl.store import CommitResult, commit


@dataclass
class Loaded:
    file_name: str
    result: CommitResult

    def summary(self) -> str:
        return self.result.summary(self.file_name)


def load_return(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    defaults: Defaults | None = None,
    *,
    loaded_by: str | None = None,
    display_name: str | None = None,
    status_of: StatusOf | None = None,
) -> Loaded:
    """Load one return (with its 사유 sheet, if any); raises Refused (warehouse unchanged) when it breaks a rule."""
    path = Path(path)
    name = display_name or path.name
    sha256, _ = file_digest(path)
    duplicate = find_duplicate(con, sha256)
    if duplicate is not None:
        return Loaded(name, CommitResult(None, 0, 0, 0, unchanged=True, duplicate_of=duplicate))
    # Staged on a cursor of the warehouse, so that the commit inserts straight from the staged figures.
    cursor = con.cursor()
    try:
        prepared = prepare(path, defaults, display_name=name, stg=cursor)
        return Loaded(name, commit(cursor, prepared, loaded_by, status_of))
    finally:
        cursor.close()
