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
