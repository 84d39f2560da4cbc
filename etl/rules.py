"""Row rules every return must keep, as SQL over the normalised rows (table `tidy`).

Each rule selects the offending rows (sheet, row, col, text) and says what is wrong and how to fix
it, in Korean first. Adding a rule is adding an entry here.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    name: str
    where: str  # SQL condition over `tidy`
    message_ko: str  # may use {text}
    message_en: str
    fix_ko: str
    fix_en: str
    col: str = "col"  # the column holding the cell to point at


RULES = (
    Rule(
        "not_a_number",
        "value_raw IS NOT NULL AND reported_value IS NULL",
        "숫자가 아닌 값입니다: '{text}'.",
        "not a number: '{text}'",
        "숫자만 입력하세요. 실적이 없으면 0 또는 '-', 집계하지 않았으면 빈 칸으로 두세요.",
        "Enter a number only: 0 or '-' for none, an empty cell for not reported.",
    ),
    Rule(
        "negative",
        "reported_value < 0",
        "음수는 입력할 수 없습니다: {text}.",
        "negative figure: {text}",
        "실적은 0 이상이어야 합니다. 정정이 필요하면 해당 분기 실적 전체를 다시 제출하세요.",
        "Figures must be 0 or more; to correct a quarter, submit that quarter's return again.",
    ),
    Rule(
        "satisfaction_range",
        "metric_code = 'satisfaction' AND (reported_value < 0 OR reported_value > 100)",
        "만족도는 0~100점이어야 합니다: {text}.",
        "satisfaction must be between 0 and 100: {text}",
        "100점 만점 점수로 환산해 입력하세요 (5점 척도라면 ×20).",
        "Enter the score out of 100 (multiply a 5-point score by 20).",
    ),
    Rule(
        "fractional_count",
        "metric_unit_is_count AND reported_value IS NOT NULL AND reported_value <> floor(reported_value)",
        "건수·기업 수에 소수가 있습니다: {text}.",
        "a count with a fraction: {text}",
        "건수와 기업 수는 정수로 입력하세요.",
        "Counts must be whole numbers.",
    ),
)
