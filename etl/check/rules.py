"""Rules every figure must keep, as SQL conditions over the figures (tables `tidy_{n}`).

Each rule says what is wrong and how to fix it, in Korean first. All rules run in one scan: the
first rule a figure breaks is the one reported for its cell. Adding a rule is adding an entry here.
Messages may use {text} (the cell as written), {metric_ko} / {metric_en}, {metric_topic} (the
Korean name with its topic particle, 지원기업 수는) and {maximum} (the metric's plausible maximum).
"""

from dataclasses import dataclass
from functools import cache

from warehouse.schema import read_reference

COUNT_UNITS = ("개사", "건", "회")


@cache
def count_metrics() -> tuple[str, ...]:
    """Metrics counted in whole firms, cases or events (data/ref/metrics.csv)."""
    return tuple(r["metric_code"] for r in read_reference("metrics.csv") if r["unit_ko"] in COUNT_UNITS)


@cache
def maxima() -> dict[str, float]:
    """The most a single row may report per metric, in canonical units (data/ref/metrics.csv max_per_row).

    Far above anything a real return holds (satisfaction is at most 100 by definition): a figure
    above it is a typo or a pasted exponent, and would make every total and attainment meaningless.
    """
    return {
        r["metric_code"]: float(r["max_per_row"])
        for r in read_reference("metrics.csv")
        if r.get("max_per_row")
    }


def maximum_sql() -> str:
    whens = " ".join(f"WHEN '{m}' THEN {v!r}" for m, v in maxima().items())
    return f"CASE metric_code {whens} END"


# A date or time as the reader writes a date-formatted cell (2026-01-05 00:00:00), or as typed;
# braces doubled for str.format in rule_case().
DATE_PATTERN = r"^\s*\d{{4}}-\d{{2}}-\d{{2}}([ T]\d{{2}}:\d{{2}}(:\d{{2}}(\.\d+)?)?)?\s*$|^\s*\d{{1,2}}:\d{{2}}(:\d{{2}})?\s*$"


@dataclass(frozen=True)
class Rule:
    name: str
    where: str  # SQL condition over a figure; {counts} is the list of count metrics
    message_ko: str
    message_en: str
    fix_ko: str
    fix_en: str


RULES = (
    Rule(
        "date_formatted",
        f"value_raw IS NOT NULL AND regexp_matches(value_raw, '{DATE_PATTERN}')",
        "날짜·시간 형식의 값이라 실적 숫자로 읽을 수 없습니다: '{text}' ({metric_ko}).",
        "a date or time, not a figure: '{text}' ({metric_en})",
        "셀 서식을 '일반' 또는 '숫자'로 바꾸고 실적 숫자를 다시 입력하세요.",
        "Set the cell's format to General or Number and enter the figure again.",
    ),
    Rule(
        "not_a_number",
        "value_raw IS NOT NULL AND (reported_value IS NULL OR NOT isfinite(reported_value))",
        "숫자가 아닌 값입니다: '{text}' ({metric_ko}).",
        "not a number: '{text}' ({metric_en})",
        "숫자만 입력하세요. 실적이 없으면 0 또는 '-', 집계하지 않았으면 빈 칸으로 두세요.",
        "Enter a number only: 0 or '-' for none, an empty cell for not reported.",
    ),
    Rule(
        "not_finite",
        "NOT isfinite(reported_value) OR NOT isfinite(value)",
        "읽을 수 없는 숫자입니다: {text} ({metric_ko}).",
        "not a finite number: {text} ({metric_en})",
        "실제 실적 숫자를 입력하세요.",
        "Enter the actual figure.",
    ),
    Rule(
        "negative",
        "reported_value < 0",
        "음수는 입력할 수 없습니다: {text} ({metric_ko}).",
        "negative figure: {text} ({metric_en})",
        "실적은 0 이상이어야 합니다. 이전 분기 값을 정정하려면 그 분기의 실적 파일을 다시 제출하세요.",
        "Figures must be 0 or more; to correct an earlier quarter, submit that quarter's return again.",
    ),
    Rule(
        "satisfaction_range",
        "metric_code = 'satisfaction' AND reported_value > 100",
        "만족도는 0~100점이어야 합니다: {text}.",
        "satisfaction must be between 0 and 100: {text}",
        "100점 만점으로 환산해 입력하세요 (5점 척도라면 ×20, 예: 4.2점 → 84).",
        "Enter the score out of 100 (multiply a 5-point score by 20, e.g. 4.2 → 84).",
    ),
    Rule(
        "implausible",
        "value > {maximum}",
        "{metric_ko} 값이 한 행의 실적으로 있을 수 없을 만큼 큽니다: {text} (한 행 최대 {maximum}).",
        "{metric_en} is larger than any single row can be: {text} (at most {maximum} per row)",
        "숫자(자릿수·단위)를 확인하세요. 금액은 천달러 단위입니다 (단위가 다르면 머리글에 단위를 적으세요).",
        "Check the number (digits and unit); money is in USD thousand unless the header states its unit.",
    ),
    Rule(
        "fractional_count",
        "metric_code IN ({counts}) AND reported_value <> floor(reported_value)",
        "{metric_topic} 정수여야 합니다: {text}.",
        "{metric_en} must be a whole number: {text}",
        "건수와 기업 수는 소수 없이 정수로 입력하세요.",
        "Counts of firms, cases and events are whole numbers.",
    ),
)


def rule_case() -> str:
    """A CASE giving the index in RULES of the first rule a figure breaks, or NULL."""
    counts = ", ".join(f"'{m}'" for m in count_metrics())
    whens = " ".join(
        f"WHEN {rule.where.format(counts=counts, maximum=maximum_sql())} THEN {i}"
        for i, rule in enumerate(RULES)
    )
    return f"CASE {whens} END"
