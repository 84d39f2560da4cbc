"""A correction of an earlier quarter re-derives the later quarters stored from a 누계 return.

Returns are the official template (real .xlsx) through the loader; the basis is set in its cover
cell (기준, H3), as an analyst picks it. A mission that reported 25 by Q2 still adds up to 25 after
its Q1 is corrected, or the correction is refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.problems import Refused
from etl.store.ledger import RollbackError, rollback
from etl.workbooks.template import DATA_SHEET, HEADER_ROW
from tests.support.metrics import empty_warehouse
from tests.support.returns import HANOI, PARIS, figure, load, row
from tests.support.state import assert_in_step, snapshot
from tests.support.upload import PROGRAM
from warehouse.connection import connection


def test_a_corrected_q1_re_derives_the_cumulative_q2(tmp_path: Path) -> None:
    with connection(empty_warehouse(tmp_path / "w.duckdb")) as con:
        load(con, tmp_path, "q1.xlsx", 1, [row(PARIS, 10)])
        q2 = load(con, tmp_path, "q2.xlsx", 2, [row(PARIS, 25)], cumulative=True)
        assert figure(con, 2) == 15
        fix = load(con, tmp_path, "q1_fix.xlsx", 1, [row(PARIS, 12)])
        assert (figure(con, 1), figure(con, 2)) == (12, 13)
        assert figure(con, 1) + figure(con, 2) == 25  # what the mission reported by Q2
        assert fix.result.rederived == 1 and "재계산" in fix.result.summary("q1_fix.xlsx")
        assert_in_step(con)
        # re-derived in place: the Q2 figure is still the Q2 return's, from the same cell
        lineage = con.execute(
            "SELECT submission_id, source_sheet || '!' || source_cell, reported_value FROM results_lineage "
            "WHERE quarter = 2 AND metric_code = 'firms_supported'"
        ).fetchall()
        assert lineage == [(q2.result.submission_id, f"{DATA_SHEET}!D{HEADER_ROW + 1}", 25.0)]
        statuses = con.execute("SELECT status FROM submission ORDER BY submission_id").fetchall()
        assert statuses == [("superseded",), ("current",), ("current",)]


def test_rolling_the_correction_back_restores_q2(tmp_path: Path) -> None:
    with connection(empty_warehouse(tmp_path / "w.duckdb")) as con:
        load(con, tmp_path, "q1.xlsx", 1, [row(PARIS, 10)])
        load(con, tmp_path, "q2.xlsx", 2, [row(PARIS, 25)], cumulative=True)
        fix = load(con, tmp_path, "q1_fix.xlsx", 1, [row(PARIS, 12)])
        assert figure(con, 2) == 13
        changed = rollback(con, fix.result.submission_id, by="test")
        assert (figure(con, 1), figure(con, 2)) == (10, 15)
        assert changed == 1 + 1 + 1  # Q1's figure out, the old one back, Q2 derived again
        assert_in_step(con)


def test_money_is_re_derived_in_canonical_units(tmp_path: Path) -> None:
    with connection(empty_warehouse(tmp_path / "w.duckdb")) as con:
        load(con, tmp_path, "q1.xlsx", 1, [row(PARIS, 10, export=100)])  # 천달러, the template's unit
        # Q2 sent in dollars: 250,000 USD year to date = 250 천달러
        load(
            con,
            tmp_path,
            "q2.xlsx",
            2,
            [row(PARIS, 25, export=250_000)],
            cumulative=True,
            export_header="수출계약액(달러)",
        )
        assert figure(con, 2, "export_value") == 150
        load(con, tmp_path, "q1_fix.xlsx", 1, [row(PARIS, 10, export=120)])
        assert figure(con, 2, "export_value") == pytest.approx(130)
        stored = con.execute(
            "SELECT reported_value, cumulative_value FROM fact_result WHERE quarter = 2 AND metric_code = 'export_value'"
        ).fetchall()
        assert stored == [(250_000.0, 250.0)]
        assert figure(con, 2) == 15  # firms, unchanged in Q1, stay as they were
        assert_in_step(con)


def test_a_correction_that_would_make_q2_negative_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    with connection(empty_warehouse(tmp_path / "w.duckdb")) as con:
        load(con, tmp_path, "q1.xlsx", 1, [row(PARIS, 10), row(HANOI, 3)])
        load(con, tmp_path, "q2.xlsx", 2, [row(PARIS, 25), row(HANOI, 8)], cumulative=True)
        before = snapshot(con)
        with pytest.raises(Refused) as caught:
            load(con, tmp_path, "q1_fix.xlsx", 1, [row(PARIS, 30), row(HANOI, 4)])
        assert snapshot(con) == before
        [problem] = [p for p in caught.value.problems if p.severity == "error"]
        assert problem.where == f"{DATA_SHEET}!D{HEADER_ROW + 1}"  # Paris's corrected Q1 firms
        assert "이후 분기 실적이 음수가 됩니다" in problem.message_ko
        assert "주프랑스 대사관(외교부)" in problem.message_ko
        assert (
            "2026년 2분기까지 누계 25로" in problem.message_ko and "1분기 합계가 30이" in problem.message_ko
        )
        assert "2분기 실적을 먼저 적재하거나 이 파일에 함께" in problem.fix_ko
        assert "25" in problem.message_en and "30" in problem.message_en


def test_a_rollback_that_would_make_q2_negative_is_refused(tmp_path: Path) -> None:
    with connection(empty_warehouse(tmp_path / "w.duckdb")) as con:
        load(con, tmp_path, "q1.xlsx", 1, [row(PARIS, 30)])
        fix = load(con, tmp_path, "q1_fix.xlsx", 1, [row(PARIS, 10)])
        load(con, tmp_path, "q2.xlsx", 2, [row(PARIS, 25)], cumulative=True)
        before = snapshot(con)
        with pytest.raises(RollbackError, match="이후 분기 실적이 음수가 됩니다"):
            rollback(con, fix.result.submission_id, by="test")
        assert snapshot(con) == before


def test_satisfaction_is_a_mean_and_is_re_derived_as_one(tmp_path: Path) -> None:
    """A 누계 score is the year-to-date mean (issue 25 #14): never differenced, but weighed again."""
    with connection(empty_warehouse(tmp_path / "w.duckdb")) as con:
        load(con, tmp_path, "q1.xlsx", 1, [row(PARIS, 10, sat=80)])
        load(con, tmp_path, "q2.xlsx", 2, [row(PARIS, 25, sat=90)], cumulative=True)
        assert figure(con, 2, "satisfaction") == pytest.approx((90 * 25 - 80 * 10) / 15)
        load(con, tmp_path, "q1_fix.xlsx", 1, [row(PARIS, 12, sat=85)])
        assert figure(con, 2) == 13
        # the Q2 score weighs its 13 firms against Q1's 12 at 85, so the mean by Q2 is still 90
        assert figure(con, 2, "satisfaction") == pytest.approx((90 * 25 - 85 * 12) / 13)
        assert independent_ytd_satisfaction(con, "FR-PAR") == pytest.approx(90)
        assert_in_step(con)


def test_other_missions_and_agencies_keep_their_figures(tmp_path: Path) -> None:
    with connection(empty_warehouse(tmp_path / "w.duckdb")) as con:
        # the same sector, program and metric at another mission, and at Paris for another agency
        load(con, tmp_path, "q1.xlsx", 1, [row(PARIS, 10), row(HANOI, 5)])
        load(con, tmp_path, "q1_kosme.xlsx", 1, [row(PARIS, 4)], agency="kosme")
        load(con, tmp_path, "q2.xlsx", 2, [row(PARIS, 25), row(HANOI, 20)], cumulative=True)
        load(con, tmp_path, "q2_kosme.xlsx", 2, [row(PARIS, 9)], cumulative=True, agency="kosme")
        others = "SELECT * FROM fact_result WHERE NOT (mission_code = 'FR-PAR' AND agency_code = 'mofa') ORDER BY ALL"
        before = con.execute(others).fetchall()
        # a correction of Paris's mofa Q1 alone (a mission return replaces only its own slice)
        fix = load(con, tmp_path, "q1_fix.xlsx", 1, [row(PARIS, 12)])
        assert fix.result.rederived == 1
        assert figure(con, 2) == 13
        assert figure(con, 2, mission="VN-HAN") == 15
        assert figure(con, 2, agency="kosme") == 5
        assert con.execute(others).fetchall() == before
        assert_in_step(con)


def test_figures_stored_before_cumulative_value_existed_are_left_alone(tmp_path: Path) -> None:
    with connection(empty_warehouse(tmp_path / "w.duckdb")) as con:
        load(con, tmp_path, "q1.xlsx", 1, [row(PARIS, 10)])
        load(con, tmp_path, "q2.xlsx", 2, [row(PARIS, 25)], cumulative=True)
        con.execute("UPDATE fact_result SET cumulative_value = NULL")  # as an older warehouse has them
        fix = load(con, tmp_path, "q1_fix.xlsx", 1, [row(PARIS, 12)])
        assert (figure(con, 1), figure(con, 2), fix.result.rederived) == (12, 15, 0)


def test_a_quarterly_return_stores_no_cumulative_value(tmp_path: Path) -> None:
    with connection(empty_warehouse(tmp_path / "w.duckdb")) as con:
        load(con, tmp_path, "q1.xlsx", 1, [row(PARIS, 10)])
        load(con, tmp_path, "q2.xlsx", 2, [row(PARIS, 25, sat=90)], cumulative=True)
        stored = con.execute(
            "SELECT quarter, metric_code, cumulative_value FROM fact_result ORDER BY ALL"
        ).fetchall()
        assert stored == [
            (1, "firms_supported", None),
            (2, "firms_supported", 25.0),
            (2, "satisfaction", 90.0),
        ]


def test_which_metric_is_a_score_is_the_reference_datas_choice(tmp_path: Path) -> None:
    """A metric the reference data calls a weighted mean is never differenced, whatever its code."""

    def meetings(firms: float, meetings: float) -> list:
        return [PARIS, "K-뷰티", PROGRAM, firms, meetings]

    with connection(empty_warehouse(tmp_path / "w.duckdb")) as con:
        # buyer meetings made a score (weighted mean) in the reference table the loader reads
        con.execute(
            "UPDATE ref_metrics SET aggregation = 'weighted_mean' WHERE metric_code = 'buyer_meetings'"
        )
        load(con, tmp_path, "q1.xlsx", 1, [meetings(10, 40)])
        load(con, tmp_path, "q2.xlsx", 2, [meetings(25, 50)], cumulative=True)
        # a mean of 50 by Q2 (no weight metric: each score weighs 1): Q2's own is 2 × 50 − 40
        assert (figure(con, 2), figure(con, 2, "buyer_meetings")) == (15, 60)  # etl.store.cumulative
        fix = load(con, tmp_path, "q1_fix.xlsx", 1, [meetings(12, 45)])
        assert (figure(con, 2), figure(con, 2, "buyer_meetings")) == (13, 55)  # etl.store.rederive
        assert fix.result.rederived == 2


def test_the_rollback_confirmation_counts_what_the_rollback_changes(tmp_path: Path) -> None:
    from etl.returns.preview import rollback_impact

    db = empty_warehouse(tmp_path / "w.duckdb")
    with connection(db) as con:
        load(con, tmp_path, "q1.xlsx", 1, [row(PARIS, 10), row(HANOI, 3)])
        load(con, tmp_path, "q2.xlsx", 2, [row(PARIS, 25), row(HANOI, 31)], cumulative=True)
        load(con, tmp_path, "q3.xlsx", 3, [row(PARIS, 40)], cumulative=True)
        fix = load(con, tmp_path, "q1_fix.xlsx", 1, [row(PARIS, 12), row(HANOI, 2)])
    with connection(db, read_only=True) as con:
        before = snapshot(con)
        impact = rollback_impact(con, fix.result.submission_id)
        assert snapshot(con) == before
    # Paris's and Hanoi's Q2 derived again; Paris's Q3 (40 − 25) stays 15
    assert impact == {
        "current_figures": 2,
        "slices": 2,  # Paris's and Hanoi's Q1
        "restored_slices": 2,
        "restored_figures": 2,
        "rederived": 2,
        "figures": 6,
        "refused": None,
    }
    with connection(db) as con:
        assert rollback(con, fix.result.submission_id, by="test") == impact["figures"]
        assert (figure(con, 2), figure(con, 2, mission="VN-HAN"), figure(con, 3)) == (15, 28, 15)


def test_the_rollback_confirmation_gives_the_refusal_the_rollback_raises(tmp_path: Path) -> None:
    from etl.returns.preview import rollback_impact

    db = empty_warehouse(tmp_path / "w.duckdb")
    with connection(db) as con:
        load(con, tmp_path, "q1.xlsx", 1, [row(PARIS, 30)])
        fix = load(con, tmp_path, "q1_fix.xlsx", 1, [row(PARIS, 10)])
        load(con, tmp_path, "q2.xlsx", 2, [row(PARIS, 25)], cumulative=True)
    with connection(db, read_only=True) as con:
        before = snapshot(con)
        refused = rollback_impact(con, fix.result.submission_id)["refused"]
        assert snapshot(con) == before
    with connection(db) as con, pytest.raises(RollbackError) as caught:
        rollback(con, fix.result.submission_id, by="test")
    assert refused == str(caught.value)
    assert "이후 분기 실적이 음수가 됩니다" in refused


def independent_ytd_satisfaction(con, mission: str) -> float:
    """2026's satisfaction recomputed from the contract view: each score weighs its row's firms (else 1)."""
    rows = con.execute(
        "SELECT quarter, sector_code, program_code, metric_code, value FROM results "
        "WHERE year = 2026 AND mission_code = ? AND metric_code IN ('satisfaction', 'firms_supported')",
        [mission],
    ).fetchall()
    firms = {r[:3]: r[4] for r in rows if r[3] == "firms_supported" and r[4] > 0}
    scores = [(r[4], firms.get(r[:3], 1)) for r in rows if r[3] == "satisfaction"]
    return sum(s * w for s, w in scores) / sum(w for _, w in scores)


def test_a_re_derived_firms_figure_re_weighs_the_satisfaction_of_its_row(tmp_path: Path) -> None:
    """Issue 15 #1: Hanoi's K-beauty firms, Q1 13, 누계 26 by Q2; Q1 corrected to 20 makes Q2 6."""
    from metrics import Filters, actuals, scorecard

    def ytd_satisfaction(con) -> float:
        one = Filters(year=2026, missions=("VN-HAN",), metrics=("satisfaction",))
        [value] = actuals(con, one, by=("year",))["value"]
        [card] = scorecard(con, Filters(year=2026, missions=("VN-HAN",))).query(
            "metric_code == 'satisfaction'"
        )["ytd_value"]
        assert card == pytest.approx(value)
        return value

    with connection(empty_warehouse(tmp_path / "w.duckdb")) as con:
        load(con, tmp_path, "q1.xlsx", 1, [row(HANOI, 13, sat=70)])
        # 80 is the year-to-date mean (issue 25 #14): Q2's own score is 90
        load(con, tmp_path, "q2.xlsx", 2, [row(HANOI, 26, sat=80)], cumulative=True)
        assert figure(con, 2, mission="VN-HAN") == 13
        assert figure(con, 2, "satisfaction", mission="VN-HAN") == pytest.approx(90)
        assert ytd_satisfaction(con) == pytest.approx((70 * 13 + 90 * 13) / 26)
        before_fix = con.execute("SELECT current_timestamp::TIMESTAMP").fetchall()[0][0]
        fix = load(con, tmp_path, "q1_fix.xlsx", 1, [row(HANOI, 20, sat=75)])
        # Q2's score derived again too: (80 × 26 − 75 × 20) ÷ 6
        assert fix.result.rederived == 2 and figure(con, 2, mission="VN-HAN") == 6
        q2_score = (80 * 26 - 75 * 20) / 6
        assert figure(con, 2, "satisfaction", mission="VN-HAN") == pytest.approx(q2_score)
        weights = con.execute(
            "SELECT quarter, weight FROM fact_result WHERE is_current AND metric_code = 'satisfaction' ORDER BY 1"
        ).fetchall()
        assert weights == [(1, 20.0), (2, 6.0)]
        assert ytd_satisfaction(con) == pytest.approx(independent_ytd_satisfaction(con, "VN-HAN"))
        assert ytd_satisfaction(con) == pytest.approx((75 * 20 + q2_score * 6) / 26) == pytest.approx(80)
        assert_in_step(con)
        # as it stood before the correction: Q2's 13 firms and the score they weighed
        [(wv, w)] = con.execute(
            "SELECT sum(wv), sum(w) FROM results_weighted_as_of(?::TIMESTAMP) WHERE metric_code = 'satisfaction'",
            [before_fix],
        ).fetchall()
        assert wv / w == pytest.approx(80)
        # rolling the correction back re-derives Q2 to 13 and weighs its score 13 again
        rollback(con, fix.result.submission_id, by="test")
        assert figure(con, 2, mission="VN-HAN") == 13
        assert ytd_satisfaction(con) == pytest.approx(independent_ytd_satisfaction(con, "VN-HAN"))
        assert ytd_satisfaction(con) == pytest.approx(80)
        assert_in_step(con)


def _ytd_satisfaction(con, mission: str = "FR-PAR") -> float:
    """The reporter's year-to-date satisfaction as metrics shows it (actuals and the scorecard agree)."""
    from metrics import Filters, actuals, scorecard

    one = Filters(year=2026, missions=(mission,), agencies=("mofa",), metrics=("satisfaction",))
    [value] = actuals(con, one, by=("year",))["value"]
    [card] = scorecard(con, Filters(year=2026, missions=(mission,), agencies=("mofa",))).query(
        "metric_code == 'satisfaction'"
    )["ytd_value"]
    assert card == pytest.approx(value)
    return value


def test_a_cumulative_satisfaction_is_the_year_to_date_mean(tmp_path: Path) -> None:
    """Issue 25 #14: a 누계 return's score is the year-to-date mean; the quarter's own score is derived."""
    with connection(empty_warehouse(tmp_path / "w.duckdb")) as con:
        load(con, tmp_path, "q1.xlsx", 1, [row(PARIS, 10, sat=70)])
        load(con, tmp_path, "q2.xlsx", 2, [row(PARIS, 25, sat=82)], cumulative=True)
        # Q2: 15 firms; (82 × 25 − 70 × 10) ÷ 15 = 90
        assert figure(con, 2) == 15
        assert figure(con, 2, "satisfaction") == pytest.approx(90)
        assert _ytd_satisfaction(con) == pytest.approx(82)  # what the mission reported
        assert _ytd_satisfaction(con) == pytest.approx(independent_ytd_satisfaction(con, "FR-PAR"))
        stored = con.execute(
            "SELECT cumulative_value FROM fact_result WHERE quarter = 2 AND metric_code = 'satisfaction'"
        ).fetchall()
        assert stored == [(82.0,)]
        assert_in_step(con)


def test_a_derived_score_outside_0_to_100_refuses_the_return(tmp_path: Path) -> None:
    with connection(empty_warehouse(tmp_path / "w.duckdb")) as con:
        load(con, tmp_path, "q1.xlsx", 1, [row(PARIS, 10, sat=70)])
        before = snapshot(con)
        # (98 × 25 − 70 × 10) ÷ 15 ≈ 116.7: no quarter's score can make that mean
        with pytest.raises(Refused) as caught:
            load(
                con, tmp_path, "q2.xlsx", 2, [row(PARIS, 25, sat=98), row(HANOI, 5, sat=90)], cumulative=True
            )
        assert snapshot(con) == before
        [problem] = [p for p in caught.value.problems if p.severity == "error"]
        assert problem.where == f"{DATA_SHEET}!N{HEADER_ROW + 1}"  # Paris's satisfaction
        assert "0–100" in problem.message_ko and "116.7" in problem.message_ko
        assert "0–100" in problem.message_en


def test_a_correction_of_q1_re_derives_q2_s_score(tmp_path: Path) -> None:
    with connection(empty_warehouse(tmp_path / "w.duckdb")) as con:
        load(con, tmp_path, "q1.xlsx", 1, [row(PARIS, 10, sat=70)])
        load(con, tmp_path, "q2.xlsx", 2, [row(PARIS, 25, sat=82)], cumulative=True)
        fix = load(con, tmp_path, "q1_fix.xlsx", 1, [row(PARIS, 5, sat=60)])
        # Q2: 20 firms, (82 × 25 − 60 × 5) ÷ 20 = 87.5
        assert (figure(con, 2), figure(con, 2, "satisfaction")) == (20, pytest.approx(87.5))
        assert fix.result.rederived == 2
        assert _ytd_satisfaction(con) == pytest.approx(82)
        assert_in_step(con)
        rollback(con, fix.result.submission_id, by="test")
        assert (figure(con, 2), figure(con, 2, "satisfaction")) == (15, pytest.approx(90))
        assert _ytd_satisfaction(con) == pytest.approx(82)
        assert_in_step(con)
        # a correction that no Q2 score could reconcile with the reported mean is refused
        before = snapshot(con)
        with pytest.raises(Refused) as caught:
            load(con, tmp_path, "q1_fix2.xlsx", 1, [row(PARIS, 10, sat=0)])
        assert snapshot(con) == before
        [problem] = [p for p in caught.value.problems if p.severity == "error"]
        assert problem.where == f"{DATA_SHEET}!N{HEADER_ROW + 1}"  # the correction's Q1 score
        assert "0–100" in problem.message_ko
