"""The reporting cycle as pages read it: each quarter's state and how far its returns have arrived."""

from __future__ import annotations

from datetime import date, datetime, time

import duckdb
import pandas as pd

from metrics.db import fetch_df

_QUARTERS = """
SELECT q.year, q.quarter, q.state, q.closed_at, q.closed_by, q.missions_reported, q.agencies_reported,
       coalesce(r.missions_with_figures, 0)::INTEGER AS missions_with_figures
FROM quarters AS q
LEFT JOIN quarter_reporting AS r USING (year, quarter)
ORDER BY q.year, q.quarter
"""


def quarter_states(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every quarter with figures or a close, oldest first.

    Columns: year, quarter (Int64), state ('open' | 'closed'), closed_at, closed_by,
    missions_reported (missions whose own MOFA return is in; at closing time for a closed quarter),
    agencies_reported, missions_with_figures (missions with any agency's figures, now).
    """
    return fetch_df(con, _QUARTERS)


_MEETINGS = """
SELECT meeting_no, held_on, title_ko, title_en, review_year, review_quarter
FROM meetings
ORDER BY meeting_no
"""


def meetings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The council's meetings, by number: meeting_no, held_on (date), titles, review_year, review_quarter."""
    return fetch_df(con, _MEETINGS)


def meeting_moment(held_on: date) -> datetime:
    """The moment a meeting saw the figures: the start (00:00) of the day it was held.

    The council's papers are printed before it sits, so a return loaded on the meeting day is not
    in what it saw; the warehouse's own clock (loaded_at, rolled_back_at) is compared with it.
    """
    return datetime.combine(held_on, time.min)
