"""SQL fragments the loader shares. Every figure arrives as text; these read it as a number."""

# Full-width digits and separators become ASCII, so '１，２３４' reads like '1,234'.
_FULL_WIDTH = "translate({v}, '０１２３４５６７８９，．－＋　', '0123456789,.-+ ')"

# '-' (and its dash cousins) means zero; thousands separators and stray spaces go; the rest must be a number.
PARSE_NUMBER = """
CASE
    WHEN {v} IS NULL THEN NULL
    WHEN TRY_CAST({v} AS DOUBLE) IS NOT NULL THEN TRY_CAST({v} AS DOUBLE)
    WHEN regexp_matches(trim({fw}), '^[-–—−‐]+$') THEN 0.0
    ELSE TRY_CAST(regexp_replace({fw}, '[,\\s\u00a0]', '', 'g') AS DOUBLE)
END
"""


def parse_number(column: str) -> str:
    return PARSE_NUMBER.format(v=column, fw=_FULL_WIDTH.format(v=column))


TOTAL_WORDS = ("소계", "합계", "계", "총계", "총합계", "합", "total", "subtotal", "grandtotal", "sum")
FOOTNOTE_PATTERN = r"^\s*(※|\*|주\s*\)|주\s*[:：]|note\s*[:：]|참고\s*[:：)]|출처\s*[:：])"


def is_total(column: str) -> str:
    words = ", ".join(f"'{w}'" for w in TOTAL_WORDS)
    return f"coalesce(lower(regexp_replace({column}, '[\\s()]', '', 'g')) IN ({words}), false)"
