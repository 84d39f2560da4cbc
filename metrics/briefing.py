"""The briefing pack's data (회의 자료): everything the multi-page PDF for a council meeting shows.

One call, no UI: the meeting being prepared (the first planned one, or a number), the latest closed
quarter's one-page summary, "since the last council" against the meeting held before it, one
scorecard per sector with its quarterly trend, every target at 주의 or 미흡 (the exceptions) with
its explanation (사유·대책) or none, the incidents open now, and the follow-up actions the last
council agreed (이행 점검: status, overdue, the latest note; `actions`, a metrics.actions.ActionReview).
briefing/outline.py describes it, and briefing/'s two writers lay it out (PDF and HWPX).
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
# How many rows of each long list a pack prints. The registers hold whatever administrators load
# (3,000 actions of 2,000 characters made a pack of gigabytes and minutes), and a council reads a few
# pages: past these, the pack prints the first rows (those needing attention first) and says how many
# are left out and where to see them all. Notes: a pack prints each action's latest note only. The
# exceptions' cap sits above the demo's 106 (a council of 40 missions has about that many targets at
# 주의 or 미흡, and reads each one's 사유·대책); a register of thousands of targets is what it stops.
PACK_CAPS = {"actions": 40, "exceptions": 150}


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
    actions: ActionReview | None = None  # what the last council agreed, on the meeting's day

    @property
    def period(self) -> int:
        return int(self.filters.through)  # type: ignore[arg-type]

    @property
    def listed_exceptions(self) -> pd.DataFrame:
        """The exceptions a list prints, worst first: the ones left out are the mildest. Counts and
        summaries use all of `exceptions`."""
        return self.exceptions.head(PACK_CAPS["exceptions"])

    @property
    def left_out(self) -> dict[str, int]:
        """PACK_CAPS' kind → rows counted but not printed."""
        return {
            "actions": self.actions.left_out if self.actions is not None else 0,
            "exceptions": max(len(self.exceptions) - PACK_CAPS["exceptions"], 0),
        }

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


def capped_actions(review: ActionReview, cap: int | None = None) -> ActionReview:
    """The review with at most `cap` actions (overdue, then due soon, then other unfinished ones, then
    finished; the last council's before carried ones), in their listed order, and only the latest note
    of each; `left_out` counts the actions not printed."""
    cap = PACK_CAPS["actions"] if cap is None else cap
    actions = review.actions
    if len(actions) > cap:
        rank = pd.DataFrame(
            {
                "finished": actions["is_finished"].astype(bool),
                "not_overdue": ~actions["overdue"].astype(bool),
                "not_soon": ~actions["due_soon"].astype(bool),
                "carried": actions["carried"].astype(bool),
                "order": range(len(actions)),
            },
            index=actions.index,
        )
        kept = rank.sort_values(list(rank.columns)).index[:cap]
        actions = actions.loc[sorted(kept)].reset_index(drop=True)
    notes = review.notes
    if not notes.empty:
        notes = notes[notes["action_id"].isin(actions["action_id"])]
        notes = notes.groupby("action_id", sort=False).tail(1)  # oldest first: the last is the latest
    return replace(review, actions=actions, notes=notes, left_out=len(review.actions) - len(actions))


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
    every_exception = attach(exceptions(now_attainment), quarter_explanations(con, current))
    # papers are read at the meeting: days left and overdue count to its day (DOMAIN), not to today
    review = capped_actions(action_review(con, previous, meeting.held_on if meeting else today))
    return Briefing(
        meeting=meeting,
        filters=current,
        summary=build_summary(con, current),
        since=since,
        sectors=sectors,
        sector_cards=scorecards_by(con, current, "sector", sectors),
        trend=sector_trend(con, current, sectors),
        exceptions=every_exception,
        incidents=open_incidents(con, today, current.through),
        today=today,
        names=scope_names(con),
        actions=review,
    )
