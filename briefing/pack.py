"""One meeting's pack as a file: the checks, the data, the rendering and the atomic write, no UI.

The command line (briefing/cli.py) and the app's download buttons (views/briefing_pack.py) both come here,
so the PDF and the HWPX of a meeting carry the same numbers: `metrics.briefing.build_briefing`.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from metrics.briefing import Briefing, build_briefing
from metrics.council import meetings, next_meeting, quarter_text
from metrics.views_support import is_demo
from warehouse.connection import connection
from warehouse.cycle import closed_through
from warehouse.meeting import Meeting
from warehouse.text import josa

FORMATS = ("hwpx", "pdf")
MIME = {"hwpx": "application/hwp+zip", "pdf": "application/pdf"}


class PackError(ValueError):
    """A pack that cannot be made from this input: why and what to do, in Korean and in English."""

    def __init__(self, ko: str, en: str) -> None:
        super().__init__(f"{ko} / {en}")
        self.ko, self.en = ko, en


@dataclass
class Pack:
    briefing: Briefing
    demo: bool


def _meeting_list(found: list[Meeting], lang: str = "ko") -> str:
    if lang == "en":
        return ", ".join(f"{m.meeting_no} ({m.held_on:%Y-%m-%d})" for m in found) or "none"
    return ", ".join(f"제{m.meeting_no}차({m.held_on:%Y-%m-%d})" for m in found) or "없음"


def choose(con, meeting_no: int | None, today: date) -> Meeting | None:
    """The meeting asked for (default: the next planned one), refused when it cannot have a pack."""
    found = meetings(con)
    through = closed_through(con)
    if meeting_no is None:
        meeting = next_meeting(con, today)
    else:
        meeting = next((m for m in found if m.meeting_no == meeting_no), None)
        if meeting is None:
            raise PackError(
                f"제{meeting_no}차 회의가 등록되어 있지 않습니다. 등록된 회의: {_meeting_list(found)}. "
                "회의는 기준 정보 → 정책협의회 회의 또는 `python -m etl meetings FILE`로 등록합니다.",
                f"No meeting number {meeting_no} is registered ({_meeting_list(found, 'en')}).",
            )
    if through is None:
        raise PackError(
            "마감된 분기가 없어 회의 자료를 만들 수 없습니다. 제출 현황에서 분기를 마감하거나 "
            "`python -m etl close 연도 분기`를 실행하세요.",
            "No quarter is closed yet, so there is no briefing pack: close one on Submissions first.",
        )
    if meeting is not None and meeting.review_period > through:
        review = quarter_text(meeting.review_period)
        raise PackError(
            f"제{meeting.meeting_no}차 회의가 검토할 {josa(review, '이/가')} 아직 마감되지 않았습니다 "
            f"(마감: {quarter_text(through)}까지). 제출 현황에서 마감하거나 "
            f"`python -m etl close {meeting.review_year} {meeting.review_quarter}` 후 다시 만드세요.",
            f"Meeting {meeting.meeting_no} reviews {quarter_text(meeting.review_period, 'en')}, which is not "
            f"closed yet (closed through {quarter_text(through, 'en')}): close it first.",
        )
    return meeting


def load(db: str | os.PathLike | None, meeting_no: int | None, today: date | None = None) -> Pack:
    """The pack's data for a meeting, read from the warehouse now (read-only)."""
    today = today or date.today()
    with connection(db, read_only=True) as con:
        meeting = choose(con, meeting_no, today)
        briefing = build_briefing(con, meeting.meeting_no if meeting else None, today=today)
        demo = is_demo(con)
    if briefing is None:  # choose() has checked a quarter is closed; kept for a warehouse changed meanwhile
        raise PackError("마감된 분기가 없어 회의 자료를 만들 수 없습니다.", "No quarter is closed yet.")
    return Pack(briefing, demo)


def render(pack: Pack, fmt: str, lang: str = "ko", author: str | None = None) -> bytes:
    """The pack as HWPX or PDF bytes (both need Chromium: the PDF is printed, the charts are drawn).

    `author` is who makes it (the signed-in user, or the account running the command): the HWPX
    document's author."""
    if fmt == "pdf":
        from ui.briefing_html import briefing_html
        from ui.export import html_to_pdf

        return html_to_pdf(briefing_html(pack.briefing, lang, demo=pack.demo))
    if fmt == "hwpx":
        from briefing.hwpx_writer import write_hwpx
        from briefing.images import render_pngs
        from briefing.outline import build_outline

        outline = build_outline(pack.briefing, lang, demo=pack.demo)
        # Drawing the charts in a thread while python-hwpx lays out the rest gained nothing on two
        # shared cores (bench_hwpx): both are CPU-bound. They are drawn when the writer needs them.
        return write_hwpx(
            outline, drawn=lambda: render_pngs([c.picture for c in outline.charts()]), author=author
        )
    raise PackError(f"형식은 {' 또는 '.join(FORMATS)}입니다.", f"The format is one of {', '.join(FORMATS)}.")


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file beside `path`, then rename: a reader never sees half a file, and a
    failure leaves whatever was there before (or nothing)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp's 0600 would make the pack private to its writer
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
