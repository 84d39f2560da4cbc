"""Reading one register cell by its column's type, and saying what is wrong with it (Korean first)."""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from datetime import date, datetime, timedelta

from etl.problems import josa, short
from etl.registers.spec import ALL_WORDS, Column, Row
from etl.shape.period import find_period, in_window, outside_window, parse_quarter, parse_year
from etl.shape.resolve import Choices, resolve
from warehouse.text import clean_text

_DATE = re.compile(
    r"^(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})\s*일?\.?(?:\s*(?:T|\s)\s*\d{1,2}:\d{2}(?::\d{2})?)?$"
)
# An Excel date serial number (1954 – 2119), for a date cell read as text.
_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")
_INT = re.compile(r"^(?:제|#|no\.?)?\s*(\d{1,9})(?:\.0+)?\s*(?:차|번)?$", re.I)


def parse_date(text: object) -> date | None:
    """2025-01-10, 2025.1.10, 2025/01/10, 2025년 1월 10일, '2025-01-10 00:00:00' or an Excel serial."""
    if text is None:
        return None
    # A pandas Timestamp can only exist if pandas was imported; the command line loads without it.
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(text, pd.Timestamp):
        return None if pd.isna(text) else text.date()
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    value = unicodedata.normalize("NFKC", str(text)).strip()
    if not value:
        return None
    match = _DATE.match(value)
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        if _SERIAL.match(value) and 20000 <= float(value) <= 80000:
            return date(1899, 12, 30) + timedelta(days=int(float(value)))
    except ValueError:
        return None
    return None


def parse_int(text: object) -> int | None:
    """3, '3', '3.0', '제3차', '#3' → 3."""
    match = _INT.match(unicodedata.normalize("NFKC", str(text or "")).strip())
    return int(match[1]) if match else None


def parse_number(text: object) -> float | None:
    """A finite number (NaN and ±infinity, however spelt, are not: the returns' rule not_finite)."""
    if text is None:
        return None
    try:
        if isinstance(text, int | float):
            value = float(text)
        else:
            value = float(unicodedata.normalize("NFKC", str(text)).replace(",", "").strip())
    except (ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None


_PARSERS = {
    "year": parse_year,
    "quarter": parse_quarter,
    "period": lambda v: v if isinstance(v, tuple) else find_period(v),
    "date": parse_date,
    "int": parse_int,
    "number": parse_number,
}


WINDOWED = ("date", "year", "period")  # read_cell keeps them within etl.shape.period's one window


def _say(template: tuple[str, str], text: object) -> tuple[str, str]:
    shown = short(" ".join(str(text if text is not None else "").split()), 40)
    return template[0].format(text=shown), template[1].format(text=shown)


def _default_unreadable(column: Column) -> tuple[str, str]:
    ko, en = column.label
    if column.type in ("code", "status"):
        return f"알 수 없는 {ko}입니다: '{{text}}'.", f"unknown {en} '{{text}}'"
    return f"{josa(ko, '을/를')} 읽을 수 없습니다: '{{text}}'.", f"cannot read the {en} '{{text}}'"


def _fix(column: Column) -> tuple[str, str]:
    if column.fix[0] or column.type not in ("code", "status"):
        return column.fix
    choices = Choices(column.ref or "")
    return (
        f"공식 양식의 목록에 있는 이름이나 코드로 고치세요 (예: {choices.examples()}).",
        f"Use a name or code from the official list (for example {choices.examples(lang='en')}).",
    )


def read_cell(row: Row, column: Column, raw: object) -> object:
    """The cell's value for its type (None when empty, all, or wrong: then a problem is on the row).

    Text loses its control and format characters first (warehouse.text: one policy for every register).
    """
    text = clean_text(raw).strip() or None if isinstance(raw, str) else raw
    if text is None:
        if column.required:
            ko, en = _say(column.missing or column.unreadable or _missing(column), "")
            row.bad(column.field, ko, en, *_fix(column))
        return None
    if column.type in ("code", "status"):
        if column.all_words and text in ALL_WORDS:
            return None
        value = resolve(column.ref or "", text)
    elif column.type == "text":
        value = str(text)
        if column.limit and len(value) > column.limit:
            ko, en = column.label
            row.bad(
                column.field,
                f"{josa(ko, '이/가')} {len(value):,}자로 너무 깁니다(최대 {column.limit:,}자).",
                f"the {en} is {len(value):,} characters long (at most {column.limit:,})",
                f"{column.limit:,}자 이내로 줄이세요.",
                f"Shorten it to {column.limit:,} characters.",
            )
        return value
    else:
        value = _PARSERS[column.type](text)
    if value is None:
        ko, en = _say(column.unreadable or _default_unreadable(column), text)
        row.bad(column.field, ko, en, *_fix(column))
    elif column.type in WINDOWED and not in_window(value):
        # a date, year or quarter far outside the council's time (0001-01-01, 9999-12-31, 9999Q4)
        ko, en = outside_window(column.label, short(" ".join(str(text).split()), 40))
        row.bad(column.field, ko, en, *_fix(column))
        return None
    return value


def _missing(column: Column) -> tuple[str, str]:
    ko, en = column.label
    return f"{josa(ko, '이/가')} 비어 있습니다.", f"missing {en}"
