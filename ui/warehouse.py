"""Reading the warehouse from the app.

Each query opens the file read-only, runs and closes, so a return committed by the CLI or by the
upload page (which opens it read-write for the length of one transaction) is never blocked for
long, and the next rerun sees it. Cached results are keyed on the file's modification time, so a
new load invalidates them without a restart.
"""

from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from warehouse.connection import WarehouseMissing, connection
from warehouse.paths import db_path


def warehouse_version() -> str:
    """Changes whenever the warehouse file (or its WAL) is written, and names the file.

    The path is part of it so that two warehouses (tests, a switched $DASHBOARD_DB) never share
    cached answers; size as well as time, in case two writes land within the clock's resolution.
    """
    path = db_path()
    files = [p.stat() for p in (path, Path(str(path) + ".wal")) if p.exists()]
    if not files:
        return f"{path}:missing"
    return f"{path.resolve()}:{max(f.st_mtime_ns for f in files)}:{sum(f.st_size for f in files)}"


@st.cache_resource(show_spinner=False)
def _schema_checked(path: str) -> bool:
    """Bring a warehouse made by an older release up to the current schema, once per server process.

    Readers open read-only and so cannot migrate; without this, views added since the file was
    built (results_weighted, say) would be missing. Best effort: a read-only file stays as it is.
    The file is first opened read-only: one DuckDB cannot read (damaged, not a database, a torn
    WAL) is never opened for writing, which could replay or truncate what is left of it; the
    page's own read then fails and says so (ui.failure).
    """
    if not Path(path).exists():
        return False
    try:
        with connection(path, read_only=True):
            pass
        with connection(path):
            return True
    except (duckdb.Error, OSError):
        return False


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(fn_name: str, version: str, args: tuple, kwargs: tuple) -> pd.DataFrame:
    fn = _REGISTRY[fn_name]
    _schema_checked(str(db_path()))
    with connection(db_path(), read_only=True) as con:
        return fn(con, *args, **dict(kwargs))


_REGISTRY: dict = {}


def query(fn, *args, **kwargs):
    """Call a metrics function on the warehouse, cached until the warehouse changes."""
    name = f"{fn.__module__}.{fn.__qualname__}"
    _REGISTRY[name] = fn
    return _cached(name, warehouse_version(), args, tuple(sorted(kwargs.items())))


def is_demo() -> bool:
    def flag(con) -> bool:
        rows = con.execute("SELECT value FROM meta WHERE key = 'demo'").fetchall()
        return bool(rows and rows[0][0] == "true")

    try:
        return query(flag)
    except WarehouseMissing:
        return False
