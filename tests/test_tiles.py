"""Metric tiles on 요약 and 분야별: the year-on-year change is a number, so down is a red ↓.

A small warehouse written by hand: K-beauty export value 200 in 2025 Q1, 150 in 2026 Q1 (−25 %);
firms supported 8 → 10 (+25 %); bio firms 5 → 5 (no change).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from metrics import registry
from tests.metrics_fixtures import add_figures
from tests.page_fixtures import run_page, tiles_shown
from warehouse.connection import open_connection

DOWN, UP, FLAT = (
    MetricProto.MetricDirection.DOWN,
    MetricProto.MetricDirection.UP,
    MetricProto.MetricDirection.NONE,
)
RED, GREEN, GRAY = MetricProto.MetricColor.RED, MetricProto.MetricColor.GREEN, MetricProto.MetricColor.GRAY

FIGURES = [
    (2025, 1, "mofa", "US-LAX", "kbeauty", "emb_collab", "export_value", 200),
    (2026, 1, "mofa", "US-LAX", "kbeauty", "emb_collab", "export_value", 150),
    (2025, 1, "mofa", "US-LAX", "kbeauty", "emb_collab", "firms_supported", 8),
    (2026, 1, "mofa", "US-LAX", "kbeauty", "emb_collab", "firms_supported", 10),
    (2025, 1, "mofa", "VN-HAN", "bio", "emb_collab", "firms_supported", 5),
    (2026, 1, "mofa", "VN-HAN", "bio", "emb_collab", "firms_supported", 5),
]


@pytest.fixture(scope="module")
def falling_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tiles") / "falling.duckdb"
    con = open_connection(path)
    try:
        add_figures(con, FIGURES)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def tile(at: AppTest, label: str, n: int = 0) -> MetricProto:
    return [m.proto for m in at.metric if m.label == label][n]


def test_summary_tiles_point_down_for_a_fall(falling_db: Path, monkeypatch) -> None:
    at = run_page("views/summary.py", falling_db, monkeypatch)
    export = tile(at, "수출계약액")
    assert float(export.delta) == -25.0
    assert (export.direction, export.color) == (DOWN, RED)
    assert export.delta_description == "전년 동기 대비"
    firms = tile(at, "지원기업 수")
    assert float(firms.delta) == 15.4  # 13 → 15 firms
    assert (firms.direction, firms.color) == (UP, GREEN)


def test_by_sector_tiles_point_down_for_a_fall_and_stay_flat_without_change(
    falling_db: Path, monkeypatch
) -> None:
    at = run_page("views/by_sector.py", falling_db, monkeypatch)
    shown = tiles_shown(at)
    export = next(t for t in shown if t.label == "수출계약액")
    assert (export.delta, export.tone) == ("↓ −25.0% 전년 동기 대비", "bad")
    kbeauty_firms, bio_firms = (t for t in shown if t.label == "지원기업 수")
    assert (kbeauty_firms.delta, kbeauty_firms.tone) == ("↑ +25.0% 전년 동기 대비", "good")
    assert (bio_firms.delta, bio_firms.tone) == ("0.0% 전년 동기 대비", "flat")
    assert export.help == registry.get("export_value").description("ko")


def test_english_tiles_keep_the_words_beside_the_number(falling_db: Path, monkeypatch) -> None:
    at = run_page("views/by_sector.py", falling_db, monkeypatch, lang="en")
    export = next(t for t in tiles_shown(at) if t.label == "Export contract value")
    assert export.delta == "↓ −25.0% YoY"


def _tiles_app() -> None:
    from ui.blocks import metric_tile

    metric_tile("affected_firms", "피해기업", "12개사", 50.0)
    metric_tile("affected_firms", "피해기업", "3개사", -40.0)
    metric_tile("firms_supported", "지원기업", "3개사", None)


def test_lower_is_better_rises_red_and_falls_green() -> None:
    at = AppTest.from_function(_tiles_app).run()
    rise, fall, none = (m.proto for m in at.metric)
    assert (rise.direction, rise.color) == (UP, RED)
    assert (fall.direction, fall.color) == (DOWN, GREEN)
    assert none.delta == "" and none.direction == FLAT


def _html_tiles_app() -> None:
    import streamlit as st

    from ui.tiles import Card, Tile, cards_html

    hostile = "<img src=x onerror=alert(1)> **굵게**"
    st.html(
        cards_html(
            [
                Card(
                    hostile,
                    "red;background:url(http://x)",
                    [
                        Tile("affected_firms", "피해기업", "12개사", 50.0),
                        Tile("affected_firms", "피해기업", "3개사", -40.0),
                        Tile("firms_supported", hostile, "3개사", None, help=hostile),
                        Tile("firms_supported", "지원기업", "3개사", float("nan")),
                    ],
                    foot=hostile,
                ),
                Card("바이오", "#00AA88", empty="이 분야의 실적이 없습니다."),
            ]
        )
    )


def test_html_tiles_colour_by_good_news_and_show_text_as_text() -> None:
    at = AppTest.from_function(_html_tiles_app).run()
    rise, fall, none, nan = tiles_shown(at)
    assert (rise.delta, rise.tone) == ("↑ +50.0% 전년 동기 대비", "bad")  # more affected firms is bad
    assert (fall.delta, fall.tone) == ("↓ −40.0% 전년 동기 대비", "good")
    assert none.delta == nan.delta == "" and none.tone == nan.tone == ""
    body = at.get("html")[0].proto.body
    assert "<img" not in body and "&lt;img src=x onerror=alert(1)&gt; **굵게**" in body
    assert none.label == none.help == "<img src=x onerror=alert(1)> **굵게**"
    assert "url(" not in body  # a colour that is not one falls back to the house navy
    assert "이 분야의 실적이 없습니다." in body and "--kt-color:#00AA88" in body
