"""Reading years, quarters and the cumulative basis from what analysts write."""

import math
import re
import unicodedata
from datetime import date

from warehouse.text import josa

# Each pattern captures (year, quarter); two-digit years are 20xx.
_PERIOD_PATTERNS = (
    re.compile(r"(?<!\d)(\d{4})\s*년?\s*(?:도)?\s*[-/.]?\s*([1-4])\s*/\s*4\s*분기"),  # 2026년 1/4분기
    re.compile(r"(?<!\d)(\d{4})\s*년?\s*(?:도)?\s*[-/.]?\s*(?:제\s*)?([1-4])\s*분기"),  # 2026년 1분기
    re.compile(r"(?<!\d)(\d{4})\s*[-/.]?\s*q\s*([1-4])(?!\d)", re.I),  # 2026 Q1, 2026-Q1
    re.compile(r"(?<!\d)(\d{4})\s*[-/.]\s*([1-4])\s*q(?![a-z])", re.I),  # 2026.1Q
    re.compile(r"(?<![\d])['‘’]?(\d{2})\s*[.\-/]\s*([1-4])\s*q(?![a-z])", re.I),  # '26.1Q
    re.compile(r"(?<![\d])['‘’](\d{2})\s*년?\s*([1-4])\s*분기"),  # '26년 1분기
)
_Q_FIRST = re.compile(r"(?<![a-z])q\s*([1-4])\s*[,/\- ]?\s*(\d{4})(?!\d)", re.I)  # Q1 2026
_YEAR_ONLY = re.compile(r"(?<!\d)(20\d{2})\s*(?:년|fy)?(?!\d)", re.I)
_QUARTER_ONLY = re.compile(r"^\s*(?:제\s*)?(?:q\s*)?([1-4])\s*(?:/\s*4)?\s*(?:분기|q|quarter)?\s*$", re.I)
_CUMULATIVE = re.compile(r"누계|누적|cumulative|year[\s-]*to[\s-]*date|\bytd\b", re.I)
_QUARTERLY = re.compile(r"분기\s*실적|당\s*분기|quarterly|분기별", re.I)


# The one plausible window for every date, year and quarter the warehouse takes (returns' periods,
# register dates and quarters, the app's forms): from the first year of the council's programmes to
# ten years from today (a due date or a recovery quarter may lie ahead; 9999-12-31 may not).
FIRST_DAY = date(2000, 1, 1)
YEARS_AHEAD = 10


def last_day(today: date | None = None) -> date:
    """The latest plausible date: today, YEARS_AHEAD years on (28 February for a 29th)."""
    today = today or date.today()
    year = today.year + YEARS_AHEAD
    return (
        today.replace(year=year, day=28) if (today.month, today.day) == (2, 29) else today.replace(year=year)
    )


def in_window(when: date | int | tuple[int, int], today: date | None = None) -> bool:
    """A date, a year or a (year, quarter) within FIRST_DAY .. last_day(today)."""
    if isinstance(when, date):
        return FIRST_DAY <= when <= last_day(today)
    year = when[0] if isinstance(when, tuple) else when
    return FIRST_DAY.year <= year <= last_day(today).year


def outside_window(label: tuple[str, str], text: object, today: date | None = None) -> tuple[str, str]:
    """The message for a value outside the window, Korean and English, naming the field."""
    last = last_day(today)
    ko, en = label
    named = josa(f"{ko} '{text}'", "은/는")  # the particle that fits the value as written
    return (
        f"{named} 받을 수 있는 기간({FIRST_DAY:%Y-%m-%d} ~ {last:%Y-%m-%d}) 밖입니다.",
        f"the {en} '{text}' is outside the plausible window {FIRST_DAY:%Y-%m-%d} .. {last:%Y-%m-%d}",
    )


def _text(value: object) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip()


def find_period(text: object) -> tuple[int, int] | None:
    """(year, quarter) written anywhere in a title or cell, e.g. '2026년 1/4분기 실적 보고'."""
    if text is None:
        return None
    s = _text(text)
    for pattern in _PERIOD_PATTERNS:
        m = pattern.search(s)
        if m:
            year = int(m.group(1))
            return (2000 + year if year < 100 else year), int(m.group(2))
    m = _Q_FIRST.search(s)
    if m:
        return int(m.group(2)), int(m.group(1))
    return None


def parse_year(value: object) -> int | None:
    """'2026', '2026년', '2026.0', '26' → 2026."""
    if value is None:
        return None
    s = _text(value)
    try:
        number = float(s.rstrip("년도").strip())
    except ValueError:
        m = _YEAR_ONLY.search(s)
        return int(m.group(1)) if m else None
    if not math.isfinite(number) or number != int(number):  # 'nan' and 'inf' read as floats: no year
        return None
    year = int(number)
    return 2000 + year if 0 <= year < 100 else year


def parse_quarter(value: object) -> int | None:
    """'1', '1분기', '1/4분기', 'Q1', '1.0' → 1."""
    if value is None:
        return None
    s = _text(value)
    if s.endswith(".0"):
        s = s[:-2]
    m = _QUARTER_ONLY.match(s)
    return int(m.group(1)) if m else None


def parse_basis(text: object) -> str | None:
    """'cumulative' for 누계/YTD, 'quarterly' for 분기 실적, None when the text says neither."""
    if text is None:
        return None
    s = _text(text)
    if _CUMULATIVE.search(s):
        return "cumulative"
    if _QUARTERLY.search(s):
        return "quarterly"
    return None


def current_quarter(today: date | None = None) -> tuple[int, int]:
    today = today or date.today()
    return today.year, (today.month - 1) // 3 + 1
