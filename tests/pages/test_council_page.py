"""지난 회의 이후 under AppTest: in the navigation for viewers, the comparison's numbers, both languages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from metrics.council import next_meeting, since_last_council
from tests.support.upload import ROOT
from ui.navigation import visible_pages
from warehouse.connection import connection

PAGE = "views/council.py"


def open_page(monkeypatch, db: Path, lang: str = "ko", role: str = "viewer") -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_ROLE", role)
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_every_role_sees_the_page_in_the_results_section() -> None:
    for role in ("viewer", "analyst", "admin"):
        specs = [p for p in visible_pages(role) if p.path == PAGE]
        assert len(specs) == 1 and specs[0].section_ko == "성과"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_page_shows_the_comparison_with_the_last_council(monkeypatch, demo_db, lang) -> None:
    with connection(demo_db, read_only=True) as con:
        s = since_last_council(con, today=date.today())
        planned = next_meeting(con, date.today())
    at = open_page(monkeypatch, demo_db, lang)
    shown = {m.label: m.value for m in at.metric}
    ko = lang == "ko"
    assert shown[("상태 개선 목표" if ko else "Targets improved")] == str(s.moved_count("better"))
    assert shown[("상태 악화 목표" if ko else "Targets worsened")] == str(s.moved_count("worse"))
    assert shown[("정정된 실적" if ko else "Figures restated")] == str(len(s.restated))
    text = "\n".join(str(m.value) for m in at.markdown)
    for line in s.highlights(lang):
        assert line in text
    assert len(at.get("plotly_chart")) == 2  # then-vs-now by sector and by mission
    labels = [b.label for b in at.get("download_button")]
    if planned is not None:  # the demo plans 제3차 for 2026-12-18
        n = planned.meeting_no
        assert (f"제{n}차 회의 자료 (PDF)" if ko else f"Meeting {n} pack (PDF)") in labels
        assert (f"제{n}차 회의 자료 (HWPX)" if ko else f"Meeting {n} pack (HWPX)") in labels
    # the status matrix adds up to the targets judged both times
    matrix = at.dataframe[0].value
    assert matrix.iloc[:, -1].sum() == s.transition_counts["targets"].sum()
    # the restated figures as the council saw them and now, one row per file, quarter, agency and
    # metric; the file itself is in the downloads (the table fits 1280 px without it)
    restated = next(d.value for d in at.dataframe if ("회의 당시" if ko else "Seen then") in d.value.columns)
    assert len(restated) == len(s.restated_summary)
    assert ("파일" if ko else "File") not in restated.columns
    # the follow-up actions due: no "nan" where an action concerns no mission, sector or metric
    actions = next(d.value for d in at.dataframe if ("기한" if ko else "Due") in d.value.columns)
    assert len(actions) == len(s.actions)
    assert not actions.astype(str).apply(lambda c: c.str.contains(r"\bnan\b")).any().any()


def test_an_earlier_meeting_can_be_chosen(monkeypatch, demo_db) -> None:
    at = open_page(monkeypatch, demo_db)
    at.selectbox(key="council_meeting").select_index(1).run()  # 제1차, the older one
    assert not at.exception
    assert "제1차 회의(2024-12-20, 2024년 3분기 검토)" in "\n".join(str(m.value) for m in at.markdown)


def test_without_meetings_the_page_says_how_to_add_them(monkeypatch, tmp_path: Path) -> None:
    from tests.support.upload import seed_warehouse

    db = tmp_path / "w.duckdb"
    seed_warehouse(db, tmp_path)
    at = open_page(monkeypatch, db)
    assert any("python -m etl meetings" in i.value for i in at.info)
