"""What a header cell means: a dimension field, a metric (with its unit), or nothing we know."""

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from warehouse.names import name_key
from warehouse.schema import alias_rows, read_reference

# Money converts to the canonical 천달러; the factor multiplies the figure as written.
MONEY_FACTORS = (
    (re.compile(r"백만\s*(미\s*)?달러|(usd|us\$|\$)\s*(million|mn|m)\b|million\s*(usd|dollars?)"), 1000.0),
    (re.compile(r"천\s*(미\s*)?달러|(usd|us\$|\$)\s*(thousand|k)\b|thousand\s*(usd|dollars?)|k\s*usd"), 1.0),
    (re.compile(r"(미\s*)?달러|usd|us\$|\$|dollars?"), 0.001),
)
WON = re.compile(r"(억|백만|천)?\s*원(화)?\b|krw|₩|won")
_PARENS = re.compile(r"[(\[（［]([^)\]）］]*)[)\]）］]")
MONEY_METRICS = frozenset({"export_value", "investment_value"})


@dataclass(frozen=True)
class Header:
    """The meaning of one column header."""

    text: str
    field: str | None = None  # year, quarter, mission, ... (data/ref/columns.csv)
    metric: str | None = None  # a metric code
    unit: str | None = None  # the unit as written, if any
    factor: float = 1.0  # multiply the figure by this to reach the canonical unit
    won: bool = False  # the unit is Korean won, which cannot be converted

    @property
    def known(self) -> bool:
        return self.field is not None or self.metric is not None


@cache
def field_aliases() -> dict[str, str]:
    records = read_reference("columns.csv")
    for rec in records:
        rec["field_code"] = rec["field"]
    return {key: code for _, key, code in alias_rows("field", "field_code", records)}


@cache
def metric_aliases() -> dict[str, str]:
    return {key: code for _, key, code in alias_rows("metric", "metric_code", read_reference("metrics.csv"))}


def money_factor(unit_text: str) -> tuple[float | None, bool]:
    """(factor to 천달러, is_won) for a unit such as '백만달러' or 'USD'; (None, False) if no money unit."""
    lowered = unit_text.lower()
    if WON.search(lowered):
        return None, True
    for pattern, factor in MONEY_FACTORS:
        if pattern.search(lowered):
            return factor, False
    return None, False


def parse_header(text: str | None) -> Header:
    """Split '수출계약액(천달러)' into the metric and its unit, or '공관명' into a field."""
    if not text:
        return Header(text="")
    # Layout detection reads each top-row text many times over (one- and two-row readings); a
    # header is short, so only short texts are remembered, a bounded number of them.
    if len(text) <= _CACHED_TEXT:
        return _parse_cached(text)
    return _parse(text)


_CACHED_TEXT = 200


@lru_cache(maxsize=2048)
def _parse_cached(text: str) -> Header:
    return _parse(text)


def _parse(text: str) -> Header:
    units = _PARENS.findall(text)
    bare = _PARENS.sub(" ", text)
    key = name_key(bare)
    field = field_aliases().get(key)
    if field:
        return Header(text=text, field=field)
    metric = metric_aliases().get(key)
    if metric is None:
        # A unit written without brackets: '수출액 천달러', 'Export value USD'.
        for unit_word in (
            "백만달러",
            "천달러",
            "달러",
            "usdthousand",
            "usdmillion",
            "usd",
            "천원",
            "백만원",
            "원",
        ):
            if key.endswith(unit_word) and metric_aliases().get(key[: -len(unit_word)]):
                metric = metric_aliases()[key[: -len(unit_word)]]
                units.append(unit_word)
                break
    if metric is None:
        return Header(text=text)
    unit = units[-1].strip() if units else None
    factor, won = (
        (money_factor(unit) if unit else (None, False)) if metric in MONEY_METRICS else (None, False)
    )
    return Header(text=text, metric=metric, unit=unit, factor=factor or 1.0, won=won)
