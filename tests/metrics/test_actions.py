"""metrics.actions against an independent recomputation on a small warehouse, and the demo's actions.

The warehouse: the fixed warehouse's figures (tests/support/pages.py), two meetings and actions stored through etl.registers.followup with due
dates around TODAY (boundaries included: due today, due in 30 and 31 days, past due but done or
dropped). What each call should answer is worked out here from ACTIONS, not by the view's SQL.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from briefing.html_writer import briefing_html
from etl.demo.actions import ACTIONS as DEMO_ACTIONS
from etl.registers.followup import Editor, add_action_note, save_action
from etl.registers.meetings import Meeting, save_meetings
from metrics.actions import (
    SOON_DAYS,
    ActionCounts,
    action_counts,
    action_list,
    action_notes,
    action_review,
    by_meeting,
    by_owner,
    due_or_overdue,
)
from metrics.briefing import build_briefing
from metrics.council import last_meeting, since_last_council
from tests.support import pages as page_fixtures
from tests.support.pages import past_fixture_ids
from warehouse.connection import connection

TODAY = date(2026, 10, 1)
ADMIN = Editor("kim@mss.go.kr")
MEETINGS = [
    Meeting(1, date(2025, 12, 19), "제1차 회의", "1st council", 2025, 3),
    Meeting(2, date(2026, 9, 1), "제2차 회의", "2nd council", 2026, 2),
]
D = timedelta
# (meeting, owner, due on, status, mission, metric)
ACTIONS = [
    (1, "mss", TODAY - D(days=40), "in_progress", None, None),  # overdue, carried into the review of 2
    (1, "kosme", TODAY - D(days=5), "done", None, None),  # past due but done: not overdue
    (2, "mss", TODAY - D(days=1), "planned", "VN-HAN", "export_value"),  # overdue by a day
    (2, "mofa", TODAY, "in_progress", None, None),  # due today: due soon, not overdue
    (2, "mss", TODAY + D(days=SOON_DAYS), "planned", None, "firms_supported"),  # the last day counted as soon
    (2, "kosme", TODAY + D(days=SOON_DAYS + 1), "planned", None, None),  # neither
    (2, "mofa", TODAY - D(days=3), "dropped", None, None),  # past due but dropped: not overdue
    (2, "kosme", TODAY + D(days=2), "done", None, None),  # done early: not due soon
]
# (action index, noted on, text): written out of date order on purpose
NOTES = [
    (2, date(2026, 9, 20), "둘째"),
    (2, date(2026, 9, 10), "첫째"),
    (2, date(2026, 9, 20), "셋째"),  # same day as 둘째, written after it
    (0, date(2026, 1, 5), "이월 조치 메모"),
]


def expected_flags(due: date, status: str) -> tuple[bool, bool]:
    finished = status in ("done", "dropped")
    return (due < TODAY and not finished), (not finished and TODAY <= due <= TODAY + D(days=SOON_DAYS))


@pytest.fixture(scope="module")
def wh(tmp_path_factory) -> tuple[Path, list[int]]:
    path = page_fixtures.build(tmp_path_factory.mktemp("actions") / "wh.duckdb")
    ids = []
    with connection(path) as con:
        past_fixture_ids(con)
        save_meetings(con, MEETINGS, by="test")
        for i, (meeting, owner, due, status, mission, metric) in enumerate(ACTIONS):
            ids.append(
                save_action(
                    con, ADMIN, meeting_no=meeting, text_ko=f"조치 {i}", text_en=f"Action {i}",
                    owner_agency=owner, due_on=due, status=status, mission=mission, metric=metric,
                )
            )  # fmt: skip
        for index, noted_on, text in NOTES:
            add_action_note(con, ADMIN, ids[index], noted_on, text)
    return path, ids


def test_each_action_is_overdue_or_due_soon_as_recomputed(wh):
    path, ids = wh
    with connection(path, read_only=True) as con:
        df = action_list(con, TODAY)
    assert sorted(df["action_id"]) == sorted(ids)
    got = df.set_index("action_id")
    for action_id, (meeting, owner, due, status, _m, _x) in zip(ids, ACTIONS, strict=True):
        overdue, soon = expected_flags(due, status)
        row = got.loc[action_id]
        assert (bool(row["overdue"]), bool(row["due_soon"])) == (overdue, soon), (action_id, due, status)
        assert int(row["days_left"]) == (due - TODAY).days
        assert (row["meeting_no"], row["owner_agency"], row["status"]) == (meeting, owner, status)
    # names in both languages come with the codes
    vn = got.loc[ids[2]]
    assert (vn["mission_ko"], vn["mission_en"]) == ("주베트남 대사관", "Embassy in Viet Nam")
    assert (vn["metric_ko"], vn["owner_ko"], vn["owner_en"]) == (
        "수출계약액",
        "중소벤처기업부",
        "Ministry of SMEs and Startups",
    )
    assert vn["meeting_ko"] == "제2차 회의"
    # ordered by meeting, then due date
    keys = list(zip(df["meeting_no"], df["due_on"], strict=True))
    assert keys == sorted(keys)


def test_counts_by_meeting_and_by_owner(wh):
    path, _ = wh
    with connection(path, read_only=True) as con:
        counts = action_counts(con, TODAY)
        df = action_list(con, TODAY)
        only_mss = action_counts(con, TODAY, owner="mss")
    flags = [expected_flags(due, status) for _, _, due, status, _, _ in ACTIONS]
    statuses = [a[3] for a in ACTIONS]
    assert counts == ActionCounts(
        total=len(ACTIONS),
        planned=statuses.count("planned"),
        in_progress=statuses.count("in_progress"),
        done=statuses.count("done"),
        dropped=statuses.count("dropped"),
        overdue=sum(o for o, _ in flags),
        due_soon=sum(s for _, s in flags),
    )
    assert (counts.overdue, counts.due_soon) == (2, 2)  # the fixture's own arithmetic, as a guard
    assert only_mss.total == 3 and only_mss.overdue == 2
    meetings = by_meeting(df).set_index("meeting_no")
    for meeting in (1, 2):
        mine = [(a, f) for a, f in zip(ACTIONS, flags, strict=True) if a[0] == meeting]
        assert meetings.loc[meeting, "total"] == len(mine)
        assert meetings.loc[meeting, "overdue"] == sum(f[0] for _, f in mine)
        assert meetings.loc[meeting, "done"] == sum(a[3] == "done" for a, _ in mine)
    owners = by_owner(df)
    assert list(owners["owner_agency"]) == ["mss", "mofa", "kosme"]  # reference order
    for owner in ("mss", "mofa", "kosme"):
        row = owners[owners["owner_agency"] == owner].iloc[0]
        assert row["total"] == sum(a[1] == owner for a in ACTIONS)
        assert row["due_soon"] == sum(f[1] for a, f in zip(ACTIONS, flags, strict=True) if a[1] == owner)


def test_notes_come_in_date_order_then_as_written(wh):
    path, ids = wh
    with connection(path, read_only=True) as con:
        notes = action_notes(con, (ids[2],))
        every = action_notes(con)
    assert list(notes["text"]) == ["첫째", "둘째", "셋째"]
    assert list(every["action_id"]) == sorted(every["action_id"])
    assert len(every) == len(NOTES)


def test_due_or_overdue_lists_overdue_first_then_soonest(wh):
    path, ids = wh
    with connection(path, read_only=True) as con:
        df = due_or_overdue(con, TODAY)
        s = since_last_council(con, today=TODAY)
    flags = {i: expected_flags(a[2], a[3]) for i, a in zip(ids, ACTIONS, strict=True)}
    overdue = sorted((a[2], i) for i, a in zip(ids, ACTIONS, strict=True) if flags[i][0])
    soon = sorted((a[2], i) for i, a in zip(ids, ACTIONS, strict=True) if flags[i][1])
    assert list(df["action_id"]) == [i for _, i in overdue] + [i for _, i in soon]
    # "since the last council" lists the same actions
    assert list(s.actions["action_id"]) == list(df["action_id"])


def test_the_review_checks_the_last_councils_actions_and_carries_unfinished_earlier_ones(wh):
    path, ids = wh
    with connection(path, read_only=True) as con:
        previous = last_meeting(con, date(2026, 12, 18))  # preparing a meeting after both
        review = action_review(con, previous, TODAY)
    assert previous.meeting_no == 2
    second = [i for i, a in zip(ids, ACTIONS, strict=True) if a[0] == 2]
    assert list(review.actions.loc[~review.actions["carried"], "action_id"]) == [
        i for i in review.actions["action_id"] if i in second
    ]
    assert sorted(review.actions.loc[~review.actions["carried"], "action_id"]) == sorted(second)
    assert list(review.actions.loc[review.actions["carried"], "action_id"]) == [ids[0]]  # done ids[1] is not
    assert review.counts.total == len(second) and review.counts.overdue == 1
    assert review.latest_note(ids[2])["text"] == "셋째"
    assert review.latest_note(ids[3]) is None


def test_the_demo_holds_the_second_councils_four_directions(demo_db):
    with connection(demo_db, read_only=True) as con:
        df = action_list(con, date(2026, 12, 1))
        notes = action_notes(con)
    assert len(df) == len(DEMO_ACTIONS) == 5
    assert set(df["meeting_no"]) == {2}
    assert df["is_demo"].all() and notes["is_demo"].all()
    assert list(df.sort_values("action_id")["owner_agency"]) == [
        f["owner_agency"] for f, _s, _n in DEMO_ACTIONS
    ]
    assert {"mofa", "mss"} == set(df["owner_agency"])
    assert df["overdue"].sum() >= 1  # relative to 2026-12-01, so the colouring shows
    assert len(notes) == sum(len(n) for _f, _s, n in DEMO_ACTIONS)
    assert list(df.sort_values("action_id")["status"]) == [s for _f, s, _n in DEMO_ACTIONS]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_briefing_pack_checks_the_last_councils_actions(demo_db, lang):
    today = date(2026, 12, 1)
    meeting_day = date(2026, 12, 18)  # papers count days to the meeting they are for (#27 item 3)
    with connection(demo_db, read_only=True) as con:
        b = build_briefing(con, today=today)
        expected = ActionCounts.of(action_list(con, meeting_day, meeting_no=2))
    assert b.actions is not None and b.actions.meeting.meeting_no == 2
    assert b.actions.today == meeting_day and b.actions.counts == expected
    # action 4, due 2026-12-15, is overdue at the meeting although not on the day the pack is made
    assert (expected.done, expected.in_progress, expected.planned, expected.overdue) == (1, 3, 1, 2)
    document = briefing_html(b, lang, demo=True)
    title = "Ⅲ. 후속 조치 이행 점검" if lang == "ko" else "Ⅲ. Follow-up actions: progress check"
    sheets = [s for s in document.split('<div class="sheet">') if f"<h1>{title}</h1>" in s]
    assert len(sheets) == 1  # one A4 sheet
    sheet = sheets[0]
    if lang == "ko":
        assert f"완료 {expected.done} · 진행 {expected.in_progress} · 예정 {expected.planned}" in sheet
        assert sheet.count("■ 기한 경과 · ") == expected.overdue
        assert sheet.count("▲ 기한 임박 · D-") == expected.due_soon
        assert sheet.count("[데모]") >= expected.total
    else:
        assert f"done {expected.done} · in progress {expected.in_progress}" in sheet
        assert sheet.count("■ Overdue · ") == expected.overdue
    assert f"<td>{title}</td>" in document  # in the contents
    for text in pd.Series([f["text_ko"] for f, _s, _n in DEMO_ACTIONS]):
        if lang == "ko":
            assert text.replace("&", "&amp;") in sheet
