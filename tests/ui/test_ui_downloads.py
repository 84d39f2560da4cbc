"""Downloads (ui/downloads.py): the same table, text that could run as a formula neutralised."""

import io

import openpyxl
import pandas as pd
import pytest

from ui.downloads import file_stem, neutralise, safe_frame, to_csv, to_excel


@pytest.fixture
def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "공관": ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "주베트남 대사관"],
            "실적": [1.5, -2.0, 3.0, None, 1234.0],
            "건수": pd.array([1, 2, None, 4, 5], dtype="Int64"),
            "=헤더": ["a", "\tb", "＝c", None, "d-e"],
        }
    )


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1", "@x", "\t=1", "\r=1", "＝1"])
def test_formula_text_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["주베트남 대사관", "a=b", "", 5, -5.0, None])
def test_other_values_are_untouched(value):
    assert neutralise(value) == value


def test_safe_frame_keeps_numbers_and_shape(table):
    safe = safe_frame(table)
    assert safe.shape == table.shape
    assert list(safe.columns) == ["공관", "실적", "건수", "'=헤더"]
    assert safe["공관"].tolist()[:4] == [
        '\'=HYPERLINK("http://x")',
        "'+cmd|' /C calc'!A0",
        "'-2+3",
        "'@SUM(A1)",
    ]
    assert safe["실적"].tolist()[1] == -2.0  # a negative number is a number, not a formula
    assert table["공관"].iloc[0].startswith("=")  # the shown table is not modified


def test_csv_round_trip(table):
    data = to_csv(table)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back.shape == table.shape
    assert back["공관"].tolist()[0] == '\'=HYPERLINK("http://x")'
    assert back["'=헤더"].tolist()[1] == "'\tb"
    assert back["실적"].tolist()[4] == "1234.0"


def test_excel_has_no_formula_cells_and_same_values(table):
    wb = openpyxl.load_workbook(io.BytesIO(to_excel(table, sheet="분야별/목표")))
    ws = wb.active
    assert ws.title == "분야별 목표"
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("공관", "실적", "건수", "'=헤더")
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    assert rows[2][1] == -2.0
    assert rows[4][1] is None  # not reported stays empty, not zero
    assert rows[5] == ("주베트남 대사관", 1234.0, 5, "d-e")
    assert len(rows) == len(table) + 1


def test_file_stem():
    assert file_stem("분야별", "2026 1–3분기") == "분야별_2026_1–3분기"
    assert file_stem("=cmd", "a/b") == "cmd_a_b"
