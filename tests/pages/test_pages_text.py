"""What the pages' chart labels and footnotes say: readable axis labels, captions that read as
sentences, footnotes only about what the chart shows."""

import json

import pytest

from tests.support.pages import build, run_page
from ui.format import period_ticks


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    return build(tmp_path_factory.mktemp("small") / "small.duckdb")


def _captions(at) -> list[str]:
    return [c.value for c in at.caption]


def _figures(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_period_ticks_put_the_year_under_its_first_quarter():
    assert period_ticks([(2025, 3), (2025, 4), (2026, 1), (2026, 2)]) == [
        "3분기<br>2025년",
        "4분기",
        "1분기<br>2026년",
        "2분기",
    ]
    assert period_ticks([(2026, 1)], "en") == ["Q1<br>2026"]


def test_trend_axes_label_quarters_on_two_lines(small_db, monkeypatch):
    for page in ("views/by_sector.py", "views/by_mission.py"):
        at = run_page(page, small_db, monkeypatch, metric="firms_supported", focus="VN-HAN")
        trend = [
            f["layout"]["xaxis"]
            for f in _figures(at)
            if any("분기" in str(t) for t in f["layout"].get("xaxis", {}).get("ticktext") or [])
        ]
        assert trend, page
        assert trend[0]["ticktext"][:2] == ["1분기<br>2025년", "2분기"], page
        assert trend[0]["tickangle"] == 0


def test_by_year_caption_reads_as_one_sentence(small_db, monkeypatch):
    at = run_page("views/by_year.py", small_db, monkeypatch, metric="export_value")
    running = [c for c in _captions(at) if c.startswith("분기말까지의 누계")]
    assert running, _captions(at)
    assert ". ·" not in running[0] and "). ·" not in running[0], running[0]


def test_by_sector_footnote_speaks_of_what_is_shown(small_db, monkeypatch):
    # the small warehouse has no satisfaction target, and an export-value target for K-beauty only
    at = run_page("views/by_sector.py", small_db, monkeypatch)
    note = next(c for c in _captions(at) if c.startswith("막대:"))
    assert "만족도" not in note
    assert "수출계약액은 목표가 정해진 K-뷰티에만 있습니다." in note


def test_relief_target_in_one_sector_is_explained(demo_db, monkeypatch):
    at = run_page("views/by_sector.py", demo_db, monkeypatch)
    note = next(c for c in _captions(at) if c.startswith("막대:"))
    assert "피해기업 지원은 긴급상황 피해기업을 도운 건수로" in note
    assert "K-뷰티에만" in note
