"""The symbols and words of a follow-up action's state (후속 조치), without Streamlit.

The app's badges (ui/actions_helpers.py) and the printed pack (briefing/) use
them alike. Each state has a symbol, never colour alone; the colour is a Streamlit badge colour.
"""

from __future__ import annotations

from warehouse.action_statuses import NAMES

# Status: the register's values and their names (data/ref/action_statuses.csv, via
# warehouse.action_statuses), each with a symbol (never colour alone) and a badge colour.
_MARKS = {
    "planned": ("○", "gray"),
    "in_progress": ("◐", "blue"),
    "done": ("✔", "green"),
    "dropped": ("✕", "gray"),
}
STATUS = {code: (_MARKS[code][0], ko, en, _MARKS[code][1]) for code, (ko, en) in NAMES.items()}
# Where an unfinished action stands against its due date: the colours and symbols of 미흡 and 주의.
OVERDUE = ("■", "기한 경과", "Overdue", "red")
DUE_SOON = ("▲", "기한 임박", "Due soon", "orange")
DEMO = ("데모", "Demo")
