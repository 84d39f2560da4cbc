"""Real .xlsx returns and an AppTest driver for the upload, history, targets and reference tests."""

from __future__ import annotations

import io
import re
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import streamlit as st
from streamlit.testing.v1 import AppTest

from etl.workbooks.template import DATA_SHEET, HEADER_ROW, write_template
from warehouse.connection import connection

ROOT = Path(__file__).resolve().parents[2]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROGRAM = "재외공관 협업 중소벤처기업 글로벌 진출사업"


def filled_return(path: Path, rows: list[list], *, year: int, quarter: int, agency: str) -> bytes:
    """The official template with cover cells set and `rows` typed under the header, as bytes."""
    write_template(path, year=year, quarter=quarter, agency=agency)
    wb = openpyxl.load_workbook(path)
    ws = wb[DATA_SHEET]
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        for c, value in enumerate(row, start=1):
            ws.cell(r, c, value)
    wb.save(path)
    return path.read_bytes()


def good_return(tmp: Path, *, quarter: int = 2, firms: int = 12, name: str = "good.xlsx") -> bytes:
    """mofa, 2026 Q`quarter`: two missions, firms / buyer meetings / contracts / export value."""
    return filled_return(
        tmp / name,
        [
            ["주베트남 대사관", "K-뷰티", PROGRAM, firms, 40, 3, 250.5],
            ["주호치민 총영사관", "바이오", PROGRAM, 5, 8, 0, 0],
        ],
        year=2026,
        quarter=quarter,
        agency="mofa",
    )


def bad_return(tmp: Path) -> bytes:
    """A negative count at E6, text in a number cell at G6, an unknown mission at A7."""
    return filled_return(
        tmp / "bad.xlsx",
        [
            ["주베트남 대사관", "K-뷰티", PROGRAM, 12, -4, 3, "abc"],
            ["주아틀란티스 대사관", "바이오", PROGRAM, 5, 8, 0, 0],
        ],
        year=2026,
        quarter=2,
        agency="mofa",
    )


HOSTILE_SHEET = "<img src=x onerror=alert(1)>"  # Excel allows it: no [ ] : * ? / \\ in it
HOSTILE_MISSION = "![](http://x/p.png) **굵게** <b>x</b> :red[빨강] $x$"


def hostile_return(tmp: Path) -> bytes:
    """bad_return's problems in a sheet named like an HTML tag, with a mission named in Markdown."""
    path = tmp / "hostile.xlsx"
    filled_return(
        path,
        [
            ["주베트남 대사관", "K-뷰티", PROGRAM, 12, -4, 3, 1],
            [HOSTILE_MISSION, "바이오", PROGRAM, 5, 8, 0, 0],
        ],
        year=2026,
        quarter=2,
        agency="mofa",
    )
    wb = openpyxl.load_workbook(path)
    wb[DATA_SHEET].title = HOSTILE_SHEET
    wb.save(path)
    return path.read_bytes()


_SEED: list[Path] = []


def seed_warehouse(db: Path, tmp: Path) -> None:
    """A small warehouse at `db`: mofa's 2026 Q1 return (4 figures), loaded through the loader.

    Built once per test session and copied, since the reference load and template cost ~2 s.
    """
    from etl import intake

    if not _SEED:
        seed_dir = Path(tempfile.mkdtemp(prefix="upload_seed_"))
        path = seed_dir / "seed_2026q1.xlsx"
        filled_return(
            path,
            [["주베트남 대사관", "K-뷰티", PROGRAM, 10, 20, 2, 100.0]],
            year=2026,
            quarter=1,
            agency="mofa",
        )
        with connection(seed_dir / "seed.duckdb") as con:
            intake.load(con, path, intake.Actor("seed"))
        _SEED.append(seed_dir / "seed.duckdb")
    shutil.copyfile(_SEED[0], db)


def serve_to_analyst(monkeypatch, db: Path) -> None:
    """The dashboard on `db`, for MOFA's analyst in local mode (no agency pinned)."""
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_ROLE", "analyst")
    monkeypatch.setenv("DASHBOARD_USER", "analyst@mofa.test")
    for name in ("DASHBOARD_AGENCY", "DASHBOARD_MISSIONS"):
        monkeypatch.delenv(name, raising=False)


def app(page: str | None = None, lang: str | None = None) -> AppTest:
    """The dashboard opened at `page` (a path under views/, as its URL would), run once."""
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if lang:
        at.query_params["lang"] = lang
    if page:
        at.switch_page(page)  # before the first run the page is found by its file name, like a URL
    return at.run()


def page_alone(page: str) -> AppTest:
    """A page file run by itself, outside dashboard.py's navigation: it must still refuse by itself."""
    st.cache_data.clear()
    return AppTest.from_file(str(ROOT / page), default_timeout=60).run()


def shown(markdown: object) -> str:
    """Markdown text as a reader sees it: ui.text.plain's backslash escapes and hard breaks taken out."""
    return re.sub(r"\\(.)", r"\1", str(markdown)).replace("  \n", "\n")


def texts(elements) -> str:
    return "\n".join(shown(e.value) for e in elements)


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


class _Cells(HTMLParser):
    """Rows of <th>/<td> text from ui.text_table's HTML; entities read back to the characters shown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def text_tables(at: AppTest) -> list[pd.DataFrame]:
    """Every ui.text_table table on the page (st.html), as the frames a reader sees."""
    from ui.text_table import CLASS

    frames = []
    for element in at.get("html"):
        body = element.proto.body
        if f'class="{CLASS}"' not in body:
            continue
        parser = _Cells()
        parser.feed(body)
        header, *rows = parser.rows
        frames.append(pd.DataFrame(rows, columns=header, dtype="str"))
    return frames


GBC = "해외 비즈니스센터(GBC)"
# One agency's return for 2026 Q4 (the open quarter of the demo): KOSME's GBC at three missions.
Q4_SLICES = (("kosme", "AE-AUH"), ("kosme", "AU-CBR"), ("kosme", "CN-BJS"))


def demo_with_one_agency_q4(demo_db: Path, tmp: Path) -> Path:
    """A copy of the demo warehouse (closed through 2026 Q3) with KOSME's 2026 Q4 return for three
    missions loaded through the real loader: the open quarter's coverage is 3 of 40 missions."""
    from etl import intake

    db = tmp / "demo_q4.duckdb"
    shutil.copyfile(demo_db, db)
    path = tmp / "kosme_2026q4.xlsx"
    filled_return(
        path,
        [
            ["주아랍에미리트 대사관", "K-뷰티", GBC, 30, 50, 10, 200.0],
            ["주호주 대사관", "바이오", GBC, 20, 30, 5, 100.0],
            ["주중국 대사관", "바이오", GBC, 25, 30, 5, 150.0],
        ],
        year=2026,
        quarter=4,
        agency="kosme",
    )
    with connection(db) as con:
        intake.load(con, path, intake.Actor("kosme-analyst"))
    return db
