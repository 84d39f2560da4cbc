"""A briefing pack built in a child process with a time and memory limit, as an upload is read.

A pack is made from whatever the registers hold, by python-hwpx or a headless Chromium: built in the
dashboard's own process, a pack of thousands of long actions once took minutes and gigabytes there.
build() runs briefing.pack's load and render in `python -m etl.read.isolated` (etl.read.isolated.run_limited,
the upload's mechanism) and returns the file's bytes; a pack the limits stop, or that fails in the
child, is a PackError that says so in Korean and English. The page's buttons and `python -m briefing`
both come here.
"""

from __future__ import annotations

import os
from datetime import date

from briefing.pack import PackError
from etl.read.isolated import ChildStopped, run_limited

MB = 1024**2
SECONDS = 120.0  # the demo's pack takes 4–8 s; a pack at its caps (metrics.briefing.PACK_CAPS) under 30 s
MEMORY_BYTES = 1536 * MB  # address space of the Python that builds it; the browser is bounded by its time


def build(
    db: str | os.PathLike | None,
    meeting_no: int | None,
    fmt: str,
    lang: str = "ko",
    today: date | None = None,
    *,
    author: str | None = None,
    seconds: float = SECONDS,
    memory_bytes: int = MEMORY_BYTES,
) -> bytes:
    """The pack's bytes, made in a limited child; PackError for anything that stops it."""
    args = (None if db is None else os.fspath(db), meeting_no, fmt, lang, today or date.today(), author)
    try:
        outcome = run_limited(
            ("call", "briefing.isolated:_build", args), seconds, memory_bytes, what=f"{fmt} pack"
        )
    except ChildStopped as stopped:
        raise _stopped(stopped, seconds, memory_bytes) from None
    if outcome[0] == "failed":
        error = PackError(outcome[1], outcome[2])
        error.status = outcome[3]  # as `python -m briefing` exits: 75 when the warehouse stayed locked
        raise error
    return outcome[1]


def _stopped(stopped: ChildStopped, seconds: float, memory_bytes: int) -> PackError:
    if stopped.reason == "time":
        ko, en = f"시간 한도({seconds:,.0f}초)를 넘어", f"it took longer than {seconds:,.0f} s"
    elif stopped.reason == "memory":
        ko = f"메모리 한도({memory_bytes / MB:,.0f} MB)를 넘어"
        en = f"it needed more than {memory_bytes / MB:,.0f} MB of memory"
    else:
        ko, en = "예기치 못한 오류로", "an unexpected error"
    return PackError(
        f"회의 자료를 만드는 중 {ko} 중단했습니다. 서버는 영향을 받지 않았습니다. 잠시 후 다시 시도하고, "
        "계속되면 관리자에게 알려 주세요.",
        f"Making the briefing pack was stopped: {en}. The server is unaffected; try again later, "
        "and tell an administrator if it persists.",
    )


def _build(
    db: str | None, meeting_no: int | None, fmt: str, lang: str, today: date, author: str | None
) -> tuple:
    """In the child: ("ok", bytes), or ("failed", ko, en, exit status) saying why no pack was made."""
    # in the child only: the page that imports this module needs neither the writers nor python-hwpx
    from briefing.failures import explain
    from briefing.pack import load, render

    try:
        return ("ok", render(load(db, meeting_no, today), fmt, lang, author=author))
    except MemoryError:
        raise
    except Exception as exc:  # every failure is a sentence for the user; the child ends cleanly
        return ("failed", *explain(exc, db))
