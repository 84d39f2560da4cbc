"""Reading the warehouse from the app.

Each query opens the file read-only, runs and closes, so a return committed by the CLI or by the
upload page (which opens it read-write for the length of one transaction) is never blocked for
long, and the next rerun sees it. Cached results are keyed on the file's modification time, so a
new load invalidates them without a restart.
"""

import contextlib
import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb
import pandas as pd
import streamlit as st

from metrics import views_support
from warehouse.connection import WarehouseMissing, connection
from warehouse.paths import db_path

T = TypeVar("T")


def warehouse_version() -> str:
    """Changes whenever the warehouse file (or its WAL) is written, and names the file.

    The path is part of it so that two warehouses (tests, a switched $DASHBOARD_DB) never share
    cached answers; size as well as time, in case two writes land within the clock's resolution.
    Pages ask for it on every cached call, hundreds of times a run: two stat calls, the path
    resolved once.
    """
    path = str(db_path())
    stats = []
    for name in (path, path + ".wal"):
        with contextlib.suppress(OSError):  # no such file (no WAL between writes)
            stats.append(os.stat(name))
    if not stats:
        return f"{path}:missing"
    return f"{_resolved(path)}:{max(s.st_mtime_ns for s in stats)}:{sum(s.st_size for s in stats)}"


@functools.lru_cache(maxsize=32)
def _resolved(path: str) -> str:
    return str(Path(path).resolve())


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


# (warehouse version, key) -> a small value built from cached queries; see `derived`.
_DERIVED: dict[tuple[str, str], object] = {}


def derived(key: str, build: Callable[[], T]) -> T:
    """`build()`, kept for the warehouse as it is now: for small values made from `query` results
    (name maps, the reporting cycle) that a page asks for many times a run, where each hit of the
    data cache would unpickle a DataFrame again. Keep the value immutable, or copy it when handing
    it out. An exception (no warehouse) is raised again on every call, never kept.
    """
    slot = (warehouse_version(), key)
    if slot not in _DERIVED:
        if len(_DERIVED) >= 256:  # mostly earlier warehouse versions
            _DERIVED.clear()
        _DERIVED[slot] = build()
    return _DERIVED[slot]  # type: ignore[return-value]


def is_demo() -> bool:
    """`metrics.views_support.is_demo` on the warehouse as it is now (cached); False with no warehouse."""
    try:
        return query(views_support.is_demo)
    except WarehouseMissing:
        return False
