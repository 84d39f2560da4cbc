"""When the warehouse cannot be read: a page that says what happened and what to do, never a traceback.

A damaged or incomplete warehouse file (a disk that filled up, a copy cut short, bytes overwritten)
makes DuckDB raise on the first query, and a writer that holds the file for longer than the wait
makes it time out. Either way every page would otherwise show DuckDB's exception. The details go to
the server log for whoever looks after the server; `python -m etl verify` says what is wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import streamlit as st

from ui.i18n import tr
from warehouse.connection import WarehouseBusy

log = logging.getLogger(__name__)


def busy_page() -> None:
    st.warning(
        tr(
            "**웨어하우스가 다른 작업으로 잠겨 있습니다.** 큰 실적 파일을 적재하는 중일 수 있습니다. 잠시 후 "
            "새로 고침하세요. 계속되면 관리자에게 알려 주세요.",
            "**The warehouse is locked by other work**, probably a large return being loaded. Refresh in a "
            "moment; tell an administrator if it goes on.",
        ),
        icon=":material/hourglass_top:",
    )


def broken_page(kind: str) -> None:
    st.title(tr("웨어하우스를 읽을 수 없습니다", "The warehouse cannot be read"))
    st.error(
        tr(
            "대시보드의 데이터 파일(DuckDB 웨어하우스)이 손상되었거나 완전하지 않아 읽지 못했습니다. 화면에 보여 줄 "
            f"수치가 없으므로 모든 페이지가 이 안내를 보여 줍니다. (오류 종류: {kind})",
            "The dashboard's data file (the DuckDB warehouse) is damaged or incomplete and could not be read, so "
            f"every page shows this notice instead of figures. (Error kind: {kind})",
        ),
        icon=":material/database_off:",
    )
    st.markdown(
        tr(
            "**할 일**\n\n"
            "- 열람자·분석 담당자: 시스템 관리자에게 이 화면을 알려 주세요. 지금 실적을 올리지 마세요.\n"
            "- 관리자: 서버에서 `python -m etl verify`를 실행해 무엇이 잘못되었는지 확인하세요.\n"
            "- 손상되었다면 대시보드를 멈추고 웨어하우스 파일을 백업에서 되살리거나, 보관한 원본 실적 파일을 "
            "`python -m etl load`로 다시 적재해 새로 만드세요. 자세한 오류는 서버 로그에 있습니다.",
            "**What to do**\n\n"
            "- Viewers and analysts: tell the system administrator about this page, and do not upload returns now.\n"
            "- Administrators: run `python -m etl verify` on the server to see what is wrong.\n"
            "- If the file is damaged, stop the dashboard and restore the warehouse file from a backup, or rebuild "
            "it by loading the original returns again with `python -m etl load`. The full error is in the server log.",
        )
    )


@contextmanager
def warehouse_guard() -> Iterator[None]:
    """Run the page; a warehouse that is locked too long or cannot be read gets its page, then stop."""
    try:
        yield
    except WarehouseBusy:
        busy_page()
    except duckdb.Error as exc:
        log.exception("warehouse unreadable")
        broken_page(type(exc).__name__)
