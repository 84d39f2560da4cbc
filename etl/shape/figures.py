"""From coded rows to figures: one row per (row, metric) value, read as a number in the canonical unit.

A wide table is unpivoted (one column per metric); a long table already has one figure per row.
Total rows stay out of the figures (etl.check.totals checks them); empty cells are not reported, so they
produce no figure at all.
"""

from functools import cache

import duckdb
import pyarrow as pa

from etl.problems import column_letter
from etl.shape import arrow
from etl.shape.codes import sql_literal
from etl.shape.headers import MONEY_METRICS
from etl.shape.normalise import TableRows
from etl.shape.sql import parse_number
from warehouse.schema import read_reference

KEYS = ("year", "quarter", "agency_code", "mission_code", "sector_code", "program_code")


@cache
def weighted_metrics() -> dict[str, str]:
    """Weighted-mean metric → the metric that weighs it (satisfaction → firms_supported)."""
    return {
        r["metric_code"]: r["weight_metric"]
        for r in read_reference("metrics.csv")
        if r["aggregation"] == "weighted_mean" and r["weight_metric"]
    }


def _weight_columns(rows: TableRows) -> dict[str, str]:
    """Weighted metric → the column of this wide table holding its weight metric, if it has one."""
    found = {}
    for metric, weight in weighted_metrics().items():
        cols = sorted(
            c for c, h in rows.layout.metrics.items() if h.metric == weight and f"c{c}" in rows.value_columns
        )
        if cols:
            found[metric] = f"c{cols[0]}"
    return found


def column_map(stg: duckdb.DuckDBPyConnection, rows: TableRows) -> str:
    """Register (col → metric, factor to the canonical unit) for a wide table's metric columns."""
    layout = rows.layout
    name = f"colmap_{rows.name}"
    metrics = {c: h for c, h in layout.metrics.items() if f"c{c}" in rows.value_columns}
    stg.register(
        name,
        arrow.table(
            {
                "col_name": arrow.column([f"c{c}" for c in metrics], pa.string()),
                "col": arrow.column(list(metrics), pa.int32()),
                "letter": arrow.column([column_letter(c) for c in metrics], pa.string()),
                "has_unit": arrow.column([bool(h.unit) for h in metrics.values()], pa.bool_()),
                "metric_code": arrow.column([h.metric for h in metrics.values()], pa.string()),
                # A unit in the header wins over the table's unit note (단위: 백만달러).
                "factor": arrow.column(
                    [h.factor if h.unit else (layout.note_money_factor or 1.0) for h in metrics.values()],
                    pa.float64(),
                ),
            }
        ),
    )
    return name


def figures_sql(rows: TableRows, *, totals: bool = False) -> str:
    """SELECT of the figures of one table: keys, metric, _row, col (and its letter), value_raw, reported_value, factor.

    value_raw is the cell's text when the sheet was read as text (NULL when read as numbers);
    reported_value is the number it holds. With totals, total rows are kept and flagged.
    """
    flag = ", is_total" if totals else ""
    keep = "" if totals else "AND NOT is_total"
    keys = ", ".join(KEYS)
    value = "reported_value" if rows.numeric else "value_raw"
    if rows.layout.kind == "long":
        col = rows.layout.fields["value"]
        figures = f"""
            SELECT {keys}, metric_code, _row, {col} AS col, '{column_letter(col)}' AS letter, c{col} AS {value},
                   factor, cumulative{flag}
            FROM {rows.coded}
            WHERE c{col} IS NOT NULL {keep}
        """
    else:
        # The weight metric's cell of the same row rides along, for the row weight (make_figures).
        weights = "".join(f", {c} AS weight_of_{m}" for m, c in _weight_columns(rows).items())
        row_factor = "row_factor" in rows.coded_columns
        factor = "CASE WHEN cm.has_unit THEN cm.factor ELSE coalesce(f.row_factor, cm.factor) END"
        figures = f"""
            SELECT f.* EXCLUDE (col_name{", row_factor" if row_factor else ""}), cm.col, cm.letter, cm.metric_code,
                   {factor if row_factor else "cm.factor"} AS factor
            FROM (
                UNPIVOT (SELECT {keys}, _row, cumulative{flag}{", row_factor" if row_factor else ""}{weights},
                                {", ".join(rows.value_columns)}
                         FROM {rows.coded} WHERE true {keep})
                ON {", ".join(rows.value_columns)} INTO NAME col_name VALUE {value}
            ) AS f
            JOIN colmap_{rows.name} AS cm ON f.col_name = cm.col_name
        """
    if rows.numeric:
        return f"SELECT *, NULL::VARCHAR AS value_raw FROM ({figures})"
    # A cell of spaces only is empty, not a figure.
    return f"""
        SELECT * FROM (SELECT *, {parse_number("value_raw")} AS reported_value FROM ({figures}))
        WHERE reported_value IS NOT NULL OR trim(value_raw) <> ''
    """


def _row_weight(rows: TableRows) -> str:
    if rows.layout.kind == "long":
        return "NULL::DOUBLE"
    columns = _weight_columns(rows)
    whens = []
    for metric in weighted_metrics():
        if metric in columns:
            w = f"weight_of_{metric}" if rows.numeric else parse_number(f"weight_of_{metric}")
            whens.append(f"WHEN {sql_literal(metric)} THEN CASE WHEN {w} > 0 THEN {w} ELSE 1 END")
        else:
            whens.append(f"WHEN {sql_literal(metric)} THEN 1")
    return f"CAST(CASE metric_code {' '.join(whens)} END AS DOUBLE)" if whens else "NULL::DOUBLE"


def make_figures(stg: duckdb.DuckDBPyConnection, rows: TableRows) -> None:
    """The view tidy_{n}: figures with reported_value (as written), value (canonical unit) and row_weight.

    row_weight is the weight of a weighted-mean figure (satisfaction) read off its own row: the
    row's positive weight-metric figure (firms_supported), else 1 (warehouse/weights.py). NULL
    for other figures, and for long tables, where weights need the other rows (etl.store.ledger joins them).

    A view, not a table: the checks and the commit each read it once, and unpivoting again is
    cheaper than storing a million figures twice.
    """
    if rows.layout.kind == "wide":
        column_map(stg, rows)
    money = ", ".join(sql_literal(m) for m in sorted(MONEY_METRICS))
    columns = _weight_columns(rows) if rows.layout.kind == "wide" else {}
    exclude = "".join(f", weight_of_{m}" for m in columns)
    stg.execute(f"""
        CREATE OR REPLACE TEMP VIEW {rows.tidy} AS
        SELECT * EXCLUDE (factor{exclude}),
               CASE WHEN metric_code IN ({money}) THEN reported_value * factor ELSE reported_value END AS value,
               {_row_weight(rows)} AS row_weight,
               {sql_literal(rows.layout.sheet)} AS source_sheet
        FROM ({figures_sql(rows)})
    """)
