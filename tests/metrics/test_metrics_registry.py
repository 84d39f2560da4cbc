"""The metric registry: complete labels and descriptions, and the README table rendered from it."""

import re
from pathlib import Path

import pytest

from metrics import registry
from warehouse.connection import open_connection

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_CODES = (
    "firms_supported",
    "buyer_meetings",
    "export_contracts",
    "export_value",
    "mou_signed",
    "local_entities",
    "investment_value",
    "issues_resolved",
    "info_provided",
    "events_held",
    "satisfaction",
    "affected_firms",
    "relief_cases",
)
START, END = "<!-- metrics-table:start -->", "<!-- metrics-table:end -->"


def test_registry_holds_the_domain_metrics_in_order():
    assert registry.codes() == DOMAIN_CODES


@pytest.mark.parametrize("metric", registry.all_metrics(), ids=lambda m: m.code)
def test_every_metric_is_labelled_and_described(metric):
    assert metric.name_ko and re.search(r"[가-힣]", metric.name_ko), "Korean label missing"
    assert metric.name_en
    assert metric.unit_ko and metric.unit_en
    assert len(metric.description_ko) >= 10, "Korean description missing"
    assert len(metric.description_en) >= 10, "English description missing"
    assert metric.aggregation in registry.AGGREGATIONS


def test_aggregation_rules_of_the_domain():
    sat = registry.get("satisfaction")
    assert sat.is_mean and sat.weight_metric == "firms_supported"
    affected = registry.get("affected_firms")
    assert not affected.has_target and not affected.higher_is_better
    assert all(m.aggregation == "sum" for m in registry.all_metrics() if m.code != "satisfaction")


def test_unknown_metric_names_the_known_ones():
    with pytest.raises(KeyError, match="export_value"):
        registry.get("exports")


def test_frame_is_keyed_by_metric_code():
    df = registry.frame()
    assert list(df["metric_code"]) == list(DOMAIN_CODES)
    assert {"name_ko", "name_en", "unit_ko", "description_ko", "higher_is_better"} <= set(df.columns)


def test_warehouse_metrics_view_matches_the_registry(tmp_path):
    con = open_connection(tmp_path / "w.duckdb")
    try:
        rows = con.execute(
            "SELECT metric_code, name_ko, aggregation FROM metrics ORDER BY sort_order"
        ).fetchall()
    finally:
        con.close()
    assert rows == [(m.code, m.name_ko, m.aggregation) for m in registry.all_metrics()]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_markdown_table_has_one_row_per_metric(lang):
    lines = registry.markdown_table(lang).splitlines()
    assert len(lines) == 2 + len(DOMAIN_CODES)
    assert all(line.startswith("| ") and line.endswith(" |") for line in lines[2:])
    assert all(f"`{code}`" in line for code, line in zip(DOMAIN_CODES, lines[2:], strict=True))
    assert not registry.markdown_table(lang).endswith("\n")


def test_markdown_table_in_korean_names_the_weighting():
    table = registry.markdown_table()
    assert "가중평균(가중치: 지원기업 수)" in table and "낮을수록 좋음" in table


def test_readme_metric_table_matches_the_registry():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert START in text and END in text, f"README.md lacks the markers {START} … {END}"
    between = text.split(START, 1)[1].split(END, 1)[0].strip("\n")
    assert between == registry.markdown_table("ko"), (
        "README metric table differs from metrics.registry.markdown_table('ko'); paste its output "
        "between the markers"
    )
