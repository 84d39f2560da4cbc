"""지난 회의 이후's tables as shown: narrower than what the downloads and the briefing pack hold, with
the same numbers and every stored text still on the page or in the files."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from metrics.council import since_last_council
from ui import council_tables as ct
from ui.actions_helpers import register_on_screen
from warehouse.connection import connection


@pytest.fixture(scope="module")
def since(demo_db):
    with connection(demo_db, read_only=True) as con:
        return since_last_council(con, today=date.today())


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_changed_targets_show_the_statuses_as_one_move_and_the_same_percentages(since, lang) -> None:
    full = ct.targets_table(since, lang, since.transitions)
    shown = ct.changed_on_screen(full, since, lang)
    assert len(shown.columns) == len(full.columns) - 1
    then_status, now_status = full.columns[4], full.columns[6]
    assert shown.iloc[:, 3].to_list() == [
        f"{a} → {b}" for a, b in zip(full[then_status], full[now_status], strict=True)
    ]
    # then %, now %, change: the same cells, in the same order
    pd.testing.assert_frame_equal(
        shown.iloc[:, 4:7].set_axis(["a", "b", "c"], axis=1),
        full.iloc[:, [3, 5, 7]].set_axis(["a", "b", "c"], axis=1),
    )
    assert shown.iloc[:, :3].equals(full.iloc[:, :3])


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_restated_summary_leaves_file_who_and_when_to_the_downloads(since, lang) -> None:
    full = ct.restated_table(since, lang)
    shown = ct.restated_on_screen(full, lang)
    assert list(shown.columns) == list(full.columns[:8])
    assert shown.equals(full[shown.columns])


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_incidents_show_one_period_and_list_their_summaries(since, lang) -> None:
    full = ct.incidents_table(since, lang)
    shown = ct.incidents_on_screen(full, lang)
    period = shown[ct.t(lang, "기간", "Period")].to_list()
    began, ended = full.iloc[:, 2].to_list(), full.iloc[:, 3].to_list()
    assert period == [f"{a} – {b}" if b != "–" else f"{a} –" for a, b in zip(began, ended, strict=True)]
    assert ct.t(lang, "개요", "Summary") not in shown.columns
    assert [text for _, text in ct.incident_texts(full, lang)] == full.iloc[:, -1].fillna("").to_list()


def test_actions_show_status_with_due_state_and_list_their_texts() -> None:
    full = pd.DataFrame(
        {
            "번호": pd.array([2, 4], dtype="Int64"),
            "회의": ["제2차", "제2차"],
            "내용": ["=역할 분담안 **마련**", "현지 협의"],
            "담당": ["중기부", "외교부"],
            "관련": ["", "주멕시코 대사관"],
            "기한": ["2026-06-30", "2026-12-15"],
            "상태": ["◐ 진행", "○ 예정"],
            "기한 상태": ["■ 기한 경과 · 154일", ""],
            "데모": ["데모", ""],
        }
    )
    shown = register_on_screen(full, "ko")
    assert list(shown.columns) == ["번호", "회의", "담당", "관련", "기한", "상태"]
    assert shown["상태"].to_list() == ["◐ 진행 · ■ 기한 경과 · 154일", "○ 예정"]
    # the stored text goes to the list under the table as it was written (blocks.text_list escapes it)
    assert ct.action_texts(full, "ko") == [("2번", "=역할 분담안 **마련**"), ("4번", "현지 협의")]


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("by", ["sector", "mission"])
def test_movers_show_the_same_means_under_short_headers(since, lang, by) -> None:
    full = ct.movers_table(since, by, lang)
    shown = ct.movers_on_screen(full, lang)
    assert list(shown.columns[1:]) == [
        ct.t(lang, "당시(%)", "Then"),
        ct.t(lang, "현재(%)", "Now"),
        ct.t(lang, "변화(%p)", "± pts"),
    ]
    # names and the three means, the same cells in the same order; the count stays in the downloads
    pd.testing.assert_frame_equal(
        shown.set_axis(range(4), axis=1), full.iloc[:, [0, 2, 3, 4]].set_axis(range(4), axis=1)
    )
    assert not full.empty


def test_the_movers_shown_are_the_ones_the_chart_draws(since) -> None:
    full = ct.movers_table(since, "mission", "en")
    shown = ct.movers_on_screen(full, "en", limit=15)
    assert len(full) > 15 and len(shown) == 15
    assert shown.iloc[:, 0].to_list() == full.iloc[:15, 0].to_list()


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_target_shows_statuses_and_explanations_each_as_one_move(since, lang) -> None:
    full = ct.targets_table(since, lang)
    then_mark, now_mark = (
        ct.t(lang, "당시 사유·대책", "Explanation then"),
        ct.t(lang, "현재 사유·대책", "Explanation now"),
    )
    written, missing = ct.t(lang, "✓ 작성", "✓ written"), ct.t(lang, "✗ 미작성", "✗ missing")
    marks = [missing, "", written, ""] * len(full)
    full.insert(5, then_mark, marks[: len(full)])
    full.insert(8, now_mark, marks[1 : len(full) + 1])
    shown = ct.every_on_screen(full, since, lang)
    # the level is in the downloads (the scope names it); the rest as the changed targets show them
    assert ct.t(lang, "수준", "Level") not in shown.columns
    assert shown.iloc[:, :-1].equals(ct.changed_on_screen(full, since, lang).iloc[:, 1:])
    assert shown.iloc[:4, -1].to_list() == [
        f"{missing} → –",
        f"– → {written}",
        f"{written} → –",
        f"– → {missing}",
    ]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_restated_detail_leaves_agency_file_who_and_when_to_the_downloads(since, lang) -> None:
    full = ct.restated_detail(since, lang)
    shown = ct.restated_detail_on_screen(full, lang)
    assert len(shown) == len(full) and len(shown.columns) == len(full.columns) - 4
    assert ct.t(lang, "주관기관", "Agency") not in shown.columns
    # the same figures, in the same order, identified by quarter, mission, sector, program and metric
    pd.testing.assert_frame_equal(
        shown.iloc[:, :7].set_axis(range(7), axis=1),
        full.iloc[:, [0, 2, 3, 4, 5, 6, 7]].set_axis(range(7), axis=1),
    )
    assert set(shown.iloc[:, -1]) <= {ct.pair(ct.CHANGE_SHORT, c, lang) for c in ct.CHANGE_SHORT}
