"""The states of a follow-up action (후속 조치), as data/ref/action_statuses.csv defines them.

The one place code learns them: the loader and the edit forms (etl), the counts (metrics) and the
badges and the printed pack (ui, briefing). The CSV is also the warehouse's `ref_action_statuses`
(warehouse.schema), whose aliases resolve what a register or a form writes.
"""

from __future__ import annotations

from warehouse.schema import read_reference

_ROWS = sorted(read_reference("action_statuses.csv"), key=lambda r: int(r["sort_order"]))

STATUSES: tuple[str, ...] = tuple(r["status_code"] for r in _ROWS)  # planned, in_progress, done, dropped
NAMES: dict[str, tuple[str, str]] = {r["status_code"]: (r["name_ko"], r["name_en"]) for r in _ROWS}
FINISHED: frozenset[str] = frozenset(r["status_code"] for r in _ROWS if r["is_finished"].lower() == "true")
FIRST = STATUSES[0]  # what an action without a status is

# The names as a form's or a register's hint lists them: "예정, 진행, 완료, 중단", "planned, in progress, done, dropped".
NAMES_KO = ", ".join(ko for ko, _ in NAMES.values())
NAMES_EN = ", ".join(en.lower() for _, en in NAMES.values())
# … and with "or" before the last: "planned, in progress, done or dropped".
NAMES_EN_OR = (
    f"{', '.join(en.lower() for _, en in list(NAMES.values())[:-1])} or {list(NAMES.values())[-1][1].lower()}"
)
