"""attainment() and scorecard() against the formulas worked out again here, in plain Python.

metrics/ sums the figures in DuckDB (result_rollup, result_sums) and judges them in NumPy
(metrics/judge.py). This test starts from the contract view `results` instead, weighs satisfaction
by the firms of its own return row as docs/reference.md says, and applies the rules of
metrics/attainment.py and metrics/pace.py scope by scope, on the demo warehouse (missing quarters,
restatements, 누계 returns) and under dimension filters.
"""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path

import pytest

from metrics import Filters, attainment, latest_period, registry, scorecard
from warehouse.connection import connection

ROW = ("year", "quarter", "agency_code", "mission_code", "sector_code", "program_code")
DIMS = ("sector_code", "mission_code", "agency_code")


def weighted_figures(con) -> list[dict]:
    """Every current figure with its weight: a score weighs its row's positive firms, else 1."""
    cur = con.execute(f"SELECT {', '.join(ROW)}, metric_code, value FROM results")
    rows = [dict(zip([*ROW, "metric_code", "value"], r, strict=True)) for r in cur.fetchall()]
    firms: dict[tuple, float] = defaultdict(float)
    for r in rows:
        if r["metric_code"] == "firms_supported" and r["value"] > 0:
            firms[tuple(r[c] for c in ROW)] += r["value"]
    for r in rows:
        r["w"] = firms.get(tuple(r[c] for c in ROW)) or 1.0
    return rows


def expected_row(rows: list[dict], metric: str, target: float | None, year: int, as_of: int) -> dict:
    """The judged values of one scope (its figures `rows`, one metric) against `target`."""
    mean = registry.get(metric).is_mean
    by_year: dict[int, dict] = defaultdict(lambda: {"quarters": set(), "total": 0.0, "wv": 0.0, "w": 0.0})
    for r in rows:
        y = by_year[r["year"]]
        wv = r["value"] * r["w"] if mean else r["value"]
        y["quarters"].add(r["quarter"])
        y["total"] += wv
        if r["quarter"] <= as_of:
            y["wv"] += wv
            y["w"] += r["w"]

    def to_date(y: int) -> float | None:
        if y not in by_year or not by_year[y]["quarters"] & set(range(1, as_of + 1)):
            return None
        return by_year[y]["wv"] / by_year[y]["w"] if mean else by_year[y]["wv"]

    full = [v for y, v in by_year.items() if y < year and v["quarters"] == {1, 2, 3, 4} and v["total"] > 0]
    ytd, prev = to_date(year), to_date(year - 1)
    share = (
        None
        if mean or as_of == 0
        else (sum(v["wv"] / v["total"] for v in full) / len(full) if full else as_of / 4)
    )
    expected = None if target is None else (target if mean else share * target)
    status = None
    if target is not None:
        if ytd is None:
            status = "no_data"
        else:
            tol = 1e-9 * max(1, abs(expected))
            status = (
                "on_track"
                if ytd >= expected - tol
                else "at_risk"
                if ytd >= 0.8 * expected - tol
                else "behind"
            )
    projection = ytd if mean else (ytd / share if ytd is not None and share else None)
    return {
        "ytd_value": ytd,
        "expected_share": share,
        "expected_value": expected,
        "status": status,
        "projection": projection,
        "attainment_pct": ytd / target * 100 if target and ytd is not None else None,
        "prev_value": prev,
        "growth_pct": (ytd - prev) / prev * 100 if ytd is not None and prev and prev > 0 else None,
        "prior_years": 0 if mean else len(full),
        "pace_basis": None if as_of == 0 else "target" if mean else "prior_years" if full else "linear",
    }


def assert_matches(got, expected: dict) -> None:
    for column, value in expected.items():
        actual = got[column]
        if value is None:
            assert actual is None or actual != actual, (column, actual)
        elif isinstance(value, str):
            assert actual == value, (column, actual, value)
        else:
            assert math.isclose(actual, value, rel_tol=1e-9, abs_tol=1e-9), (column, actual, value)


FILTERS = [
    Filters(year=2026),
    Filters(year=2025, quarter_to=3),
    Filters(year=2026, sectors=("kbeauty",)),
    Filters(year=2026, agencies=("kosme",)),
]


@pytest.mark.parametrize(
    "filters", FILTERS, ids=lambda f: f"{f.year}-{f.quarter_to}-{f.sectors}-{f.agencies}"
)
def test_attainment_matches_the_formulas_from_the_contract_view(demo_db: Path, filters: Filters) -> None:
    with connection(demo_db, read_only=True) as con:
        by_metric = defaultdict(list)  # each target's scope is searched among its metric's figures only
        for r in weighted_figures(con):
            by_metric[r["metric_code"]].append(r)
        as_of = latest_period(con, filters).quarter
        got = attainment(con, filters)
        assert len(got) > 0
        kept = {"sector_code": filters.sectors, "agency_code": filters.agencies}
        for _, row in got.iterrows():
            scope = {d: row[d] for d in DIMS if isinstance(row[d], str)}
            rows = [
                r
                for r in by_metric[row["metric_code"]]
                if r["year"] <= filters.year
                and all(r[d] == v for d, v in scope.items())
                and all(not values or r[d] in values for d, values in kept.items())
            ]
            assert_matches(row, expected_row(rows, row["metric_code"], row["target"], filters.year, as_of))


def test_a_missions_scorecard_matches_the_formulas(demo_db: Path) -> None:
    with connection(demo_db, read_only=True) as con:
        figures = weighted_figures(con)
        filters = Filters(year=2026, missions=("VN-HAN",))
        as_of = latest_period(con, filters).quarter
        got = scorecard(con, filters)
        assert list(got["metric_code"]) == list(registry.codes())
        for _, row in got.iterrows():
            rows = [
                r for r in figures if r["metric_code"] == row["metric_code"] and r["mission_code"] == "VN-HAN"
            ]
            target = None if row["target"] != row["target"] else row["target"]
            assert_matches(row, expected_row(rows, row["metric_code"], target, 2026, as_of))
