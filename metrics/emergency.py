"""Emergencies (긴급 대응): incidents, the firms they hit and how far relief has got.

Incidents come from the `incidents` view (data/incidents.sql); the affected_firms and relief_cases
figures of returns are tied to the incident open at their mission in their quarter by the
`incident_results` view. The relief ratio (지원율) is relief cases ÷ affected firms × 100 over the
quarters tied to an incident: cases per firm, so it may pass 100 % when firms get several kinds of help.
An incident's state is one rule, decided by the `incidents` view (data/incidents.sql) and read by
every page and both pack formats: ongoing (`is_active`) while its status is open or monitoring,
whatever its end date (the end date is when the acute phase ended); closed (`is_closed`) only when its
status is closed, the only state said to have ended. Closed incidents are history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from metrics.db import fetch_df, fetch_one, sql_file

INCIDENT_COLUMNS = [
    "incident_id",
    "mission_code",
    "mission_ko",
    "mission_en",
    "country_ko",
    "country_en",
    "lat",
    "lon",
    "type_code",
    "type_ko",
    "type_en",
    "started_on",
    "ended_on",
    "description",
    "situation",
    "status",
    "status_ko",
    "status_en",
    "is_active",
    "is_closed",
    "recorded_by",
    "recorded_at",
    "affected_firms",
    "relief_cases",
    "quarters_reported",
    "relief_ratio_pct",
    "days",
]


# An incident ended between $since and $today (since the last council, say): it is closed and its end
# date falls between them. A monitoring incident whose acute phase ended then has not ended. SQL over
# the `incidents` view as `i`; the one place this is decided (metrics.council reads it).
ENDED_BETWEEN = "coalesce(i.is_closed AND i.ended_on >= $since AND i.ended_on <= $today, false)"


def has_incidents(con: duckdb.DuckDBPyConnection) -> bool:
    """The warehouse has the incidents views (a file built before them, opened read-only, has not)."""
    row = fetch_one(
        con, "SELECT count(*) FROM duckdb_views() WHERE view_name = 'incident_results' AND NOT temporary"
    )
    return bool(row[0])


def ratio(relief: object, affected: object) -> float | None:
    """Relief cases per affected firm, in percent; None without affected firms."""
    if relief is None or affected is None or pd.isna(relief) or pd.isna(affected) or float(affected) == 0:
        return None
    return float(relief) / float(affected) * 100


def incidents(
    con: duckdb.DuckDBPyConnection, today: date | None = None, through: int | None = None
) -> pd.DataFrame:
    """Every incident in force, active first, with its figures (INCIDENT_COLUMNS; NULL = not reported).

    through (20263): only figures of quarters up to it, the closed ones; None: every figure.
    """
    if not has_incidents(con):
        return pd.DataFrame(columns=INCIDENT_COLUMNS)
    df = fetch_df(con, sql_file("incidents"), {"today": today or date.today(), "through": through})
    return df[INCIDENT_COLUMNS]


def open_incidents(
    con: duckdb.DuckDBPyConnection, today: date | None = None, through: int | None = None
) -> pd.DataFrame:
    """Ongoing incidents (open or monitoring, whatever their end date), newest first within each status."""
    df = incidents(con, today, through)
    return df[df["is_active"].astype(bool)].reset_index(drop=True)


def closed_incidents(
    con: duckdb.DuckDBPyConnection, today: date | None = None, through: int | None = None
) -> pd.DataFrame:
    """Closed incidents, the latest ended first: the history table."""
    df = incidents(con, today, through)
    df = df[df["is_closed"].astype(bool)]
    return df.sort_values(["ended_on", "started_on"], ascending=False, na_position="last").reset_index(
        drop=True
    )


_BY_SECTOR = """
SELECT s.sector_code, s.name_ko, s.name_en, s.color, s.sort_order,
       sum(r.value) FILTER (WHERE r.metric_code = 'affected_firms') AS affected_firms,
       sum(r.value) FILTER (WHERE r.metric_code = 'relief_cases') AS relief_cases
FROM incident_results AS r
JOIN sectors AS s USING (sector_code)
WHERE r.incident_id = $incident_id AND ($through IS NULL OR r.year * 10 + r.quarter <= $through)
GROUP BY ALL
ORDER BY affected_firms DESC NULLS LAST, s.sort_order
"""


def incident_by_sector(
    con: duckdb.DuckDBPyConnection, incident_id: str, through: int | None = None
) -> pd.DataFrame:
    """Affected firms and relief cases of one incident by sector (sector_code, name_ko, name_en, color, …)."""
    if not has_incidents(con):
        return pd.DataFrame(
            columns=["sector_code", "name_ko", "name_en", "color", "affected_firms", "relief_cases"]
        )
    return fetch_df(con, _BY_SECTOR, {"incident_id": incident_id, "through": through}).drop(
        columns="sort_order"
    )


_TIMELINE = """
SELECT year, quarter,
       sum(value) FILTER (WHERE metric_code = 'affected_firms') AS affected_firms,
       sum(value) FILTER (WHERE metric_code = 'relief_cases') AS relief_cases
FROM incident_results AS r
WHERE incident_id = $incident_id AND ($through IS NULL OR year * 10 + quarter <= $through)
GROUP BY year, quarter
ORDER BY year, quarter
"""


def incident_timeline(
    con: duckdb.DuckDBPyConnection, incident_id: str, through: int | None = None
) -> pd.DataFrame:
    """One incident quarter by quarter: affected_firms, relief_cases, their running totals and the ratio.

    Columns: year, quarter, affected_firms, relief_cases, cum_affected, cum_relief, relief_ratio_pct
    (running relief ÷ running affected × 100).
    """
    columns = [
        "year",
        "quarter",
        "affected_firms",
        "relief_cases",
        "cum_affected",
        "cum_relief",
        "relief_ratio_pct",
    ]
    if not has_incidents(con):
        return pd.DataFrame(columns=columns)
    df = fetch_df(con, _TIMELINE, {"incident_id": incident_id, "through": through})
    df["cum_affected"] = df["affected_firms"].fillna(0).cumsum()
    df["cum_relief"] = df["relief_cases"].fillna(0).cumsum()
    df["relief_ratio_pct"] = [ratio(r, a) for r, a in zip(df["cum_relief"], df["cum_affected"], strict=True)]
    return df[columns]


_UNATTRIBUTED = """
SELECT r.mission_code, m.name_ko, m.name_en, r.year, r.quarter,
       sum(r.value) FILTER (WHERE r.metric_code = 'affected_firms') AS affected_firms,
       sum(r.value) FILTER (WHERE r.metric_code = 'relief_cases') AS relief_cases
FROM incident_results AS r
JOIN missions AS m USING (mission_code)
WHERE r.incident_id IS NULL AND ($through IS NULL OR r.year * 10 + r.quarter <= $through)
GROUP BY ALL
ORDER BY r.year DESC, r.quarter DESC, r.mission_code
"""


def unattributed(con: duckdb.DuckDBPyConnection, through: int | None = None) -> pd.DataFrame:
    """Emergency figures reported where no incident was recorded for that mission and quarter."""
    if not has_incidents(con):
        return pd.DataFrame(
            columns=[
                "mission_code",
                "name_ko",
                "name_en",
                "year",
                "quarter",
                "affected_firms",
                "relief_cases",
            ]
        )
    return fetch_df(con, _UNATTRIBUTED, {"through": through})


# --- for the executive summary --------------------------------------------------------------------------


# The period the open incidents' figures cover, said beside them wherever they are shown: totals
# since each incident began (요약's highlights count this year's reports instead, and say so).
SINCE_BEGAN = ("발생 이후 누계", "since each began")


@dataclass
class OpenBrief:
    """The active incidents in a few numbers, for the summary page."""

    incidents: pd.DataFrame  # open_incidents() rows
    affected_firms: float | None
    relief_cases: float | None

    @property
    def count(self) -> int:
        return len(self.incidents)

    @property
    def relief_ratio_pct(self) -> float | None:
        return ratio(self.relief_cases, self.affected_firms)

    @property
    def has_figures(self) -> bool:
        """Some affected-firm or relief figure has been reported since the active incidents began."""
        return self.affected_firms is not None or self.relief_cases is not None

    def headline(self, lang: str = "ko") -> str:
        """'진행 중 긴급상황 2건 · 발생 이후 누계 · 피해기업 30개사 · 지원 22건 (지원율 73%)'.

        The figures are totals since each incident began (not this year's reports), and say so.
        """
        if not self.count:
            return "진행 중인 긴급상황이 없습니다" if lang == "ko" else "No open emergency"
        if not self.has_figures:  # nothing reported since any of them began: no row of dashes
            if lang == "en":
                return f"{self.count} open emergenc{'ies' if self.count != 1 else 'y'}"
            return f"진행 중 긴급상황 {self.count}건"
        affected = "–" if self.affected_firms is None else f"{self.affected_firms:,.0f}"
        relief = "–" if self.relief_cases is None else f"{self.relief_cases:,.0f}"
        pct = self.relief_ratio_pct
        share = "–" if pct is None else f"{pct:.0f}%"
        if lang == "en":
            return (
                f"{self.count} open emergenc{'ies' if self.count != 1 else 'y'} · {SINCE_BEGAN[1]} · "
                f"{affected} firms affected · {relief} relief cases (relief ratio {share})"
            )
        return (
            f"진행 중 긴급상황 {self.count}건 · {SINCE_BEGAN[0]} · 피해기업 {affected}개사 · 지원 {relief}건 "
            f"(지원율 {share})"
        )

    def lines(self, lang: str = "ko") -> list[str]:
        """One line per ongoing incident: '주멕시코 대사관 · 무역 조치 (2026-04-02~, 진행 중): 지원율 71%'.

        A monitoring incident keeps its end date, when its acute phase ended:
        '… (2025-11-06~2026-03-20, 모니터링): …'. An incident with no figure reported yet ends at its
        status: '… (2026-04-02~, 진행 중)'.
        """
        out = []
        for r in self.incidents.to_dict("records"):
            mission = r["mission_en"] if lang == "en" else r["mission_ko"]
            kind = r["type_en"] if lang == "en" else r["type_ko"]
            status = r["status_en"] if lang == "en" else r["status_ko"]
            pct = r["relief_ratio_pct"]
            share = "–" if pct is None or pd.isna(pct) else f"{pct:.0f}%"
            end = r.get("ended_on")
            since = f"{pd.Timestamp(r['started_on']):%Y-%m-%d}~" + (
                "" if end is None or pd.isna(end) else f"{pd.Timestamp(end):%Y-%m-%d}"
            )
            if pd.isna(r["affected_firms"]) and pd.isna(r["relief_cases"]):
                out.append(f"{mission} · {kind} ({since}, {status})")
            elif lang == "en":
                out.append(f"{mission} · {kind} ({since}, {status}): relief ratio {share}")
            else:
                out.append(f"{mission} · {kind} ({since}, {status}): 지원율 {share}")
        return out


def open_brief(
    con: duckdb.DuckDBPyConnection, today: date | None = None, through: int | None = None
) -> OpenBrief:
    """The active incidents, their affected firms and relief cases in total (NULL = none reported)."""
    df = open_incidents(con, today, through)
    affected = df["affected_firms"].sum(min_count=1) if not df.empty else None
    relief = df["relief_cases"].sum(min_count=1) if not df.empty else None
    return OpenBrief(
        df,
        None if affected is None or pd.isna(affected) else float(affected),
        None if relief is None or pd.isna(relief) else float(relief),
    )
