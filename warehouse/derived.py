"""Bringing the data derived from fact_result up to date after figures were written directly.

etl.store.ledger keeps both derived parts exact as it writes; this is for everything else: a warehouse
from before a derived part existed (warehouse.schema) and fixtures that insert figures (tests,
benchmarks).
"""

from __future__ import annotations

import duckdb

from warehouse.result_sums import refresh_sums
from warehouse.transaction import transaction
from warehouse.weights import fill_missing_weights


def refresh_derived(con: duckdb.DuckDBPyConnection) -> None:
    """Weights of figures stored without one, then result_sums (and result_rollup) rebuilt whole, in one transaction."""
    with transaction(con):
        fill_missing_weights(con)
        refresh_sums(con)
        # warehouse.schema builds result_sums once for warehouses from before it existed
        con.execute("INSERT OR REPLACE INTO meta VALUES ('result_sums', 'built')")
        con.execute("INSERT OR REPLACE INTO meta VALUES ('submission_slice', 'built')")
        con.execute("INSERT OR REPLACE INTO meta VALUES ('result_rollup', 'built')")
