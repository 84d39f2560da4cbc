"""What the dashboard pages need besides the council's numbers: filter choices and submission status.

Functions over a DuckDB connection returning tidy DataFrames, like the rest of the package. They read
only the contract views (data/views.sql). No Streamlit, no plotly.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from metrics.db import fetch_df, fetch_one
from metrics.filters import ALL, Filters, dimension_predicate
from metrics.source import figures, source_params
from warehouse.cycle import due_date

# kind -> (view, code column, extra columns)
_REFERENCE = {
    "agencies": ("agencies", "agency_code", ("short_ko", "short_en")),
    "sectors": ("sectors", "sector_code", ("color",)),
    "programs": ("programs", "program_code", ("lead_agency",)),
    "regions": ("regions", "region_code", ()),
    "missions": (
        "missions",
        "mission_code",
        (
            "mission_type",
            "country_iso2",
            "country_ko",
            "country_en",
            "city_ko",
            "city_en",
            "region_code",
            "region_ko",
            "region_en",
            "lat",
            "lon",
            "kbeauty_hub_since",
        ),
    ),
}


def reference(con: duckdb.DuckDBPyConnection, kind: str) -> pd.DataFrame:
    """A reference list in display order: `code`, `name_ko`, `name_en`, then the kind's own columns.

    kind: agencies | sectors | programs | regions | missions. Missions are ordered by region, then
    by their order in data/ref/missions.csv is not kept by the warehouse, so by region and code.
    """
    if kind not in _REFERENCE:
        raise ValueError(f"unknown reference {kind!r}; use one of {tuple(_REFERENCE)}")
    view, code, extra = _REFERENCE[kind]
    columns = ", ".join((f"v.{code} AS code", "v.name_ko", "v.name_en", *(f"v.{c}" for c in extra)))
    if kind == "missions":
        order = "JOIN regions AS r USING (region_code) ORDER BY r.sort_order, v.mission_code"
    else:
        order = f"ORDER BY v.sort_order, v.{code}"
    return fetch_df(con, f"SELECT {columns} FROM {view} AS v {order}")


def years(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Years with figures or targets, ascending: one column `year` (Int64), `has_results` (bool)."""
    return fetch_df(
        con,
        """
        SELECT year::INTEGER AS year, bool_or(src = 'r') AS has_results
        FROM (SELECT DISTINCT year, 'r' AS src FROM results
              UNION ALL SELECT DISTINCT year, 't' FROM targets)
        GROUP BY year ORDER BY year
        """,
    )


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the warehouse was built by `python -m etl demo` (synthetic figures)."""
    return fetch_one(con, "SELECT any_value(value) = 'true' FROM meta WHERE key = 'demo'")[0] is True


# Which (agency, mission) pairs owe a return for which quarter, and whether and when it arrived.
# Expected: every pair that reported anything in the year or the year before. Arrived: the slice
# has current figures. When: the first return (not rolled back) covering that agency and quarter,
# so a later correction does not make an on-time return look late.
_SUBMISSION_GRID = """
WITH pairs AS (
    SELECT DISTINCT agency_code, mission_code
    FROM {figures} AS r
    WHERE r.year IN ($year - 1, $year) AND {dims}
),
quarters AS (
    -- each quarter's due date comes from warehouse.cycle.due_date ($due_dates, Q1..Q4)
    SELECT q.quarter::INTEGER AS quarter, ($due_dates)[q.quarter]::DATE AS due_date
    FROM range($quarter_from, least($quarter_to, $as_of) + 1) AS q(quarter)
),
slices AS (
    SELECT quarter::INTEGER AS quarter, agency_code, mission_code, count(*) AS figures
    FROM {figures}
    WHERE year = $year
    GROUP BY ALL
),
files AS (
    -- returns covering an agency's quarter: period_first..period_last as 'YYYYQn' text
    SELECT trim(a.agency_code) AS agency_code, q.quarter, min(s.loaded_at) AS first_loaded_at
    FROM submissions AS s
    CROSS JOIN unnest(string_split(s.agency_codes, ',')) AS a(agency_code)
    JOIN quarters AS q
      ON s.period_first <= $year || 'Q' || q.quarter AND s.period_last >= $year || 'Q' || q.quarter
    WHERE s.kind = 'results' AND s.status <> 'rolled_back'
    GROUP BY ALL
)
SELECT $year::INTEGER AS year, q.quarter, p.agency_code, p.mission_code,
       coalesce(sl.figures, 0)::INTEGER AS figures,
       CASE WHEN sl.figures IS NOT NULL THEN f.first_loaded_at END AS submitted_at,
       q.due_date,
       CASE WHEN sl.figures IS NULL AND $today > q.due_date THEN 'missing'
            WHEN sl.figures IS NULL THEN 'not_due'
            WHEN f.first_loaded_at::DATE > q.due_date THEN 'late'
            ELSE 'on_time' END AS status
FROM pairs AS p
CROSS JOIN quarters AS q
LEFT JOIN slices AS sl USING (quarter, agency_code, mission_code)
LEFT JOIN files AS f ON f.agency_code = p.agency_code AND f.quarter = q.quarter
JOIN agencies AS ag ON ag.agency_code = p.agency_code
JOIN missions AS ms ON ms.mission_code = p.mission_code
JOIN regions AS rg ON rg.region_code = ms.region_code
ORDER BY q.quarter, ag.sort_order, rg.sort_order, p.mission_code
"""


def submission_grid(
    con: duckdb.DuckDBPyConnection, filters: Filters = ALL, today: date | None = None
) -> pd.DataFrame:
    """Every expected (quarter, agency, mission) return of the year and whether it came in on time.

    The year is the filters' year, else the latest with figures; quarters run over the filters'
    range up to the latest quarter reported that year (a quarter nobody has reported is not yet
    due). Agency, mission and region filters apply; sector, program and metric filters do not (a
    return covers a whole agency-mission slice).
    Columns: year, quarter (Int64), agency_code, mission_code, figures (Int64: current figures in
    the slice), submitted_at (timestamp of the first return covering that agency and quarter; NULL
    when not in), due_date (warehouse.cycle.due_date: quarter end + DEADLINE_DAYS), status
    ('on_time' | 'late' | 'missing' | 'not_due'): a return not in is missing only once its due date
    has passed on `today` (default: the real date), before that it is not yet due (기한 전).
    Empty when the year has no figures.
    """
    today = today or date.today()
    year, as_of = fetch_one(
        con,
        "SELECT coalesce($year, max(year))::INTEGER, "
        "max(quarter) FILTER (WHERE year = coalesce($year, (SELECT max(year) FROM {figures})))::INTEGER "
        "FROM {figures}".format(figures=figures(filters, "results")),
        {"year": filters.year, **source_params(filters)},
    )
    dims, params = dimension_predicate(filters, "r", skip=("sectors", "programs", "metrics"))
    params.update(
        year=year,
        as_of=as_of or 0,
        quarter_from=filters.quarter_from,
        quarter_to=filters.quarter_to,
        due_dates=[due_date(year if year is not None else today.year, q) for q in (1, 2, 3, 4)],
        today=today,
    )
    params.update(source_params(filters))
    return fetch_df(con, _SUBMISSION_GRID.format(dims=dims, figures=figures(filters, "results")), params)


_FIELD = {"sector": "sectors", "agency": "agencies", "mission": "missions"}


def scorecards_by(
    con: duckdb.DuckDBPyConnection, filters: Filters, dimension: str, codes: tuple[str, ...]
) -> pd.DataFrame:
    """`scorecard()` for each code of one dimension (sector, agency or mission), stacked.

    Each code is scored as if the filters had pinned that dimension to it alone, so its own target
    applies (a sector's 2026 target for that sector). Columns: `<dimension>_code`, then scorecard's.
    """
    from dataclasses import replace

    from metrics.attainment import scorecard

    if dimension not in _FIELD:
        raise ValueError(f"unknown dimension {dimension!r}; use one of {tuple(_FIELD)}")
    frames = []
    for code in codes:
        df = scorecard(con, replace(filters, **{_FIELD[dimension]: (code,)}))
        df.insert(0, f"{dimension}_code", code)
        frames.append(df)
    if not frames:
        return pd.DataFrame({f"{dimension}_code": pd.Series(dtype="str")})
    return pd.concat(frames, ignore_index=True)


def running_by_year(con: duckdb.DuckDBPyConnection, filters: Filters, metric: str) -> pd.DataFrame:
    """One metric's running total (running mean for a score) through each quarter, for every year.

    Every year with figures up to the filters' year (all years when it is None). Columns: year,
    quarter (Int64), value (float; NULL for quarters not reported yet), and for the selected
    (last) year: expected_value (where the pace says the total should be), target.
    """
    from dataclasses import replace

    from metrics.pace import pace_curve

    last = filters.year
    all_years = [int(y) for y in years(con).query("has_results")["year"]]
    chosen = [y for y in all_years if last is None or y <= last]
    if not chosen:
        return pd.DataFrame(
            {
                "year": pd.Series(dtype="Int64"),
                "quarter": pd.Series(dtype="Int64"),
                "value": pd.Series(dtype="float64"),
                "expected_value": pd.Series(dtype="float64"),
                "target": pd.Series(dtype="float64"),
            }
        )
    frames = []
    for y in chosen:
        curve = pace_curve(con, replace(filters, year=y, metrics=(metric,)))
        curve = curve[curve["metric_code"] == metric]
        part = pd.DataFrame(
            {
                "year": curve["year"].astype("Int64"),
                "quarter": curve["quarter"].astype("Int64"),
                "value": curve["cum_value"].astype("float64"),
                "expected_value": curve["expected_value"].astype("float64")
                if y == chosen[-1]
                else float("nan"),
                "target": curve["target"].astype("float64") if y == chosen[-1] else float("nan"),
            }
        )
        frames.append(part)
    return pd.concat(frames, ignore_index=True)


_HUBS = """
SELECT m.mission_code, m.name_ko, m.name_en, m.country_ko, m.country_en, m.region_ko, m.region_en,
       m.lat, m.lon, m.kbeauty_hub_since
FROM missions AS m
WHERE m.kbeauty_hub_since <= $year AND m.lat IS NOT NULL AND m.lon IS NOT NULL AND {where}
ORDER BY m.mission_code
"""


def _hub_year(con: duckdb.DuckDBPyConnection, filters: Filters) -> int | None:
    """The year whose hubs are marked: the filters' year, or the latest year with figures."""
    from metrics.period import latest_period

    period = latest_period(con, filters)
    return period.year if period is not None else filters.year


def hubs_in_scope(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Every K-beauty hub mission of the year that the mission and region filters keep, with its map
    position, whether or not it has a figure: a map marks them all."""
    from metrics.scope import mission_predicate

    year = _hub_year(con, filters)
    where, params = mission_predicate(filters, "m")
    return fetch_df(con, _HUBS.format(where=where), {**params, "year": year if year is not None else 9999})


def mission_results(con: duckdb.DuckDBPyConnection, filters: Filters, metric: str) -> pd.DataFrame:
    """One metric by mission: figures, share, the mission's own target, status, hub flag, map position.

    One row per mission that has a figure or a mission-level target under the filters, largest value
    first. Columns: mission_code, name_ko, name_en, country_ko/en, city_ko/en, region_code,
    region_ko/en, lat, lon, kbeauty_hub_since (Int64), is_hub (hub in the filters' year, or the latest
    year with figures), value (NULL when only a target exists), share_pct (of all missions shown;
    NULL for a score), target, attainment_pct, expected_share, status, projection (the last four
    NULL where value is: they are year to date, and the row shows no figure for the quarters).
    """
    from dataclasses import replace

    from metrics import registry
    from metrics.actuals import actuals
    from metrics.attainment import attainment

    scoped = replace(filters, metrics=(metric,))
    values = actuals(con, scoped, ("mission",))
    values = values.loc[values["metric_code"] == metric, ["mission_code", "value"]]
    targets = attainment(con, scoped, "mission")
    targets = targets.loc[
        targets["metric_code"] == metric,
        ["mission_code", "target", "attainment_pct", "expected_share", "status", "projection"],
    ]
    rows = values.merge(targets, on="mission_code", how="outer")
    # Attainment, status and projection count the year to date; a row with no figure in the
    # quarters shown must not claim them beside its "–" (a Q3-only view of a mission silent in Q3).
    silent = rows["value"].isna()
    rows.loc[silent, ["attainment_pct", "expected_share", "projection"]] = float("nan")
    rows["status"] = rows["status"].astype(object).where(~silent, None)
    ref = reference(con, "missions").rename(columns={"code": "mission_code"})
    out = ref.merge(rows, on="mission_code", how="inner")
    year = _hub_year(con, filters)
    out["is_hub"] = out["kbeauty_hub_since"].notna() & (
        out["kbeauty_hub_since"].fillna(9999) <= (year if year is not None else 9999)
    ).astype(bool)
    out["is_hub"] = out["is_hub"].astype(bool)
    total = out["value"].sum(skipna=True)
    if registry.get(metric).is_mean or not total:
        out["share_pct"] = float("nan")
    else:
        out["share_pct"] = out["value"] / total * 100
    out = out.sort_values(["value", "mission_code"], ascending=[False, True], na_position="last")
    columns = [c for c in ref.columns if c not in ("mission_type",)] + [
        "is_hub",
        "value",
        "share_pct",
        "target",
        "attainment_pct",
        "expected_share",
        "status",
        "projection",
    ]
    return out[columns].reset_index(drop=True)
