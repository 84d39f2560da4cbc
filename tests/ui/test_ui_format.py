"""Korean and English number formatting (ui/format.py): golden strings."""

import math

import pytest

from ui import format as fmt


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (1234, "ko", "1,234개사"),
        (1234, "en", "1,234 firms"),
        (1, "en", "1 firm"),
        (0, "ko", "0개사"),
        (None, "ko", "–"),
        (math.nan, "en", "–"),
        (-3, "ko", "-3개사"),
    ],
)
def test_count(value, lang, expected):
    assert fmt.count(value, "개사", "firms", lang) == expected


@pytest.mark.parametrize(
    ("thousand_usd", "ko", "en"),
    [
        (850, "850천달러", "USD 850K"),
        (999.6, "1,000천달러", "USD 1,000K"),
        (1_000, "1백만달러", "USD 1M"),
        (12_345, "12.3백만달러", "USD 12.3M"),
        (99_999, "100백만달러", "USD 100M"),
        (100_000, "1억 달러", "USD 100M"),
        (123_456, "1.23억 달러", "USD 123M"),
        (1_234_567, "12.3억 달러", "USD 1.23B"),
        (10_200_000, "102억 달러", "USD 10.2B"),
        (-12_345, "-12.3백만달러", "USD -12.3M"),
        (None, "–", "–"),
    ],
)
def test_money_reads_in_the_largest_sensible_unit(thousand_usd, ko, en):
    assert fmt.money(thousand_usd, "ko") == ko
    assert fmt.money(thousand_usd, "en") == en


def test_money_scale_is_chosen_from_the_largest_value():
    assert fmt.money_scale(800, "ko") == fmt.Scale(1.0, "천달러")
    assert fmt.money_scale(45_000, "ko") == fmt.Scale(1_000.0, "백만달러")
    assert fmt.money_scale(250_000, "ko") == fmt.Scale(1_000.0, "백만달러")
    assert fmt.money_scale(2_500_000, "ko") == fmt.Scale(100_000.0, "억 달러")
    assert fmt.money_scale(250_000, "en") == fmt.Scale(1_000.0, "USD million")
    assert fmt.money_scale(2_500_000, "en") == fmt.Scale(1_000_000.0, "USD billion")
    assert fmt.money_scale(math.nan, "ko").unit == "천달러"


def test_metric_value_dispatches_on_unit():
    assert fmt.metric_value(84.25, "점", "points", "ko") == "84.2점"
    assert fmt.metric_value(84.25, "점", "points", "en") == "84.2 points"
    assert fmt.metric_value(12_345, "천달러", "USD thousand", "ko") == "12.3백만달러"
    assert fmt.metric_value(56, "건", "cases", "en") == "56 cases"
    assert fmt.metric_value(None, "점", "points", "ko") == "–"


def test_percentages_and_growth():
    assert fmt.percent(85.26) == "85.3%"
    assert fmt.percent(None) == "–"
    assert fmt.signed_percent(12.34) == "+12.3%"
    assert fmt.signed_percent(-4.5) == "-4.5%"  # the one minus sign: ASCII, as grids and files write it
    assert fmt.signed_percent(-0.01) == "0.0%"


def test_periods():
    assert fmt.period(2026, 3, "ko") == "2026년 3분기"
    assert fmt.period(2026, 3, "en") == "2026 Q3"
    assert fmt.quarter_range(1, 3, "ko") == "1–3분기"
    assert fmt.quarter_range(2, 2, "en") == "Q2"
    assert fmt.year(2025, "ko") == "2025년"


def test_scaled_uses_the_axis_unit():
    assert fmt.scaled(112_278, fmt.Scale(1_000.0, "백만달러"), "ko") == "112.3백만달러"
    assert fmt.scaled(112_278, fmt.Scale(1_000.0, "USD million"), "en") == "112.3 USD million"
    assert fmt.scaled(None, fmt.Scale(1.0, "개사")) == "–"


def test_money_compared_side_by_side_shares_one_unit():
    """Issue 15 #5: "71.4백만달러 · 목표 1.12억 달러" read as two units; one unit for both."""
    assert fmt.metric_values([71_400, 112_400], "천달러", "USD thousand", "ko") == [
        "71.4백만달러",
        "112.4백만달러",
    ]
    assert fmt.metric_values([71_400, 112_400], "천달러", "USD thousand", "en") == ["USD 71.4M", "USD 112.4M"]
    # the smaller value picks the unit, so neither shrinks to "0.3백만달러"
    assert fmt.metric_values([314, None, 1_000], "천달러", "USD thousand", "ko") == [
        "314천달러",
        "–",
        "1,000천달러",
    ]
    assert fmt.metric_values([0, 1_500], "천달러", "USD thousand", "ko") == ["0.0백만달러", "1.5백만달러"]
    assert fmt.metric_values([120_000, 2_500_000], "천달러", "USD thousand", "ko") == [
        "120.0백만달러",  # one precision for values read together (#27 item 2)
        "2,500.0백만달러",
    ]
    assert fmt.metric_values([120_000, 2_500_000], "천달러", "USD thousand", "en") == [
        "USD 120.0M",
        "USD 2,500.0M",
    ]
    assert fmt.metric_values([1234, 5678], "개사", "firms", "ko") == ["1,234개사", "5,678개사"]
    assert fmt.metric_values([None, None], "천달러", "USD thousand", "ko") == ["–", "–"]
