"""Running the package's SQL on a warehouse connection and returning tidy DataFrames."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

SQL_DIR = Path(__file__).resolve().parent / "sql"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")  # our SQL has no '--' inside string literals


def _bound(sql: str, params: dict[str, object] | None) -> dict[str, object] | None:
    """The parameters the SQL text uses (comments may name others; DuckDB refuses extras)."""
    used = set(_PARAM.findall(_COMMENT.sub("", sql)))
    return {k: v for k, v in (params or {}).items() if k in used} or None


_INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}


# Result types read as NumPy arrays and wrapped directly, at half the cost of cur.df() and astype
# (most metric results: codes, counts and values). Other types (dates, booleans) go through df().
_FROM_NUMPY = _INTEGER_TYPES | {"VARCHAR", "DOUBLE"}


def _from_numpy(types: dict[str, str], arrays: dict[str, np.ndarray]) -> pd.DataFrame:
    columns = {}
    for column, type_name in types.items():
        values = arrays[column]
        if type_name in _INTEGER_TYPES:
            mask = np.ma.getmaskarray(values)
            columns[column] = pd.arrays.IntegerArray(np.ma.getdata(values).astype("int64"), mask)
        elif type_name == "VARCHAR":
            text = np.array(np.ma.getdata(values), dtype=object)
            text[np.ma.getmaskarray(values)] = None
            columns[column] = pd.array(text, dtype="str")
        else:  # DOUBLE: NULL as NaN, as df() gives it
            columns[column] = np.ma.filled(values.astype("float64"), np.nan)
    return pd.DataFrame(columns, copy=False)


@cache
def sql_file(name: str) -> str:
    """The text of metrics/sql/<name>.sql."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def fetch_df(
    con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object] | None = None
) -> pd.DataFrame:
    """Run one query on its own cursor and return a DataFrame with stable dtypes.

    Only the parameters the text names are passed (DuckDB refuses extra ones), so callers can hand
    over one dictionary for a query assembled from optional parts. Integer columns come back as
    nullable Int64 and text as `str`, whether or not the result happens to hold NULLs, so that pages
    and tests see the same dtypes for an empty warehouse and a full one.
    """
    cur = con.cursor()  # DuckDB 2: one open result per cursor; a cursor per call is thread-safe too.
    try:
        cur.execute(sql, _bound(sql, params))
        types = {d[0]: str(d[1]) for d in cur.description}
        if len(types) == len(cur.description) and set(types.values()) <= _FROM_NUMPY:
            return _from_numpy(types, cur.fetchnumpy())
        df = cur.df()
    finally:
        cur.close()
    for column, type_name in types.items():
        if type_name in _INTEGER_TYPES:
            df[column] = df[column].astype("Int64")
        elif type_name == "VARCHAR" and df[column].dtype != "str":
            df[column] = df[column].astype("str")
    return df


def fetch_arrays(
    con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object] | None = None
) -> dict[str, np.ndarray]:
    """Every column of a query as a NumPy (masked) array, NULLs masked."""
    cur = con.cursor()
    try:
        return cur.execute(sql, _bound(sql, params)).fetchnumpy()
    finally:
        cur.close()


def fetch_all(
    con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object] | None = None
) -> list[tuple]:
    """Every row of a small query, as tuples."""
    cur = con.cursor()
    try:
        return cur.execute(sql, _bound(sql, params)).fetchall()
    finally:
        cur.close()


def fetch_one(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object] | None = None) -> tuple:
    """The first row of a small query (or a tuple of NULLs when it has none)."""
    cur = con.cursor()
    try:
        rows = cur.execute(sql, _bound(sql, params)).fetchall()
        width = len(cur.description)
    finally:
        cur.close()
    return rows[0] if rows else (None,) * width
