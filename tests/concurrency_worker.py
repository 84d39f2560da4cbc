"""A separate process for tests/test_concurrency.py: a writer loading returns, or a reader querying.

    python -m tests.concurrency_worker writer DB WHO FILE...
    python -m tests.concurrency_worker reader DB STOP_FILE FIGURES_PER_FILE BASE

Each prints one JSON line: what it did and every error it met (the test expects none).
"""

import json
import sys
import time
import traceback
from pathlib import Path

from warehouse.connection import connection


def writer(db: str, who: str, files: list[str]) -> dict:
    from etl.prepare import prepare
    from etl.store import commit

    done, errors, waits = [], [], []
    for name in files:
        try:
            prepared = prepare(Path(name))  # read and check outside any lock, as the upload page does
            asked = time.monotonic()
            with connection(db) as con:
                waits.append(time.monotonic() - asked)
                result = commit(con, prepared, loaded_by=who)
            done.append(result.submission_id)
        except Exception:
            errors.append(traceback.format_exc(limit=3))
    return {
        "role": "writer",
        "who": who,
        "committed": done,
        "errors": errors,
        "max_wait": max(waits, default=0),
    }


def _page_queries(con) -> int:
    """What the pages ask: figures by sector and metric (through metrics when present), and the history."""
    try:
        from metrics.actuals import actuals

        actuals(con, by=("sector",))
    except ImportError:
        con.cursor().execute(
            "SELECT sector_code, metric_code, sum(value) FROM results GROUP BY ALL"
        ).fetchall()
    con.cursor().execute("SELECT count(*) FROM submissions").fetchall()
    return con.cursor().execute("SELECT count(*) FROM results").fetchall()[0][0]


def reader(db: str, stop_file: str, per_file: int, base: int) -> dict:
    queries, errors, torn, longest = 0, [], [], 0.0
    started = time.monotonic()
    while not Path(stop_file).exists() and time.monotonic() - started < 120:
        asked = time.monotonic()
        try:
            with connection(db, read_only=True) as con:
                figures = _page_queries(con)
            queries += 1
            if (figures - base) % per_file:  # a commit seen half done
                torn.append(figures)
        except Exception:
            errors.append(traceback.format_exc(limit=3))
        longest = max(longest, time.monotonic() - asked)
    return {"role": "reader", "queries": queries, "errors": errors, "torn": torn, "longest": longest}


def main(argv: list[str]) -> int:
    if argv[0] == "writer":
        out = writer(argv[1], argv[2], argv[3:])
    else:
        out = reader(argv[1], argv[2], int(argv[3]), int(argv[4]))
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
