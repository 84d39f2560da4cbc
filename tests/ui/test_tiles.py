"""Metric tiles on 요약 and 분야별: the year-on-year change is a number, so down is a red ↓.

A small warehouse written by hand: K-beauty export value 200 in 2025 Q1, 150 in 2026 Q1 (−25 %);
firms supported 8 → 10 (+25 %); bio firms 5 → 5 (no change).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from tests.support.metrics import add_figures
from tests.support.pages import run_page
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
    kbeauty_export = tile(at, "수출계약액")
    assert float(kbeauty_export.delta) == -25.0
    assert (kbeauty_export.direction, kbeauty_export.color) == (DOWN, RED)
    kbeauty_firms, bio_firms = tile(at, "지원기업 수", 0), tile(at, "지원기업 수", 1)
    assert float(kbeauty_firms.delta) == 25.0 and (kbeauty_firms.direction, kbeauty_firms.color) == (
        UP,
        GREEN,
    )
    assert float(bio_firms.delta) == 0 and (bio_firms.direction, bio_firms.color) == (FLAT, GRAY)


def test_english_tiles_keep_the_words_beside_the_number(falling_db: Path, monkeypatch) -> None:
    at = run_page("views/by_sector.py", falling_db, monkeypatch, lang="en")
    export = tile(at, "Export contract value")
    assert float(export.delta) == -25.0 and export.delta_description == "YoY"


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
