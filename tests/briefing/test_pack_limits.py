"""A pack stays readable and bounded whatever the registers hold (#26 item 6).

A copy of the demo gets 3,000 follow-up actions of about 2,000 characters on the 제2차 council and
hundreds of progress notes, through the real register intake (an .xlsx taken in by etl.intake). The
pack's data prints PACK_CAPS of each list and counts the rest; the PDF and the HWPX are made in a
limited child process (briefing/isolated.py) and say where the rest is; a pack stopped by its limits
is a sentence for the user, and the process that asked is unharmed.
"""

from __future__ import annotations

import io
import random
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest

from briefing.isolated import build
from briefing.pack import PackError
from etl import intake
from metrics.briefing import PACK_CAPS, build_briefing
from tests.support.browser import needs_chromium
from tests.support.xlsx import workbook
from warehouse.connection import connection

TODAY = date(2026, 12, 1)  # 제3차 (2026-12-18) is being prepared: it checks what 제2차 agreed
MANY = 3_000
ACTION = ["번호", "회의", "내용", "내용(영문)", "담당 기관", "공관", "분야", "지표", "기한", "상태"]
NOTE = ["번호", "날짜", "내용", "작성자"]
STATES = ("예정", "진행", "완료", "중단")


_SYLLABLES = random.Random(26)
# Text that compresses as prose does (a repeated phrase would look like a zip bomb to the intake).
_POOL = " ".join(
    "".join(chr(_SYLLABLES.randrange(0xAC00, 0xD7A4)) for _ in range(_SYLLABLES.randint(1, 5)))
    for _ in range(20_000)
)


def _long(n: int, size: int = 1_990) -> str:
    start = (abs(n) * 7_919) % (len(_POOL) - size)
    return f"후속조치{n}번 " + _POOL[start : start + size - 12]


@pytest.fixture(scope="module")
def crowded(demo_db, tmp_path_factory) -> Path:
    """The demo with MANY long actions of 제2차 (some overdue, some due soon) and 600 notes."""
    where = tmp_path_factory.mktemp("crowded")
    db = shutil.copy(demo_db, where / "crowded.duckdb")
    with connection(db) as con:
        base = con.execute("SELECT coalesce(max(action_id), 0) FROM action").fetchall()[0][0]
        due = ("2026-06-30", "2026-12-20", "2027-06-30")  # overdue, due soon, later (on TODAY)
        rows = [
            [None, 2, _long(n), None, "중기부", None, None, None, due[n % 3], STATES[n % 4]]
            for n in range(MANY)
        ]
        notes = [[1 + n % base, f"2026-0{1 + n % 9}-15", _long(-n, 900), None] for n in range(600)]
        path = workbook(where / "actions.xlsx", {"후속 조치": [ACTION, *rows], "진행 메모": [NOTE, *notes]})
        loaded = intake.load(con, path, intake.Actor("test"), kind="actions")
        assert loaded.added == MANY
    return Path(db)


def test_the_packs_data_prints_the_cap_and_counts_what_it_leaves_out(crowded) -> None:
    with connection(crowded, read_only=True) as con:
        b = build_briefing(con, 3, today=TODAY)
    review = b.actions
    cap = PACK_CAPS["actions"]
    assert len(review.actions) == cap
    assert review.counts.total >= MANY  # the intro still counts every action agreed
    assert review.left_out == review.counts.total + review.carried - cap or review.left_out >= MANY - cap
    assert b.left_out["actions"] == review.left_out
    # those needing attention are kept: overdue first, then due soon, never a finished one over them
    assert review.actions["overdue"].astype(bool).all()
    # one note per action printed, the latest
    assert len(review.notes) <= cap and not review.notes["action_id"].duplicated().any()
    assert set(review.notes["action_id"]) <= set(review.actions["action_id"])
    assert len(b.listed_exceptions) <= PACK_CAPS["exceptions"]
    assert len(b.exceptions) == len(b.listed_exceptions) + b.left_out["exceptions"]


def test_exceptions_past_the_cap_are_counted_worst_first_kept(demo_db, monkeypatch) -> None:
    from briefing.sections.exceptions import exceptions_intro

    with connection(demo_db, read_only=True) as con:
        full = build_briefing(con, 3, today=TODAY)
    whole = exceptions_intro(full, "ko")
    monkeypatch.setitem(PACK_CAPS, "exceptions", 10)
    assert len(full.listed_exceptions) == 10 and full.left_out["exceptions"] == len(full.exceptions) - 10
    assert full.listed_exceptions.equals(full.exceptions.head(10))  # the worst ten
    intro = exceptions_intro(full, "ko")
    assert intro.startswith(whole)  # the counts still count them all
    assert f"외 {len(full.exceptions) - 10}개는 대시보드 제출 현황 화면(사유·대책)에서 확인하세요" in intro


@pytest.mark.process
@pytest.mark.browser
def test_both_formats_are_made_in_a_child_and_say_where_the_rest_is(crowded) -> None:
    needs_chromium()
    from pypdf import PdfReader

    pdf = build(crowded, 3, "pdf", "ko", TODAY)
    text = re.sub(r"[\s\x00-\x1f]", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert re.search(r"외[\d,]+건은대시보드후속조치화면에서확인", text)
    hwpx = build(crowded, 3, "hwpx", "ko", TODAY)
    with zipfile.ZipFile(io.BytesIO(hwpx)) as z:
        body = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("Contents/section"))
    assert re.search(r"외 [\d,]+건은 대시보드 후속 조치 화면에서 확인", body)
    assert body.count("후속조치") < 5 * PACK_CAPS["actions"] * 40  # the capped list, not 3,000 actions


@pytest.mark.process
def test_a_pack_stopped_by_its_limits_is_a_sentence_and_the_caller_goes_on(crowded) -> None:
    with pytest.raises(PackError) as slow:
        build(crowded, 3, "hwpx", "ko", TODAY, seconds=0.5)
    assert "시간 한도(0초)" in slow.value.ko or "시간 한도(1초)" in slow.value.ko
    assert "Traceback" not in str(slow.value)
    with pytest.raises(PackError) as big:
        build(crowded, 3, "pdf", "ko", TODAY, memory_bytes=200 * 1024**2)
    assert "메모리 한도(200 MB)" in big.value.ko and "Traceback" not in str(big.value)
    with connection(crowded, read_only=True) as con:  # this process and the warehouse are as they were
        assert con.execute("SELECT count(*) FROM actions").fetchall()[0][0] >= MANY
