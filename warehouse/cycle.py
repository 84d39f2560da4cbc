"""The reporting cycle's state: which quarters are closed (마감), closing and reopening them.

A quarter is open from its first return until an administrator closes it. Closed quarters always
form the earliest quarters with figures (a quarter closes only after every earlier quarter with
figures has, and reopens only while no later one is closed), so "closed" is one cut-off period:
`closed_through`. Figures after it are preliminary (잠정). The dashboard (제출 현황) and the command
line (`python -m etl close|reopen`) both call `close_quarter` / `reopen_quarter`, which refuse with
a message in Korean and English and change nothing when the request makes no sense.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import duckdb

from warehouse.admin import record
from warehouse.transaction import transaction

DEADLINE_DAYS = 30  # returns are due this many days after the quarter ends

AUTO_CLOSER = "자동 마감(제출 기한 경과) / closed on upgrade: deadline passed"


class CycleError(ValueError):
    """A close or reopen that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class QuarterChange:
    year: int
    quarter: int
    action: str  # close | reopen
    missions_reported: int
    agencies_reported: int

    def summary(self) -> str:
        if self.action == "close":
            return (
                f"{self.year}년 {self.quarter}분기 마감 — 공관 {self.missions_reported}곳, "
                f"기관 {self.agencies_reported}곳 제출 / {self.year} Q{self.quarter} closed: "
                f"{self.missions_reported} missions, {self.agencies_reported} agencies reported"
            )
        return (
            f"{self.year}년 {self.quarter}분기를 다시 열었습니다 — 이 분기의 실적은 다시 잠정치입니다 / "
            f"{self.year} Q{self.quarter} reopened: its figures are preliminary again"
        )


def quarter_end(year: int, quarter: int) -> date:
    month = 3 * quarter
    return date(year, month, calendar.monthrange(year, month)[1])


def due_date(year: int, quarter: int) -> date:
    """The day a quarter's returns are due: the quarter's end + DEADLINE_DAYS (the one definition)."""
    return quarter_end(year, quarter) + timedelta(days=DEADLINE_DAYS)


def has_ended(year: int, quarter: int, today: date) -> bool:
    """True once the quarter is over (the day after its last day): only then may it be closed."""
    return today > quarter_end(year, quarter)


def past_due(year: int, quarter: int, today: date) -> bool:
    """True once the due date has passed: a return not in by then is missing (미제출), before it
    is not yet due (기한 전)."""
    return today > due_date(year, quarter)


def period(year: int, quarter: int) -> int:
    """A quarter as one sortable number, 2026 Q3 → 20263 (as `closed_through` gives it)."""
    return int(year) * 10 + int(quarter)


def closed_through(con: duckdb.DuckDBPyConnection) -> int | None:
    """The latest closed quarter as year * 10 + quarter (20263), or None before any close."""
    cur = con.cursor()
    try:
        return cur.execute("SELECT max(year * 10 + quarter)::INTEGER FROM quarter_close").fetchall()[0][0]
    except duckdb.CatalogException:  # a warehouse from before the cycle, opened read-only
        return None
    finally:
        cur.close()


def is_closed(con: duckdb.DuckDBPyConnection, year: int, quarter: int) -> bool:
    """True when the quarter is closed (마감)."""
    period_no = closed_through(con)
    return period_no is not None and period(year, quarter) <= period_no


def _reporting(con: duckdb.DuckDBPyConnection, year: int, quarter: int) -> tuple[int, int] | None:
    rows = con.execute(
        "SELECT missions_reported, agencies_reported FROM quarter_reporting WHERE year = ? AND quarter = ?",
        [year, quarter],
    ).fetchall()
    return (int(rows[0][0]), int(rows[0][1])) if rows else None


def _is_closed(con: duckdb.DuckDBPyConnection, year: int, quarter: int) -> bool:
    return bool(
        con.execute("SELECT 1 FROM quarter_close WHERE year = ? AND quarter = ?", [year, quarter]).fetchall()
    )


def _check_quarter(year: int, quarter: int) -> None:
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
        raise CycleError(
            f"{year}년 {quarter}분기는 올바른 분기가 아닙니다 / not a valid quarter: {year} Q{quarter}"
        )


def close_quarter(
    con: duckdb.DuckDBPyConnection,
    year: int,
    quarter: int,
    *,
    by: str | None,
    role: str | None = None,
    today: date | None = None,
    at: datetime | None = None,
) -> QuarterChange:
    """Close a quarter that has ended and has returns, after every earlier quarter with returns.

    `at` records another moment than now as the closing time (the demo's backdated history). With a
    `role` (the app's or the command line's) the audit line is written in the same transaction.
    """
    _check_quarter(year, quarter)
    today = today or date.today()
    end = quarter_end(year, quarter)
    name_ko, name_en = f"{year}년 {quarter}분기", f"{year} Q{quarter}"
    if not has_ended(year, quarter, today):
        raise CycleError(
            f"{name_ko}는 아직 끝나지 않았습니다({end:%Y-%m-%d} 종료). 분기가 끝난 뒤에 마감하세요. / "
            f"{name_en} has not ended yet (ends {end:%Y-%m-%d}); close it after it ends."
        )
    if _is_closed(con, year, quarter):
        raise CycleError(f"{name_ko}는 이미 마감되었습니다 / {name_en} is already closed.")
    counts = _reporting(con, year, quarter)
    if counts is None:
        raise CycleError(
            f"{name_ko}에는 접수된 실적이 없어 마감할 수 없습니다. 실적을 먼저 적재하세요. / "
            f"{name_en} has no returns, so it cannot be closed: load its returns first."
        )
    earlier = con.execute(
        "SELECT year, quarter FROM quarters WHERE state = 'open' AND year * 10 + quarter < ? "
        "ORDER BY year, quarter LIMIT 1",
        [period(year, quarter)],
    ).fetchall()
    if earlier:
        y, q = earlier[0]
        raise CycleError(
            f"앞선 {y}년 {q}분기가 아직 마감되지 않았습니다. 분기는 순서대로 마감합니다: {y}년 {q}분기를 먼저 마감하세요. / "
            f"the earlier quarter {y} Q{q} is still open; quarters close in order, close {y} Q{q} first."
        )
    now = at or _now(con)
    with transaction(con):
        con.execute("INSERT INTO quarter_close VALUES (?, ?, ?, ?, ?, ?)", [year, quarter, now, by, *counts])
        _log(con, year, quarter, "close", now, by, counts)
        _audit(con, "close", year, quarter, by, role, counts)
    return QuarterChange(year, quarter, "close", *counts)


def reopen_quarter(
    con: duckdb.DuckDBPyConnection, year: int, quarter: int, *, by: str | None, role: str | None = None
) -> QuarterChange:
    """Reopen the latest closed quarter (its figures become preliminary again); audited with a `role`."""
    _check_quarter(year, quarter)
    name_ko, name_en = f"{year}년 {quarter}분기", f"{year} Q{quarter}"
    if not _is_closed(con, year, quarter):
        raise CycleError(f"{name_ko}는 마감되지 않은(접수 중인) 분기입니다 / {name_en} is open, not closed.")
    later = con.execute(
        "SELECT year, quarter FROM quarter_close WHERE year * 10 + quarter > ? ORDER BY year DESC, quarter DESC LIMIT 1",
        [period(year, quarter)],
    ).fetchall()
    if later:
        y, q = later[0]
        raise CycleError(
            f"뒤의 {y}년 {q}분기가 마감되어 있어 {name_ko}를 다시 열 수 없습니다. 뒤 분기부터 다시 여세요. / "
            f"the later quarter {y} Q{q} is closed; reopen the latest closed quarter first."
        )
    counts = _reporting(con, year, quarter) or (0, 0)
    now = _now(con)
    with transaction(con):
        con.execute("DELETE FROM quarter_close WHERE year = ? AND quarter = ?", [year, quarter])
        _log(con, year, quarter, "reopen", now, by, counts)
        _audit(con, "reopen", year, quarter, by, role, counts)
    return QuarterChange(year, quarter, "reopen", *counts)


def _audit(con, action: str, year: int, quarter: int, by, role, counts) -> None:
    """The audit line of a close or reopen by a person (the app or the command line: a `role`)."""
    if role is not None:
        record(
            con,
            f"{action}_quarter",
            actor=by,
            role=role,
            subject=f"{year}Q{quarter}",
            detail=f"missions {counts[0]}, agencies {counts[1]}",
        )


def adopt_cycle(con: duckdb.DuckDBPyConnection, today: date | None = None) -> int:
    """A warehouse from before the cycle: close every quarter with figures whose deadline has passed.

    Runs once per warehouse (meta 'cycle'); a new, empty warehouse just gets the mark. Each quarter
    closed this way is recorded (quarter_event 'auto_close') with its completeness then. Returns
    how many quarters were closed.
    """
    if con.execute("SELECT 1 FROM meta WHERE key = 'cycle'").fetchall():
        return 0
    today = today or date.today()
    rows = con.execute(
        "SELECT year, quarter, missions_reported, agencies_reported FROM quarter_reporting ORDER BY year, quarter"
    ).fetchall()
    now = _now(con)
    with transaction(con):
        closed = 0
        for year, quarter, missions, agencies in rows:
            if not past_due(year, quarter, today):
                break  # quarters close in order: the first one still within its deadline stays open
            con.execute(
                "INSERT INTO quarter_close VALUES (?, ?, ?, ?, ?, ?)",
                [year, quarter, now, AUTO_CLOSER, missions, agencies],
            )
            _log(con, year, quarter, "auto_close", now, AUTO_CLOSER, (missions, agencies))
            closed += 1
        con.execute("INSERT OR REPLACE INTO meta VALUES ('cycle', 'adopted')")
    return closed


def _now(con: duckdb.DuckDBPyConnection) -> datetime:
    # The warehouse's clock, as loaded_at uses it (current_timestamp), so events order with loads.
    return con.execute("SELECT current_timestamp::TIMESTAMP").fetchall()[0][0]


def _log(con, year, quarter, action, at, by, counts) -> None:
    con.execute(
        "INSERT INTO quarter_event (year, quarter, action, acted_at, acted_by, missions_reported, agencies_reported) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [year, quarter, action, at, by, *counts],
    )
