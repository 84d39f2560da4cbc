"""Why no briefing pack was made: one sentence (Korean, English) and an exit status for each failure.

`python -m briefing` prints it; the child that builds a pack (briefing/isolated.py) sends it back to the
page, so the command and the app say the same.
"""

from __future__ import annotations

import duckdb

from briefing.hwpx_writer import InvalidDocument
from briefing.pack import PackError
from ui.export import ExportUnavailable
from warehouse.connection import LOCK_WAIT_SECONDS, WarehouseBusy, WarehouseMissing
from warehouse.paths import db_path

BUSY = 75  # as `python -m etl`: the warehouse stayed locked; the same command later may succeed


def explain(exc: Exception, db: str | None) -> tuple[str, str, int]:
    """Why no pack was made (Korean, English) and the exit status, for any failure of load or render."""
    target = db_path(db)
    if isinstance(exc, PackError):
        return exc.ko, exc.en, exc.status
    if isinstance(exc, WarehouseMissing):
        return (
            f"{target}: 웨어하우스 파일이 없습니다. `python -m etl demo`로 만들거나 --db로 지정하세요.",
            "warehouse not found",
            1,
        )
    if isinstance(exc, WarehouseBusy):
        return (
            f"{target}: 웨어하우스를 다른 작업이 쓰고 있어 {LOCK_WAIT_SECONDS:.0f}초 기다렸지만 열지 못했습니다. "
            "잠시 후 다시 실행하세요.",
            "warehouse locked, try again later",
            BUSY,
        )
    if isinstance(exc, ExportUnavailable):
        return (
            "서버에 Chromium이 없어 도표(HWPX)와 PDF를 만들 수 없습니다 (관리자: `apt-get install chromium "
            "fonts-nanum`).",
            "Chromium is needed to draw the charts and print the PDF",
            1,
        )
    if isinstance(exc, InvalidDocument):
        return (
            f"만든 문서가 HWPX 검증을 통과하지 못해 저장하지 않았습니다 ({exc}). 관리자에게 알려 주세요.",
            "the document failed HWPX validation and was not written",
            1,
        )
    if isinstance(exc, duckdb.Error):
        return (
            f"{target}: 웨어하우스를 읽을 수 없습니다 ({type(exc).__name__}). `python -m etl verify`로 점검하세요.",
            "warehouse unreadable, run `python -m etl verify`",
            1,
        )
    return (
        f"회의 자료를 만들지 못했습니다 ({type(exc).__name__}: {str(exc)[:200]}). 파일은 만들지 않았습니다.",
        "the pack could not be made; no file was written",
        1,
    )
