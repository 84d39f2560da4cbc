"""The symbols and words of a follow-up action's state (후속 조치), without Streamlit.

The app's badges (ui/actions_helpers.py) and the printed pack (ui/briefing_html.py, briefing/) use
them alike. Each state has a symbol, never colour alone; the colour is a Streamlit badge colour.
"""

from __future__ import annotations

# Status: the register's four values, each with a symbol (never colour alone).
STATUS = {
    "planned": ("○", "예정", "Planned", "gray"),
    "in_progress": ("◐", "진행", "In progress", "blue"),
    "done": ("✔", "완료", "Done", "green"),
    "dropped": ("✕", "중단", "Dropped", "gray"),
}
# Where an unfinished action stands against its due date: the colours and symbols of 미흡 and 주의.
OVERDUE = ("■", "기한 경과", "Overdue", "red")
DUE_SOON = ("▲", "기한 임박", "Due soon", "orange")
DEMO = ("데모", "Demo")
