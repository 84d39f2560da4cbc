"""The briefing pack's data (회의 자료): everything the multi-page PDF for a council meeting shows.

One call, no UI: the meeting being prepared (the first planned one, or a number), the latest closed
quarter's one-page summary, "since the last council" against the meeting held before it, one
scorecard per sector with its quarterly trend, every target at 주의 or 미흡 (the exceptions) with
its explanation (사유·대책) or none, the incidents open now, and the follow-up actions the last
council agreed (이행 점검: status, overdue, the latest note; `actions`, a metrics.actions.ActionReview).
ui/briefing_html.py lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import duckdb
import pandas as pd

from metrics.actions import ActionReview, action_review
from metrics.actuals import actuals
from metrics.attainment import attainment
from metrics.council import (
    SinceCouncil,
    last_meeting,
    meetings,
    next_meeting,
    now_filters,
    quarter_text,
    scope_names,
    since_last_council,
)
from metrics.db import fetch_all
from metrics.emergency import open_incidents
from metrics.explanations import attach, quarter_explanations
from metrics.filters import Filters
from metrics.summary import Summary, build_summary
from metrics.views_support import scorecards_by
from warehouse.meeting import Meeting

MAIN_SECTORS = ("kbeauty", "bio", "it", "green")
TREND_QUARTERS = 8  # quarters of trend on a sector page, ending with the as-of quarter
EXCEPTION_STATUSES = ("behind", "at_risk")


@dataclass
class Briefing:
    """The pack's data; `meeting` is None when no meeting is planned (a pack for the latest close)."""

    meeting: Meeting | None
    filters: Filters  # the latest closed quarter, current figures
    summary: Summary
    since: SinceCouncil | None
    sectors: tuple[str, ...]
    sector_cards: pd.DataFrame  # scorecards_by(sector): each metric against the sector's target
    trend: pd.DataFrame  # sector_code, year, quarter, metric_code, value: the last TREND_QUARTERS quarters
    # attainment() rows at 주의 or 미흡, worst first, with each one's explanation for the quarter
    # (metrics.explanations.attach): explained (bool), owner_agency, cause, measures, recover_by
    # ('2026Q4'), written_by, written_at; the text columns NULL where none is written yet
    exceptions: pd.DataFrame
    incidents: pd.DataFrame  # open_incidents()
    today: date
    names: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    actions: ActionReview | None = None  # what the last council agreed, on `today`

    @property
    def period(self) -> int:
        return int(self.filters.through)  # type: ignore[arg-type]

    def title(self, lang: str) -> str:
        """The pack's title, the same in every writer: the PDF's <title> and running line, the HWPX's."""
        ko = lang == "ko"
        head = (
            self.meeting.title(lang)
            if self.meeting
            else ("중기부–외교부 정책협의회" if ko else "MSS–MOFA Policy Council")
        )
        as_of = quarter_text(self.period, lang)
        return (
            f"{head} · 회의 자료 · {as_of} 마감 기준"
            if ko
            else f"{head} · Briefing pack · as of {as_of} (closed)"
        )


def choose_meeting(con: duckdb.DuckDBPyConnection, meeting_no: int | None, today: date) -> Meeting | None:
    if meeting_no is None:
        return next_meeting(con, today)
    for m in meetings(con):
        if m.meeting_no == meeting_no:
            return m
    raise ValueError(f"제{meeting_no}차 회의가 없습니다 / no meeting number {meeting_no}")


def sector_trend(con: duckdb.DuckDBPyConnection, filters: Filters, sectors: tuple[str, ...]) -> pd.DataFrame:
    """Each sector's quarterly figures for the TREND_QUARTERS quarters up to the as-of quarter."""
    through = int(filters.through)  # type: ignore[arg-type]
    first_year = through // 10 - (TREND_QUARTERS // 4)
    frames = []
    every_year = replace(filters, year=None, quarter_to=4, sectors=sectors)
    df = actuals(con, every_year, by=("sector", "year", "quarter"))
    df = df[df["year"] >= first_year]
    period = df["year"] * 10 + df["quarter"]
    periods = sorted({int(p) for p in period if p <= through})[-TREND_QUARTERS:]
    frames.append(df[period.isin(periods)])
    return pd.concat(frames, ignore_index=True) if frames else df


def exceptions(att: pd.DataFrame) -> pd.DataFrame:
    """Targets at 미흡 then 주의, by level (total first) and attainment (lowest first)."""
    df = att[att["status"].isin(EXCEPTION_STATUSES)].copy()
    order = {"total": 0, "sector": 1, "agency": 2, "mission": 3}
    df["_s"] = df["status"].map({"behind": 0, "at_risk": 1})
    df["_l"] = df["level"].map(order).fillna(9)
    df = df.sort_values(["_s", "_l", "attainment_pct"], na_position="last")
    return df.drop(columns=["_s", "_l"]).reset_index(drop=True)


def build_briefing(
    con: duckdb.DuckDBPyConnection, meeting_no: int | None = None, *, today: date | None = None
) -> Briefing | None:
    """The pack for meeting `meeting_no` (default: the next planned one); None before any quarter is closed."""
    today = today or date.today()
    current = now_filters(con)
    if current is None:
        return None
    meeting = choose_meeting(con, meeting_no, today)
    previous = last_meeting(con, meeting.held_on if meeting else today)
    now_attainment = attainment(con, current)  # every target now: the exceptions and "since"
    since = (
        since_last_council(con, previous, today=today, now_attainment=now_attainment) if previous else None
    )
    with_figures = {
        row[0]
        for row in fetch_all(
            con,
            "SELECT DISTINCT sector_code FROM result_sums WHERE year = $year AND quarter <= $q",
            {"year": current.year, "q": current.quarter_to},
        )
    }
    sectors = tuple(s for s in MAIN_SECTORS if s in with_figures) + tuple(
        sorted(s for s in with_figures if s not in MAIN_SECTORS)
    )
    return Briefing(
        meeting=meeting,
        filters=current,
        summary=build_summary(con, current),
        since=since,
        sectors=sectors,
        sector_cards=scorecards_by(con, current, "sector", sectors),
        trend=sector_trend(con, current, sectors),
        exceptions=attach(exceptions(now_attainment), quarter_explanations(con, current)),
        incidents=open_incidents(con, today, current.through),
        today=today,
        names=scope_names(con),
        actions=action_review(con, previous, today),
    )
