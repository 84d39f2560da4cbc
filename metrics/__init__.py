"""Targets, attainment, pace and projection: pure functions over the warehouse, and the metric registry.

Every function takes a DuckDB connection (read-only is fine) and a `Filters`, runs SQL in DuckDB and
returns a tidy pandas DataFrame with English snake_case columns; pages join labels from
`metrics.registry`. Never imports streamlit or plotly.
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
