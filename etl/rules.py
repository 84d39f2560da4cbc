"""Rules every figure must keep, as SQL conditions over the figures (tables `tidy_{n}`).

Each rule says what is wrong and how to fix it, in Korean first. All rules run in one scan: the
first rule a figure breaks is the one reported for its cell. Adding a rule is adding an entry here.
Messages may use {text} (the cell as written), {metric_ko} / {metric_en} and {metric_topic} (the
Korean name with its topic particle, 지원기업 수는).
"""

from dataclasses import dataclass
from functools import cache

from warehouse.schema import read_reference

COUNT_UNITS = ("개사", "건", "회")


@cache
def count_metrics() -> tuple[str, ...]:
    """Metrics counted in whole firms, cases or events (data/ref/metrics.csv)."""
    return tuple(r["metric_code"] for r in read_reference("metrics.csv") if r["unit_ko"] in COUNT_UNITS)


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
        "not_a_number",
        "value_raw IS NOT NULL AND (reported_value IS NULL OR NOT isfinite(reported_value))",
        "숫자가 아닌 값입니다: '{text}' ({metric_ko}).",
        "not a number: '{text}' ({metric_en})",
        "숫자만 입력하세요. 실적이 없으면 0 또는 '-', 집계하지 않았으면 빈 칸으로 두세요.",
        "Enter a number only: 0 or '-' for none, an empty cell for not reported.",
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
    whens = " ".join(f"WHEN {rule.where.format(counts=counts)} THEN {i}" for i, rule in enumerate(RULES))
    return f"CASE {whens} END"
