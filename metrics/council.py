"""Since the last council (지난 회의 이후): what differs now from the view a council meeting had.

Two views of the council's numbers are compared:
- "then", as the council saw it: the quarter the meeting reviewed, with the figures as they stood
  at the meeting (`council_filters`: Filters.at = `meeting_moment`, Filters.through = the quarter
  reviewed, so nothing later counts even where it had arrived by then);
- "now": the latest closed quarter (warehouse.cycle.closed_through), current figures
  (`now_filters`). Targets are the ones in force today in both views (targets are not versioned by
  time); "then" is judged against the targets of the year it reviewed.

The last council is the latest meeting held before today, or before the meeting being prepared
(`last_meeting`). `since_last_council` gathers every part the page and the briefing pack show:
each target's status then and now with the attainment change in points and the status
transitions, the largest movers (sectors, missions) by mean attainment change, restated figures of
quarters the council had already seen (old → new, which file, who, when), returns that restated
a closed quarter since, quarters closed or reopened since, incidents opened and ended since, the follow-up actions
overdue or due within 30 days (metrics.actions), and 3–5 sentences in Korean or English written from those numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb
import pandas as pd

from metrics import registry
from metrics.actions import due_or_overdue
from metrics.attainment import attainment, status_label
from metrics.cycle import meeting_moment
from metrics.db import fetch_all, fetch_df, sql_file
from metrics.emergency import ENDED_BETWEEN, has_incidents
from metrics.filters import Filters
from warehouse.cycle import closed_through
from warehouse.meeting import Meeting, ordinal

TARGET_KEY = ["level", "metric_code", "sector_code", "mission_code", "agency_code"]
# How bad a status is: a move to a larger number is a worsening.
SEVERITY = {"on_track": 0, "at_risk": 1, "behind": 2, "no_data": 3}
JUDGED = ("on_track", "at_risk", "behind")


def quarter_text(period: int, lang: str = "ko") -> str:
    """20253 → '2025년 3분기' / '2025 Q3'."""
    year, quarter = divmod(int(period), 10)
    return f"{year} Q{quarter}" if lang == "en" else f"{year}년 {quarter}분기"


_MEETINGS = (
    "SELECT meeting_no, held_on, title_ko, title_en, review_year, review_quarter "
    "FROM meetings ORDER BY held_on, meeting_no"
)


def meetings(con: duckdb.DuckDBPyConnection) -> list[Meeting]:
    """Every meeting, in the order held."""
    return [Meeting(int(n), d, ko, en, int(y), int(q)) for n, d, ko, en, y, q in fetch_all(con, _MEETINGS)]


def last_meeting(con: duckdb.DuckDBPyConnection, before: date | None = None) -> Meeting | None:
    """The latest meeting held before `before` (today, or the date of the meeting being prepared)."""
    before = before or date.today()
    held = [m for m in meetings(con) if m.held_on < before]
    return held[-1] if held else None


def next_meeting(con: duckdb.DuckDBPyConnection, today: date | None = None) -> Meeting | None:
    """The meeting being prepared: the first held today or later (None when none is planned)."""
    today = today or date.today()
    planned = [m for m in meetings(con) if m.held_on >= today]
    return planned[0] if planned else None


def council_filters(meeting: Meeting) -> Filters:
    """The view a meeting had: its reviewed quarter's year to date, figures as of the meeting."""
    return Filters(
        year=meeting.review_year,
        quarter_to=meeting.review_quarter,
        through=meeting.review_period,
        at=meeting_moment(meeting.held_on),
    )


def now_filters(con: duckdb.DuckDBPyConnection) -> Filters | None:
    """The latest closed quarter's year to date, current figures (None before any quarter is closed)."""
    through = closed_through(con)
    if through is None:
        return None
    return Filters(year=through // 10, quarter_to=through % 10, through=through)


# ---------------------------------------------------------------------------------------------
# The parts


def compare_targets(then: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """Each target (level, metric, sector, mission, agency) then and now, outer-joined.

    Columns: the TARGET_KEY columns, then_target, then_ytd, then_pct, then_status, now_target,
    now_ytd, now_pct, now_status, change_pts (now − then attainment, points), moved ('better' |
    'worse' | 'same' | 'new' (no target then) | 'gone' (no target now)).
    """
    keep = [*TARGET_KEY, "target", "ytd_value", "attainment_pct", "status"]
    names = {"target": "target", "ytd_value": "ytd", "attainment_pct": "pct", "status": "status"}
    a = then[keep].rename(columns={k: f"then_{v}" for k, v in names.items()})
    b = now[keep].rename(columns={k: f"now_{v}" for k, v in names.items()})
    # NULL codes mean "all": join on a filled copy so they match each other
    for df in (a, b):
        for c in TARGET_KEY[1:]:
            df[c] = df[c].astype("object").where(df[c].notna(), "*")
    out = a.merge(b, on=TARGET_KEY, how="outer")
    for c in TARGET_KEY[1:]:
        out[c] = out[c].where(out[c] != "*", None)
    out["change_pts"] = out["now_pct"].astype("float64") - out["then_pct"].astype("float64")
    sev_then = out["then_status"].map(SEVERITY)
    sev_now = out["now_status"].map(SEVERITY)
    moved = pd.Series("same", index=out.index, dtype="object")
    moved[sev_now < sev_then] = "better"
    moved[sev_now > sev_then] = "worse"
    moved[out["then_status"].isna() & out["now_status"].notna()] = "new"
    moved[out["now_status"].isna() & out["then_status"].notna()] = "gone"
    moved[out["now_status"].isna() & out["then_status"].isna()] = "same"
    # no_data is not a judgement: a move to or from it is not better or worse
    unjudged = out["then_status"].eq("no_data") | out["now_status"].eq("no_data")
    moved[unjudged & moved.isin(["better", "worse"])] = "same"
    out["moved"] = moved
    order = {lvl: i for i, lvl in enumerate(["total", "sector", "agency", "mission"])}
    out["_lvl"] = out["level"].map(order).fillna(9)
    out["_metric"] = out["metric_code"].map({m.code: m.sort_order for m in registry.all_metrics()})
    out = out.sort_values(["_lvl", "level", "_metric", "sector_code", "mission_code", "agency_code"])
    return out.drop(columns=["_lvl", "_metric"]).reset_index(drop=True)


def transition_counts(targets: pd.DataFrame) -> pd.DataFrame:
    """How many targets went from each status to each other (then_status, now_status, targets).

    Only targets judged in both views; every pair that occurs, the unchanged ones included,
    worst-first order of the statuses then and now.
    """
    both = targets[targets["then_status"].isin(JUDGED) & targets["now_status"].isin(JUDGED)]
    counts = both.groupby(["then_status", "now_status"]).size().rename("targets").reset_index()
    counts["_a"] = counts["then_status"].map(SEVERITY)
    counts["_b"] = counts["now_status"].map(SEVERITY)
    counts = counts.sort_values(["_a", "_b"]).drop(columns=["_a", "_b"])
    return counts.reset_index(drop=True).astype({"targets": "int64"})


def transitions(targets: pd.DataFrame) -> pd.DataFrame:
    """The targets whose status changed (judged then and now), worse first, then by change."""
    both = targets[targets["then_status"].isin(JUDGED) & targets["now_status"].isin(JUDGED)]
    moved = both[both["then_status"] != both["now_status"]].copy()
    moved["_w"] = (moved["moved"] != "worse").astype(int)
    return moved.sort_values(["_w", "change_pts"]).drop(columns="_w").reset_index(drop=True)


_NAMES = {
    "sector": "SELECT sector_code AS code, name_ko, name_en, sort_order FROM sectors",
    "mission": "SELECT mission_code AS code, name_ko, name_en, 0 AS sort_order FROM missions",
    "agency": "SELECT agency_code AS code, name_ko, name_en, sort_order FROM agencies",
}


def by_size_of_change(df: pd.DataFrame) -> pd.DataFrame:
    """Movers in the one order of 지난 회의 이후 — the web chart, the sentence and the PDF alike:
    the largest change of mean attainment first, improvement or not (|change_pts| descending), then
    reference order (sort_order, where the frame has it) and code."""
    if df.empty:
        return df
    keys = [k for k in ("sort_order", "code") if k in df.columns]
    ranked = df.assign(_abs=df["change_pts"].astype("float64").abs())
    ranked = ranked.sort_values(["_abs", *keys], ascending=[False, *[True] * len(keys)], kind="stable")
    return ranked.drop(columns="_abs").reset_index(drop=True)


def movers(con: duckdb.DuckDBPyConnection, targets: pd.DataFrame, by: str) -> pd.DataFrame:
    """Sectors or missions by the change of their mean attainment, largest change (either way) first.

    The mean runs over the metrics targeted at that level ('sector' or 'mission') in both views,
    so a metric targeted only now does not move the mean. Columns: code, name_ko, name_en,
    metrics, then_pct, now_pct, change_pts.
    """
    column = f"{by}_code"
    rows = targets[(targets["level"] == by) & targets["then_pct"].notna() & targets["now_pct"].notna()]
    cols = ["code", "name_ko", "name_en", "metrics", "then_pct", "now_pct", "change_pts"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    g = rows.groupby(column, as_index=False).agg(
        metrics=("metric_code", "count"),
        then_pct=("then_pct", "mean"),
        now_pct=("now_pct", "mean"),
    )
    g = g.rename(columns={column: "code"})
    g["change_pts"] = g["now_pct"] - g["then_pct"]
    names = fetch_df(con, _NAMES[by])
    g = g.merge(names, on="code", how="left")
    return by_size_of_change(g)[cols]


def restated_figures(con: duckdb.DuckDBPyConnection, meeting: Meeting) -> pd.DataFrame:
    """Figures of quarters up to the one the meeting reviewed that changed since it (metrics/sql/restated.sql).

    Columns: year, quarter, agency_code, mission_code, sector_code, program_code, metric_code,
    old_value (as the council saw it; NULL: not there then), new_value (now; NULL: withdrawn),
    change_value, change ('replaced' | 'added' | 'withdrawn' | 'rederived'), submission_id,
    file_name, by_rollback, changed_by, changed_at: the return (or rollback) that made the change.
    """
    return restated_since(con, meeting_moment(meeting.held_on), meeting.review_period)


def restated_since(con: duckdb.DuckDBPyConnection, at: datetime, review: int) -> pd.DataFrame:
    """`restated_figures` for any moment `at` and last period seen `review` (20253)."""
    return fetch_df(con, sql_file("restated"), {"at": at, "review": int(review)})


def restated_summary(figures: pd.DataFrame) -> pd.DataFrame:
    """The restated figures summed by the change's file, agency, quarter and metric (a table to read).

    Columns: submission_id, file_name, changed_by, changed_at, by_rollback, year, quarter,
    agency_code, metric_code, figures, old_value, new_value, change_value, change_pct.
    Weighted means (satisfaction) are not summed: their rows count figures and leave values NULL.
    """
    cols = [
        "submission_id",
        "file_name",
        "changed_by",
        "changed_at",
        "by_rollback",
        "year",
        "quarter",
        "agency_code",
        "metric_code",
        "figures",
        "old_value",
        "new_value",
        "change_value",
        "change_pct",
    ]
    if figures.empty:
        return pd.DataFrame(columns=cols)
    keys = cols[:9]
    g = figures.groupby(keys, dropna=False, as_index=False).agg(
        figures=("metric_code", "size"),
        old_value=("old_value", lambda s: s.sum(min_count=1)),
        new_value=("new_value", lambda s: s.sum(min_count=1)),
    )
    means = g["metric_code"].map(lambda c: registry.get(c).is_mean)
    g.loc[means, ["old_value", "new_value"]] = float("nan")
    g["change_value"] = g["new_value"].fillna(0) - g["old_value"].fillna(0)
    g.loc[means, "change_value"] = float("nan")
    g["change_pct"] = (g["change_value"] / g["old_value"] * 100).where(g["old_value"] > 0)
    order = {m.code: m.sort_order for m in registry.all_metrics()}
    g["_m"] = g["metric_code"].map(order)
    g = g.sort_values(["changed_at", "year", "quarter", "agency_code", "_m"])
    return g[cols].reset_index(drop=True)


_RESTATING = """
SELECT submission_id, file_name, reporter, agency_codes, period_first, period_last, restates,
       loaded_at, loaded_by, status
FROM submissions
WHERE kind = 'results' AND restates IS NOT NULL AND loaded_at >= $at AND loaded_at <= $now
ORDER BY loaded_at, submission_id
"""


def restating_returns(con: duckdb.DuckDBPyConnection, since: datetime, now: datetime) -> pd.DataFrame:
    """Returns loaded since the meeting that restated a closed quarter (정정), rolled back or not."""
    return fetch_df(con, _RESTATING, {"at": since, "now": now})


_QUARTER_EVENTS = """
SELECT year::INTEGER AS year, quarter::INTEGER AS quarter, action, acted_at, acted_by,
       missions_reported, agencies_reported
FROM quarter_event
WHERE acted_at >= $at AND acted_at <= $now
ORDER BY acted_at, event_id
"""


def quarter_events(con: duckdb.DuckDBPyConnection, since: datetime, now: datetime) -> pd.DataFrame:
    """Quarters closed (close, auto_close) or reopened since the meeting, in order."""
    return fetch_df(con, _QUARTER_EVENTS, {"at": since, "now": now})


# Incidents that began since, or whose end date falls since: `ended` only for a closed one
# (ENDED_BETWEEN, the one rule); an ongoing one whose acute phase ended since (a monitoring incident
# with its end date in the window) is listed with acute_ended and counted as ongoing, not ended.
_INCIDENTS = f"""
SELECT i.incident_id, i.mission_code, m.name_ko, m.name_en, i.type_code, t.name_ko AS type_ko,
       t.name_en AS type_en, i.started_on, i.ended_on, i.status, i.is_active, i.description,
       i.started_on >= $since AND i.started_on <= $today AS opened,
       {ENDED_BETWEEN} AS ended,
       i.is_closed,
       coalesce(i.is_active AND i.ended_on >= $since AND i.ended_on <= $today, false) AS acute_ended
FROM incidents AS i
LEFT JOIN missions AS m USING (mission_code)
LEFT JOIN ref_incident_types AS t USING (type_code)
WHERE (i.started_on >= $since AND i.started_on <= $today)
   OR (i.ended_on >= $since AND i.ended_on <= $today)
ORDER BY i.started_on, i.mission_code
"""


def incidents_since(con: duckdb.DuckDBPyConnection, since: date, today: date) -> pd.DataFrame:
    """Incidents that began (opened) or ended (ended: closed, its end date in the window) between the
    meeting day and today, and ongoing ones whose acute phase ended then (acute_ended)."""
    if not has_incidents(con):
        return pd.DataFrame(
            columns=[
                "incident_id",
                "mission_code",
                "name_ko",
                "name_en",
                "type_code",
                "type_ko",
                "type_en",
                "started_on",
                "ended_on",
                "status",
                "is_active",
                "description",
                "opened",
                "ended",
                "is_closed",
                "acute_ended",
            ]
        )
    return fetch_df(con, _INCIDENTS, {"since": since, "today": today})


# ---------------------------------------------------------------------------------------------
# Everything together


@dataclass
class SinceCouncil:
    """The comparison of a meeting's view with now; frames may be empty."""

    meeting: Meeting
    then: Filters
    now: Filters
    today: date
    targets: pd.DataFrame  # compare_targets()
    transition_counts: pd.DataFrame
    transitions: pd.DataFrame
    sector_movers: pd.DataFrame
    mission_movers: pd.DataFrame
    restated: pd.DataFrame  # restated_figures(): one row per figure
    restated_summary: pd.DataFrame
    restating_returns: pd.DataFrame
    quarter_events: pd.DataFrame
    incidents: pd.DataFrame
    names: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)  # scope_names()
    # follow-up actions overdue on `today` or due within 30 days, from any meeting (metrics.actions)
    actions: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def then_period(self) -> int:
        return self.meeting.review_period

    @property
    def now_period(self) -> int:
        return int(self.now.through)  # type: ignore[arg-type]

    @property
    def quarters_closed(self) -> list[int]:
        """Quarters closed since the meeting and still closed, as periods (20254), in order."""
        if self.quarter_events.empty:
            return []
        state: dict[int, str] = {}
        for _, e in self.quarter_events.iterrows():
            state[int(e["year"]) * 10 + int(e["quarter"])] = str(e["action"])
        return sorted(p for p, a in state.items() if a != "reopen")

    def moved_count(self, kind: str) -> int:
        return int((self.transitions["moved"] == kind).sum()) if not self.transitions.empty else 0

    def highlights(self, lang: str = "ko") -> list[str]:
        return highlights(self, lang)


def since_last_council(
    con: duckdb.DuckDBPyConnection,
    meeting: Meeting | None = None,
    *,
    today: date | None = None,
    now: datetime | None = None,
    now_attainment: pd.DataFrame | None = None,
) -> SinceCouncil | None:
    """The comparison for `meeting` (default: the last meeting before today); None without a meeting
    held or a closed quarter. `now` bounds the logs read (default: the warehouse's clock);
    `now_attainment` is attainment(con, now_filters(con)) when the caller has it already."""
    today = today or date.today()
    meeting = meeting or last_meeting(con, today)
    current = now_filters(con)
    if meeting is None or current is None:
        return None
    if now is None:
        now = fetch_all(con, "SELECT current_timestamp::TIMESTAMP")[0][0]
    then = council_filters(meeting)
    if now_attainment is None:
        now_attainment = attainment(con, current)
    targets = compare_targets(attainment(con, then), now_attainment)
    since = meeting_moment(meeting.held_on)
    restated = restated_figures(con, meeting)
    return SinceCouncil(
        meeting=meeting,
        then=then,
        now=current,
        today=today,
        targets=targets,
        transition_counts=transition_counts(targets),
        transitions=transitions(targets),
        sector_movers=movers(con, targets, "sector"),
        mission_movers=movers(con, targets, "mission"),
        restated=restated,
        restated_summary=restated_summary(restated),
        restating_returns=restating_returns(con, since, now),
        quarter_events=quarter_events(con, since, now),
        incidents=incidents_since(con, meeting.held_on, today),
        names=scope_names(con),
        actions=due_or_overdue(con, today),
    )


def scope_names(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], dict[str, str]]:
    """(kind, lang) → code → name, for 'sector', 'mission' and 'agency' in reference order."""
    out = {}
    for kind, sql in _NAMES.items():
        df = fetch_df(con, sql + " ORDER BY sort_order, code")
        for lang in ("ko", "en"):
            out[(kind, lang)] = dict(zip(df["code"], df[f"name_{lang}"], strict=True))
    return out


# ---------------------------------------------------------------------------------------------
# Highlight sentences


def _pts(value: float) -> str:
    return f"{value:+.1f}%p"


def _name(row: pd.Series, lang: str) -> str:
    name = row.get("name_en" if lang == "en" else "name_ko")
    return str(name) if isinstance(name, str) and name else str(row["code"])


def highlights(s: SinceCouncil, lang: str = "ko") -> list[str]:
    """3–5 sentences from the numbers, in `lang` ('ko' | 'en').

    1. the period compared and how many targets got better and worse;
    2. the export value total (else the first total target): attainment then → now;
    3. the sector and the mission that moved most;
    4. restated figures of quarters the council had seen (and the files), or that none were;
    5. quarters closed and incidents opened or ended since.
    """
    en = lang == "en"
    out: list[str] = []
    m = s.meeting
    better, worse = s.moved_count("better"), s.moved_count("worse")
    judged = int((s.targets["then_status"].isin(JUDGED) & s.targets["now_status"].isin(JUDGED)).sum())
    then_q, now_q = quarter_text(s.then_period, lang), quarter_text(s.now_period, lang)
    if en:
        out.append(
            f"Since the {ordinal(m.meeting_no)} council ({m.held_on:%Y-%m-%d}, reviewing {then_q}), as of "
            f"{now_q} closed: of {judged} targets judged both times, {better} improved and {worse} worsened"
        )
    else:
        out.append(
            f"제{m.meeting_no}차 회의({m.held_on:%Y-%m-%d}, {then_q} 검토) 이후 {now_q} 마감 기준: "
            f"두 시점 모두 판정된 목표 {judged}개 중 상태 개선 {better}개, 악화 {worse}개"
        )

    totals = s.targets[
        (s.targets["level"] == "total") & s.targets["then_pct"].notna() & s.targets["now_pct"].notna()
    ]
    if not totals.empty:
        pick = totals[totals["metric_code"] == "export_value"]
        row = (pick if not pick.empty else totals).iloc[0]
        label = registry.label(str(row["metric_code"]), lang)
        a, b = float(row["then_pct"]), float(row["now_pct"])
        st_then, st_now = status_label(row["then_status"], lang), status_label(row["now_status"], lang)
        if en:
            out.append(f"{label}: {a:.1f}% ({st_then}) then, {b:.1f}% ({st_now}) now, {_pts(b - a)}")
        else:
            out.append(f"{label} 달성률 {a:.1f}%({st_then}) → {b:.1f}%({st_now}), {_pts(b - a)}")

    parts = []
    if not s.sector_movers.empty:
        r = by_size_of_change(s.sector_movers).iloc[0]  # the one order of the chart and the PDF
        parts.append(
            f"the {_name(r, lang)} sector {_pts(r['change_pts'])}"
            if en
            else f"{_name(r, lang)} 분야 {_pts(r['change_pts'])}"
        )
    if not s.mission_movers.empty:
        r = by_size_of_change(s.mission_movers).iloc[0]  # the one order of the chart and the PDF
        parts.append(f"{_name(r, lang)} {_pts(r['change_pts'])}")
    if parts:
        if en:
            out.append("Largest moves in mean attainment: " + "; ".join(parts))
        else:
            out.append("평균 달성률 변동이 가장 큰 곳: " + ", ".join(parts))

    n = len(s.restated)
    if n:
        files = s.restated_summary["file_name"].dropna().unique()
        quarters = sorted(
            {int(y) * 10 + int(q) for y, q in zip(s.restated["year"], s.restated["quarter"], strict=True)}
        )
        qtext = ", ".join(quarter_text(p, lang) for p in quarters)
        if en:
            out.append(
                f"{n:,} figures of quarters the council had already seen were restated since ({qtext}; "
                f"{len(files)} file{'s' if len(files) != 1 else ''})"
            )
        else:
            out.append(f"회의 때 본 분기의 실적 {n:,}건이 이후 정정됨({qtext}, 파일 {len(files)}개)")
    else:
        out.append(
            "No figure the council had seen has changed since"
            if en
            else "회의 때 본 분기의 실적 중 이후 바뀐 값은 없음"
        )

    closed = s.quarters_closed
    opened = int(s.incidents["opened"].astype(bool).sum()) if not s.incidents.empty else 0
    ended = int(s.incidents["ended"].astype(bool).sum()) if not s.incidents.empty else 0
    if closed or opened or ended:
        if en:
            q = f"{len(closed)} quarter{'s' if len(closed) != 1 else ''} closed" + (
                f" ({quarter_text(closed[0], 'en')}–{quarter_text(closed[-1], 'en')})"
                if len(closed) > 1
                else (f" ({quarter_text(closed[0], 'en')})" if closed else "")
            )
            out.append(f"Since then: {q}; incidents {opened} began, {ended} ended")
        else:
            q = f"{len(closed)}개 분기 마감" + (
                f"({quarter_text(closed[0])}~{quarter_text(closed[-1])})"
                if len(closed) > 1
                else (f"({quarter_text(closed[0])})" if closed else "")
            )
            out.append(f"회의 이후 {q}, 긴급상황 {opened}건 발생·{ended}건 종료")
    return out[:5]
