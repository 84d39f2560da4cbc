"""제출 현황 page: on-time, late and missing returns per mission, agency and quarter."""

import pytest

from tests.support.pages import build, metrics_shown, run_page, set_filter, table_with

PAGE = "views/submissions.py"


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    return build(tmp_path_factory.mktemp("small") / "small.duckdb")


# The as-of line of the 요약 page (tests/test_summary.py), by the same rule: MOFA's returns for
# 주케냐 대사관 and 주애틀랜타 총영사관 did not come in, though KOICA and MSS reported there.
DEMO_AS_OF = "2026년 3분기 마감 기준 · 38/40 공관 제출 · :red[미제출: 주케냐 대사관, 주애틀랜타 총영사관]"


def as_of_lines(at):
    return [c.value for c in at.caption if "공관 제출" in c.value or "missions reported" in c.value]


def test_runs_on_the_demo_warehouse(demo_db, monkeypatch):
    at = run_page(PAGE, demo_db, monkeypatch)
    assert len(at.get("plotly_chart")) == 1
    assert as_of_lines(at) == [DEMO_AS_OF]


def test_counts_and_late_list(small_db, monkeypatch):
    at = run_page(PAGE, small_db, monkeypatch)
    # 2026 Q1–Q2 × (2 agencies × 3 missions); mss sent nothing for Paris in Q2; kosme sent Q2 late
    assert [v for _, v in metrics_shown(at)] == ["12건", "8건", "3건", "1건"]
    late = table_with(at, "주관기관", "재외공관", "상태", "지연 일수")
    assert sorted(zip(late["주관기관"], late["재외공관"], late["상태"], strict=True)) == sorted(
        [
            ("중진공", m, "▲ 지연 제출")
            for m in ("주베트남 대사관", "주로스앤젤레스 총영사관", "주프랑스 대사관")
        ]
        + [("중기부", "주프랑스 대사관", "■ 미제출")]
    )
    assert set(late["지연 일수"].dropna()) == {21}


def test_missions_report_through_mofa(small_db, monkeypatch):
    # mss and kosme report here, MOFA never does: no mission's own return is in
    at = run_page(PAGE, small_db, monkeypatch, mission=["VN-HAN", "FR-PAR"])
    assert as_of_lines(at) == [
        "2026년 2분기 마감 기준 · 0/2 공관 제출 · :red[미제출: 주프랑스 대사관, 주베트남 대사관]"
    ]


def test_filters_change_the_numbers(small_db, monkeypatch):
    at = run_page(PAGE, small_db, monkeypatch, agency=["kosme"])
    assert [v for _, v in metrics_shown(at)] == ["6건", "3건", "3건", "0건"]
    assert as_of_lines(at) == []  # one agency's returns in view, not the missions' own
    set_filter(at, "year", 2025)
    assert [v for _, v in metrics_shown(at)] == ["12건", "12건", "0건", "0건"]
    assert "모든 보고가 기한 안에 들어왔습니다" in at.success[0].value


def test_no_data_is_a_sentence(small_db, monkeypatch):
    at = run_page(PAGE, small_db, monkeypatch, mission=["KE-NBO"])
    assert not at.get("plotly_chart")
    assert "제출을 기다리는 보고가 없습니다" in at.info[0].value
