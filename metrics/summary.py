"""The executive one-page summary (요약): everything the page and its PDF/PNG export show, in one call.

Pure SQL and pandas over a DuckDB connection, built on `scorecard` and `attainment`:
- `Summary.completeness`: how many missions (재외공관) sent their return for the as-of quarter,
  from `metrics.completeness.missions_reported`, the one rule that 제출 현황 uses too (a mission's
  own return comes through MOFA; other agencies' figures at a mission do not count for it);
- `mission_ranking`: missions with mission-level targets, ranked by their mean attainment over the
  metrics targeted for them (top and bottom n); a mission whose own return for the as-of quarter is
  not in (`Summary.completeness.missing`) is kept out of the ranking, since its year to date lacks
  that quarter, and `Summary.unranked_text` names it (미제출, or 기한 전 before the due date);
- `hub_missions`: the K-beauty hub missions (designated in the year or earlier) and their K-beauty
  figures year to date, with the change against the same quarters a year earlier;
- `emergencies`: firms hit by emergencies and relief cases by mission, year to date, where reported;
- `Summary.incidents`: the emergencies ongoing now (`metrics.emergency.open_brief`), as on 긴급 대응;
  their totals run since each incident began, so they may differ from `emergencies` (this year), and
  each says its period (the headline "발생 이후 누계", the highlight "2026년 보고 기준");
  `Summary.emergency_case` says which of the two the emergencies block has to show;
- `highlights`: 3–5 sentences in Korean or English written from those numbers.

Every part follows the dimension filters (agency, sector, region, mission, program), so a summary
for one agency or sector is that agency's or sector's: the tiles and the heat map judge the targets
of exactly that scope (`metrics.targets`), the hubs and emergencies count its figures, and the open
incidents are those at its missions. The year to date always starts at Q1 (`summary_scope`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import duckdb
import pandas as pd

from metrics import registry
from metrics.attainment import attainment, scorecard, status_label
from metrics.completeness import Completeness, like_with_like, missions_reported
from metrics.db import fetch_df
from metrics.emergency import OpenBrief, open_brief
from metrics.filters import ALL, Filters, dimension_predicate
from metrics.period import latest_period
from metrics.scope import mission_predicate
from metrics.source import figures, source_params


def resolve_year(con: duckdb.DuckDBPyConnection, filters: Filters) -> tuple[int | None, int]:
    """The year the summary reports on and its as-of quarter (0 when nothing is reported yet)."""
    period = latest_period(con, filters)
    if period is not None:
        return int(period.year), int(period.quarter)
    return filters.year, 0


# Headline tiles, in this order (the metrics executives ask about first).
HEADLINE_METRICS = (
    "firms_supported",
    "export_contracts",
    "export_value",
    "investment_value",
    "issues_resolved",
    "satisfaction",
)
# Metrics shown as rows of the sector × metric heat map.
HEATMAP_METRICS = (
    "firms_supported",
    "buyer_meetings",
    "export_contracts",
    "export_value",
    "mou_signed",
    "investment_value",
)
HUB_METRICS = ("firms_supported", "export_contracts", "export_value")


@dataclass
class Summary:
    """The data of the one-page summary; every frame may be empty."""

    completeness: Completeness
    scorecard: pd.DataFrame  # scorecard() rows for every metric
    sectors: pd.DataFrame  # attainment(level='sector')
    missions: pd.DataFrame = field(default_factory=pd.DataFrame)  # mission_ranking()
    hubs: pd.DataFrame = field(default_factory=pd.DataFrame)  # hub_missions()
    emergencies: pd.DataFrame = field(default_factory=pd.DataFrame)  # emergencies()
    incidents: OpenBrief | None = None  # open_brief(): active incidents, whatever the period
    mission_attainment: pd.DataFrame = field(default_factory=pd.DataFrame)  # attainment(level='mission')
    sector_names_ko: dict[str, str] = field(default_factory=dict)
    sector_names_en: dict[str, str] = field(default_factory=dict)
    # missions with mission targets kept out of the ranking: no return of theirs for the as-of quarter
    unranked: pd.DataFrame = field(default_factory=pd.DataFrame)  # mission_code, name_ko, name_en

    def unranked_text(self, lang: str = "ko", limit: int = 5) -> str:
        """'순위 제외 — 2026년 2분기 미제출: 주일본 대사관' ('' when every ranked mission reported)."""
        if self.unranked.empty:
            return ""
        c = self.completeness
        names = list(self.unranked["name_en" if lang == "en" else "name_ko"])
        shown, more = ", ".join(names[:limit]), len(names) - limit
        if lang == "en":
            why = (
                f"not reported for {c.year} Q{c.quarter}"
                if c.overdue
                else f"{c.year} Q{c.quarter} not yet in"
            )
            return f"Not ranked — {why}: {shown}" + (f" and {more} more" if more > 0 else "")
        why = "미제출" if c.overdue else "기한 전 미접수"
        return f"순위 제외 — {c.year}년 {c.quarter}분기 {why}: {shown}" + (
            f" 외 {more}곳" if more > 0 else ""
        )

    @property
    def emergency_case(self) -> str:
        """What the emergencies block has to say, the same on the page and in print.

        'figures': affected-firm or relief figures were reported this year (the table by mission);
        'open': incidents are open but no such figure is in for this year yet (list them, say so);
        'none': no open incident and no figure this year.
        """
        if not self.emergencies.empty:
            return "figures"
        if self.incidents is not None and self.incidents.count:
            return "open"
        return "none"

    def highlights(self, lang: str = "ko", sector_names: dict[str, str] | None = None) -> list[str]:
        if sector_names is None:
            sector_names = self.sector_names_en if lang == "en" else self.sector_names_ko
        return highlights(
            self.scorecard,
            self.sectors,
            self.missions,
            self.emergencies,
            lang,
            sector_names,
            self.mission_attainment,
            year=self.completeness.year,
        )


_MISSION_NAMES = "SELECT mission_code, name_ko, name_en, kbeauty_hub_since FROM missions"


def mission_ranking(
    con: duckdb.DuckDBPyConnection,
    filters: Filters = ALL,
    n: int = 5,
    att: pd.DataFrame | None = None,
    unreported: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Top and bottom `n` missions by mean attainment over their mission-level targets; the missions in
    `unreported` (no return of theirs for the as-of quarter) are not ranked.

    Columns: mission_code, name_ko, name_en, attainment_pct (mean over the mission's targeted
    metrics), metrics (how many), worst_status ('behind' > 'at_risk' > 'on_track' > 'no_data'),
    rank (1 = best), group ('top' | 'bottom'). With 2n missions or fewer every mission is listed
    once, best first, the better half as 'top'.
    """
    if att is None:
        att = attainment(con, filters, level="mission")
    cols = [
        "mission_code",
        "name_ko",
        "name_en",
        "attainment_pct",
        "metrics",
        "worst_status",
        "rank",
        "group",
    ]
    att = att[att["attainment_pct"].notna() & ~att["mission_code"].isin(unreported)]
    if att.empty:
        return pd.DataFrame(columns=cols)
    # judgement withheld (metrics.completeness.withhold) is above no data: a status exists, unsaid
    severity = {"behind": 4, "at_risk": 3, "on_track": 2, "withheld": 1, "no_data": 0}
    att = att.assign(sev=att["status"].map(severity).fillna(0))
    g = att.groupby("mission_code", as_index=False).agg(
        attainment_pct=("attainment_pct", "mean"), metrics=("metric_code", "count"), sev=("sev", "max")
    )
    inverse = {v: k for k, v in severity.items()}
    g["worst_status"] = g["sev"].map(inverse)
    g = g.drop(columns="sev").sort_values(["attainment_pct", "mission_code"], ascending=[False, True])
    g["rank"] = range(1, len(g) + 1)
    if len(g) <= 2 * n:
        half = (len(g) + 1) // 2
        g["group"] = ["top" if i < half else "bottom" for i in range(len(g))]
    else:
        g = pd.concat([g.head(n).assign(group="top"), g.tail(n).assign(group="bottom")])
    names = fetch_df(con, _MISSION_NAMES)
    out = g.merge(names[["mission_code", "name_ko", "name_en"]], on="mission_code", how="left")
    return out[cols].reset_index(drop=True)


# {hubs_where}: the mission and region filters (alias h); {where}: every dimension filter (alias r).
_HUBS = """
WITH hubs AS (
    SELECT mission_code, name_ko, name_en, kbeauty_hub_since FROM missions AS h
    WHERE kbeauty_hub_since IS NOT NULL AND kbeauty_hub_since <= $year AND {hubs_where}
),
figures AS (
    SELECT r.mission_code, r.metric_code,
           sum(CASE WHEN r.year = $year THEN r.value END) AS ytd_value,
           sum(CASE WHEN r.year = $year - 1 THEN r.value END) AS prev_value
    FROM {figures} AS r
    WHERE r.sector_code = 'kbeauty' AND r.quarter <= $as_of AND r.year IN ($year, $year - 1)
      AND r.metric_code IN ({metrics}) AND {where} AND {alike}
    GROUP BY ALL
)
SELECT h.mission_code, h.name_ko, h.name_en, h.kbeauty_hub_since::INTEGER AS hub_since, f.metric_code,
       f.ytd_value, f.prev_value,
       CASE WHEN f.prev_value > 0 THEN (f.ytd_value - f.prev_value) / f.prev_value * 100 END AS growth_pct
FROM hubs AS h
LEFT JOIN figures AS f USING (mission_code)
ORDER BY h.mission_code, f.metric_code
"""


def hub_missions(con: duckdb.DuckDBPyConnection, filters: Filters = ALL) -> pd.DataFrame:
    """K-beauty hub missions: one row per hub, K-beauty sector figures year to date and a year earlier.

    Columns: mission_code, name_ko, name_en, hub_since, then for each of HUB_METRICS
    `<metric>` (year to date), `<metric>_prev` and `<metric>_growth` (percent, NULL when last year
    is not positive). Every hub the mission and region filters keep is listed, even with no figure;
    none when the sector filter leaves K-beauty out.
    """
    year, as_of = resolve_year(con, filters)
    metrics = ", ".join(f"'{m}'" for m in HUB_METRICS)
    where, params = dimension_predicate(filters, "r", skip=("metrics",))
    hubs_where, hub_params = mission_predicate(filters, "h")
    if filters.sectors and "kbeauty" not in filters.sectors:
        hubs_where = "FALSE"
    sql = _HUBS.format(
        metrics=metrics,
        where=where,
        hubs_where=hubs_where,
        figures=figures(filters, "results"),
        alike=like_with_like(con, filters),  # the open quarter a year earlier, like with like
    )
    long = fetch_df(
        con, sql, {**params, **hub_params, "year": year, "as_of": as_of or 0, **source_params(filters)}
    )
    base = long[["mission_code", "name_ko", "name_en", "hub_since"]].drop_duplicates("mission_code")
    for m in HUB_METRICS:
        part = long[long["metric_code"] == m][["mission_code", "ytd_value", "prev_value", "growth_pct"]]
        part = part.rename(columns={"ytd_value": m, "prev_value": f"{m}_prev", "growth_pct": f"{m}_growth"})
        base = base.merge(part, on="mission_code", how="left")
    return base.reset_index(drop=True)


_EMERGENCIES = """
SELECT r.mission_code, m.name_ko, m.name_en,
       sum(CASE WHEN r.metric_code = 'affected_firms' THEN r.value END) AS affected_firms,
       sum(CASE WHEN r.metric_code = 'relief_cases' THEN r.value END) AS relief_cases
FROM {figures} AS r
JOIN missions AS m USING (mission_code)
WHERE r.year = $year AND r.quarter <= $as_of AND r.metric_code IN ('affected_firms', 'relief_cases')
  AND {where}
GROUP BY ALL
ORDER BY affected_firms DESC NULLS LAST, relief_cases DESC NULLS LAST, r.mission_code
"""


def emergencies(con: duckdb.DuckDBPyConnection, filters: Filters = ALL) -> pd.DataFrame:
    """Missions that reported emergency figures this year to date: affected_firms, relief_cases (NULL = not reported)."""
    year, as_of = resolve_year(con, filters)
    where, params = dimension_predicate(filters, "r", skip=("metrics",))
    return fetch_df(
        con,
        _EMERGENCIES.format(figures=figures(filters, "results"), where=where),
        {**params, "year": year, "as_of": as_of or 0, **source_params(filters)},
    )


def open_brief_in_scope(con: duckdb.DuckDBPyConnection, filters: Filters = ALL) -> OpenBrief:
    """The active incidents at the missions the mission and region filters keep (an incident
    belongs to a mission; its figures run since it began, whoever reported them). As a council saw
    it (filters.at), the incidents open on the meeting's day."""
    brief = open_brief(con, filters.at.date() if filters.at else None, filters.through)
    if not (filters.missions or filters.regions) or brief.incidents.empty:
        return brief
    where, params = mission_predicate(filters, "m")
    kept = set(fetch_df(con, f"SELECT mission_code FROM missions AS m WHERE {where}", params)["mission_code"])
    df = brief.incidents[brief.incidents["mission_code"].isin(kept)].reset_index(drop=True)
    affected = df["affected_firms"].sum(min_count=1)
    relief = df["relief_cases"].sum(min_count=1)
    return OpenBrief(
        df,
        None if pd.isna(affected) else float(affected),
        None if pd.isna(relief) else float(relief),
    )


def summary_scope(filters: Filters) -> Filters:
    """What the summary reports on: the sidebar's filters, its year to date from Q1 through the
    range's end quarter (the as-of quarter), every metric."""
    return replace(filters, quarter_from=1, metrics=())


def build_summary(con: duckdb.DuckDBPyConnection, filters: Filters = ALL) -> Summary:
    """Everything the summary page and its export need, for the scope `filters` keeps."""
    filters = summary_scope(filters)
    by_mission = attainment(con, filters, level="mission")
    completeness = missions_reported(con, filters)
    targeted = by_mission.loc[by_mission["attainment_pct"].notna(), "mission_code"].unique()
    unranked = [m for m in completeness.missing if m in set(targeted)]
    names = fetch_df(con, _MISSION_NAMES)[["mission_code", "name_ko", "name_en"]]
    return Summary(
        completeness=completeness,
        unranked=names.set_index("mission_code").loc[unranked].reset_index(),
        scorecard=scorecard(con, filters),
        sectors=attainment(con, filters, level="sector"),
        missions=mission_ranking(con, filters, att=by_mission, unreported=completeness.missing),
        mission_attainment=by_mission,
        sector_names_ko=sector_names(con, "ko"),
        sector_names_en=sector_names(con, "en"),
        hubs=hub_missions(con, filters),
        emergencies=emergencies(con, filters),
        incidents=open_brief_in_scope(con, filters),
    )


# ---------------------------------------------------------------------------------------------
# Highlight sentences


def _pct(value: float) -> str:
    return f"{abs(value):.0f}%"


def _growth_sentence(subject: str, growth: float, lang: str) -> str:
    if lang == "en":
        word = "up" if growth >= 0 else "down"
        return f"{subject} {word} {_pct(growth)} year on year"
    word = "증가" if growth >= 0 else "감소"
    return f"{subject} 전년 동기 대비 {_pct(growth)} {word}"


def highlights(
    scorecard_df: pd.DataFrame,
    sectors_df: pd.DataFrame,
    missions_df: pd.DataFrame,
    emergencies_df: pd.DataFrame | None = None,
    lang: str = "ko",
    sector_names: dict[str, str] | None = None,
    mission_attainment: pd.DataFrame | None = None,
    *,
    year: int | None = None,
) -> list[str]:
    """3–5 sentences from the numbers, in `lang` ('ko' | 'en').

    1. the export value total: attainment of the 2026 target and its status;
    2. the sector × metric pair (export value first) with the largest year-on-year change;
    3. how many metrics with a target are on track / at risk / behind / without figures;
    4. how many missions are behind (미흡) on at least one mission target (`mission_attainment`
       = attainment(level='mission'); falls back to `missions_df`'s worst_status);
    5. emergencies: firms affected and relief cases, where reported, with their period: this year's
       reports (`year`; the open incidents' totals since each began are on the emergencies panel).
    """
    names = sector_names or {}
    out: list[str] = []
    sc = scorecard_df.set_index("metric_code") if not scorecard_df.empty else pd.DataFrame()

    # 1. export value against the target
    if "export_value" in sc.index and pd.notna(sc.at["export_value", "attainment_pct"]):
        row = sc.loc["export_value"]
        label = registry.label("export_value", lang)
        status = status_label(row["status"], lang)
        if lang == "en":
            out.append(f"{label} at {row['attainment_pct']:.1f}% of the {int(row['year'])} target ({status})")
        else:
            out.append(f"{label} {int(row['year'])}년 목표 대비 {row['attainment_pct']:.1f}% 달성 ({status})")

    # 2. the largest sector-level year-on-year change, export value preferred
    if not sectors_df.empty:
        grown = sectors_df[sectors_df["growth_pct"].notna() & sectors_df["sector_code"].notna()]
        preferred = grown[grown["metric_code"] == "export_value"]
        pool = preferred if not preferred.empty else grown
        if not pool.empty:
            best = pool.loc[pool["growth_pct"].abs().idxmax()]
            sector = names.get(best["sector_code"], best["sector_code"])
            label = registry.label(best["metric_code"], lang)
            if lang == "en":
                label = label[:1].lower() + label[1:]
            subject = f"{sector} {label}"
            out.append(_growth_sentence(subject, float(best["growth_pct"]), lang))

    # 3. metrics by status
    if not scorecard_df.empty:
        judged = scorecard_df[scorecard_df["status"].notna()]
        if not judged.empty:
            counts = judged["status"].value_counts()
            # every status named, no data too, so the parts add up to the count that opens the sentence
            parts = [
                (s, int(counts.get(s, 0)))
                for s in ("on_track", "at_risk", "behind", "withheld", "no_data")
                if counts.get(s, 0)
            ]
            if lang == "en":
                body = ", ".join(f"{n} {status_label(s, 'en').lower()}" for s, n in parts)
                out.append(f"Of {len(judged)} metrics with a target: {body}")
            else:
                body = ", ".join(f"{status_label(s, 'ko')} {n}개" for s, n in parts)
                out.append(f"목표가 있는 {len(judged)}개 지표 중 {body}")

    # 4. missions behind
    if mission_attainment is not None and not mission_attainment.empty:
        behind = mission_attainment.loc[mission_attainment["status"] == "behind", "mission_code"].nunique()
        # a mission whose status is withheld (판정 보류) is neither behind nor judged on track
        judged_missions = mission_attainment.loc[
            mission_attainment["status"].isin(("on_track", "at_risk", "behind")), "mission_code"
        ].nunique()
    elif not missions_df.empty:
        behind = int((missions_df["worst_status"] == "behind").sum())
        judged_missions = len(missions_df)
    else:
        behind = judged_missions = 0
    if judged_missions:
        if behind:
            out.append(
                f"{behind} mission{'s' if behind != 1 else ''} behind target"
                if lang == "en"
                else f"{behind}개 공관 목표 대비 미흡"
            )
        else:
            out.append(
                f"No mission behind target ({judged_missions} with targets)"
                if lang == "en"
                else f"목표 대비 미흡 공관 없음 (목표 설정 {judged_missions}개 공관)"
            )

    # 5. emergencies
    if emergencies_df is not None and not emergencies_df.empty:
        affected = emergencies_df["affected_firms"].sum(min_count=1)
        relief = emergencies_df["relief_cases"].sum(min_count=1)
        n = len(emergencies_df)
        if pd.notna(affected) or pd.notna(relief):
            a = f"{affected:,.0f}" if pd.notna(affected) else "–"
            r = f"{relief:,.0f}" if pd.notna(relief) else "–"
            if lang == "en":
                period = f"{year} reports" if year else "this year's reports"
                out.append(
                    f"Emergencies at {n} mission{'s' if n != 1 else ''}: {a} firms affected, {r} relief cases "
                    f"({period})"
                )
            else:
                period = f"{year}년 보고 기준" if year else "올해 보고 기준"
                out.append(f"긴급상황 {n}개 공관: 피해기업 {a}개사, 지원 {r}건 ({period})")
    return out[:5]


def sector_names(con: duckdb.DuckDBPyConnection, lang: str = "ko") -> dict[str, str]:
    """Sector code → display name in `lang`, in reference order."""
    column = "name_en" if lang == "en" else "name_ko"
    df = fetch_df(con, f"SELECT sector_code, {column} AS name FROM sectors ORDER BY sort_order, sector_code")
    return dict(zip(df["sector_code"], df["name"], strict=True))
