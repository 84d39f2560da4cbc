"""ui.frames.on_screen: a table narrowed for the page keeps its cells; the files keep every column."""

from __future__ import annotations

import pandas as pd

from ui import frames


def test_on_screen_drops_and_shortens_by_heading_keeping_units_and_cells() -> None:
    # bare mode: the current language is Korean
    table = pd.DataFrame(
        {
            "재외공관": ["주베트남 대사관"],
            "국가": ["베트남"],
            "누계 실적 (천달러)": [1.5],
            "진도 기준(%)": [60.0],
            "전년 동기 대비(%)": [-4.2],
            "위도": [21.0],
        }
    )
    shown = frames.on_screen(table, drop=("country", "expected", "lat"), shorten=("ytd", "growth"))
    assert list(shown.columns) == ["재외공관", "누계 실적 (천달러)", "전년 대비(%)"]
    assert shown.iloc[0].to_list() == ["주베트남 대사관", 1.5, -4.2]
    assert list(table.columns)[2] == "누계 실적 (천달러)"  # the table itself, for the downloads, is as it was
    assert len(table.columns) == 6


def test_hubs_starred_folds_the_hub_column_into_the_names() -> None:
    table = pd.DataFrame(
        {"재외공관": ["주베트남 대사관", "주LA 총영사관"], "K-뷰티 거점": ["", "★"], "달성률(%)": [1.0, 2.0]}
    )
    shown = frames.hubs_starred(table)
    assert list(shown.columns) == ["재외공관", "달성률(%)"]
    assert shown["재외공관"].to_list() == ["주베트남 대사관", "주LA 총영사관 ★"]


def test_josa_reads_the_word_before_a_bracket_and_numbers_aloud() -> None:
    """Issue 25 #12: particles built from names read as Korean, not as templates."""
    from etl.problems import josa as etl_josa
    from warehouse.text import josa

    assert etl_josa is josa  # one definition, importable by every layer
    assert josa("수출계약액(백만달러)", "을/를") == "수출계약액(백만달러)을"
    assert josa("지원기업 수(개사)", "은/는") == "지원기업 수(개사)는"
    assert josa("제출 #93", "으로/로") == "제출 #93으로"
    assert josa("제출 #92", "으로/로") == "제출 #92로"
    assert josa("제출 #91", "으로/로") == "제출 #91로"  # 일: ㄹ takes 로
    assert josa("피해기업 지원", "은/는") == "피해기업 지원은"
    assert josa("2026년 3분기", "을/를") == "2026년 3분기를"
