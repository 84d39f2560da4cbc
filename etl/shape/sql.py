"""SQL fragments the loader shares. Every figure arrives as text; these read it as a number."""

import re
import unicodedata

from warehouse.names import without_format_characters

# Full-width digits and separators become ASCII, so '１，２３４' reads like '1,234'.
_FULL_WIDTH = "translate({v}, '０１２３４５６７８９，．－＋　', '0123456789,.-+ ')"

# Most cells are plain numbers and the first cast reads them; COALESCE evaluates the second only
# for the cells it did not (so the slow path must not repeat a subexpression, or DuckDB would
# hoist it and run it on every cell). Full-width characters become ASCII, thousands separators
# ('1,234', not '1,5') and stray spaces go, a lone '-' (or a dash cousin) means zero; what remains must be a number.
# A cell of spaces only reads as NULL, like an empty one.
PARSE_NUMBER = """
coalesce(
    TRY_CAST({v} AS DOUBLE),
    TRY_CAST(
        regexp_replace(regexp_replace(regexp_replace({fw}, '[\\s\u00a0\\p{{Cf}}]', '', 'g'), ',(\\d{{3}})', '\\1', 'g'),
                       '^[-–—−‐]+$', '0')
        AS DOUBLE)
)
"""


def parse_number(column: str) -> str:
    return PARSE_NUMBER.format(v=column, fw=_FULL_WIDTH.format(v=column))


TOTAL_WORDS = frozenset(
    {"소계", "합계", "계", "총계", "총합계", "전체합계", "합", "total", "subtotal", "grandtotal", "sum"}
)
FOOTNOTE_PATTERN = r"^\s*(※|\*|주\s*\d*\s*\)|주\s*[:：]|note\s*[:：]|notes?\s*\)|참고\s*[:：)]|출처\s*[:：])"
_TOTAL_NOISE = re.compile(r"\(.*?\)|[\s\-_:·.]")


def is_total_text(text: str | None) -> bool:
    """'소계', '합 계', 'Sub-total', '합계(5개 공관)', 'TOTAL' → True."""
    if not text:
        return False
    return (
        _TOTAL_NOISE.sub("", unicodedata.normalize("NFKC", without_format_characters(text)).lower())
        in TOTAL_WORDS
    )


def is_total(column: str) -> str:
    """The SQL of is_total_text, for a label column that has no lookup table."""
    words = ", ".join(f"'{w}'" for w in sorted(TOTAL_WORDS))
    return (
        f"coalesce(lower(regexp_replace(nfc_normalize({column}), '\\(.*?\\)|[\\s\\-_:·.\\p{{Cf}}]', '', 'g')) "
        f"IN ({words}), false)"
    )
