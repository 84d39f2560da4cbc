"""The stored weight of each weighted-mean figure (fact_result.weight).

docs/reference.md: satisfaction is a mean weighted by the firms_supported figure of the same return row
(year, quarter, agency, mission, sector, program) where present. The rule kept here: a figure of a
weighted-mean metric (ref_metrics.aggregation = 'weighted_mean') weighs the sum of the positive
figures of its weight metric (ref_metrics.weight_metric) on the same row key of the same
submission; with none (no such figure, or none positive) it weighs 1, one respondent. Other
figures have weight NULL.

A return replaces whole (year, quarter, agency, mission) slices, so a score and the firms figure
of its row always come from the same submission: etl.store.ledger computes the weight in its INSERT
(WEIGHT_JOIN), and `fill_missing_weights` fills rows written without it (warehouses from before
the column, test fixtures inserting directly). A weight changes when its firms figure does, which
after the commit only etl.store.rederive does (a 누계-derived figure derived again): it calls
`reweigh` for the rows it changed, before result_sums follows.
"""

from __future__ import annotations

import duckdb

ROW_KEY = ("year", "quarter", "agency_code", "mission_code", "sector_code", "program_code")

# FROM-clause tail for an INSERT ... SELECT over staged figures aliased `s` (one submission):
# `m.weight_metric` is set for weighted-mean figures, `w.weight` is the positive weight figures' sum.
# The weight column is then `WEIGHT_VALUE`.
WEIGHT_JOIN = """
LEFT JOIN ref_metrics AS m ON m.metric_code = s.metric_code AND m.aggregation = 'weighted_mean'
LEFT JOIN (
    SELECT {key}, metric_code AS weight_metric, sum(value) AS weight
    FROM {{source}}
    WHERE value > 0
      AND metric_code IN (SELECT weight_metric FROM ref_metrics WHERE aggregation = 'weighted_mean')
    GROUP BY ALL
) AS w ON {on} AND w.weight_metric = m.weight_metric
""".format(key=", ".join(ROW_KEY), on=" AND ".join(f"w.{c} = s.{c}" for c in ROW_KEY))
WEIGHT_VALUE = "CASE WHEN m.weight_metric IS NOT NULL THEN coalesce(w.weight, 1) END"


def count_missing_weights(con: duckdb.DuckDBPyConnection) -> int:
    """How many weighted-mean figures have no weight yet."""
    return con.execute(
        """
        SELECT count(*) FROM fact_result
        WHERE weight IS NULL
          AND metric_code IN (SELECT metric_code FROM ref_metrics WHERE aggregation = 'weighted_mean')
        """
    ).fetchall()[0][0]


# Sets the weight of the weighted-mean figures `s` that {scores} keeps, from the weight figures of
# the same submission, row key and currency (within a submission a slice's figures are current or
# not together); {figures} narrows the weight figures read (fact_result without alias).
_WEIGHTS = """
UPDATE fact_result AS f SET weight = x.weight
FROM (
    SELECT s.rowid AS row_id, coalesce(w.weight, 1) AS weight
    FROM fact_result AS s
    JOIN ref_metrics AS m ON m.metric_code = s.metric_code AND m.aggregation = 'weighted_mean'
    LEFT JOIN (
        SELECT submission_id, is_current, {key}, metric_code AS weight_metric, sum(value) AS weight
        FROM fact_result
        WHERE value > 0
          AND metric_code IN (SELECT weight_metric FROM ref_metrics WHERE aggregation = 'weighted_mean')
          AND {{figures}}
        GROUP BY ALL
    ) AS w ON w.submission_id = s.submission_id AND w.is_current = s.is_current AND {on}
          AND w.weight_metric = m.weight_metric
    WHERE {{scores}}
) AS x
WHERE f.rowid = x.row_id AND f.weight IS DISTINCT FROM x.weight
""".format(key=", ".join(ROW_KEY), on=" AND ".join(f"w.{c} = s.{c}" for c in ROW_KEY))


def _in_rows(rows: str, alias: str = "") -> str:
    """A predicate: the figure's submission and row key are listed in table `rows`."""
    columns = ", ".join(f"{alias}{c}" for c in ("submission_id", *ROW_KEY))
    return f"({columns}) IN (SELECT ({', '.join(('submission_id', *ROW_KEY))}) FROM {rows})"


def fill_missing_weights(con: duckdb.DuckDBPyConnection) -> int:
    """Set the weight of weighted-mean figures that have none; how many were set. Cheap when none."""
    if not count_missing_weights(con):
        return 0
    return con.execute(_WEIGHTS.format(scores="s.weight IS NULL", figures="TRUE")).fetchall()[0][0]


def reweigh(con: duckdb.DuckDBPyConnection, rows: str) -> int:
    """Weigh again the weighted-mean figures of the return rows in table `rows` (submission_id and the
    row key) after their weight figures changed; how many weights changed. In the caller's transaction.
    """
    sql = _WEIGHTS.format(scores=_in_rows(rows, "s."), figures=_in_rows(rows))
    return con.execute(sql).fetchall()[0][0]
