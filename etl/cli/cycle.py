"""The reporting cycle on the command line: close and reopen quarters, list them (meetings files go
through the one intake, as every file does: etl.cli.main)."""

from __future__ import annotations

import sys

from etl.problems import Refused, printable, short
from warehouse.connection import connection
from warehouse.cycle import CycleError, close_quarter, reopen_quarter

STATE = {"open": "접수 중 / open", "closed": "마감 / closed"}


def run_cycle_command(args, user: str, role: str, report) -> int:
    """`close`, `reopen` or `quarters` as `user` in `role`, each change audited in its own
    transaction; a refusal is one line on stderr and exit status 1. Stored text is printed escaped."""
    waiting = {"wait": args.wait}
    if args.command == "quarters":
        with connection(args.db, read_only=True, **waiting) as con:
            rows = con.execute(
                "SELECT year, quarter, state, closed_at, closed_by, missions_reported, agencies_reported "
                "FROM quarters ORDER BY year, quarter"
            ).fetchall()
        for year, quarter, state, closed_at, closed_by, missions, agencies in rows:
            when = (
                f" · {closed_at:%Y-%m-%d %H:%M} {printable(short(closed_by or '', 200))}" if closed_at else ""
            )
            print(f"{year}년 {quarter}분기  {STATE[state]}  공관 {missions} · 기관 {agencies}{when}")
        print(f"분기 {len(rows)}개 / {len(rows)} quarter(s)")
        return 0
    with connection(args.db, **waiting) as con:
        try:
            change = (close_quarter if args.command == "close" else reopen_quarter)(
                con, args.year, args.quarter, by=user, role=role
            )
        except CycleError as exc:
            sys.stderr.write(f"{exc}\n")
            return 1
        except Refused as exc:
            report(exc)
            return 1
    print(change.summary())
    return 0
