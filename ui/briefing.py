"""The briefing pack's download button (PDF via Chromium), shared by 지난 회의 이후 and 요약."""

from __future__ import annotations

from datetime import date

import streamlit as st

from metrics.briefing import build_briefing
from metrics.council import next_meeting
from ui.briefing_html import briefing_html
from ui.export import chromium_path, html_to_pdf
from ui.i18n import lang, tr
from ui.warehouse import is_demo, query
from warehouse.connection import connection
from warehouse.cycle import closed_through
from warehouse.paths import db_path


def pack_name(meeting_no: int | None, period: int, language: str) -> str:
    """'briefing_meeting3_2026Q3_ko.pdf': readable and safe."""
    who = f"meeting{meeting_no}" if meeting_no else "latest"
    return f"briefing_{who}_{period // 10}Q{period % 10}_{language}.pdf"


def pack_pdf(language: str, demo: bool, today: date) -> bytes:
    """The whole pack as PDF bytes, read from the warehouse now (seconds: run only on a click)."""
    with connection(db_path(), read_only=True) as con:
        briefing = build_briefing(con, today=today)
    if briefing is None:
        raise RuntimeError("no closed quarter")
    return html_to_pdf(briefing_html(briefing, language, demo=demo))


def _state(con, today: date):
    return next_meeting(con, today), closed_through(con)


def pack_button(key: str, where=st) -> None:
    """The pack for the next planned meeting (else the latest closed quarter); made only when clicked."""
    language = lang()
    today = date.today()
    meeting, through = query(_state, today)
    if through is None:
        where.caption(
            tr(
                "마감된 분기가 없어 회의 자료를 만들 수 없습니다.",
                "No closed quarter yet, so there is no briefing pack.",
            )
        )
        return
    browser = chromium_path()
    label = (
        tr(f"제{meeting.meeting_no}차 회의 자료 (PDF)", f"Briefing pack, meeting {meeting.meeting_no} (PDF)")
        if meeting
        else tr("회의 자료 (PDF)", "Briefing pack (PDF)")
    )
    demo = is_demo()
    where.download_button(
        label,
        data=lambda: pack_pdf(language, demo, today),
        file_name=pack_name(meeting.meeting_no if meeting else None, through, language),
        mime="application/pdf",
        key=key,
        icon=":material/menu_book:",
        on_click="ignore",
        disabled=browser is None,
        help=tr(
            "표지, 성과 요약, 지난 회의 이후, 분야별, 주의·미흡 목표, 진행 중인 긴급상황 (A4 가로, 수 초 소요)",
            "Cover, summary, since the last council, each sector, targets at risk or behind, open incidents "
            "(A4 landscape; takes a few seconds)",
        ),
    )
    if browser is None:
        where.caption(
            tr(
                "서버에 Chromium이 없어 PDF를 만들 수 없습니다 (관리자: `apt-get install chromium fonts-nanum`).",
                "The PDF needs Chromium on the server (admin: `apt-get install chromium fonts-nanum`).",
            )
        )
