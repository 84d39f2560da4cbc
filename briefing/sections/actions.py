"""Ⅲ. Follow-up actions (이행 점검): what the last council agreed and where each action stands.

Days left and overdue are counted to the meeting's day (metrics.briefing builds the review on it):
the paper is read at the meeting, not on the day it was printed.
"""

from __future__ import annotations

import pandas as pd

from briefing.elements import NOTE, TOPIC, Block, Line, Section, Table, as_written, paper_date
from briefing.sections.common import none_line
from briefing.sections.title import meeting_name
from metrics.briefing import Briefing
from ui import format as fmt
from ui.action_marks import DUE_SOON, OVERDUE
from ui.action_marks import STATUS as ACTION_STATUS
from ui.bilingual import t

ACTION_COLUMNS = (  # (ko, en, relative width, numeric)
    ("번호", "No.", 11, True),
    ("회의", "Meeting", 15, False),
    ("내용", "Action", 72, False),
    ("담당", "Owner", 18, False),
    ("기한", "Due", 24, False),
    ("상태", "Status", 18, False),
    ("기한 대비", "Against due", 31, False),
    ("최근 진행", "Latest progress", 84, False),
)


def action_timing(r: pd.Series, lang: str) -> tuple[str, str | None]:
    """('■ 기한 경과 · 3일', 'behind') / ('▲ 기한 임박 · D-14', 'at_risk') / ('', None): text, the status it reads as."""
    days = r["days_left"]
    if bool(r["overdue"]):
        return (
            f"{OVERDUE[0]} {t(lang, OVERDUE[1], OVERDUE[2])} · {t(lang, f'{-int(days)}일', f'{-int(days)} days')}",
            "behind",
        )
    if bool(r["due_soon"]):
        return f"{DUE_SOON[0]} {t(lang, DUE_SOON[1], DUE_SOON[2])} · D-{int(days)}", "at_risk"
    return "", None


def action_text(r: pd.Series, lang: str) -> str:
    """The action as agreed, in the pack's language where it was written in it; demo items marked once."""
    english = r["text_en"] if isinstance(r["text_en"], str) and r["text_en"].strip() else None
    text = english if lang == "en" and english else as_written(r["text_ko"], lang)
    return (t(lang, "[데모] ", "[Demo] ") if bool(r["is_demo"]) else "") + str(text)


def action_intro(review, lang: str) -> str:
    """The opening point: the actions agreed, counted by state, on the meeting's day."""
    m, c = review.meeting, review.counts
    counts = t(
        lang,
        f"완료 {c.done} · 진행 {c.in_progress} · 예정 {c.planned} · 중단 {c.dropped} — "
        f"{OVERDUE[0]} 기한 경과 {c.overdue} · {DUE_SOON[0]} 30일 내 기한 {c.due_soon}",
        f"done {c.done} · in progress {c.in_progress} · planned {c.planned} · dropped {c.dropped} — "
        f"{OVERDUE[0]} overdue {c.overdue} · {DUE_SOON[0]} due within 30 days {c.due_soon}",
    )
    intro = t(
        lang,
        f"{meeting_name(m, 'ko')}에서 합의한 후속 조치 {c.total}건, {paper_date(review.today)} 기준: {counts}.",
        f"The {c.total} follow-up action{'s' if c.total != 1 else ''} agreed at {meeting_name(m, 'en')}, "
        f"as of {paper_date(review.today, 'en')}: {counts}.",
    )
    if review.carried:
        intro += t(
            lang,
            f" 이전 회의에서 넘어온 미완료 조치 {review.carried}건도 함께 싣습니다.",
            f" Also listed: {review.carried} unfinished action{'s' if review.carried != 1 else ''} from earlier meetings.",
        )
    if review.left_out:  # metrics.briefing.PACK_CAPS: the list is cut, say so and where the rest is
        shown = len(review.actions)
        intro += t(
            lang,
            f" 이 자료에는 {shown:,}건(기한 경과·임박 우선)을 싣고, 외 {review.left_out:,}건은 대시보드 후속 조치 화면에서 확인하세요.",
            f" {shown:,} are listed here (overdue and due soon first); the other {review.left_out:,} are on the "
            "dashboard's Follow-up actions page.",
        )
    return intro


def action_cells(review, r: pd.Series, lang: str) -> tuple[list[str], str | None]:
    """One action's cells (ACTION_COLUMNS) and the status its due date reads as."""
    glyph = ACTION_STATUS.get(r["status"], ("",))[0]
    status = f"{glyph} {r['status_en'] if lang == 'en' else r['status_ko']}".strip()
    timing, tone = action_timing(r, lang)
    note = review.latest_note(int(r["action_id"]))
    latest = (
        f"{paper_date(note['noted_on'], lang)} {as_written(note['text'], lang)}"
        if note is not None
        else fmt.DASH
    )
    owner = r["owner_short_en"] if lang == "en" else r["owner_short_ko"]
    cells = [
        str(int(r["action_id"])),
        t(lang, f"제{int(r['meeting_no'])}차", f"#{int(r['meeting_no'])}"),
        action_text(r, lang),
        str(owner if isinstance(owner, str) else r["owner_agency"]),
        paper_date(r["due_on"], lang) if not pd.isna(r["due_on"]) else fmt.DASH,
        status,
        timing,
        latest,
    ]
    return cells, tone


def actions_section(b: Briefing, lang: str) -> Section:
    title = t(lang, "후속 조치 이행 점검", "Follow-up actions: progress check")
    review = b.actions
    if review is None or review.meeting is None:
        return Section(
            "actions",
            title,
            [
                Line(
                    t(
                        lang,
                        "이전 회의가 없어 점검할 후속 조치가 없습니다.",
                        "No earlier council, so no actions to check.",
                    )
                )
            ],
        )
    blocks: list[Block] = [Line(action_intro(review, lang))]
    if review.actions.empty:
        blocks.append(none_line(lang, t(lang, "합의된 후속 조치가 없습니다.", "No action was agreed.")))
        return Section("actions", title, blocks)
    rows, tones = [], []
    for _, r in review.actions.iterrows():
        cells, tone = action_cells(review, r, lang)
        rows.append(cells)
        tones.append([None] * 6 + [tone, None])
    blocks += [
        Line(t(lang, "후속 조치별 이행 상황", "Each action and where it stands"), TOPIC),
        Table(
            "actions",
            [t(lang, ko, en) for ko, en, _w, _n in ACTION_COLUMNS],
            rows,
            [w for _ko, _en, w, _n in ACTION_COLUMNS],
            [n for _ko, _en, _w, n in ACTION_COLUMNS],
            tones=tones,
        ),
        Line(
            t(
                lang,
                "기한 경과: 기한이 지났는데 완료·중단되지 않은 조치(회의일 기준). 최근 진행: 가장 최근 진행 메모.",
                "Overdue: past due on the meeting's day and neither done nor dropped. "
                "Latest progress: the most recent progress note.",
            ),
            NOTE,
        ),
    ]
    return Section("actions", title, blocks)
