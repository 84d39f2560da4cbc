"""Whether a target is on track in a closed quarter, for etl (which does not import metrics).

etl asks `status_of(year, quarter, metric, sector, mission, agency)` when it writes the 사유 sheet of
the template (targets at 주의/미흡) and when it stores an explanation (a warning for one on track).
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd

from metrics.attainment import attainment
from metrics.filters import Filters

StatusOf = Callable[[int, int, str, str | None, str | None, str | None], str | None]


def _code(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def status_lookup(con: duckdb.DuckDBPyConnection) -> StatusOf:
    """A status_of reading attainment from `con` once per quarter asked (figures through that quarter)."""
    seen: dict[tuple[int, int], dict[tuple, str | None]] = {}

    def status_of(year, quarter, metric, sector, mission, agency) -> str | None:
        if (year, quarter) not in seen:
            df = attainment(
                con, Filters(year=int(year), quarter_to=int(quarter), through=int(year) * 10 + int(quarter))
            )
            seen[(year, quarter)] = {
                (
                    r["metric_code"],
                    _code(r["sector_code"]),
                    _code(r["mission_code"]),
                    _code(r["agency_code"]),
                ): _code(r["status"])
                for r in df.to_dict("records")
            }
        return seen[(year, quarter)].get((metric, sector, mission, agency))

    return status_of


def reasons_for(con: duckdb.DuckDBPyConnection, agency: str | None) -> tuple:
    """The 사유 sheet's pre-fill for an agency: (last closed quarter, [(metric, sector, mission) names])."""
    from etl.workbooks.prefill import reason_rows

    return reason_rows(con, agency, status_lookup(con))
