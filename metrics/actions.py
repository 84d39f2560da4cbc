"""Follow-up actions (후속 조치): what the council agreed, where each stands on a given day, counted.

Read from the contract views `actions` and `action_notes` (data/followup.sql). The view's own
`is_overdue` compares with the warehouse's clock; every call here takes `today` instead, so the page,
the briefing pack and the tests agree on the day they are about. Overdue: past due and neither done
nor dropped. Due soon: not finished and due within SOON_DAYS days from today (today included).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from metrics.db import fetch_df, sql_file
from warehouse.action_statuses import STATUSES
from warehouse.meeting import Meeting

SOON_DAYS = 30

_NOTES = """
SELECT action_id, note_id, noted_on, text, written_by, is_demo, recorded_at
FROM action_notes
ORDER BY action_id, noted_on, note_id
"""


def action_list(
    con: duckdb.DuckDBPyConnection,
    today: date,
    *,
    meeting_no: int | None = None,
    owner: str | None = None,
    soon: int = SOON_DAYS,
) -> pd.DataFrame:
    """Every action in force with its names (ko/en) and `overdue`, `due_soon`, `days_left` on `today`.

    Ordered by meeting, due date, owner. Optionally one meeting's or one owner agency's.
    """
    df = fetch_df(con, sql_file("actions"), {"today": today, "soon": int(soon)})
    if meeting_no is not None:
        df = df[df["meeting_no"] == int(meeting_no)]
    if owner:
        df = df[df["owner_agency"] == owner]
    return df.reset_index(drop=True)


def action_notes(con: duckdb.DuckDBPyConnection, action_ids: tuple[int, ...] | None = None) -> pd.DataFrame:
    """Progress notes in force, per action oldest first (noted_on, then the order written)."""
    df = fetch_df(con, _NOTES)
    if action_ids is not None:
        df = df[df["action_id"].isin([int(a) for a in action_ids])]
    return df.reset_index(drop=True)


@dataclass(frozen=True)
class ActionCounts:
    """How many actions stand where. overdue and due_soon are among planned and in_progress."""

    total: int = 0
    planned: int = 0
    in_progress: int = 0
    done: int = 0
    dropped: int = 0
    overdue: int = 0
    due_soon: int = 0

    @property
    def open(self) -> int:
        return self.planned + self.in_progress

    @classmethod
    def of(cls, actions: pd.DataFrame) -> ActionCounts:
        status = actions["status"] if not actions.empty else pd.Series(dtype="str")
        return cls(
            total=len(actions),
            planned=int((status == "planned").sum()),
            in_progress=int((status == "in_progress").sum()),
            done=int((status == "done").sum()),
            dropped=int((status == "dropped").sum()),
            overdue=int(actions["overdue"].astype(bool).sum()) if not actions.empty else 0,
            due_soon=int(actions["due_soon"].astype(bool).sum()) if not actions.empty else 0,
        )


def action_counts(
    con: duckdb.DuckDBPyConnection, today: date, *, meeting_no: int | None = None, owner: str | None = None
) -> ActionCounts:
    """The counts for a summary block (done / in progress / planned / dropped, overdue, due soon)."""
    return ActionCounts.of(action_list(con, today, meeting_no=meeting_no, owner=owner))


_GROUP_COLUMNS = ("total", "planned", "in_progress", "done", "dropped", "overdue", "due_soon")


def _grouped(actions: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    if actions.empty:
        return pd.DataFrame(columns=[*keys, *_GROUP_COLUMNS])
    df = actions.assign(
        total=1,
        **{s: (actions["status"] == s).astype("int64") for s in STATUSES},
        overdue=actions["overdue"].astype("int64"),
        due_soon=actions["due_soon"].astype("int64"),
    )
    out = df.groupby(keys, as_index=False, dropna=False, sort=False)[list(_GROUP_COLUMNS)].sum()
    return out.astype({c: "int64" for c in _GROUP_COLUMNS})


def by_meeting(actions: pd.DataFrame) -> pd.DataFrame:
    """Counts per meeting (meeting_no, meeting_on, meeting_ko, meeting_en, total, … due_soon), in meeting order."""
    out = _grouped(actions, ["meeting_no", "meeting_on", "meeting_ko", "meeting_en"])
    return out.sort_values("meeting_no").reset_index(drop=True)


def by_owner(actions: pd.DataFrame) -> pd.DataFrame:
    """Counts per owner agency (owner_agency, owner_ko, owner_en, total, … due_soon), in reference order."""
    out = _grouped(actions, ["owner_order", "owner_agency", "owner_ko", "owner_en"])
    return out.sort_values(["owner_order", "owner_agency"]).drop(columns="owner_order").reset_index(drop=True)


def needing_attention(actions: pd.DataFrame) -> pd.DataFrame:
    """Overdue actions (longest overdue first), then those due soon (soonest first)."""
    df = actions[actions["overdue"].astype(bool) | actions["due_soon"].astype(bool)]
    df = df.assign(_o=(~df["overdue"].astype(bool)).astype(int))
    return df.sort_values(["_o", "due_on", "action_id"]).drop(columns="_o").reset_index(drop=True)


def due_or_overdue(con: duckdb.DuckDBPyConnection, today: date, soon: int = SOON_DAYS) -> pd.DataFrame:
    """Actions overdue on `today` or due within `soon` days, from any meeting ("since the last council")."""
    return needing_attention(action_list(con, today, soon=soon))


@dataclass
class ActionReview:
    """이행 점검 for a meeting being prepared: what the last council agreed, and earlier actions still open.

    `actions` holds the last council's actions and the unfinished ones of earlier meetings
    (`carried` marks those), with the columns of action_list; `notes` their notes, oldest first.
    `counts` counts the last council's actions only.
    """

    meeting: Meeting | None  # the last council (whose agreements are checked)
    today: date
    actions: pd.DataFrame
    notes: pd.DataFrame
    counts: ActionCounts
    left_out: int = 0  # actions not listed (metrics.briefing.PACK_CAPS); `counts` still counts them

    @property
    def carried(self) -> int:
        return int(self.actions["carried"].sum()) if not self.actions.empty else 0

    def latest_note(self, action_id: int) -> pd.Series | None:
        """The action's most recent note (by date, then order written), or None."""
        mine = self.notes[self.notes["action_id"] == int(action_id)]
        return None if mine.empty else mine.iloc[-1]


def action_review(
    con: duckdb.DuckDBPyConnection, previous: Meeting | None, today: date, soon: int = SOON_DAYS
) -> ActionReview:
    """The review of `previous` (the last council before the meeting being prepared) on `today`:
    its actions, and the unfinished actions of meetings held before it."""
    every = action_list(con, today, soon=soon)
    if previous is None:
        mine = earlier = every.iloc[0:0]
    else:
        mine = every[every["meeting_no"] == previous.meeting_no]
        earlier = every[
            (every["meeting_no"] != previous.meeting_no)
            & ~every["is_finished"].astype(bool)
            & (pd.to_datetime(every["meeting_on"]) < pd.Timestamp(previous.held_on))
        ]
    shown = pd.concat([mine.assign(carried=False), earlier.assign(carried=True)], ignore_index=True)
    notes = action_notes(con, tuple(int(a) for a in shown["action_id"]))
    return ActionReview(
        meeting=previous, today=today, actions=shown, notes=notes, counts=ActionCounts.of(mine)
    )
