"""The reporting cycle on the results pages: closed figures by default, preliminary ones when asked.

The council reviews closed quarters (마감). Figures of a quarter still open (접수 중) are
preliminary (잠정): left out unless the sidebar's switch (`?prelim=1`) asks for them, and then
marked on every page, chart, table and download. A warehouse where no quarter has been closed yet
has nothing but preliminary figures: it shows them, marked, rather than an empty dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from metrics.cycle import quarter_states
from ui.i18n import tr
from ui.warehouse import query
from warehouse.connection import WarehouseMissing

PRELIM = "prelim"  # session key and URL parameter of the switch


@dataclass(frozen=True)
class Arrived:
    """An open quarter after the last closed one, and how far its returns have come."""

    year: int
    quarter: int
    agencies: int
    missions: int

    def text(self) -> str:
        return tr(
            f"{self.year}년 {self.quarter}분기 잠정: {self.agencies}개 기관, {self.missions}개 공관 접수",
            f"{self.year} Q{self.quarter} preliminary: {self.agencies} agencies, {self.missions} missions in",
        )


@dataclass(frozen=True)
class Cycle:
    closed_through: int | None  # the latest closed quarter, 20263; None before the first close
    arriving: tuple[Arrived, ...]  # open quarters after it that have figures

    @property
    def closed_year(self) -> int | None:
        return None if self.closed_through is None else self.closed_through // 10


def cycle() -> Cycle:
    try:
        df = query(quarter_states)
    except WarehouseMissing:
        return Cycle(None, ())
    periods = df["year"] * 10 + df["quarter"]
    closed = periods[df["state"] == "closed"]
    through = int(closed.max()) if len(closed) else None
    later = df[(df["state"] == "open") & (periods > (through or 0))]
    arriving = tuple(
        Arrived(int(r.year), int(r.quarter), int(r.agencies_reported), int(r.missions_with_figures))
        for r in later.itertuples()
    )
    return Cycle(through, arriving)


def default_year(years: list[int]) -> int | None:
    """The year a page opens on: the latest closed quarter's, unless the view is preliminary."""
    closed_year = cycle().closed_year
    if not preliminary() and closed_year in years:
        return closed_year
    return years[-1] if years else None


def preliminary() -> bool:
    """True when the view includes preliminary figures: asked for, or nothing closed yet."""
    state = cycle()
    if state.closed_through is None:
        return bool(state.arriving)
    return bool(st.session_state.get(PRELIM)) and bool(state.arriving)


def through() -> int | None:
    """The `Filters.through` of the view: the last closed quarter, or None for every figure."""
    state = cycle()
    return None if preliminary() or state.closed_through is None else state.closed_through


def switch(container) -> None:
    """The sidebar switch for the preliminary view (only when an open quarter has figures)."""
    state = cycle()
    if not state.arriving or state.closed_through is None:
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
    """Under each page's title: how far the open quarters have arrived, or that this view is preliminary."""
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


def label() -> str:
    return tr("잠정", "Preliminary")


def mark_table(df: pd.DataFrame) -> pd.DataFrame:
    """The table with a first column saying 잠정, in the preliminary view (shown and downloaded alike)."""
    if not preliminary() or df.empty:
        return df
    marked = df.copy()
    marked.insert(0, tr("구분", "Basis"), label())
    return marked


def mark_figure(fig: go.Figure) -> go.Figure:
    """The chart with a 잠정 stamp in its top-right corner, in the preliminary view."""
    if not preliminary():
        return fig
    marked = go.Figure(fig)
    marked.add_annotation(
        text=f"<b>{label()}</b>",
        xref="paper",
        yref="paper",
        x=1,
        y=1.02,
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
    """A download file name's stem, with 잠정 in it in the preliminary view."""
    return f"{name}_{label()}" if preliminary() else name
