"""Reading in a child process with a time and memory limit (etl.read.isolated): what the upload page uses."""

from pathlib import Path

import pytest

from etl.problems import Refused
from etl.read.isolated import annotate_isolated, prepare_isolated
from etl.returns.prepare import prepare
from tests.support import hostile as hb
from tests.support.returns import GOOD
from tests.support.xlsx import write_xlsx

pytestmark = pytest.mark.process


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    return write_xlsx(tmp_path_factory.mktemp("iso") / "good.xlsx", GOOD)


def test_a_good_return_comes_back_as_prepared_in_the_parent(good):
    prepared = prepare_isolated(good)
    assert prepared.connection is None
    assert sorted(prepared.rows.to_pylist(), key=str) == sorted(prepare(good).rows.to_pylist(), key=str)


def test_a_refusal_comes_back_with_its_problems(good, tmp_path):
    path = hb.hostile_sheet(good, tmp_path / "rows.xlsx", hb.HOSTILE_SHEETS["800k unclosed <row>"])
    with pytest.raises(Refused) as caught:
        prepare_isolated(path)
    assert caught.value.problems[0].message_ko


def test_a_child_over_its_time_is_killed_and_the_file_refused_in_korean(good):
    with pytest.raises(Refused) as caught:
        prepare_isolated(good, seconds=0.01)
    assert "시간 한도" in caught.value.problems[0].message_ko


def test_a_child_over_its_memory_is_stopped_and_the_file_refused_in_korean(good):
    with pytest.raises(Refused) as caught:
        prepare_isolated(good, memory_bytes=300 * 1024**2)  # less than Python with its libraries needs
    message = caught.value.problems[0].message_ko
    assert "한도" in message and "Traceback" not in message and "/" not in message.split("(")[0]


def test_a_far_away_cell_is_refused_before_the_reader_allocates_its_range(good, tmp_path):
    parts = hb.parts_of(good)
    parts[hb.SHEET] = parts[hb.SHEET].replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    )
    path = hb.write_parts(tmp_path / "corner.xlsx", parts)
    with pytest.raises(Refused) as caught:
        prepare(path)  # in process: it must not reach fastexcel, which would abort the process
    assert "사용 범위가 비정상적으로 넓어" in caught.value.problems[0].message_ko


def test_annotating_a_workbook_openpyxl_cannot_open_is_a_refusal(good, tmp_path):
    bad = hb.damaged(good, tmp_path / "bad.xlsx", hb.SHEET, "deflate")
    with pytest.raises(Refused):
        annotate_isolated(bad.read_bytes(), [], "bad.xlsx")
    assert annotate_isolated(good.read_bytes(), [], "good.xlsx")[:2] == b"PK"
