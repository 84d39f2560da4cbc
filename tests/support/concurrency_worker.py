"""Separate processes for tests/test_concurrency.py, coordinated through files, never through timing.

    python -m tests.support.concurrency_worker writer DB BOARD WHO PEER FILE...
    python -m tests.support.concurrency_worker reader DB BOARD

BOARD is a folder the processes post small files to (each written whole, with os.replace):

* a writer prepares all its returns (outside any lock, as the upload page does), posts `WHO.ready`
  and waits for `reader.ready` and `PEER.ready`. Then, for its i-th return, it posts `WHO-i.want`
  and opens the warehouse read-write. Holding the file, it posts `WHO-i.holding` and waits until
  the reader has a read in flight (that read must then wait for this commit) and, for its first
  return, until PEER has posted `PEER-0.want` (unless PEER committed first): the first writer to
  hold the file holds it while the other asks for it, whose open must then wait for this commit.
  It commits, closes, posts `WHO-i.committed` and waits until the reader has finished a read
  begun after that, so the next commit comes only after a page has read this one;
* the reader reads (a page's queries, read-only) whenever a writer has posted something it has
  not read after. It posts `reader.state` {"attempt": k, "finished": false} before opening and
  {"finished": true} while still connected: a writer holding the file that sees an unfinished
  attempt knows the read is waiting for it. After each read it posts `EVENT.read` = k for every
  event the read answered.

Every wait gives up after HANDSHAKE_TIMEOUT and counts as an error, so a broken lock fails the test
instead of hanging it. Each process prints one JSON line at the end: what it did and saw, and every
error it met.
"""

import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from metrics import Filters, actuals
from warehouse.connection import connection

HANDSHAKE_TIMEOUT = 300.0  # only a broken lock or a dead peer comes near it
POLL = 0.005


class Board:
    """A folder of small JSON files, each posted whole."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def post(self, name: str, value: object = True) -> None:
        part = self.folder / f".{name}.{os.getpid()}.part"
        part.write_text(json.dumps(value), encoding="utf-8")
        os.replace(part, self.folder / name)

    def get(self, name: str, default: object = None) -> object:
        try:
            return json.loads((self.folder / name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return default

    def has(self, name: str) -> bool:
        return (self.folder / name).exists()

    def names(self, *suffixes: str) -> set[str]:
        return {p.name for p in self.folder.iterdir() if p.name.endswith(suffixes)}

    def wait(self, ready: Callable[[], object], what: str) -> object:
        """Poll until ready() is truthy and return it (the poll interval decides nothing but CPU use)."""
        deadline = time.monotonic() + HANDSHAKE_TIMEOUT
        while not (answer := ready()):
            if time.monotonic() > deadline:
                raise TimeoutError(f"gave up waiting for {what}")
            time.sleep(POLL)
        return answer


def writer(db: str, folder: str, who: str, peer: str, files: list[str]) -> dict:
    from etl.returns.prepare import prepare
    from etl.store.ledger import commit

    board = Board(folder)
    prepared = [prepare(Path(name)) for name in files]
    board.post(f"{who}.ready")
    board.wait(lambda: board.has("reader.ready") and board.has(f"{peer}.ready"), "the others to be ready")
    commits, errors, peer_waited = [], [], None
    for i, item in enumerate(prepared):
        event = f"{who}-{i}"
        try:
            board.post(f"{event}.want")
            with connection(db) as con:
                board.post(f"{event}.holding")
                state = board.wait(
                    lambda: (s := board.get("reader.state")) and not s["finished"] and s,
                    "a read in flight",
                )
                if i == 0:
                    board.wait(
                        lambda: board.has(f"{peer}-0.want") or board.has(f"{peer}-0.committed"),
                        f"{peer} to ask for the file",
                    )
                    # PEER asked before committing anything: its open is waiting for this commit
                    peer_waited = not board.has(f"{peer}-0.committed")
                result = commit(con, item, loaded_by=who)
            board.post(f"{event}.committed", result.submission_id)
            read_after = board.wait(
                lambda e=event: board.get(f"{e}.committed.read"), "a read after the commit"
            )
            commits.append(
                {
                    "submission_id": result.submission_id,
                    "figures": result.rows,
                    "blocked_read": state["attempt"],  # began while this writer held the file
                    "read_after": read_after,  # began after this commit was closed
                    "peer_waited": peer_waited if i == 0 else None,
                }
            )
        except Exception:
            errors.append(traceback.format_exc(limit=3))
    return {"role": "writer", "who": who, "commits": commits, "errors": errors}


def page_read(con) -> dict:
    """What a results page asks (through metrics), and what the test checks: figures and loads by whom."""
    actuals(con, Filters(year=2026), by=("sector",))
    # one statement, so one snapshot: two queries could fall either side of a commit and look torn
    figures, by = (
        con.cursor()
        .execute(
            "SELECT (SELECT count(*) FROM results), "
            "(SELECT map(list(loaded_by), list(n)) FROM "
            "(SELECT loaded_by, count(*) AS n FROM submissions GROUP BY 1))"
        )
        .fetchall()[0]
    )
    return {"figures": figures, "by": dict(by)}


def reader(db: str, folder: str) -> dict:
    board = Board(folder)
    reads, errors, answered = {}, [], set()
    attempt = 0
    board.post("reader.ready")
    while True:
        events = board.names(".holding", ".committed") - answered
        if not events:
            if board.has("stop"):
                break
            time.sleep(POLL)
            continue
        attempt += 1
        board.post("reader.state", {"attempt": attempt, "finished": False})
        try:
            with connection(db, read_only=True) as con:
                reads[attempt] = page_read(con)
                board.post("reader.state", {"attempt": attempt, "finished": True})
        except Exception:
            errors.append(traceback.format_exc(limit=3))
            board.post("reader.state", {"attempt": attempt, "finished": True})
        for event in events:
            board.post(f"{event}.read", attempt)
        answered |= events
    return {"role": "reader", "reads": reads, "errors": errors}


def main(argv: list[str]) -> int:
    if argv[0] == "writer":
        out = writer(argv[1], argv[2], argv[3], argv[4], argv[5:])
    else:
        out = reader(argv[1], argv[2])
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
