"""Targets, attainment, pace and projection: pure functions over the warehouse, and the metric registry.

Every function takes a DuckDB connection (read-only is fine) and a `Filters`, runs SQL in DuckDB and
returns a tidy pandas DataFrame with English snake_case columns; pages join labels from
`metrics.registry`. Never imports streamlit or plotly. Figures are read from `result_sums` (summed
over programs as they were written; warehouse/result_sums.py), or from the figures themselves when
a query filters or groups by program: the same numbers either way (tests/etl/test_result_sums.py).

Rules decided where docs/reference.md is silent (details in each module's docstring):
- satisfaction is a mean weighted by the firms supported on the same return row (year, quarter,
  agency, mission, sector, program): a score weighs the sum of that row's positive firms figures;
  a score whose row has no firms figure, or 0 firms, weighs 1 (one respondent);
- "as of" = the latest quarter with any figure in the year, whatever the dimension filters, or
  quarter_to when the range is narrowed (`latest_period`); year to date = Q1 .. as-of;
- a missing quarter adds nothing (never imputed); a scope with a target and no figure has
  status 'no_data'; no target → no attainment (NULL, not 0 %); target 0 → attainment NULL;
- pace: mean share of prior full years (all four quarters reported at the scope's own
  granularity and filters, positive total), else q ÷ 4; satisfaction has no pace (expected =
  target, projection = its year-to-date mean);
- growth compares quarter_from .. as-of with the same quarters a year earlier;
- a mission reported a quarter (공관 제출) when its own return, sent through MOFA, is in: current
  `mofa` figures for it; other agencies' figures at a mission do not count for it (completeness);
- a target is shown under dimension filters only if it pins every filtered dimension to a selected
  value; a program filter leaves no target.
"""

from metrics.actuals import actuals
from metrics.attainment import STATUS_LABELS, attainment, scorecard, status_label
from metrics.completeness import completeness, completeness_summary
from metrics.filters import ALL, Filters
from metrics.growth import growth, rank_missions
from metrics.kbeauty import kbeauty_comparison
from metrics.pace import LEVELS, pace_curve
from metrics.period import Period, latest_period

__all__ = [
    "ALL",
    "LEVELS",
    "STATUS_LABELS",
    "Filters",
    "Period",
    "actuals",
    "attainment",
    "completeness",
    "completeness_summary",
    "growth",
    "kbeauty_comparison",
    "latest_period",
    "pace_curve",
    "rank_missions",
    "scorecard",
    "status_label",
]
