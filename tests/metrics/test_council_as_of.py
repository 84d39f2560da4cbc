"""Golden tests of "as the council saw it": real .xlsx returns loaded, corrected, rolled back and loaded
again, and the figures and metrics checked as of every moment between those steps.

The returns are the official template (tests/test_rederive.py's helpers): MOFA, 2026, firms and
export value for Paris and Hanoi; Q2 is a 누계 return, so each correction of Q1 derives Q2 again
and results_as_of must still show Q2 as it was derived at each moment.

Moments come from DuckDB's own clock (current_timestamp) between steps. Each step commits in its own
transaction and stamps it with its transaction's start time; `moment` waits (a spin on the clock,
microseconds) until the clock has moved past the moment it returns, so the next step's stamp is
strictly later, and `test_every_step_is_stamped_between_its_moments` checks that it is.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from etl.store.ledger import rollback
from metrics import Filters, actuals, scorecard
from metrics.council import restated_since
from tests.support.returns import HANOI, PARIS, load, row
from warehouse.connection import connection

KEY = "quarter, mission_code, metric_code"


def moment(con) -> datetime:
    """Now on the warehouse's clock, once the clock has moved past it (so the next commit is later)."""
    ts = con.execute("SELECT current_timestamp::TIMESTAMP").fetchall()[0][0]
    while con.execute("SELECT current_timestamp::TIMESTAMP").fetchall()[0][0] <= ts:
        pass
    return ts


def as_of(con, ts: datetime) -> dict[tuple, float]:
    rows = con.execute(f"SELECT {KEY}, value FROM results_as_of(?::TIMESTAMP) ORDER BY ALL", [ts]).fetchall()
    return {(q, m, metric): v for q, m, metric, v in rows}


def figures(firms: dict[tuple[int, str], float], export: dict[tuple[int, str], float]) -> dict[tuple, float]:
    out = {(q, m, "firms_supported"): v for (q, m), v in firms.items()}
    out.update({(q, m, "export_value"): v for (q, m), v in export.items()})
    return out


# What the figures are after each step (firms; export value is Paris's only: Hanoi leaves it empty).
EXPECTED = [
    figures({}, {}),  # t0: nothing loaded
    figures({(1, "FR-PAR"): 10, (1, "VN-HAN"): 3}, {(1, "FR-PAR"): 100}),  # t1: Q1
    figures(  # t2: Q2 as 누계 (Paris 25 / 250 by Q2, Hanoi 31): Q2 derived
        {(1, "FR-PAR"): 10, (1, "VN-HAN"): 3, (2, "FR-PAR"): 15, (2, "VN-HAN"): 28},
        {(1, "FR-PAR"): 100, (2, "FR-PAR"): 150},
    ),
    figures(  # t3: Q1 corrected (Paris 12 / 120): Paris's Q2 derived again
        {(1, "FR-PAR"): 12, (1, "VN-HAN"): 3, (2, "FR-PAR"): 13, (2, "VN-HAN"): 28},
        {(1, "FR-PAR"): 120, (2, "FR-PAR"): 130},
    ),
    None,  # t4: the correction rolled back: as at t2 (filled in below)
    figures(  # t5: another correction (Paris 11 / 100, Hanoi 4): both Q2s derived again
        {(1, "FR-PAR"): 11, (1, "VN-HAN"): 4, (2, "FR-PAR"): 14, (2, "VN-HAN"): 27},
        {(1, "FR-PAR"): 100, (2, "FR-PAR"): 150},
    ),
]
EXPECTED[4] = EXPECTED[2]


def run_steps(con, tmp: Path) -> dict:
    """Load, derive, correct, roll back, correct again; the moment after each step and what was seen then."""
    out: dict = {"t": [moment(con)], "ids": []}
    out["ids"].append(
        load(con, tmp, "q1.xlsx", 1, [row(PARIS, 10, export=100), row(HANOI, 3)]).result.submission_id
    )
    out["t"].append(moment(con))
    out["ids"].append(
        load(
            con, tmp, "q2.xlsx", 2, [row(PARIS, 25, export=250), row(HANOI, 31)], cumulative=True
        ).result.submission_id
    )
    out["t"].append(moment(con))
    fix = load(con, tmp, "q1_fix.xlsx", 1, [row(PARIS, 12, export=120), row(HANOI, 3)])
    assert fix.result.rederived == 2  # Paris's Q2 firms and export value
    out["ids"].append(fix.result.submission_id)
    out["t"].append(moment(con))
    rollback(con, fix.result.submission_id, by="admin@mss.test")
    out["t"].append(moment(con))
    # what changed since t3 (the correction in force), seen right after the rollback
    out["after_rollback_since_t3"] = restated_since(con, out["t"][3], 20262)
    out["ids"].append(
        load(con, tmp, "q1_fix2.xlsx", 1, [row(PARIS, 11, export=100), row(HANOI, 4)]).result.submission_id
    )
    out["t"].append(moment(con))
    return out


@pytest.fixture(scope="module")
def steps(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("as_of")
    db = tmp / "w.duckdb"
    with connection(db) as con:
        out = run_steps(con, tmp)
    out["db"] = db
    return out


def test_results_as_of_each_moment_are_the_figures_of_that_step(steps) -> None:
    with connection(steps["db"], read_only=True) as con:
        for i, ts in enumerate(steps["t"]):
            assert as_of(con, ts) == EXPECTED[i], f"as of t{i}"


def test_a_derived_quarter_shows_the_value_it_was_derived_as_then(steps) -> None:
    """Paris's Q2 is one stored row (the 누계 return's), derived 15 → 13 → 15 → 14 in place."""
    with connection(steps["db"], read_only=True) as con:
        q2 = [as_of(con, ts).get((2, "FR-PAR", "firms_supported")) for ts in steps["t"]]
        assert q2 == [None, None, 15, 13, 15, 14]
        rows = con.execute(
            "SELECT count(*) FROM fact_result WHERE quarter = 2 AND mission_code = 'FR-PAR' "
            "AND metric_code = 'firms_supported'"
        ).fetchall()
        assert rows == [(1,)]


def test_results_as_of_now_equals_results(steps) -> None:
    with connection(steps["db"], read_only=True) as con:
        now = con.execute("SELECT * FROM results_as_of(current_timestamp::TIMESTAMP) ORDER BY ALL").fetchall()
        assert now == con.execute("SELECT * FROM results ORDER BY ALL").fetchall()
        assert len(now) == len(EXPECTED[-1])


def test_the_metrics_as_of_each_moment_follow_the_figures_then(steps) -> None:
    with connection(steps["db"], read_only=True) as con:
        for i, ts in enumerate(steps["t"]):
            expected = EXPECTED[i]
            by_quarter = actuals(con, Filters(year=2026, at=ts), by="quarter")
            got = {(int(r.quarter), r.metric_code): r.value for r in by_quarter.itertuples()}
            want: dict[tuple, float] = {}
            for (q, _m, metric), v in expected.items():
                want[(q, metric)] = want.get((q, metric), 0) + v
            assert got == want, f"actuals as of t{i}"
            card = scorecard(con, Filters(year=2026, at=ts)).set_index("metric_code")
            firms = sum(v for (_q, _m, metric), v in expected.items() if metric == "firms_supported")
            if firms:
                assert card.at["firms_supported", "ytd_value"] == firms, f"scorecard as of t{i}"
                assert card.at["firms_supported", "as_of_quarter"] == max(q for q, _m, _x in expected)
            else:
                assert card["ytd_value"].isna().all() or card.empty
        # the current figures are the last moment's
        now = actuals(con, Filters(year=2026), by="quarter")
        last = actuals(con, Filters(year=2026, at=steps["t"][-1]), by="quarter")
        assert now.equals(last)


def test_every_step_is_stamped_between_its_moments(steps) -> None:
    t = steps["t"]
    with connection(steps["db"], read_only=True) as con:
        loaded = dict(con.execute("SELECT submission_id, loaded_at FROM submission").fetchall())
        rolled = con.execute(
            "SELECT rolled_back_at FROM submission WHERE rolled_back_at IS NOT NULL"
        ).fetchall()
        revised = sorted(
            {r[0] for r in con.execute("SELECT replaced_at FROM fact_result_revision").fetchall()}
        )
    ids = steps["ids"]
    # step k (loads 0, 1, 2, then the rollback, then load 3) lies strictly between t[k] and t[k + 1]
    for k, sid in zip((0, 1, 2, 4), ids, strict=True):
        assert t[k] < loaded[sid] < t[k + 1]
    assert len(rolled) == 1 and t[3] < rolled[0][0] < t[4]
    # re-derivations: by the correction (t2..t3), the rollback (t3..t4) and the second correction (t4..t5)
    assert len(revised) == 3
    assert t[2] < revised[0] < t[3] < revised[1] < t[4] < revised[2] < t[5]


def test_restated_since_a_moment_names_the_file_who_and_when(steps) -> None:
    """Seen at t2 (Q1 and Q2 as first loaded), changed since by the second correction."""
    with connection(steps["db"], read_only=True) as con:
        df = restated_since(con, steps["t"][2], 20262)
        fix2_loaded = con.execute(
            "SELECT loaded_at FROM submission WHERE submission_id = ?", [steps["ids"][3]]
        ).fetchall()[0][0]
    got = {
        (r.quarter, r.mission_code, r.metric_code): (
            r.old_value,
            r.new_value,
            r.change,
            r.file_name,
            r.changed_by,
        )
        for r in df.itertuples()
    }
    assert got == {
        (1, "FR-PAR", "firms_supported"): (10, 11, "replaced", "q1_fix2.xlsx", "test"),
        (1, "VN-HAN", "firms_supported"): (3, 4, "replaced", "q1_fix2.xlsx", "test"),
        (2, "FR-PAR", "firms_supported"): (15, 14, "rederived", "q1_fix2.xlsx", "test"),
        (2, "VN-HAN", "firms_supported"): (28, 27, "rederived", "q1_fix2.xlsx", "test"),
    }  # export value: 100 and 150 again, as at t2: not restated
    assert set(df["changed_at"]) == {fix2_loaded}
    assert not df["by_rollback"].any()


def test_restated_by_a_rollback_names_the_rollback(steps) -> None:
    """Seen at t3 (the first correction in force), checked right after it was rolled back."""
    df = steps["after_rollback_since_t3"]
    got = {
        (r.quarter, r.mission_code, r.metric_code): (
            r.old_value,
            r.new_value,
            r.change,
            r.by_rollback,
            r.changed_by,
        )
        for r in df.itertuples()
    }
    assert got == {
        (1, "FR-PAR", "firms_supported"): (12, 10, "replaced", True, "admin@mss.test"),
        (1, "FR-PAR", "export_value"): (120, 100, "replaced", True, "admin@mss.test"),
        (2, "FR-PAR", "firms_supported"): (13, 15, "rederived", True, "admin@mss.test"),
        (2, "FR-PAR", "export_value"): (130, 150, "rederived", True, "admin@mss.test"),
    }
    assert set(df["file_name"]) == {"q1_fix.xlsx"}


def test_restated_only_covers_the_quarters_seen(steps) -> None:
    with connection(steps["db"], read_only=True) as con:
        df = restated_since(con, steps["t"][2], 20261)  # a council that had seen Q1 only
    assert set(df["quarter"]) == {1}


# The first definition of results_weighted_as_of: the version search over every slice. The macro
# now searches only the slices changed after the moment; both must give the same figures.
NAIVE_AS_OF = """
WITH standing AS (
    SELECT submission_id FROM submission
    WHERE kind = 'results' AND loaded_at <= $ts AND (rolled_back_at IS NULL OR rolled_back_at > $ts)
),
versions AS (
    SELECT year, quarter, agency_code, mission_code, max(submission_id) AS submission_id
    FROM fact_result SEMI JOIN standing USING (submission_id)
    GROUP BY ALL
),
revised AS (
    SELECT submission_id, year, quarter, agency_code, mission_code, sector_code, program_code, metric_code,
           arg_min(value, replaced_at) AS value, arg_min(weight, replaced_at) AS weight, true AS revised
    FROM fact_result_revision WHERE replaced_at > $ts
    GROUP BY ALL
)
SELECT f.submission_id, f.year, f.quarter, f.agency_code, f.mission_code, f.sector_code, f.program_code,
       f.metric_code, coalesce(r.value, f.value) AS value,
       coalesce(r.value, f.value) * CASE WHEN r.revised THEN r.weight ELSE f.weight END AS wv,
       CASE WHEN r.revised THEN r.weight ELSE f.weight END AS w
FROM fact_result AS f
SEMI JOIN versions USING (submission_id, year, quarter, agency_code, mission_code)
LEFT JOIN revised AS r
    ON r.submission_id = f.submission_id AND r.year = f.year AND r.quarter = f.quarter
   AND r.agency_code = f.agency_code AND r.mission_code = f.mission_code AND r.sector_code = f.sector_code
   AND r.program_code = f.program_code AND r.metric_code = f.metric_code
ORDER BY ALL
"""
SUMS_FROM_FIGURES = """
SELECT year, quarter, agency_code, mission_code, sector_code, metric_code,
       round(sum(value), 6), round(sum(wv), 6), round(sum(w), 6)
FROM results_weighted_as_of($ts::TIMESTAMP) GROUP BY ALL ORDER BY ALL
"""
SUMS_AS_OF = """
SELECT year, quarter, agency_code, mission_code, sector_code, metric_code,
       round(value, 6), round(wv, 6), round(w, 6)
FROM result_sums_as_of($ts::TIMESTAMP) ORDER BY ALL
"""


# The periods with figures at a moment, from the figures themselves; periods_as_of (the as-of
# quarter of metrics/period.py) finds them from the returns standing then.
PERIODS_FROM_FIGURES = (
    "SELECT DISTINCT year, quarter FROM results_weighted_as_of($ts::TIMESTAMP) ORDER BY ALL"
)


def same_as_the_full_search(con, moments) -> None:
    for ts in moments:
        fast = con.execute(
            "SELECT * FROM results_weighted_as_of($ts::TIMESTAMP) ORDER BY ALL", {"ts": ts}
        ).fetchall()
        assert fast == con.execute(NAIVE_AS_OF, {"ts": ts}).fetchall(), ts
        periods = con.execute(
            "SELECT * FROM periods_as_of($ts::TIMESTAMP) ORDER BY ALL", {"ts": ts}
        ).fetchall()
        assert periods == con.execute(PERIODS_FROM_FIGURES, {"ts": ts}).fetchall(), ts
        assert (
            con.execute(SUMS_AS_OF, {"ts": ts}).fetchall()
            == con.execute(SUMS_FROM_FIGURES, {"ts": ts}).fetchall()
        ), ts


def test_the_changed_slices_search_equals_the_full_search(steps) -> None:
    with connection(steps["db"], read_only=True) as con:
        same_as_the_full_search(con, steps["t"])


def test_the_changed_slices_search_equals_the_full_search_on_the_demo(demo_db) -> None:
    """Every meeting, each day around the demo's restatements, closes and quarters, and now."""
    with connection(demo_db, read_only=True) as con:
        stamps = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT loaded_at FROM submission UNION SELECT held_on::TIMESTAMP FROM meeting "
                "UNION SELECT current_timestamp::TIMESTAMP ORDER BY 1"
            ).fetchall()
        ]
        moments = sorted({*stamps[::5], *stamps[-8:]})
        same_as_the_full_search(con, moments)


def test_a_replacing_return_derived_again_names_the_correction(tmp_path: Path) -> None:
    """Issue 25 #5: Q2 replaced by a second 누계 return (the same 15), then Q1 corrected: Q2 is 13.

    The council saw 15; the replacing return still said 15; the correction made it 13, so the
    restated figure names the correction, its author and its time, not the replacing return.
    """
    with connection(tmp_path / "w.duckdb") as con:
        load(con, tmp_path, "q1.xlsx", 1, [row(PARIS, 10)])
        load(con, tmp_path, "q2.xlsx", 2, [row(PARIS, 25)], cumulative=True)
        seen = moment(con)
        load(con, tmp_path, "q2_v2.xlsx", 2, [row(PARIS, 25), row(HANOI, 3)], cumulative=True)
        moment(con)
        fix = load(con, tmp_path, "q1_fix.xlsx", 1, [row(PARIS, 12)])
        fix_loaded = con.execute(
            "SELECT loaded_at FROM submission WHERE submission_id = ?", [fix.result.submission_id]
        ).fetchall()[0][0]
        df = restated_since(con, seen, 20262)
    got = {
        (r.quarter, r.mission_code, r.metric_code): (
            r.old_value,
            r.new_value,
            r.change,
            r.file_name,
            r.changed_at,
        )
        for r in df.itertuples()
    }
    hanoi = got.pop((2, "VN-HAN", "firms_supported"))
    assert hanoi[2:4] == ("added", "q2_v2.xlsx")  # Hanoi's Q2 is the replacing return's own
    assert got == {
        (1, "FR-PAR", "firms_supported"): (10, 12, "replaced", "q1_fix.xlsx", fix_loaded),
        (2, "FR-PAR", "firms_supported"): (15, 13, "rederived", "q1_fix.xlsx", fix_loaded),
    }
    assert not df["by_rollback"].any()
