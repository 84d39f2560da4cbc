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
from warehouse.cycle import closed_through, due_date, is_closed, past_due

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
    # the open quarter's arrival (`open_coverage`): the one count the banner says too; None when closed
    coverage: Coverage | None = None

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
        cov = self.coverage
        if cov is not None:  # missions with any agency's figures: the count of the banner
            if lang == "en":
                return (
                    f"As of {self.year} Q{self.quarter} (preliminary) · {cov.missions}/{cov.missions_expected} "
                    f"missions, {cov.agencies}/{cov.agencies_expected} agencies in"
                )
            return (
                f"{self.year}년 {self.quarter}분기 잠정 기준 · {cov.missions}/{cov.missions_expected} 공관 접수 "
                f"({cov.agencies}/{cov.agencies_expected}개 기관)"
            )
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
    coverage = open_coverage(con, scope)
    # in the open quarter (the preliminary view) a mission is in with any agency's figures, the
    # count the banner and every 잠정 mark say (`quarter_coverage`); a closed one, by its own return
    reported = (grid["agencies"].fillna(0) > 0) if coverage is not None else grid["reported"].astype(bool)
    gone = grid[~reported].merge(fetch_df(con, _NAMES), on="mission_code", how="left")
    return Completeness(
        as_of.year,
        as_of.quarter,
        int(reported.sum()),
        len(grid),
        tuple(gone["mission_code"]),
        tuple(gone["name_ko"]),
        tuple(gone["name_en"]),
        closed=is_closed(con, as_of.year, as_of.quarter),
        due=due_date(as_of.year, as_of.quarter),
        overdue=past_due(as_of.year, as_of.quarter, today or date.today()),
        coverage=coverage,
    )


# ---------------------------------------------------------------------------------------------
# The preliminary view (잠정): the open quarter's coverage, like with like, judgement withheld
#
# The quarter after the latest closed one, while open, has only the returns that have arrived. So,
# for a figure whose as-of quarter is that open quarter (`open_coverage` is not None):
# - its coverage is said beside it: missions and agencies with any figure for the quarter, out of
#   the missions and agencies expected (the mission/region and agency filters keep them), the one
#   count the sidebar banner and the as-of line say too (`quarter_coverage`);
# - year on year it is compared like with like: the open quarter a year earlier counts only the
#   slices (agency × mission) that have reported the open quarter (`like_with_like`); the closed
#   quarters before it count whole;
# - where the coverage is thin, fewer than half of the expected missions (THIN_BELOW), no status
#   is given: 판정 보류 (judgement withheld, status 'withheld'), never 미흡 (`withhold`).
# A warehouse with no closed quarter yet is judged as it stands.

THIN_BELOW = 0.5  # share of the expected missions under which an open quarter is too thin to judge

JUDGED = ("on_track", "at_risk", "behind")  # the statuses withheld where coverage is thin

_COVERAGE = """
SELECT count(DISTINCT r.mission_code) FILTER (WHERE r.mission_code IN ({missions}))::INTEGER,
       count(DISTINCT r.agency_code) FILTER (WHERE r.agency_code IN ({agencies}))::INTEGER,
       (SELECT count(*) FROM ({missions}))::INTEGER,
       (SELECT count(*) FROM ({agencies}))::INTEGER
FROM {figures} AS r
WHERE r.year = $cov_year AND r.quarter = $cov_quarter
"""


@dataclass(frozen=True)
class Coverage:
    """How far an open quarter's returns have arrived: missions and agencies with figures, of those expected."""

    year: int
    quarter: int
    missions: int
    missions_expected: int
    agencies: int
    agencies_expected: int

    @property
    def thin(self) -> bool:
        """Too few missions in to judge a status (fewer than THIN_BELOW of those expected)."""
        return self.missions < THIN_BELOW * self.missions_expected

    def text(self, lang: str = "ko") -> str:
        """'잠정 · 3/40 공관': the mark beside every preliminary number."""
        if lang == "en":
            return f"Preliminary · {self.missions}/{self.missions_expected} missions"
        return f"잠정 · {self.missions}/{self.missions_expected} 공관"


def quarter_coverage(
    con: duckdb.DuckDBPyConnection, year: int, quarter: int, filters: Filters = ALL
) -> Coverage:
    """The one count of a quarter's arrival: missions and agencies with any current figure for it."""
    missions, m_params = _expected_sql(filters, "mission")
    agencies, a_params = _expected_sql(filters, "agency")
    row = fetch_one(
        con,
        _COVERAGE.format(
            missions=missions, agencies=agencies, figures=figures(replace(filters, through=None), "sums")
        ),
        {**m_params, **a_params, **source_params(filters), "cov_year": year, "cov_quarter": quarter},
    )
    return Coverage(year, quarter, int(row[0]), int(row[2]), int(row[1]), int(row[3]))


def open_coverage(con: duckdb.DuckDBPyConnection, filters: Filters = ALL) -> Coverage | None:
    """The coverage of the as-of quarter when it is the open quarter after a closed one (the
    preliminary view); None when its figures are closed, or nothing has been closed yet."""
    if filters.through is not None or filters.at is not None:
        return None
    as_of = resolve(con, filters)
    if as_of.year is None or not as_of.quarter:
        return None
    through = closed_through(con)
    if through is None or as_of.year * 10 + as_of.quarter <= through:
        return None
    return quarter_coverage(con, as_of.year, as_of.quarter, filters)


def like_with_like(con: duckdb.DuckDBPyConnection, filters: Filters, alias: str = "r") -> str:
    """A predicate (alias `alias`; parameters $year and $as_of, as the year-on-year queries name
    them) keeping, of the open quarter a year earlier, only the slices that reported the open
    quarter; TRUE unless the as-of quarter is open (`open_coverage`)."""
    if open_coverage(con, filters) is None:
        return "TRUE"
    return (
        f"NOT ({alias}.year = $year - 1 AND {alias}.quarter = $as_of AND NOT EXISTS ("
        f"SELECT 1 FROM {figures(filters, 'sums')} AS o WHERE o.year = $year AND o.quarter = $as_of "
        f"AND o.agency_code IS NOT DISTINCT FROM {alias}.agency_code "
        f"AND o.mission_code IS NOT DISTINCT FROM {alias}.mission_code))"
    )


def withhold(status: pd.Series, coverage: Coverage | None) -> pd.Series:
    """The statuses to show: 'withheld' (판정 보류) for every judged status when the open quarter's
    coverage is thin, else as judged. Every page's status comes through here (metrics.attainment)."""
    if coverage is None or not coverage.thin:
        return status
    return status.where(~status.isin(JUDGED), "withheld")
