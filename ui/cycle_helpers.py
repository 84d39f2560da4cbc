"""Closing and reopening quarters (분기 마감) in the app: what the administrator sees, and the change.

The rules are warehouse.cycle's (close_quarter / reopen_quarter refuse with a message and change
nothing); this module reads the quarters and who has not reported, words the confirmations, and
records who closed or reopened in quarter_event and the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd
import streamlit as st

from metrics.completeness import Completeness, completeness, missions_reported
from metrics.cycle import quarter_states
from metrics.filters import Filters
from ui.i18n import lang, tr
from ui.roles import Identity
from ui.tables import show as show_table
from ui.warehouse import query
from warehouse.connection import connection
from warehouse.cycle import (
    DEADLINE_DAYS,
    CycleError,
    close_quarter,
    due_date,
    has_ended,
    past_due,
    quarter_end,
    reopen_quarter,
)
from warehouse.paths import db_path
from warehouse.text import josa

PENDING = "cycle_pending"  # ("close" | "reopen", year, quarter) awaiting confirmation
DONE = "cycle_done"  # (ok, message) shown after the rerun
CHOICE = "cycle_close_choice"  # the quarter to close (selectbox key)
FOLLOW = "cycle_follow"  # the quarter the choice moves to on the next run (the one just reopened)
MISSING_SHOWN = 5  # missions named in a confirmation; more are counted

EVENTS = """
SELECT event_id, year, quarter, action, acted_at, acted_by, missions_reported, agencies_reported
FROM quarter_event ORDER BY event_id DESC
"""
ACTION = {
    "close": ("마감", "closed"),
    "reopen": ("다시 열기", "reopened"),
    "auto_close": ("자동 마감(기한 경과)", "closed automatically (deadline passed)"),
}
STATE = {"open": ("접수 중", "open"), "closed": ("마감", "closed")}


def quarter_events(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every close and reopen, newest first (quarter_event)."""
    return con.cursor().execute(EVENTS).df()


@dataclass(frozen=True)
class Gaps:
    """Who has and has not reported for one quarter."""

    missions: Completeness
    agencies_expected: int
    agencies_missing: tuple[str, ...]  # agency codes without any figure


def reporting_gaps(
    con: duckdb.DuckDBPyConnection, year: int, quarter: int, today: date | None = None
) -> Gaps:
    """Missions whose MOFA return is not in and agencies without figures, for that quarter only
    (missing, or not yet due before the due date: `missions_reported`)."""
    scope = Filters(year=year, quarter_from=quarter, quarter_to=quarter)
    by_agency = completeness(con, scope, by="agency")
    by_agency = by_agency[by_agency["quarter"] == quarter]
    missing = by_agency.loc[~by_agency["reported"].astype(bool), "agency_code"]
    return Gaps(missions_reported(con, scope, today), len(by_agency), tuple(missing))


def not_ended_text(year: int, quarter: int) -> str:
    """Why an open quarter is not offered for closing: '2026년 4분기: 분기가 끝나지 않았습니다 (2026-12-31 종료)'."""
    end = quarter_end(year, quarter)
    return tr(
        f"{quarter_name(year, quarter)}: 분기가 끝나지 않았습니다 ({end:%Y-%m-%d} 종료)",
        f"{quarter_name(year, quarter)}: the quarter has not ended ({end:%Y-%m-%d})",
    )


def quarter_name(year: int, quarter: int) -> str:
    return tr(f"{year}년 {quarter}분기", f"{year} Q{quarter}")


def _part(message: str) -> str:
    """The current language's half of a 'Korean / English' message."""
    ko, _, en = message.partition(" / ")
    return en if lang() == "en" and en else ko


def states_table(df: pd.DataFrame, today: date) -> pd.DataFrame:
    """The quarters in the current language: state, due date, completeness, who closed and when."""

    def due(row) -> str:
        when = due_date(int(row.year), int(row.quarter))
        if row.state == "closed" or not past_due(int(row.year), int(row.quarter), today):
            return f"{when:%Y-%m-%d}"
        return f"{when:%Y-%m-%d} " + tr("(지남)", "(passed)")

    return pd.DataFrame(
        {
            tr("분기", "Quarter"): [
                quarter_name(int(y), int(q)) for y, q in zip(df["year"], df["quarter"], strict=True)
            ],
            tr("상태", "State"): [tr(*STATE.get(s, (s, s))) for s in df["state"]],
            tr("제출 기한", "Due"): [due(r) for r in df.itertuples()],
            tr("공관 제출", "Missions reported"): df["missions_reported"].astype("Int64"),
            tr("기관 제출", "Agencies reported"): df["agencies_reported"].astype("Int64"),
            tr("마감 시각", "Closed at"): _when(df["closed_at"]),
            tr("마감자", "Closed by"): df["closed_by"].fillna("").astype("str"),
        }
    )


def events_table(df: pd.DataFrame) -> pd.DataFrame:
    """Closes and reopens, newest first: when, which quarter, what, who, completeness then."""
    return pd.DataFrame(
        {
            tr("시각", "When"): _when(df["acted_at"]),
            tr("분기", "Quarter"): [
                quarter_name(int(y), int(q)) for y, q in zip(df["year"], df["quarter"], strict=True)
            ],
            tr("처리", "Action"): [tr(*ACTION.get(a, (a, a))) for a in df["action"]],
            tr("처리자", "By"): df["acted_by"].fillna("").astype("str"),
            tr("공관 제출", "Missions reported"): df["missions_reported"].astype("Int64"),
            tr("기관 제출", "Agencies reported"): df["agencies_reported"].astype("Int64"),
        }
    )


def _when(times: pd.Series) -> pd.Series:
    return pd.to_datetime(times).dt.strftime("%Y-%m-%d %H:%M").fillna("").astype("str")


def gaps_text(gaps: Gaps, agency_names: dict[str, str]) -> str:
    """'공관 38/40 제출 · 미제출: 주케냐 대사관, … · 기관 4/5 제출 · 실적 없는 기관: 창업진흥원'."""
    m = gaps.missions
    agencies_in = gaps.agencies_expected - len(gaps.agencies_missing)
    parts = [tr(f"공관 {m.submitted}/{m.expected} 제출", f"{m.submitted}/{m.expected} missions reported")]
    if m.missing:
        parts.append(m.missing_text(lang(), MISSING_SHOWN))
    parts.append(
        tr(
            f"기관 {agencies_in}/{gaps.agencies_expected} 제출",
            f"{agencies_in}/{gaps.agencies_expected} agencies reported",
        )
    )
    if gaps.agencies_missing:
        named = ", ".join(agency_names.get(a, a) for a in gaps.agencies_missing)
        parts.append(tr(f"실적 없는 기관: {named}", f"No figures from: {named}"))
    return " · ".join(parts)


def close_question(year: int, quarter: int, gaps: Gaps, agency_names: dict[str, str]) -> str:
    """The confirmation, naming the missing returns: '미제출: 주케냐 대사관 외 N곳 — 그래도 마감하시겠습니까?'."""
    missing = []
    if gaps.missions.missing:
        missing.append(gaps.missions.missing_text(lang(), MISSING_SHOWN))
    if gaps.agencies_missing:
        named = ", ".join(agency_names.get(a, a) for a in gaps.agencies_missing)
        missing.append(tr(f"실적 없는 기관: {named}", f"no figures from {named}"))
    name = quarter_name(year, quarter)
    if missing:
        return tr(
            f"{name} 마감: " + " · ".join(missing) + " — 그래도 마감하시겠습니까? "
            "마감하면 이 분기가 회의와 기본 화면의 기준이 되고, 이후에 들어오는 보고는 정정으로 기록됩니다.",
            f"Close {name}: " + " · ".join(missing) + " — close it anyway? Once closed it is the quarter the "
            "council and the default views use, and later returns for it are recorded as restatements.",
        )
    return tr(
        f"{name}: 모든 공관·기관이 제출했습니다. 마감하시겠습니까? 이후에 들어오는 보고는 정정으로 기록됩니다.",
        f"{name}: every mission and agency has reported. Close it? Later returns for it are recorded as "
        "restatements.",
    )


def reopen_question(year: int, quarter: int) -> str:
    name = quarter_name(year, quarter)
    return tr(
        f"{josa(name, '을/를')} 다시 엽니다. 이 분기의 실적은 다시 잠정치가 되고, 기본 화면은 그 앞의 마감 분기를 보여 줍니다. "
        "이 작업은 기록됩니다. 계속할까요?",
        f"Reopen {name}? Its figures become preliminary again and the default views show the closed quarter "
        "before it. This is recorded. Continue?",
    )


def apply(action: str, year: int, quarter: int, me: Identity, today: date | None = None) -> tuple[bool, str]:
    """Close or reopen one quarter as `me`; (False, the refusal) when the rules say no: nothing changes."""
    try:
        with connection(db_path()) as con:
            if action == "close":
                change = close_quarter(con, year, quarter, by=me.user, role=me.role, today=today)
            else:
                change = reopen_quarter(con, year, quarter, by=me.user, role=me.role)
    except CycleError as exc:
        return False, _part(str(exc))
    st.cache_data.clear()  # the default period of every page moves with the closed quarters
    return True, _part(change.summary())


def show_panel(me: Identity, agency_names: dict[str, str], today: date | None = None) -> None:
    """분기 마감 for an administrator: the quarters, the next one to close with who is missing, and
    the latest closed one to reopen, each behind a confirmation."""
    today = today or date.today()
    st.subheader(tr("분기 마감", "Closing quarters"))
    st.caption(
        tr(
            f"회의와 모든 화면의 기본값은 마감된 분기입니다. 보고 기한은 분기 종료 후 {DEADLINE_DAYS}일이며, "
            "분기는 끝난 뒤에 순서대로 마감합니다. 마감한 분기에 들어오는 보고는 정정으로 기록됩니다. "
            "마감·재개는 적재 이력에 남습니다.",
            f"The council and every page default to closed quarters. Returns are due {DEADLINE_DAYS} days after "
            "the quarter ends; quarters close in order, once they have ended. A return for a closed quarter is "
            "recorded as a restatement. Closes and reopens are listed in the load history.",
        )
    )
    done = st.session_state.pop(DONE, None)
    if done:
        ok, message = done
        (st.success if ok else st.error)(
            message, icon=":material/check_circle:" if ok else ":material/block:"
        )
    states = query(quarter_states)
    if states.empty:
        st.caption(tr("아직 접수된 분기가 없습니다.", "No quarter has returns yet."))
        return
    # latest first: the quarters being closed now sit at the top, not below the table's own scroll
    show_table(states_table(states.iloc[::-1], today), hide_index=True, width="stretch")

    open_ = states[states["state"] == "open"]
    closed = states[states["state"] == "closed"]
    periods = [(int(y), int(q)) for y, q in zip(open_["year"], open_["quarter"], strict=True)]
    closable = [p for p in periods if has_ended(*p, today)]  # a quarter is closed only after it ends
    follow = st.session_state.pop(FOLLOW, None)
    if follow in closable:
        st.session_state[CHOICE] = follow
    c1, c2 = st.columns(2)
    with c1:
        if not periods:
            st.caption(tr("마감할(접수 중인) 분기가 없습니다.", "No open quarter to close."))
        elif not closable:
            st.caption(tr("마감할 수 있는 분기가 없습니다.", "No open quarter can be closed yet."))
        if closable:
            year, quarter = st.selectbox(
                tr("마감할 분기", "Quarter to close"),
                closable,
                format_func=lambda p: quarter_name(*p),
                key=CHOICE,
            )
            gaps = query(reporting_gaps, year, quarter, today)
            due = due_date(year, quarter)
            st.caption(
                tr(f"제출 기한 {due:%Y-%m-%d}", f"Due {due:%Y-%m-%d}")
                + (tr(" (지남)", " (passed)") if past_due(year, quarter, today) else "")
                + " · "
                + gaps_text(gaps, agency_names)
            )
            if st.button(
                tr("이 분기 마감하기…", "Close this quarter…"), icon=":material/lock:", key="cycle_close"
            ):
                st.session_state[PENDING] = ("close", year, quarter)
        for y, q in (p for p in periods if p not in closable):
            st.caption(not_ended_text(y, q))
    with c2:
        if closed.empty:
            st.caption(tr("마감된 분기가 없습니다.", "No quarter is closed."))
        else:
            last = closed.iloc[-1]
            year_r, quarter_r = int(last["year"]), int(last["quarter"])
            st.caption(
                tr(
                    f"마지막 마감 분기: {quarter_name(year_r, quarter_r)}. 다시 열 수 있는 것은 마지막 마감 분기뿐입니다.",
                    f"Latest closed quarter: {quarter_name(year_r, quarter_r)}. Only the latest closed quarter "
                    "can be reopened.",
                )
            )
            if st.button(
                tr(
                    f"{quarter_name(year_r, quarter_r)} 다시 열기…",
                    f"Reopen {quarter_name(year_r, quarter_r)}…",
                ),
                icon=":material/lock_open:",
                key="cycle_reopen",
            ):
                st.session_state[PENDING] = ("reopen", year_r, quarter_r)

    pending = st.session_state.get(PENDING)
    if not pending:
        return
    action, year, quarter = pending
    if action == "close":
        question = close_question(year, quarter, query(reporting_gaps, year, quarter, today), agency_names)
    else:
        question = reopen_question(year, quarter)
    st.warning(question, icon=":material/warning:")
    b1, b2 = st.columns(2)
    if b1.button(
        tr("확인: 마감", "Confirm: close") if action == "close" else tr("확인: 다시 열기", "Confirm: reopen"),
        type="primary",
        key="cycle_confirm",
    ):
        st.session_state[DONE] = apply(action, year, quarter, me, today)
        st.session_state.pop(PENDING, None)
        if action == "reopen" and st.session_state[DONE][0]:
            st.session_state[FOLLOW] = (year, quarter)  # the reopened quarter is the one to close again
        st.rerun()
    if b2.button(tr("그만두기", "Cancel"), key="cycle_cancel"):
        st.session_state.pop(PENDING, None)
        st.rerun()
