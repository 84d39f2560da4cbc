"""Figure cells that used to slip through or crash: error values, implausible and non-finite numbers,
dates, invisible characters in names, and what the terminal is shown of a hostile file name."""

import datetime
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from etl.check.rules import maxima
from etl.problems import Refused, printable, problem
from etl.returns.prepare import prepare
from tests.support.returns import GOOD, wide
from tests.support.xlsx import cache_formula_results, write_xlsx

ROOT = Path(__file__).resolve().parents[2]


def refused_at(path: Path) -> dict[str, str]:
    with pytest.raises(Refused) as caught:
        prepare(path)
    return {p.where: p.message_ko for p in caught.value.problems}


def good_with(tmp_path: Path, cell: str, value, number_format: str | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "실적"
    for row in GOOD:
        ws.append(row)
    ws[cell] = value
    if number_format:
        ws[cell].number_format = number_format
    path = tmp_path / "return.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize("error", ["#DIV/0!", "#N/A", "#REF!", "#VALUE!", "#NAME?", "#NUM!"])
def test_an_error_value_in_a_figure_cell_is_refused_naming_the_cell(tmp_path, error):
    problems = refused_at(good_with(tmp_path, "E5", error))
    assert error in problems["실적!E5"]


def test_error_values_as_excel_saves_them_beside_their_formula(tmp_path):
    """Excel keeps a failed formula as <f>…</f> with t="e" and the error as its value."""
    path = write_xlsx(
        tmp_path / "f.xlsx",
        wide([["주베트남 대사관", "K-뷰티", "재외공관 협업 중소벤처기업 글로벌 진출사업", "=1/0", 4, 5, 80]]),
    )
    cache_formula_results(path, {"D5": 0})
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    sheet_xml = sheet_xml.replace('<c r="D5"', '<c r="D5" t="e"', 1).replace("<v>0</v>", "<v>#DIV/0!</v>", 1)
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    problems = refused_at(path)
    assert "#DIV/0!" in problems["실적!D5"]


def test_every_metric_has_a_plausible_maximum():
    ceilings = maxima()
    assert ceilings["satisfaction"] == 100
    assert set(ceilings) >= {"firms_supported", "export_value", "investment_value", "relief_cases"}


@pytest.mark.parametrize(
    ("cell", "value", "words"),
    [
        ("D5", 1e308, "한 행 최대"),
        ("D5", 250_000, "한 행 최대"),  # firms in one row
        ("F5", 5e11, "한 행 최대"),  # USD thousand: half a quadrillion dollars
        ("G5", 101, "0~100점"),
    ],
)
def test_an_implausible_figure_is_refused_naming_the_cell(tmp_path, cell, value, words):
    problems = refused_at(good_with(tmp_path, cell, value))
    assert words in problems[f"실적!{cell}"]


def test_money_is_checked_in_canonical_units(tmp_path):
    """200,000 백만달러 is 200,000,000 천달러: above the ceiling once converted, though small as written."""
    rows = wide(
        [["주베트남 대사관", "K-뷰티", "재외공관 협업 중소벤처기업 글로벌 진출사업", 12, 40, 200_000, 88]],
        header=["공관", "분야", "사업", "지원기업 수", "바이어 상담", "수출계약액(백만달러)", "만족도"],
    )
    problems = refused_at(write_xlsx(tmp_path / "m.xlsx", rows))
    assert "한 행 최대" in problems["실적!F5"]


def test_infinity_written_into_the_xml_never_reaches_the_figures(tmp_path):
    path = good_with(tmp_path, "E5", 7)
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"<v>7</v>", b"<v>1e999</v>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    problems = refused_at(path)
    assert "실적!E5" in problems


@pytest.mark.parametrize(
    "value",
    [datetime.datetime(2026, 1, 5), datetime.time(3, 0), datetime.timedelta(hours=30), 12],
    ids=["datetime", "time", "duration", "number-formatted-as-date"],
)
def test_a_date_formatted_figure_is_refused_naming_the_cell_not_the_sheet(tmp_path, value):
    path = good_with(tmp_path, "E5", value, number_format="yyyy-mm-dd" if value == 12 else None)
    problems = refused_at(path)
    assert "날짜·시간 형식" in problems["실적!E5"]
    assert "실적" not in problems  # no sheet-level failure


@pytest.mark.parametrize("invisible", ["\u200b", "\u200d", "\ufeff", "\u00ad", "\u2060", "\u200e"])
def test_invisible_format_characters_in_a_name_are_ignored(tmp_path, invisible):
    path = good_with(tmp_path, "A5", f"주베트남{invisible} 대사관")
    missions = {r["mission_code"] for r in prepare(path).rows.to_pylist()}
    assert "VN-HAN" in missions


@pytest.mark.parametrize(
    "look_alike", ["주베트남 대사관\u0430", "주베트남 대사관\u3164", "Embassy in Viet Nаm"]
)
def test_visible_look_alikes_stay_refused(tmp_path, look_alike):
    problems = refused_at(good_with(tmp_path, "A5", look_alike))
    assert "알 수 없는 공관" in problems["실적!A5"]


def test_a_huge_cell_is_cut_in_the_message(tmp_path):
    problems = refused_at(good_with(tmp_path, "A5", "가" * 30_000))
    message = problems["실적!A5"]
    assert len(message) < 300 and "자)" in message


def test_problem_messages_are_bounded_whatever_is_put_in():
    p = problem("실적", 5, 0, "가" * 10**6, "b" * 10**6)
    assert len(p.message_ko) <= 600 and len(p.message_en) <= 600


def test_control_characters_are_escaped_for_the_terminal():
    assert printable("a\x1b[2Jb\u202ec\n") == "a\\x1b[2Jb\\u202ec\\x0a"


@pytest.mark.process
def test_the_cli_escapes_a_hostile_file_name(tmp_path):
    name = "evil\x1b]0;owned\x07\u202eslx.xlsx"
    path = tmp_path / name
    path.write_text("not a workbook")
    run = subprocess.run(
        [sys.executable, "-m", "etl", "load", str(path), "--db", str(tmp_path / "w.duckdb")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert run.returncode == 1
    assert "\x1b" not in run.stderr and "\u202e" not in run.stderr
    assert "\\x1b" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(
    "error", ["#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"]
)
def test_newer_excel_error_values_are_refused_naming_the_cell_as_div0_is(tmp_path, error):
    """Excel 365's dynamic-array and data-type errors, saved as t="e" like #DIV/0!: the cell is named,
    not 'the sheet cannot be read (CalamineError)'."""
    path = write_xlsx(
        tmp_path / "f.xlsx",
        wide([["주베트남 대사관", "K-뷰티", "재외공관 협업 중소벤처기업 글로벌 진출사업", "=1/0", 4, 5, 80]]),
    )
    cache_formula_results(path, {"D5": 0})
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    sheet_xml = sheet_xml.replace('<c r="D5"', '<c r="D5" t="e"', 1).replace("<v>0</v>", f"<v>{error}</v>", 1)
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    problems = refused_at(path)
    assert error in problems["실적!D5"], problems
