"""Which figures a query reads: current or as they stood at a moment, and only up to a period.

Every query of metrics/ takes its figures from `figures(filters, kind)` and adds `source_params`
to its parameters, so `Filters.through` (leave out preliminary quarters) and `Filters.at` (as the
council saw it) hold for every number the pages show. The kinds, all with year, quarter,
agency_code, mission_code, sector_code, metric_code and value:
- "sums": summed over programs, with wv and w (result_sums; metrics/sql/parts.sql);
- "rollup": "sums" summed again at each coarser granularity, with its gid (result_rollup; current
  figures, or as of a moment the data/views.sql macro result_rollup_as_of);
- "weighted": by program, with wv and w (results_weighted);
- "results": by program, as the `results` view;
- "lineage": by program, with submission_id, file_name and loaded_at (results_lineage);
- "periods": only year and quarter, every period with figures (as of a moment: the data/views.sql
  macro periods_as_of, which reads the few rows per return of submission_slice).
As of a moment they come from the data/views.sql macros result_sums_as_of ("sums") and
results_weighted_as_of (the others), which rebuild only the slices changed after that moment from
the versioned store and read every other slice as it is now.
"""

from __future__ import annotations

from metrics.filters import Filters

CURRENT = {
    "sums": "result_sums",
    "rollup": "result_rollup",
    "weighted": "results_weighted",
    "results": "results",
    "lineage": "results_lineage",
    "periods": "result_sums",
}
AS_OF = {
    "sums": "result_sums_as_of($at::TIMESTAMP)",
    "rollup": "result_rollup_as_of($at::TIMESTAMP)",
    "weighted": "results_weighted_as_of($at::TIMESTAMP)",
    "results": "results_weighted_as_of($at::TIMESTAMP)",
    "lineage": (
        "(SELECT a.*, s.file_name, s.loaded_at FROM results_weighted_as_of($at::TIMESTAMP) AS a "
        "JOIN submission AS s USING (submission_id))"
    ),
    "periods": "periods_as_of($at::TIMESTAMP)",
}


def figures(filters: Filters, kind: str = "sums") -> str:
    """A FROM-clause relation of the figures `filters` lets count (parameters: `source_params`)."""
    if kind not in CURRENT:
        raise ValueError(f"unknown kind of figures {kind!r}")
    relation = CURRENT[kind] if filters.at is None else AS_OF[kind]
    if filters.through is None:
        return relation
    # year < y OR (year = y AND quarter <= q): zone maps on year skip most row groups
    return (
        f"(SELECT * FROM {relation} WHERE year < $through // 10 "
        f"OR (year = $through // 10 AND quarter <= $through % 10))"
    )


def source_params(filters: Filters) -> dict[str, object]:
    """The parameters `figures` may use (metrics.db passes only those the text names)."""
    return {"through": filters.through, "at": filters.at}
