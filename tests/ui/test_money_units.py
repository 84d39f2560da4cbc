"""Money that is compared is shown in one unit (issue 15 #5): a tile and its target, the 연도별 series
and its target line and projection, the hub table's column, the printed page.

A warehouse written by hand: K-beauty export value 71,400 천달러 in 2026 Q1 at US-LAX (a K-beauty hub)
and 900 at JP-TYO (a hub too); targets 112,400 for the total and for K-beauty. With no earlier year
the pace is linear, so the year-end projection is 4 × 72,300 = 289,200 천달러.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from metrics.summary import build_summary
from tests.support.metrics import add_figures, add_targets
from tests.support.pages import run_page
from warehouse.connection import connection, open_connection

FIGURES = [
    (2026, 1, "mofa", "US-LAX", "kbeauty", "emb_collab", "export_value", 71_400),
    (2026, 1, "mofa", "JP-TYO", "kbeauty", "emb_collab", "export_value", 900),
]
TARGETS = [
    (2026, "export_value", None, None, None, 112_400),
    (2026, "export_value", "kbeauty", None, None, 112_400),
]


@pytest.fixture(scope="module")
def money_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("money") / "money.duckdb"
    con = open_connection(path)
    try:
        add_figures(con, FIGURES)
        add_targets(con, TARGETS)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def test_summary_tile_and_its_target_share_a_unit(money_db: Path, monkeypatch) -> None:
    at = run_page("views/summary.py", money_db, monkeypatch)
    assert {m.label: m.value for m in at.metric}["수출계약액"] == "72.3백만달러"
    captions = [c.value.replace("\xa0", " ") for c in at.caption]  # no-break spaces read as spaces
    assert any(c.startswith("목표 112.4백만달러 · 달성률 64.3%") for c in captions), captions


def test_english_tile_too(money_db: Path, monkeypatch) -> None:
    at = run_page("views/summary.py", money_db, monkeypatch, lang="en")
    assert {m.label: m.value for m in at.metric}["Export contract value"] == "USD 72.3M"
    assert any(c.value.replace("\xa0", " ").startswith("Target USD 112.4M · 64.3%") for c in at.caption)


def test_by_sector_tile_and_its_target_share_a_unit(money_db: Path, monkeypatch) -> None:
    at = run_page("views/by_sector.py", money_db, monkeypatch)
    assert {m.label: m.value for m in at.metric}["수출계약액"] == "72.3백만달러"
    assert any("목표 112.4백만달러" in h.proto.body for h in at.get("html"))


def test_by_year_target_line_and_projection_share_the_axis_unit(money_db: Path, monkeypatch) -> None:
    at = run_page("views/by_year.py", money_db, monkeypatch, metric="export_value")
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    texts = json.dumps(figure, ensure_ascii=False)
    assert "2026년 목표 112.4백만달러" in texts
    assert "1.12억" not in texts and "2.89억" not in texts
    assert any("연말 전망 289.2백만달러" in c.value for c in at.caption)


def test_printed_hub_column_is_in_one_unit(money_db: Path) -> None:
    from ui.report_html import report_html

    with connection(money_db, read_only=True) as con:
        summary = build_summary(con)
    page = report_html(summary, "ko")
    assert "71.4백만달러" in page and "0.9백만달러" in page and "900천달러" not in page
    assert "112.4백만달러" in page and "1.12억" not in page
