"""Explanations (사유·대책) beside the targets they answer: which are written, which are missing.

An explanation answers one target (metric, sector, mission, agency; NULL meaning all, as in
`targets`) for one closed quarter. Rules (docs/reference.md, "The reporting cycle"):
- a target needs one when its status in a closed quarter is 주의 or 미흡 (`NEEDS`); the quarter
  is the one a page is "as of" (metrics.period.resolve), so the default view asks about the
  latest closed quarter and a meeting's view (`?meeting=N`) about the quarter it reviewed;
- its owner is the explanation's owner when one is written (an administrator may have reassigned
  it), otherwise the target's agency, otherwise MSS as the council's secretariat (`SECRETARIAT`,
  the same rule as etl.registers.followup.target_owner, which this package may not import);
- under `Filters.at` (as the council saw it) the explanations are those standing at that moment
  (`explanations_as_of`, data/followup.sql): the versions loaded by then and not yet rolled back;
- figures of an open quarter (the preliminary view) need no explanation yet.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from metrics.attainment import attainment
from metrics.db import fetch_df
from metrics.filters import Filters
from metrics.period import resolve
from warehouse.cycle import closed_through, is_closed

NEEDS = ("behind", "at_risk")  # the statuses an explanation answers, worst first
SECRETARIAT = "mss"
KEY = ("metric_code", "sector_code", "mission_code", "agency_code")
TEXT_COLUMNS = ("owner_agency", "cause", "measures", "recover_by", "written_by", "written_at")

_COLUMNS = (
    "year, quarter, metric_code, sector_code, mission_code, agency_code, owner_agency, cause, measures, "
    "recover_by, written_by, written_at"
)
_CURRENT = f"SELECT {_COLUMNS} FROM explanations WHERE year = $year AND quarter = $quarter"
_AS_OF = (
    f"SELECT {_COLUMNS} FROM explanations_as_of($at::TIMESTAMP) WHERE year = $year AND quarter = $quarter"
)


@dataclass(frozen=True)
class Quarter:
    """The explanations of the quarter a view is "as of": whether it is closed, and what is written."""

    year: int | None
    quarter: int  # 0: nothing reported in the year yet
    closed: bool  # only a closed quarter's targets need explanations
    table: pd.DataFrame  # one row per explanation: year, quarter, KEY, TEXT_COLUMNS

    @property
    def period(self) -> int | None:
        return None if self.year is None or not self.quarter else self.year * 10 + self.quarter


def explanations(con: duckdb.DuckDBPyConnection, year: int, quarter: int, at: object = None) -> pd.DataFrame:
    """The explanations of one quarter, current or as they stood at moment `at`."""
    sql = _CURRENT if at is None else _AS_OF
    return fetch_df(con, sql, {"year": int(year), "quarter": int(quarter), "at": at})


def quarter_explanations(con: duckdb.DuckDBPyConnection, filters: Filters) -> Quarter:
    """The explanations of the quarter the filters' view is as of (see the module's rules)."""
    as_of = resolve(con, filters)
    return _quarter(con, as_of.year, as_of.quarter, filters)


def _quarter(con: duckdb.DuckDBPyConnection, year: int | None, quarter: int, filters: Filters) -> Quarter:
    if year is None or not quarter:
        return Quarter(year, 0, False, _empty())
    closed = is_closed(con, year, quarter) and (
        filters.through is None or year * 10 + quarter <= filters.through
    )
    table = explanations(con, year, quarter, filters.at) if closed else _empty()
    return Quarter(year, quarter, closed, table)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=["year", "quarter", *KEY, *TEXT_COLUMNS])


def _keys(df: pd.DataFrame, fixed: dict[str, str | None] | None = None) -> list[tuple]:
    """Each row's target key, NULL ('all') as '' so that two NULLs match. A key column `df` lacks
    takes its value from `fixed` (a scorecard's rows are all of one mission, say), else 'all'."""
    parts = []
    for column in KEY:
        if column in df.columns:
            parts.append([v if isinstance(v, str) else "" for v in df[column].tolist()])
        else:
            parts.append([(fixed or {}).get(column) or ""] * len(df))
    return list(zip(*parts, strict=True))


def default_owner(agency: object) -> str:
    """Who answers for a target with no explanation yet: its agency, else the secretariat."""
    return agency if isinstance(agency, str) and agency else SECRETARIAT


def attach(df: pd.DataFrame, quarter: Quarter, fixed: dict[str, str | None] | None = None) -> pd.DataFrame:
    """`df` (target rows: attainment, a scorecard) with each row's explanation for `quarter`.

    `fixed`: the value of a key column that `df` does not have (see `_keys`).

    Adds: needs_explanation (status 주의/미흡 in a closed quarter), explained (one is written),
    owner_agency (the explanation's owner, else `default_owner`), cause, measures, recover_by
    ('2026Q4'), written_by, written_at (NULL where none is written).
    """
    out = df.copy()
    written = dict(zip(_keys(quarter.table), quarter.table.to_dict("records"), strict=True))
    found = [written.get(k) for k in _keys(out, fixed)]
    status = out["status"] if "status" in out.columns else pd.Series([None] * len(out), index=out.index)
    out["needs_explanation"] = (status.isin(NEEDS) & quarter.closed).to_numpy(dtype=bool)
    out["explained"] = [r is not None for r in found]
    agencies = (
        out["agency_code"] if "agency_code" in out.columns else [(fixed or {}).get("agency_code")] * len(out)
    )
    out["owner_agency"] = pd.array(
        [r["owner_agency"] if r else default_owner(a) for r, a in zip(found, agencies, strict=True)],
        dtype="str",
    )
    for column in ("cause", "measures", "recover_by", "written_by"):
        out[column] = pd.array([r[column] if r else None for r in found], dtype="str")
    out["written_at"] = pd.to_datetime([r["written_at"] if r else None for r in found]).to_numpy()
    return out


def explained_attainment(
    con: duckdb.DuckDBPyConnection, filters: Filters, level: str | None = None
) -> pd.DataFrame:
    """attainment() with each target's explanation for the as-of quarter (columns of `attach`)."""
    att = attainment(con, filters, level)
    if att.empty:
        return attach(att, quarter_explanations(con, filters))
    # the as-of quarter attainment judged: no second pass over the figures to find it again
    as_of = att["as_of_quarter"].iloc[0]
    quarter = _quarter(con, int(att["year"].iloc[0]), 0 if pd.isna(as_of) else int(as_of), filters)
    return attach(att, quarter)


def _worst_first(df: pd.DataFrame) -> pd.DataFrame:
    order = {"total": 0, "sector": 1, "agency": 2, "mission": 3}
    df = df.assign(
        _s=df["status"].map({"behind": 0, "at_risk": 1}),
        _l=df["level"].map(order).fillna(9) if "level" in df.columns else 0,
    )
    df = df.sort_values(["_s", "_l", "attainment_pct"], na_position="last", kind="stable")
    return df.drop(columns=["_s", "_l"]).reset_index(drop=True)


def exceptions(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Every target at 주의 or 미흡 in the as-of quarter (closed), worst first, with its explanation."""
    df = explained_attainment(con, filters)
    return _worst_first(df[df["needs_explanation"]])


def latest_closed(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> Filters | None:
    """The year to date of the quarter explanations are chased for: the latest closed quarter, or
    the quarter a meeting's view reviewed (`filters.through` with `filters.at`). None before any close.
    """
    if filters is not None and filters.at is not None and filters.through is not None:
        through = int(filters.through)
    else:
        through = closed_through(con)
        if through is None:
            return None
    return Filters(
        year=through // 10, quarter_to=through % 10, through=through, at=filters.at if filters else None
    )


def missing(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> pd.DataFrame:
    """Targets at 주의 or 미흡 in the latest closed quarter still without an explanation, worst
    first, each with its owner agency (owner_agency); empty before any quarter is closed.

    `filters` only carries the view: a meeting's (through, at) or today's. Dimension filters do not
    apply, since an agency answers for every one of its targets.
    """
    scope = latest_closed(con, filters)
    if scope is None:
        return pd.DataFrame(columns=["level", "status", "attainment_pct", *KEY, *TEXT_COLUMNS])
    df = exceptions(con, scope)
    return df[~df["explained"]].reset_index(drop=True)


def missing_by_agency(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> pd.DataFrame:
    """How many targets at 주의/미흡 each agency still has to explain: owner_agency, missing, behind, at_risk."""
    df = missing(con, filters)
    if df.empty:
        return pd.DataFrame(
            {"owner_agency": pd.array([], dtype="str"), "missing": [], "behind": [], "at_risk": []}
        )
    grouped = df.groupby("owner_agency", sort=True)["status"]
    out = pd.DataFrame(
        {
            "missing": grouped.size(),
            "behind": grouped.apply(lambda s: int((s == "behind").sum())),
            "at_risk": grouped.apply(lambda s: int((s == "at_risk").sum())),
        }
    ).reset_index()
    return out.sort_values(["missing", "owner_agency"], ascending=[False, True]).reset_index(drop=True)


def count_explained(df: pd.DataFrame) -> tuple[int, int]:
    """(targets needing an explanation, of which written) in an `attach`ed frame."""
    needing = df[df["needs_explanation"]] if "needs_explanation" in df.columns else df.head(0)
    return len(needing), int(needing["explained"].sum()) if len(needing) else 0


def explanation_for(df: pd.DataFrame, key: tuple) -> dict | None:
    """The explanation of the target `key` (metric, sector, mission, agency; None = all) in an
    `attach`ed frame, as a dict of TEXT_COLUMNS, or None when none is written."""
    wanted = tuple("" if v is None else str(v) for v in key)
    for k, record in zip(_keys(df), df.to_dict("records"), strict=True):
        if k == wanted and record.get("explained"):
            return {c: record.get(c) for c in TEXT_COLUMNS}
    return None
