"""Judging goals: each scope's expected pace, status and projection from its yearly statistics.

DuckDB sums the figures into one row of statistics per scope value (metrics/sql/scope_stats.sql);
the rules of metrics/attainment.py and metrics/pace.py are then worked out here, in NumPy, on the
few hundred goals of a call. In SQL these expressions cost DuckDB more to plan than to run, and
planning was most of what an attainment call cost.

A goal is a metric, the dimensions it pins (None = all of the filtered figures) and its target
(None = none). Its scope's statistics are looked up by (gid, metric, sector, mission, agency), gid
as goal_gid gives it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from metrics import registry

AT_RISK_FROM = 0.8  # docs/reference.md: at risk from 80 % of the expected value
REL_SLACK = 1e-9  # rounding slack of the status comparisons: 0.35 × 200 must count as 70


class Goal(NamedTuple):
    """A metric over a scope, with the scope's target; unit_order orders a by-scorecard's blocks."""

    metric_code: str
    sector_code: str | None
    mission_code: str | None
    agency_code: str | None
    target: float | None
    unit_order: int = 0


class ScopeStats(NamedTuple):
    """Statistics per scope value (the columns of metrics/sql/scope_stats.sql after the key), by column.

    `index` maps (gid, metric, sector, mission, agency) to its row; each column has one more value
    at the end, what a scope without figures has (0 full years, NaN, qmask 0), which row -1 picks.
    """

    index: dict[tuple, int]
    columns: dict[str, np.ndarray]

    @classmethod
    def none(cls, curve: bool = False) -> ScopeStats:
        """No scope has figures (no query was run: there is no goal)."""
        names = [*STATS_COLUMNS, *(CURVE_COLUMNS if curve else ())]
        return cls({}, {n: np.array([EMPTY_ROW.get(n, np.nan)]) for n in names})

    def take(self, goals: Sequence[Goal]) -> dict[str, np.ndarray]:
        """Each column's values for the goals, in their order."""
        # goal_gid written out: two calls per goal were most of what a few thousand goals cost
        index = self.index
        rows = np.fromiter(
            (
                index.get(((s is None) * 4 + (m is None) * 2 + (a is None), metric, s, m, a), -1)
                for metric, s, m, a, *_ in goals
            ),
            dtype="int64",
            count=len(goals),
        )
        return {name: values[rows] for name, values in self.columns.items()}


EMPTY_ROW = {"full_years": 0, "qmask": 0}  # a scope without figures; any other column: NaN
STATS_COLUMNS = ("full_years", "prior_share", "ytd_value", "qmask", "prev_value")
CURVE_COLUMNS = tuple(
    f"{name}{q}"
    for name, qs in (("share", (1, 2, 3)), ("cum", range(1, 5)), ("prev", range(1, 5)))
    for q in qs
)


def goal_gid(sector: object, mission: object, agency: object) -> int:
    """The granularity bitmask of a scope, as GROUPING(sector_code, mission_code, agency_code)."""
    return (sector is None) * 4 + (mission is None) * 2 + (agency is None)


def _floats(values: Sequence[object]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype="float64")


def ints(values: Sequence[object]) -> pd.arrays.IntegerArray:
    """Int64 values (None = NA), as metrics.db gives an INTEGER column."""
    mask = np.array([v is None for v in values], dtype=bool)
    data = np.array([0 if v is None else v for v in values], dtype="int64")
    return pd.arrays.IntegerArray(data, mask)


def texts(values: Sequence[object]) -> pd.api.extensions.ExtensionArray:
    """`str` values (None = missing), as metrics.db gives a VARCHAR column."""
    return pd.array(np.array(values, dtype=object), dtype="str")


def _metric_arrays(goals: Sequence[Goal]) -> tuple[np.ndarray, np.ndarray]:
    metrics = _metric_attributes()
    is_mean = np.array([metrics[g.metric_code][0] for g in goals], dtype=bool)
    higher = np.array([metrics[g.metric_code][1] for g in goals], dtype=bool)
    return is_mean, higher


@cache
def _metric_attributes() -> dict[str, tuple[bool, bool]]:
    return {m.code: (m.is_mean, m.higher_is_better) for m in registry.all_metrics()}


def judge(goals: Sequence[Goal], stats: ScopeStats, as_of: int) -> dict[str, object]:
    """The judged columns of attainment() and scorecard(), one value per goal, in the goals' order.

    `as_of` is the last quarter counted (0: none reported in the year yet). Rules: metrics/attainment.py.
    """
    n = len(goals)
    found = stats.take(goals)
    is_mean, higher = _metric_arrays(goals)
    target = _floats([g.target for g in goals])
    full_years, prior_share = found["full_years"], found["prior_share"]
    ytd, prev = found["ytd_value"], found["prev_value"]
    # bits 1..as_of of the year's quarter mask: the quarters counted that have figures
    counted = found["qmask"] & ((2 << as_of) - 1)
    reported = sum((counted >> q) & 1 for q in range(1, 5)) if n else counted

    with np.errstate(divide="ignore", invalid="ignore"):
        # no prior full year: the share is q ÷ 4; a weighted mean (a score) has no pace
        paced = ~is_mean & (as_of > 0)
        share = np.where(paced, np.where(np.isnan(prior_share), as_of / 4, prior_share), np.nan)
        # a mean's expected value is its target and it projects as itself
        expected = np.where(is_mean, target, share * target)
        projection = np.where(is_mean, ytd, np.where(share > 0, ytd / share, np.nan))
        tol = REL_SLACK * np.maximum(1, np.abs(expected))
        on_track = np.where(higher, ytd >= expected - tol, ytd <= expected + tol)
        at_risk = np.where(higher, ytd >= AT_RISK_FROM * expected - tol, ytd <= expected / AT_RISK_FROM + tol)
        has_target = ~np.isnan(target)
        nonzero_target = has_target & (target != 0)
        status = np.where(on_track, "on_track", np.where(at_risk, "at_risk", "behind")).astype(object)
        status[np.isnan(ytd)] = "no_data"
        status[~has_target] = None
        basis = np.where(is_mean, "target", np.where(full_years > 0, "prior_years", "linear")).astype(object)
        if as_of == 0:
            basis[:] = None
        columns = {
            "target": target,
            "ytd_value": ytd,
            "quarters_reported": pd.arrays.IntegerArray(reported.astype("int64"), np.zeros(n, dtype=bool)),
            "attainment_pct": np.where(nonzero_target, ytd / target * 100, np.nan),
            "expected_share": share,
            "expected_value": expected,
            "vs_expected_pct": np.where(expected != 0, ytd / expected * 100, np.nan),
            "status": texts(status),
            "projection": projection,
            "projection_pct": np.where(nonzero_target, projection / target * 100, np.nan),
            "pace_basis": texts(basis),
            "prior_years": pd.arrays.IntegerArray(
                np.where(is_mean, 0, full_years).astype("int64"), np.zeros(n, dtype=bool)
            ),
            "prev_value": prev,
            "growth_pct": np.where(prev > 0, (ytd - prev) / prev * 100, np.nan),
        }
    assert all(len(c) == n for c in columns.values())
    return columns


def curve(goals: Sequence[Goal], stats: ScopeStats, as_of: int) -> dict[str, object]:
    """pace_curve()'s columns after year: one row per goal and quarter 1..4, in the goals' order."""
    is_mean, _ = _metric_arrays(goals)
    n = len(goals)
    found = stats.take(goals)
    # no prior full year: the share by quarter q is q ÷ 4; all of it by Q4
    shares = np.column_stack(
        [*(np.where(np.isnan(found[f"share{q}"]), q / 4, found[f"share{q}"]) for q in (1, 2, 3)), np.ones(n)]
    )
    cum = np.column_stack([found[f"cum{q}"] for q in range(1, 5)])
    prev = np.column_stack([found[f"prev{q}"] for q in range(1, 5)])
    target = _floats([g.target for g in goals])[:, None]
    mean = is_mean[:, None]
    quarter = np.arange(1, 5)
    return {
        "metric_code": texts(np.repeat(np.array([g.metric_code for g in goals], dtype=object), 4)),
        "quarter": ints(np.tile(quarter, n).tolist()),
        "expected_share": np.where(mean, np.nan, shares).ravel(),
        "expected_value": np.where(mean, target, shares * target).ravel(),
        "target": np.repeat(target.ravel(), 4),
        # this year's running value only through the as-of quarter
        "cum_value": np.where(quarter <= as_of, cum, np.nan).ravel(),
        "prev_cum_value": prev.ravel(),
    }
