"""The reporting cycle on the command line: close and reopen quarters, list them, load meetings."""

from __future__ import annotations

import sys

from etl.problems import Refused
from etl.registers.meetings import load_meetings
from warehouse.connection import connection
from warehouse.cycle import CycleError, close_quarter, reopen_quarter

STATE = {"open": "접수 중 / open", "closed": "마감 / closed"}


def run_cycle_command(args, user: str, report) -> int:
    """`close`, `reopen`, `quarters` or `meetings`; a refusal is one line on stderr and exit status 1."""
    if args.command == "quarters":
        with connection(args.db, read_only=True) as con:
            rows = con.execute(
                "SELECT year, quarter, state, closed_at, closed_by, missions_reported, agencies_reported "
                "FROM quarters ORDER BY year, quarter"
            ).fetchall()
        for year, quarter, state, closed_at, closed_by, missions, agencies in rows:
            when = f" · {closed_at:%Y-%m-%d %H:%M} {closed_by or ''}" if closed_at else ""
            print(f"{year}년 {quarter}분기  {STATE[state]}  공관 {missions} · 기관 {agencies}{when}")
        print(f"분기 {len(rows)}개 / {len(rows)} quarter(s)")
        return 0
    with connection(args.db) as con:
        try:
            if args.command == "meetings":
                print(load_meetings(con, args.file, by=user).summary(args.file.name))
                return 0
            change = (close_quarter if args.command == "close" else reopen_quarter)(
                con, args.year, args.quarter, by=user
            )
        except CycleError as exc:
            sys.stderr.write(f"{exc}\n")
            return 1
        except Refused as exc:
            report(exc)
            return 1
        except FileNotFoundError:
            sys.stderr.write(f"{args.file}: 파일이 없습니다 / file not found\n")
            return 1
    print(change.summary())
    return 0
