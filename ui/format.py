"""Numbers as policy staff read them: 1,234개사, 12.3백만달러, 1.2억 달러, 85.3%; or the English forms.

Pure functions of (value, language): no Streamlit, so they are unit-tested and reusable in exports.
Money arrives in 천달러 (USD thousand), the warehouse's canonical unit.

The one rule for numbers read together (a table's column, a row of one metric, a sentence): `column`
picks one unit (money's scale) and one precision from all the values and writes every value with
them; a change always carries its sign. Pages' grids (`grid_format`), downloads and both pack formats
(`frame_cells`, `table_cells`) go through it. One minus sign everywhere: the ASCII hyphen-minus, the
one the grids, the CSV and Excel files, plotly and st.metric write and the metrics layer's sentences
use; a text cell starting with it is neutralised in downloads (ui.downloads).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import pandas as pd

DASH = "–"  # shown for a missing value (not reported), which is not zero
MINUS = "-"  # the one minus sign (see the module's docstring)

# Thresholds in 천달러: 1,000 천달러 = USD 1 million = 1백만달러; 100,000 천달러 = USD 100 million = 1억 달러.
_MILLION = 1_000.0
_EOK = 100_000.0
_BILLION = 1_000_000.0


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def _digits(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "").lstrip("-") or 0) == 0:
        text = text[1:]  # no "-0"
    return text.replace("−", MINUS)


def number(value: object, decimals: int = 0) -> str:
    """1234.5 → "1,235"; None/NaN → "–"."""
    if _missing(value):
        return DASH
    return _digits(float(value), decimals)  # type: ignore[arg-type]


def _trim(value: float, decimals: int) -> str:
    """Fixed decimals, but "12.0" reads better as "12"."""
    text = _digits(value, decimals)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _plural(unit_en: str, value: float) -> str:
    if abs(value) == 1 and unit_en.endswith("s"):
        return unit_en[:-1]
    return unit_en


def count(value: object, unit_ko: str, unit_en: str, lang: str = "ko", decimals: int = 0) -> str:
    """A counted figure with its unit: "1,234개사" / "1,234 firms", "1 case"."""
    if _missing(value):
        return DASH
    v = float(value)  # type: ignore[arg-type]
    digits = _digits(v, decimals)
    if lang == "en":
        return f"{digits} {_plural(unit_en, round(v, decimals))}" if unit_en else digits
    return f"{digits}{unit_ko}"


def money(thousand_usd: object, lang: str = "ko") -> str:
    """천달러 as it reads best: 850천달러, 12.3백만달러, 1.2억 달러 / USD 850K, USD 12.3M, USD 1.2B."""
    if _missing(thousand_usd):
        return DASH
    v = float(thousand_usd)  # type: ignore[arg-type]
    a = abs(v)
    if lang == "en":
        if a < _MILLION:
            return f"USD {_trim(v, 0)}K"
        if a < _BILLION:
            return f"USD {_trim(v / _MILLION, 1 if a < 100 * _MILLION else 0)}M"
        return f"USD {_trim(v / _BILLION, 2 if a < 10 * _BILLION else 1)}B"
    if a < _MILLION:
        return f"{_trim(v, 0)}천달러"
    if a < _EOK:
        return f"{_trim(v / _MILLION, 1)}백만달러"
    return f"{_trim(v / _EOK, 2 if a < 10 * _EOK else 1 if a < 100 * _EOK else 0)}억 달러"


class Scale(NamedTuple):
    """How a chart axis or a table column shows money: divide by `divisor`, label with `unit`."""

    divisor: float
    unit: str


def money_scale(max_abs_thousand_usd: float, lang: str = "ko") -> Scale:
    """One unit for a whole axis or column, chosen from its largest value.

    An axis reads best with whole numbers, so 백만달러 serves up to USD 1 billion (1,000백만달러)
    and 억 달러 only beyond it, where its numbers are 10 and more.
    """
    a = 0.0 if _missing(max_abs_thousand_usd) else abs(float(max_abs_thousand_usd))
    if lang == "en":
        if a < _MILLION:
            return Scale(1.0, "USD thousand")
        if a < _BILLION:
            return Scale(_MILLION, "USD million")
        return Scale(_BILLION, "USD billion")
    if a < _MILLION:
        return Scale(1.0, "천달러")
    if a < _BILLION:
        return Scale(_MILLION, "백만달러")
    return Scale(_EOK, "억 달러")


_EN_SUFFIX = {1.0: "K", _MILLION: "M", _BILLION: "B"}


def money_in(thousand_usd: object, scale: Scale, lang: str = "ko") -> str:
    """Money in a unit picked for several numbers at once (an axis's, or `shared_scale`'s):
    71.4백만달러 beside 112.4백만달러, never beside 1.12억 달러; USD 71.4M beside USD 112.4M."""
    if _missing(thousand_usd):
        return DASH
    # one precision for every value in the unit (1.0백만달러 beside 1.7백만달러), as `column` writes them
    digits = _digits(float(thousand_usd) / scale.divisor, 0 if scale.divisor == 1 else 1)  # type: ignore[arg-type]
    if lang == "en":
        return f"USD {digits}{_EN_SUFFIX.get(scale.divisor, '')}"
    return f"{digits}{scale.unit}"


def shared_scale(values: Iterable[object], lang: str = "ko") -> Scale:
    """One unit for money read side by side: `money_scale` of the smallest non-zero value, so that
    none shrinks to "0.3백만달러" (314천달러 beside a target of 1,000천달러); missing values skipped."""
    present = [abs(float(v)) for v in values if not _missing(v) and float(v) != 0]  # type: ignore[arg-type]
    return money_scale(min(present, default=0.0), lang)


def metric_values(values: Sequence[object], unit_ko: str, unit_en: str, lang: str = "ko") -> list[str]:
    """Values compared with one another (actual and target, this year and last) in one unit:
    money in the unit `shared_scale` picks, other metrics as `metric_value` shows them."""
    return column(values, unit_ko, unit_en, lang)


def is_money(unit_ko: str) -> bool:
    return unit_ko == "천달러"


def is_score(unit_ko: str) -> bool:
    return unit_ko == "점"


def metric_value(value: object, unit_ko: str, unit_en: str, lang: str = "ko") -> str:
    """Any metric's value in its unit: money scaled, scores with one decimal, counts whole."""
    if is_money(unit_ko):
        return money(value, lang)
    if is_score(unit_ko):
        if _missing(value):
            return DASH
        return count(value, unit_ko, unit_en, lang, decimals=1)
    return count(value, unit_ko, unit_en, lang)


def percent(value: object, decimals: int = 1) -> str:
    """85.26 → "85.3%" (the value is already a percentage)."""
    if _missing(value):
        return DASH
    return f"{_digits(float(value), decimals)}%"  # type: ignore[arg-type]


def signed_percent(value: object, decimals: int = 1) -> str:
    """Growth: "+12.3%", "−4.5%", "0.0%"."""
    if _missing(value):
        return DASH
    v = round(float(value), decimals)  # type: ignore[arg-type]
    sign = "+" if v > 0 else ""
    return f"{sign}{_digits(v, decimals)}%"


def quarter(q: int, lang: str = "ko") -> str:
    return f"Q{int(q)}" if lang == "en" else f"{int(q)}분기"


def period(year: int, q: int, lang: str = "ko") -> str:
    """2026년 3분기 / 2026 Q3."""
    return f"{int(year)} Q{int(q)}" if lang == "en" else f"{int(year)}년 {int(q)}분기"


def period_ticks(periods: list[tuple[int, int]], lang: str = "ko") -> list[str]:
    """Axis labels for consecutive quarters that never run together: the quarter on the first line,
    the year below it on each year's first quarter shown ("1분기<br>2024년", "2분기", …)."""
    ticks, last_year = [], None
    for year, q in periods:
        tick = quarter(q, lang)
        if year != last_year:
            tick += f"<br>{int(year)}" + ("" if lang == "en" else "년")
        ticks.append(tick)
        last_year = year
    return ticks


def quarter_range(q_from: int, q_to: int, lang: str = "ko") -> str:
    """1–3분기 / Q1–Q3; one quarter reads as itself."""
    if q_from == q_to:
        return quarter(q_from, lang)
    if lang == "en":
        return f"Q{q_from}–Q{q_to}"
    return f"{q_from}–{q_to}분기"


def year(y: int, lang: str = "ko") -> str:
    return f"{int(y)}" if lang == "en" else f"{int(y)}년"


def scaled(value: object, scale: Scale, lang: str = "ko", decimals: int = 1) -> str:
    """A value in a chart's unit, to label the chart in the unit its axis uses: 112.3백만달러."""
    if _missing(value):
        return DASH
    digits = _trim(float(value) / scale.divisor, decimals)  # type: ignore[arg-type]
    return f"{digits} {scale.unit}" if lang == "en" else f"{digits}{scale.unit}"


# --- one unit and one precision for numbers read together ------------------------------------------

PERCENT_UNITS = ("%", "%p")


def decimals(unit_ko: str, scale: Scale | None = None) -> int:
    """The one precision of a column in `unit_ko`: counts whole, scores, percentages and money beyond
    천달러 to one decimal (so "1.0백만달러" stands beside "1.7백만달러", never "1백만달러")."""
    if is_money(unit_ko):
        return 0 if scale is None or scale.divisor == 1 else 1
    return 1 if is_score(unit_ko) or unit_ko in PERCENT_UNITS else 0


def _signed(value: float, digits: int, signed: bool) -> str:
    text = _digits(value, digits)
    return "+" + text if signed and round(value, digits) > 0 else text


def column(
    values: Sequence[object],
    unit_ko: str,
    unit_en: str = "",
    lang: str = "ko",
    *,
    signed: bool = False,
    scale: Scale | None = None,
    with_unit: bool = True,
) -> list[str]:
    """Values read together in one unit and one precision: money in one scale (`shared_scale` of them
    all, or `scale` when a table chose it), counts whole, scores and percentages to one decimal;
    `signed` (a change) writes "+" on every rise. `with_unit=False` for a table that says its unit
    once (`unit_note`)."""
    if is_money(unit_ko):
        scale = scale or shared_scale(values, lang)
    digits = decimals(unit_ko, scale)
    out = []
    for v in values:
        if _missing(v):
            out.append(DASH)
            continue
        x = float(v) / (scale.divisor if scale is not None and is_money(unit_ko) else 1)  # type: ignore[arg-type]
        text = _signed(x, digits, signed)
        if not with_unit:
            out.append(text)
        elif is_money(unit_ko):
            assert scale is not None
            out.append(
                f"USD {text}{_EN_SUFFIX.get(scale.divisor, '')}" if lang == "en" else f"{text}{scale.unit}"
            )
        elif unit_ko in PERCENT_UNITS:
            out.append(text + (" pts" if unit_ko == "%p" and lang == "en" else unit_ko))
        elif lang == "en":
            out.append(f"{text} {_plural(unit_en, round(x, digits))}" if unit_en else text)
        else:
            out.append(f"{text}{unit_ko}")
    return out


def table_scale(rows: Iterable[tuple[str, Iterable[object]]], lang: str = "ko") -> Scale:
    """One money scale for every money cell of a table whose rows are metrics: (unit_ko, values)."""
    money = [v for unit_ko, values in rows if is_money(unit_ko) for v in values]
    return shared_scale(money, lang)


def table_cells(rows: Sequence[tuple[str, str, Sequence[object]]], lang: str = "ko") -> list[list[str]]:
    """A table whose rows are metrics (unit_ko, unit_en, the row's values): each row in its metric's
    unit, every money row in the one scale of the table (a column never mixes 천달러 and 백만달러)."""
    scale = table_scale(((u, vals) for u, _e, vals in rows), lang)
    return [column(vals, u, e, lang, scale=scale) for u, e, vals in rows]


def unit_note(units: Iterable[str], lang: str = "ko") -> str:
    """A table's units said once: "(단위: 백만달러, %)" / "(Unit: USD million, %)"."""
    shown = list(dict.fromkeys(u for u in units if u))
    if not shown:
        return ""
    return f"(Unit: {', '.join(shown)})" if lang == "en" else f"(단위: {', '.join(shown)})"


# Headers of columns that hold a change (its sign always written): the pages' and the pack's.
_CHANGE_WORDS = ("변화", "증감", "전년 동기 대비", "전년 대비", "Change", "Year on year", "YoY", "± pts")


def is_change(header: object) -> bool:
    return any(word in str(header) for word in _CHANGE_WORDS)


def _needed_decimals(values: pd.Series, most: int = 1) -> int:
    """The fewest decimals (up to `most`) that show every value of a numeric column as it is rounded."""
    present = values.dropna().astype("float64")
    for d in range(most + 1):
        if ((present * 10**d).round(6) % 1 == 0).all():
            return d
    return most


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def grid_format(header: object, values: pd.Series) -> str:
    """The printf format of a page grid's numeric column: one precision for the whole column (never
    "-36" beside "-37.1"), thousands separators, and "+" on a change column's rises."""
    digits = _needed_decimals(values)
    return f"%{'+' if is_change(header) else ''},.{digits}f"


def frame_cells(df: pd.DataFrame) -> list[list[str]]:
    """A display frame's cells as the pack prints them: every numeric column in one precision (the
    fewest decimals its values need, so counts never read "406.0"), a change column signed; text as is."""
    columns = []
    for header in df.columns:
        series = df[header]
        if _numeric(series):
            digits = _needed_decimals(series)
            signed = is_change(header)
            columns.append([DASH if _missing(v) else _signed(float(v), digits, signed) for v in series])
        else:
            columns.append(
                [
                    DASH
                    if v is None or v is pd.NA or (isinstance(v, float) and v != v)
                    else v.strftime("%Y-%m-%d")
                    if isinstance(v, pd.Timestamp)
                    else str(v)
                    for v in series
                ]
            )
    return [list(row) for row in zip(*columns, strict=True)] if columns else []
