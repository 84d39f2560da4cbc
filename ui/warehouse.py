"""Reading the warehouse from the app.

Each query opens the file read-only, runs and closes, so a return committed by the CLI or by the
upload page (which opens it read-write for the length of one transaction) is never blocked for
long, and the next rerun sees it. Cached results are keyed on the file's modification time, so a
new load invalidates them without a restart.
"""

from pathlib import Path

import pandas as pd
import streamlit as st

from warehouse.connection import WarehouseMissing, connection
from warehouse.paths import db_path


def warehouse_version() -> float:
    """Changes whenever the warehouse file (or its WAL) is written."""
    path = db_path()
    stamps = [p.stat().st_mtime_ns for p in (path, Path(str(path) + ".wal")) if p.exists()]
    return float(max(stamps)) if stamps else 0.0


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(fn_name: str, version: float, args: tuple, kwargs: tuple) -> pd.DataFrame:
    fn = _REGISTRY[fn_name]
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
