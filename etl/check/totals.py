"""Cross-checking total rows (소계, 합계, 계, Total) against the rows they sum. A mismatch is a warning.

Total rows are never stored. Which rows a total covers depends on how the analyst laid the table
out, so each total is compared with the usual readings and passes if any of them adds up:
the rows since the previous total (a subtotal under its group), the rows from the top of the table
(a grand total at the bottom), the whole table (a grand total at the top), and the rows down to
the next total (a subtotal above its group). Running sums make this one pass over the table.
"""

from functools import cache

import duckdb

from etl.problems import Problem, josa, problem
from etl.shape.codes import sql_literal
from etl.shape.figures import figures_sql
from etl.shape.headers import MONEY_METRICS
from etl.shape.normalise import TableRows
from etl.shape.resolve import name_of
from warehouse.schema import read_reference

CROSS_CHECK = """
WITH figures AS ({figures}),
numbers AS (
    SELECT _row, col, metric_code, is_total, reported_value AS v
    FROM figures
    WHERE metric_code IS NOT NULL AND NOT list_contains({scores}, metric_code)  -- a mean, not a sum
),
running AS (
    SELECT *,
           sum(CASE WHEN is_total THEN 0 ELSE coalesce(v, 0) END)
               OVER (PARTITION BY metric_code, col ORDER BY _row ROWS UNBOUNDED PRECEDING) AS upto,
           sum(CASE WHEN is_total THEN 0 ELSE coalesce(v, 0) END) OVER (PARTITION BY metric_code, col) AS whole
    FROM numbers
),
totals AS (
    SELECT *, lag(upto, 1, 0) OVER w AS upto_previous, lead(upto) OVER w AS upto_next
    FROM running
    WHERE is_total
    WINDOW w AS (PARTITION BY metric_code, col ORDER BY _row)
)
SELECT _row, col, metric_code, v,
       [upto - upto_previous, upto, whole, coalesce(upto_next, whole) - upto] AS readings
FROM totals
WHERE v IS NOT NULL
ORDER BY _row, col
"""


@cache
def _scores() -> str:
    """The weighted-mean metrics (scores: no total adds them up), by the reference data, as a SQL list."""
    codes = [r["metric_code"] for r in read_reference("metrics.csv") if r["aggregation"] == "weighted_mean"]
    return f"[{', '.join(sql_literal(c) for c in codes)}]::VARCHAR[]"


def _tolerance(metric: str, total: float) -> float:
    # Money is often rounded in the total row; counts must add up exactly.
    return max(0.5, abs(total) * 0.001) if metric in MONEY_METRICS else 1e-6


def _number(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"


def cross_check(stg: duckdb.DuckDBPyConnection, rows: TableRows) -> list[Problem]:
    """A warning for each total cell that matches none of the readings of the rows it may sum."""
    if not rows.total_rows:
        return []
    found = stg.execute(
        CROSS_CHECK.format(figures=figures_sql(rows, totals=True), scores=_scores())
    ).fetchall()
    out = []
    for row, col, metric, total, readings in found:
        if any(abs(total - r) <= _tolerance(metric, total) for r in readings):
            continue
        nearest = min(readings, key=lambda r: abs(total - r))
        metric_ko, metric_en = name_of("metric", metric)
        out.append(
            problem(
                rows.layout.sheet,
                row,
                col,
                f"합계가 맞지 않습니다: 합계·소계 행의 {metric_ko} {josa(_number(total), '이/가')} 해당 행들의 합 "
                f"{josa(_number(nearest), '과/와')} 다릅니다 (차이 {_number(total - nearest)}).",
                f"total does not add up: {metric_en} {_number(total)} in the total row, "
                f"but the rows it sums add up to {_number(nearest)}",
                "각 행의 값과 합계 행을 확인하세요. 합계 행은 적재하지 않고 각 행의 값만 저장합니다.",
                "Check the rows and the total; total rows are not stored, only the rows they sum.",
                severity="warning",
            )
        )
    return out
