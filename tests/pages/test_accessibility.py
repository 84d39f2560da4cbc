"""Every chart has a text alternative, every form control a label (KWCAG 2.2 / WCAG 1.1.1, 3.3.2, 4.1.2).

The browser tests (tests/browser/test_browser.py) audit the drawn pages with axe-core; these check,
on every charted page run through AppTest, what axe cannot see inside a chart: a line under each
one saying what it shows and where its numbers are.
"""

from __future__ import annotations

import re

import pytest

from tests.support.pages import run_page

CHARTED = [
    "views/summary.py",
    "views/by_sector.py",
    "views/by_year.py",
    "views/by_agency.py",
    "views/by_mission.py",
    "views/submissions.py",
    "views/emergency.py",
]
SUMMARY = re.compile(r"^(\S+( · \S+)* 차트|(Bar|Line|Dot|Heat map|Map)( · \S+)* chart)( · |\.)", re.I)
WIDGETS = (
    "selectbox",
    "multiselect",
    "slider",
    "select_slider",
    "radio",
    "text_input",
    "number_input",
    "date_input",
    "checkbox",
    "toggle",
    "text_area",
)


@pytest.mark.parametrize(
    ("page", "lang"),
    [(p, "ko") for p in CHARTED] + [("views/by_sector.py", "en"), ("views/summary.py", "en")],
)
def test_every_chart_has_a_summary_and_every_control_a_label(demo_db, monkeypatch, page, lang):
    at = run_page(page, demo_db, monkeypatch, **({"lang": "en"} if lang == "en" else {}))
    charts = len(at.get("plotly_chart"))
    summaries = [c.value for c in at.caption if SUMMARY.match(c.value)]
    assert charts >= 1
    assert len(summaries) == charts, [c.value[:80] for c in at.caption]
    unlabelled = [(kind, w.key) for kind in WIDGETS for w in at.get(kind) if not (w.label or "").strip()]
    assert unlabelled == []


def test_summary_heat_map_has_its_table(demo_db, monkeypatch):
    """요약's heat map has no table of its own elsewhere: its cells are folded under it as a table."""
    at = run_page("views/summary.py", demo_db, monkeypatch)
    folded = [e for e in at.expander if e.label == "표 보기"]
    assert len(folded) == 1
    tables = [h.proto.body for h in folded[0].get("html") if "<table" in h.proto.body]
    assert tables and "<th>지표</th>" in tables[0] and "%" in tables[0]
