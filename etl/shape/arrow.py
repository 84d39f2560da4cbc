"""Small Arrow columns and tables built from their buffers, without pandas.

pyarrow's own constructors (pa.array, pa.table) first ask whether their argument is a pandas
object, which imports pandas: about half a second of a command-line load that never uses it
(benchmarks/bench_cli_load.py). The staging tables etl registers in DuckDB are built here instead.
"""

from collections.abc import Mapping, Sequence

import numpy as np
import pyarrow as pa

_NUMPY = {
    pa.int32(): np.int32,
    pa.int64(): np.int64,
    pa.float64(): np.float64,
}


def from_numpy(values: np.ndarray) -> pa.Array:
    """A column of a one-dimensional numeric numpy array (no nulls), sharing its memory."""
    values = np.ascontiguousarray(values)
    return pa.Array.from_buffers(pa.from_numpy_dtype(values.dtype), len(values), [None, pa.py_buffer(values)])


def column(values: Sequence, kind: pa.DataType) -> pa.Array:
    """A column of Python values (None for null) of type `kind`: string, boolean, int32, int64, float64."""
    n = len(values)
    valid = np.fromiter((v is not None for v in values), bool, n)
    nulls = n - int(valid.sum())
    validity = pa.py_buffer(np.packbits(valid, bitorder="little")) if nulls else None
    if pa.types.is_string(kind):
        encoded = [v.encode() if v is not None else b"" for v in values]
        offsets = np.zeros(n + 1, np.int32)
        np.cumsum(np.fromiter((len(e) for e in encoded), np.int64, n), out=offsets[1:])
        data = [validity, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    elif pa.types.is_boolean(kind):
        bits = np.fromiter((bool(v) for v in values), bool, n)
        data = [validity, pa.py_buffer(np.packbits(bits, bitorder="little"))]
    elif kind in _NUMPY:
        numbers = np.fromiter((0 if v is None else v for v in values), _NUMPY[kind], n)
        data = [validity, pa.py_buffer(numbers)]
    else:
        raise TypeError(f"no Arrow column of {kind} built here")
    return pa.Array.from_buffers(kind, n, data, null_count=nulls)


def table(columns: Mapping[str, pa.Array]) -> pa.Table:
    return pa.Table.from_arrays(list(columns.values()), names=list(columns))
