"""The briefing pack's download buttons (PDF, and HWPX for 한글), shared by 지난 회의 이후 and 요약.

Both files come from briefing/pack.py, as `python -m briefing` makes them, so they carry the same
numbers; each is built only when its button is clicked (a few seconds, Chromium).
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from briefing import pack
from metrics.council import next_meeting
from ui.export import chromium_path
from ui.i18n import lang, tr
from ui.roles import current_user
from ui.warehouse import query
from warehouse.cycle import closed_through
from warehouse.paths import db_path


def pack_name(meeting_no: int | None, period: int, language: str, fmt: str = "pdf") -> str:
    """'briefing_meeting3_2026Q3_ko.pdf': readable and safe."""
    who = f"meeting{meeting_no}" if meeting_no else "latest"
    return f"briefing_{who}_{period // 10}Q{period % 10}_{language}.{fmt}"


def pack_file(fmt: str, language: str, today: date, author: str | None = None) -> bytes:
    """The whole pack as PDF or HWPX bytes, read from the warehouse now (seconds: run only on a click);
    `author`, who clicked, is the HWPX document's author."""
    return pack.render(pack.load(db_path(), None, today), fmt, language, author=author)


def _state(con, today: date):
    """The meeting the pack is for, the latest closed quarter, and why no pack can be made (or None)."""
    try:
        pack.choose(con, None, today)
        problem = None
    except pack.PackError as exc:
        problem = (exc.ko, exc.en)
    return next_meeting(con, today), closed_through(con), problem


def pack_button(key: str, where=st) -> None:
    """The pack for the next planned meeting (else the latest closed quarter); made only when clicked."""
    language = lang()
    today = date.today()
    meeting, through, problem = query(_state, today)
    if through is None:
        where.caption(
            tr(
                "마감된 분기가 없어 회의 자료를 만들 수 없습니다.",
                "No closed quarter yet, so there is no briefing pack.",
            )
        )
        return
    if problem is not None:
        where.caption(tr(*problem))
        return
    browser = chromium_path()
    label = (
        # short: the button sits in a narrow column beside the page's first control
        tr(f"제{meeting.meeting_no}차 회의 자료 (PDF)", f"Meeting {meeting.meeting_no} pack (PDF)")
        if meeting
        else tr("회의 자료 (PDF)", "Briefing pack (PDF)")
    )
    row = where.container(horizontal=True)
    meeting_no = meeting.meeting_no if meeting else None
    who = current_user()  # read in the script run: the file is built later, on the click
    for fmt, what in (("pdf", "PDF"), ("hwpx", "HWPX")):
        row.download_button(
            label.replace("(PDF)", f"({what})"),
            data=lambda fmt=fmt: pack_file(fmt, language, today, who),
            file_name=pack_name(meeting_no, through, language, fmt),
            mime=pack.MIME[fmt],
            key=key if fmt == "pdf" else f"{key}_hwpx",
            icon=":material/menu_book:" if fmt == "pdf" else ":material/edit_document:",
            on_click="ignore",
            disabled=browser is None,
            help=tr(
                "표지, 성과 요약, 지난 회의 이후, 분야별, 주의·미흡 목표, 진행 중인 긴급상황 (A4 가로, 수 초 소요)",
                "Cover, summary, since the last council, each sector, targets at risk or behind, open incidents "
                "(A4 landscape; takes a few seconds)",
            )
            if fmt == "pdf"
            else tr(
                "같은 회의 자료를 한글에서 고쳐 쓸 수 있는 HWPX 문서로 (A4 세로, 개조식, 표는 편집 가능한 표, 수 초 소요)",
                "The same pack as an HWPX document to edit in Hangul (A4 portrait, tables as real tables; "
                "takes a few seconds)",
            ),
        )
    if browser is None:
        where.caption(
            tr(
                "서버에 Chromium이 없어 PDF와 HWPX(도표)를 만들 수 없습니다 (관리자: `apt-get install chromium fonts-nanum`).",
                "The PDF and the HWPX's charts need Chromium on the server (admin: `apt-get install chromium fonts-nanum`).",
            )
        )
