"""fetch_df gives the same frame, with the same dtypes, whichever way it reads the result."""

import duckdb
import pandas as pd

from metrics.db import fetch_df

_ROWS = """
SELECT * FROM (VALUES (1, 'a', 1.5::DOUBLE, 10::BIGINT, DATE '2026-01-01'),
                      (NULL, NULL, NULL, NULL, NULL),
                      (3, 'c', NULL, 5, DATE '2026-03-31')) AS v(i, s, d, b, day)
"""


def test_numbers_and_text_read_as_arrays_match_the_dataframe_reader() -> None:
    con = duckdb.connect()
    for where in ("TRUE", "i IS NOT NULL", "FALSE"):
        query = f"SELECT i, s, d, b FROM ({_ROWS}) WHERE {where}"
        got = fetch_df(con, query)  # integers, text and doubles: read through NumPy arrays
        expected = con.execute(query).df().astype({"i": "Int64", "b": "Int64", "s": "str"})
        assert got.dtypes.to_dict() == {"i": "Int64", "s": "str", "d": "float64", "b": "Int64"}
        pd.testing.assert_frame_equal(got, expected)


def test_other_types_still_come_back() -> None:
    got = fetch_df(duckdb.connect(), f"SELECT i, day FROM ({_ROWS})")
    assert got["i"].dtype == "Int64"
    assert got["day"].notna().sum() == 2
