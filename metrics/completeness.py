"""Submission completeness (제출 현황): which missions and agencies reported which quarter.

The one rule for "a mission reported this quarter" (공관 제출), used by the 요약 as-of line
(`missions_reported`) and the 제출 현황 page alike:
- a mission (재외공관) is a MOFA post and sends its quarterly return through MOFA (외교부): its
  quarter counts as reported when current MOFA figures exist for it (`MISSION_REPORTER`). What
  other agencies report for their own programs at a mission (KOSME's GBC, KOICA, KISED, MSS) are
  those agencies' returns: they are listed beside the mission (the `agencies` columns) and counted
  by agency, but they do not stand in for a mission return that has not come in, which is exactly
  the return the council's secretariat has to chase. The agency filter therefore does not apply
  to the mission grid;
- an agency's quarter counts as reported when any current figure of that agency exists;
- the sector, program and metric filters narrow the figures that count in `completeness` (a sector
  filter asks "did the return cover K-beauty?"); `missions_reported`, the as-of line, counts whole
  returns and keeps only the mission and region filters, like the submission grid;
- expected units are every mission (agency) of the reference data kept by the mission/region
  (agency) filters, for each quarter from quarter_from to the as-of quarter (`latest_period`);
  before anything is reported in the year nothing is due, unless quarter_to names the quarter;
- lineage comes from results_lineage: number of returns (submissions) behind the counted figures
  and the latest loaded_at.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import duckdb
import pandas as pd

from metrics.db import fetch_df, fetch_one, sql_file
from metrics.filters import ALL, Filters, dimension_predicate
from metrics.period import resolve
from metrics.source import figures, source_params
from warehouse.cycle import due_date, is_closed, past_due

# The agency whose figures are a mission's own return.
MISSION_REPORTER = "mofa"

_UNITS = {
    "mission": ("mission_code", "agency_code", "agencies"),
    "agency": ("agency_code", "mission_code", "missions"),
}

_COMPLETENESS_SUMMARY = """
SELECT year, quarter, count(*)::INTEGER AS expected, count(*) FILTER (WHERE reported)::INTEGER AS reported,
       count(*) FILTER (WHERE reported) * 100.0 / count(*) AS rate_pct
FROM ({inner}) AS c
GROUP BY ALL
ORDER BY quarter
"""


def _expected_sql(filters: Filters, key: str) -> tuple[str, dict[str, object]]:
    """The reference rows expected to report (missions or agencies kept by the filters)."""
    if key == "mission":
        where, params = dimension_predicate(filters, "m", skip=("agencies", "sectors", "programs", "metrics"))
        return f"SELECT m.mission_code FROM missions AS m WHERE {where}", params
    where, params = dimension_predicate(
        filters, "a", skip=("missions", "regions", "sectors", "programs", "metrics")
    )
    return f"SELECT a.agency_code FROM agencies AS a WHERE {where}", params


def completeness_sql(
    con: duckdb.DuckDBPyConnection, filters: Filters, by: str
) -> tuple[str, dict[str, object]]:
    """The completeness grid query and its parameters."""
    key = by.removesuffix("_code")
    if key not in _UNITS:
        raise ValueError(f"completeness is by 'mission' or 'agency', not {by!r}")
    unit, other, other_plural = _UNITS[key]
    as_of = resolve(con, filters)
    if key == "mission":
        where, params = dimension_predicate(filters, "r", skip=("agencies",))
        own = "r.agency_code = $mission_reporter"
    else:
        where, params = dimension_predicate(filters, "r")
        own = "TRUE"
    expected_sql, ref_params = _expected_sql(filters, key)
    params.update(ref_params)
    text = sql_file("completeness").format(
        unit=unit,
        other=other,
        other_plural=other_plural,
        expected=expected_sql,
        where=where,
        own=own,
        lineage=figures(filters, "lineage"),
    )
    params.update(source_params(filters))
    params.update(
        year=as_of.year,
        as_of=as_of.quarter,
        quarter_from=filters.quarter_from,
        mission_reporter=MISSION_REPORTER,
    )
    return text, params


def completeness(con: duckdb.DuckDBPyConnection, filters: Filters = ALL, by: str = "mission") -> pd.DataFrame:
    """One row per expected (quarter, mission) — or (quarter, agency) with by='agency'.

    Columns: year, quarter (Int64), mission_code | agency_code (str), reported (bool: the mission's
    own MOFA return, or any figure of the agency), figures (Int64: the counted figures), agencies |
    missions (Int64: how many agencies had figures for the mission — MOFA included —, or how many
    missions the agency reported for), agency_codes | mission_codes (str, comma-separated, NULL
    when none), submissions (Int64: returns behind the counted figures), last_loaded_at (datetime,
    NULL when not reported).
    """
    text, params = completeness_sql(con, filters, by)
    return fetch_df(con, text, params)


def completeness_summary(
    con: duckdb.DuckDBPyConnection, filters: Filters = ALL, by: str = "mission"
) -> pd.DataFrame:
    """Per quarter: expected and reported missions (or agencies) and the rate.

    Columns: year, quarter, expected, reported (Int64), rate_pct (float).
    """
    text, params = completeness_sql(con, filters, by)
    return fetch_df(con, _COMPLETENESS_SUMMARY.format(inner=text), params)


# ---------------------------------------------------------------------------------------------
# The as-of line: "2026년 3분기 기준, 38/40 공관 제출 · 미제출: …"


@dataclass
class Completeness:
    """Missions whose own return is in for the as-of quarter, out of the missions expected."""

    year: int | None
    quarter: int | None
    submitted: int
    expected: int
    missing: tuple[str, ...] = ()  # mission codes without a return
    missing_ko: tuple[str, ...] = ()  # their names
    missing_en: tuple[str, ...] = ()
    closed: bool = False  # the as-of quarter is closed (마감); else its figures are preliminary (잠정)
    due: date | None = None  # the as-of quarter's due date (warehouse.cycle.due_date)
    overdue: bool = True  # the due date has passed: a return not in is missing (미제출), else not yet due

    def missing_text(self, lang: str = "ko", limit: int = 5) -> str:
        """'미제출: 주케냐 대사관, 주애틀랜타 총영사관' ('' when every mission reported); before the due
        date '기한 전(2027-01-30까지) 미접수: …', since those returns are not missing yet."""
        names = self.missing_en if lang == "en" else self.missing_ko
        if not names:
            return ""
        shown = ", ".join(names[:limit])
        more = len(names) - limit
        if lang == "en":
            head = "Not reported" if self.overdue else f"Not yet in (due {self.due:%Y-%m-%d})"
            return f"{head}: {shown}" + (f" and {more} more" if more > 0 else "")
        head = "미제출" if self.overdue else f"기한 전({self.due:%Y-%m-%d}까지) 미접수"
        return f"{head}: {shown}" + (f" 외 {more}곳" if more > 0 else "")

    def text(self, lang: str = "ko") -> str:
        """'2026년 3분기 마감 기준 · 38/40 공관 제출' (or '… 잠정 기준 · …' for an open quarter)."""
        if self.year is None or not self.quarter:
            return "아직 제출된 실적이 없습니다" if lang == "ko" else "No results reported yet"
        if lang == "en":
            basis = "closed" if self.closed else "preliminary"
            return f"As of {self.year} Q{self.quarter} ({basis}) · {self.submitted}/{self.expected} missions reported"
        basis = "마감" if self.closed else "잠정"
        return f"{self.year}년 {self.quarter}분기 {basis} 기준 · {self.submitted}/{self.expected} 공관 제출"


_NAMES = "SELECT mission_code, name_ko, name_en FROM missions"


def missions_reported(
    con: duckdb.DuckDBPyConnection, filters: Filters = ALL, today: date | None = None
) -> Completeness:
    """The as-of quarter of `completeness(by='mission')` in one line: missions reported, expected, missing.

    Whole returns: the agency, sector, program and metric filters do not apply (see the module
    docstring); the year, the quarters and the mission and region filters do. A mission whose
    return is not in counts as missing only once the quarter's due date has passed on `today`
    (default: the real date); before that it is not yet due (`Completeness.overdue` False).
    """
    scope = Filters(
        year=filters.year,
        quarter_from=filters.quarter_from,
        quarter_to=filters.quarter_to,
        missions=filters.missions,
        regions=filters.regions,
        through=filters.through,
        at=filters.at,
    )
    as_of = resolve(con, scope)
    if as_of.year is None or not as_of.quarter:
        expected, params = _expected_sql(scope, "mission")
        return Completeness(
            as_of.year, None, 0, int(fetch_one(con, f"SELECT count(*) FROM ({expected})", params)[0])
        )
    grid = completeness(con, replace(scope, quarter_from=as_of.quarter))  # the as-of quarter only
    gone = grid[~grid["reported"].astype(bool)].merge(fetch_df(con, _NAMES), on="mission_code", how="left")
    return Completeness(
        as_of.year,
        as_of.quarter,
        int(grid["reported"].sum()),
        len(grid),
        tuple(gone["mission_code"]),
        tuple(gone["name_ko"]),
        tuple(gone["name_en"]),
        closed=is_closed(con, as_of.year, as_of.quarter),
        due=due_date(as_of.year, as_of.quarter),
        overdue=past_due(as_of.year, as_of.quarter, today or date.today()),
    )
