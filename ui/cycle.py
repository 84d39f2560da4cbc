"""The reporting cycle on the results pages: closed figures by default, preliminary ones when asked.

The council reviews closed quarters (마감). Figures of a quarter still open (접수 중) are
preliminary (잠정): left out unless the sidebar's switch (`?prelim=1`) asks for them, and then
marked on every page, chart, table and download. A warehouse where no quarter has been closed yet
has nothing but preliminary figures: it shows them, marked, rather than an empty dashboard.

"As the council saw it": choosing a past meeting (`?meeting=2`) shows every page as of that
meeting's day (metrics.cycle.meeting_moment), up to the quarter it reviewed. Targets are today's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from metrics.completeness import Coverage, quarter_coverage
from metrics.cycle import meeting_moment, meetings, quarter_states
from ui.i18n import lang, tr
from ui.warehouse import derived, query
from warehouse.connection import WarehouseMissing

PRELIM = "prelim"  # session key and URL parameter of the switch
MEETING = "meeting"  # session key and URL parameter: the meeting whose view is shown (0: today)
YEAR = "year"  # the sidebar's year (ui.filters.YEAR)
TODAY = "today"  # session key: the day deadlines are judged on (set by tests; else the real date)


@dataclass(frozen=True)
class Seen:
    """A council meeting held, whose view of the figures can be shown."""

    number: int
    held_on: date
    year: int  # the quarter it reviewed
    quarter: int

    @property
    def moment(self) -> datetime:
        return meeting_moment(self.held_on)

    @property
    def period(self) -> int:
        return self.year * 10 + self.quarter

    def text(self) -> str:
        return tr(
            f"제{self.number}차 회의({self.held_on:%Y-%m-%d}) 시점",
            f"As at meeting {self.number} ({self.held_on:%Y-%m-%d})",
        )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True)
class Arrived:
    """An open quarter after the last closed one, and how far its returns have come: the one count
    (metrics.completeness.quarter_coverage) the as-of line and the 잠정 marks say too."""

    year: int
    quarter: int
    agencies: int
    missions: int
    coverage: Coverage | None = None

    def text(self) -> str:
        return tr(
            f"{self.year}년 {self.quarter}분기 잠정: {self.agencies}개 기관, {self.missions}개 공관 접수",
            f"{self.year} Q{self.quarter} preliminary: {_count(self.agencies, 'agency', 'agencies')}, "
            f"{_count(self.missions, 'mission', 'missions')} in",
        )


@dataclass(frozen=True)
class Cycle:
    closed_through: int | None  # the latest closed quarter, 20263; None before the first close
    arriving: tuple[Arrived, ...]  # open quarters after it that have figures

    @property
    def closed_year(self) -> int | None:
        return None if self.closed_through is None else self.closed_through // 10


def cycle() -> Cycle:
    """Closed and arriving quarters (asked for by every table and chart of a page: kept per
    warehouse version, ui.warehouse.derived)."""
    try:
        return derived("cycle", _cycle)
    except WarehouseMissing:
        return Cycle(None, ())


def _cycle() -> Cycle:
    df = query(quarter_states)
    periods = df["year"] * 10 + df["quarter"]
    closed = periods[df["state"] == "closed"]
    through = int(closed.max()) if len(closed) else None
    later = df[(df["state"] == "open") & (periods > (through or 0))]
    covered = [query(quarter_coverage, int(r.year), int(r.quarter)) for r in later.itertuples()]
    arriving = tuple(Arrived(c.year, c.quarter, c.agencies, c.missions, c) for c in covered)
    return Cycle(through, arriving)


def today() -> date:
    """The day the pages judge deadlines and quarter ends by: the real date, unless the session
    names another (`st.session_state[TODAY]`, as the tests do; no URL parameter or widget sets it)."""
    value = st.session_state.get(TODAY)
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.today()


def default_year(years: list[int]) -> int | None:
    """The year a page opens on: the latest closed quarter's, unless the view is preliminary."""
    closed_year = cycle().closed_year
    if not preliminary() and closed_year in years:
        return closed_year
    return years[-1] if years else None


def held_meetings(today: date | None = None) -> list[Seen]:
    """Meetings held before today, oldest first (a planned one has no view of its own yet)."""
    try:
        seen = derived("meetings", _meetings)
    except WarehouseMissing:
        return []
    today = today or date.today()
    return [m for m in seen if m.held_on <= today]


def _meetings() -> tuple[Seen, ...]:
    return tuple(
        Seen(int(r.meeting_no), pd.Timestamp(r.held_on).date(), int(r.review_year), int(r.review_quarter))
        for r in query(meetings).itertuples()
    )


def chosen_meeting() -> Seen | None:
    number = st.session_state.get(MEETING) or 0
    return next((m for m in held_meetings() if m.number == number), None)


def at() -> datetime | None:
    """The `Filters.at` of the view: a chosen meeting's moment, else None (today's figures)."""
    seen = chosen_meeting()
    return seen.moment if seen else None


def _meeting_chosen() -> None:
    seen = chosen_meeting()
    if seen is not None:
        st.session_state[YEAR] = seen.year  # the year the meeting reviewed


def meeting_picker(container) -> None:
    """The sidebar's choice of a past meeting's view (only when meetings have been held)."""
    held = held_meetings()
    if not held:
        return
    labels = {0: tr("현재(최근 마감 분기)", "Today (latest closed quarter)")}
    labels.update(
        {
            m.number: tr(
                f"제{m.number}차 ({m.held_on:%Y-%m-%d})", f"Meeting {m.number} ({m.held_on:%Y-%m-%d})"
            )
            for m in held
        }
    )
    if st.session_state.get(MEETING) not in labels:
        st.session_state[MEETING] = 0
    container.selectbox(
        tr("회의 시점으로 보기", "View as at a council meeting"),
        options=list(labels),
        format_func=labels.__getitem__,
        key=MEETING,
        on_change=_meeting_chosen,
        help=tr(
            "그 회의 날 웨어하우스에 있던 수치로 모든 화면을 봅니다(검토한 분기까지). 목표는 현재 값입니다.",
            "Every page with the figures as they stood on the meeting's day, up to the quarter it reviewed. "
            "Targets are today's.",
        ),
    )


def _back_to_today() -> None:
    st.session_state[MEETING] = 0


def preliminary() -> bool:
    """True when the view includes preliminary figures: asked for, or nothing closed yet."""
    if chosen_meeting() is not None:
        return False  # a meeting reviewed a closed quarter
    state = cycle()
    if state.closed_through is None:
        return bool(state.arriving)
    return bool(st.session_state.get(PRELIM)) and bool(state.arriving)


def through() -> int | None:
    """The `Filters.through` of the view: the last closed quarter, or None for every figure."""
    seen = chosen_meeting()
    if seen is not None:
        return seen.period
    state = cycle()
    return None if preliminary() or state.closed_through is None else state.closed_through


def switch(container) -> None:
    """The sidebar switch for the preliminary view (only when an open quarter has figures)."""
    state = cycle()
    if not state.arriving or state.closed_through is None or chosen_meeting() is not None:
        return
    container.toggle(
        tr("잠정 실적 포함", "Include preliminary figures"),
        key=PRELIM,
        help=tr(
            "마감되지 않은 분기에 접수된 실적을 함께 봅니다. 모든 수치·차트·표·내려받기에 '잠정'이 표시됩니다.",
            "Show the figures of quarters not yet closed, marked 'preliminary' on every number, chart, "
            "table and download.",
        ),
    )


def _turn_on() -> None:
    st.session_state[PRELIM] = True


def notice() -> None:
    """Under each page's title: a meeting's view, how far the open quarters have arrived, or that this
    view is preliminary."""
    seen = chosen_meeting()
    if seen is not None:
        row = st.container(horizontal=True, vertical_alignment="center")
        row.info(
            tr(
                f"**{seen.text()}** — {seen.year}년 {seen.quarter}분기 마감 기준, 그날까지 적재된 수치입니다. "
                "이후의 정정은 반영되지 않았습니다. 목표는 현재 값입니다.",
                f"**{seen.text()}** — closed {seen.year} Q{seen.quarter}, the figures loaded by that day; "
                "later restatements are not included. Targets are today's.",
            ),
            icon=":material/history:",
        )
        row.button(
            tr("현재로", "Back to today"), on_click=_back_to_today, key="meeting_off", icon=":material/today:"
        )
        return
    state = cycle()
    if not state.arriving:
        return
    arrived = " · ".join(a.text() for a in state.arriving)
    if state.closed_through is None:
        st.warning(
            tr(
                f"아직 마감된 분기가 없어 모든 실적이 **잠정치**입니다 ({arrived}).",
                f"No quarter has been closed yet: every figure is **preliminary** ({arrived}).",
            ),
            icon=":material/pending:",
        )
    elif preliminary():
        st.warning(
            tr(
                f"**잠정 보기** — 마감되지 않은 분기의 실적이 포함되어 있습니다 ({arrived}).",
                f"**Preliminary view** — includes figures of quarters not yet closed ({arrived}).",
            ),
            icon=":material/pending:",
        )
    else:
        row = st.container(horizontal=True, vertical_alignment="center")
        row.caption(arrived)
        row.button(
            tr("잠정 보기", "Preliminary view"),
            on_click=_turn_on,
            icon=":material/visibility:",
            type="tertiary",
            key="prelim_on",
        )


def word() -> str:
    return tr("잠정", "Preliminary")


def label() -> str:
    """The mark of a preliminary figure, with the open quarter's coverage beside it ("잠정 · 3/40 공관"):
    on every number, chart, table and header of the preliminary view."""
    state = cycle()
    cov = state.arriving[-1].coverage if state.arriving else None
    return cov.text(lang()) if cov is not None else word()


def mark_table(df: pd.DataFrame) -> pd.DataFrame:
    """The table with a first column saying 잠정, in the preliminary view (shown and downloaded alike)."""
    if not preliminary() or df.empty:
        return df
    marked = df.copy()
    marked.insert(0, tr("구분", "Basis"), label())
    return marked


# Pixels, for a chart with its x-axis labels on top: the labels (12 px text and their standoff) take
# about 30 px above the plot; the stamp (13 px bold with a border) about 20 px above those.
STAMP_OVER_TOP_LABELS = 34
STAMP_BAND = 36


def mark_figure(fig: go.Figure) -> go.Figure:
    """The chart with a 잠정 stamp in its top-right corner, in the preliminary view."""
    if not preliminary():
        return fig
    marked = go.Figure(fig)
    shift = 0
    if any(axis.side == "top" for axis in marked.select_xaxes()):
        # The column labels (the 요약 heat map's sectors) sit just above the plot, where the stamp
        # would cover the last one: the stamp gets a band of its own above them, and the figure
        # grows by that band so the cells keep their height.
        shift = STAMP_OVER_TOP_LABELS
        margin = marked.layout.margin.t
        marked.update_layout(margin={"t": (24 if margin is None else margin) + STAMP_BAND})
        if marked.layout.height is not None:
            marked.update_layout(height=marked.layout.height + STAMP_BAND)
    marked.add_annotation(
        text=f"<b>{label()}</b>",
        xref="paper",
        yref="paper",
        x=1,
        y=1 if shift else 1.02,
        yshift=shift,
        xanchor="right",
        yanchor="bottom",
        showarrow=False,
        font={"color": "#b45309", "size": 13},
        bgcolor="#fef3c7",
        bordercolor="#b45309",
        borderwidth=1,
    )
    return marked


def stem(name: str) -> str:
    """A download file name's stem, with 잠정 (or the meeting) in it when the view is not today's closed one."""
    seen = chosen_meeting()
    if seen is not None:
        return f"{name}_{tr(f'제{seen.number}차회의시점', f'as_at_meeting{seen.number}')}"
    return f"{name}_{word()}" if preliminary() else name
