"""A far cell is found wherever it sits in the sheet's XML, not only where an in-order sheet ends.

fastexcel allocates a dense range up to the farthest cell it places, by the cell's own reference:
a sheet whose <row> elements are out of order (or whose <dimension> lies) can put that cell in
the middle of the part. The workbooks here are written part by part with zipfile, as a tool that
does not sort its rows would write them. The CLI runs as its own process, so a check that missed
the cell would abort that process, not the tests.
"""

import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from etl.problems import column_letter
from etl.read import extent as extent_module
from etl.read.extent import Extent
from etl.read.sheetxml import col_index
from tests.support.returns import GOOD
from warehouse.connection import open_connection

ROOT = Path(__file__).resolve().parents[2]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _cell(ref: str, value) -> str:
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = str(value).replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _row(number: int, values: list) -> str:
    cells = "".join(_cell(f"{chr(65 + i)}{number}", v) for i, v in enumerate(values) if v is not None)
    return f'<row r="{number}">{cells}</row>'


def write_xlsx(path: Path, rows: list[str], dimension: str = "A1:G6") -> Path:
    """A minimal package whose one sheet ('실적') holds `rows` (<row> XML) in the order given."""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'
        f'<dimension ref="{dimension}"/><sheetData>{"".join(rows)}</sheetData></worksheet>'
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
            '<sheets><sheet name="실적" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text.encode("utf-8"))
    return path


def good_rows() -> list[str]:
    return [_row(i, values) for i, values in enumerate(GOOD, start=1) if values]


def cli_load(path: Path, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "etl", "load", str(path), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def warehouse(tmp_path) -> Path:
    db = tmp_path / "w.duckdb"
    open_connection(db).close()
    return db


@pytest.mark.process
def test_the_hand_built_return_loads_when_its_rows_are_in_order(tmp_path, warehouse):
    """The control: the same package without a far cell is a good return."""
    done = cli_load(write_xlsx(tmp_path / "ok.xlsx", good_rows()), warehouse)
    assert done.returncode == 0, done.stderr
    assert "적재" in done.stdout


def far_in_the_middle(far: str) -> list[str]:
    """The return, then 60,000 empty rows with `far` among them, out of order: past the top rows
    and more than a megabyte before the end, where a scan of the head and the tail would look."""
    filler = [f'<row r="{n}"/>' for n in range(10, 60_000)]
    return [*good_rows(), *filler[:100], far, *filler[100:]]


@pytest.mark.process
@pytest.mark.parametrize("where", ["middle", "first"])
def test_a_far_row_out_of_order_is_refused_naming_sheet_and_cell(tmp_path, warehouse, where):
    far = '<row r="1048000"><c r="XFD1048000"><v>1</v></c></row>'
    # Out of order: the far row comes before rows with smaller numbers, and the dimension lies.
    rows = far_in_the_middle(far) if where == "middle" else [far, *good_rows()]
    path = write_xlsx(tmp_path / "far.xlsx", rows, dimension="A1:G6")
    before = warehouse.read_bytes()
    done = cli_load(path, warehouse)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "사용 범위가 비정상적으로 넓어" in done.stderr
    assert "실적!XFD1048000" in done.stderr  # the sheet and the cell to clear
    assert warehouse.read_bytes() == before


@pytest.mark.process
def test_a_cell_placed_far_inside_a_near_row_is_refused(tmp_path, warehouse):
    """The reader places a cell by its own reference, whatever row element holds it."""
    rows = far_in_the_middle('<row r="7"><c r="XFD1040000"><v>1</v></c></row>')
    path = write_xlsx(tmp_path / "inside.xlsx", rows)
    before = warehouse.read_bytes()
    done = cli_load(path, warehouse)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "실적!XFD1040000" in done.stderr
    assert warehouse.read_bytes() == before


def _extent(xml: bytes, chunk: int) -> Extent:
    extent = Extent()
    for i in range(0, len(xml), chunk):
        extent.feed(xml[i : i + chunk])
    return extent.finish()


SHEET = b'<worksheet><sheetData><row r="1"><c r="A1"/></row>'


@pytest.mark.parametrize("chunk", [7, 4096, 3 * 1024**2])
@pytest.mark.parametrize(
    ("xml", "rows", "far"),
    [
        # 2 MB of ordinary rows, a far one in the middle, then more ordinary rows
        (
            SHEET
            + b"".join(b'<row r="%d"><c r="B%d"><v>1</v></c></row>' % (i, i) for i in range(2, 40_000))
            + b'<row r="900000"><c r="AB900000"/></row>'
            + b"".join(b'<row r="%d"><c r="B%d"/></row>' % (i, i) for i in range(40_000, 80_000)),
            900_000,
            (900_000, 27),
        ),
        (SHEET + b"<row r = '7'><c r = 'AA7'/></row>", 7, (7, 26)),  # spaces and single quotes
        (b'<x:sheetData><x:row r="4"><x:c r="AD4"/></x:row>', 4, (4, 29)),  # prefixed tags
        (SHEET + b"<row><c/></row>" * 5, 6, (1, 0)),  # rows without a reference follow the last one
    ],
    ids=["out of order", "spaces", "prefixed", "unreferenced rows"],
)
def test_the_extent_reads_every_reference_whatever_the_chunks(xml, rows, far, chunk):
    extent = _extent(xml, chunk)
    assert extent.rows == rows
    assert extent.far_cell == far


def test_cells_without_a_reference_widen_the_row_they_are_in():
    xml = SHEET + b'<row r="2">' + b"<c><v>1</v></c>" * 300 + b"</row>"
    for chunk in (5, 100_000):
        assert _extent(xml, chunk).columns == 26 + 300


# ---- the fast path must miss nothing a reader places ------------------------------------------------

# 2.5 MB of ordinary rows (more than one stretch), in which one odd cell is put in the middle.
ORDINARY = [b'<row r="%d"><c r="B%d" s="1"><v>1</v></c></row>' % (i, i) for i in range(2, 60_000)]


def _with(cell: bytes) -> bytes:
    middle = len(ORDINARY) // 2
    return (
        SHEET + b"".join(ORDINARY[:middle]) + b'<row r="7">' + cell + b"</row>" + b"".join(ORDINARY[middle:])
    )


@pytest.mark.parametrize(
    ("cell", "far"),
    [
        (b'<c r ="XFD900000"/>', (900_000, 16_383)),  # a space before '='
        (b'<c r= "XFD900000"/>', (900_000, 16_383)),  # a space after it
        (b'<c\tr="XFD900000"/>', (900_000, 16_383)),  # a tab before the name
        (b'<c\nr="XFD900000"/>', (900_000, 16_383)),
        (b'<c r="xfd900000"/>', (900_000, 16_383)),  # lower case
        (b'<c s="1" r="XFD900000"/>', (900_000, 16_383)),  # not the first attribute
        (b'<c  r="XFD900000"/>', (900_000, 16_383)),  # two spaces
        (b"<c r='XFD900000'/>", (900_000, 16_383)),
        (b'<c r="$XFD$900000"/>', (900_000, 16_383)),
        (b'<x:c r="XFD900000"/>', (900_000, 16_383)),  # a prefixed cell among plain ones
        (b'<c r="XFD0900000"/>', (900_000, 16_383)),  # a leading zero: still 7 digits
    ],
)
def test_a_far_cell_written_oddly_in_an_ordinary_sheet_is_found(cell, far):
    for chunk in (65_536, 8 * 1024**2):
        extent = _extent(_with(cell), chunk)
        assert extent.rows >= far[0] and extent.columns >= far[1] + 1
        assert extent.far_cell == far


@pytest.mark.parametrize(
    "cell",
    [
        b'<c r="XFD12345678"/>',  # more digits than Excel has rows
        b'<c r="ABCDEFGH1"/>',  # more letters than Excel has columns
        b'<c r="A1x"/>',  # not a reference a reader can place
        b'<c r="A 1"/>',
    ],
)
def test_a_reference_the_fast_path_cannot_read_counts_as_far(cell):
    extent = _extent(_with(cell), 1024**2)
    assert extent.rows * extent.columns > 20_000_000


def test_cells_without_a_reference_inside_an_ordinary_stretch_widen_their_row():
    extent = _extent(_with(b"<c><v>1</v></c>" * 40), 1024**2)
    assert extent.columns == 26 + 40
    unreferenced_rows = _extent(_with(b"</row><row><c/></row><row><c/>"), 1024**2)
    assert unreferenced_rows.rows == 59_999 + 2  # the last row, and one more for each


def test_a_megabyte_without_markup_counts_as_far():
    """No tag boundary to cut at: a reference in it could be cut in two, so nothing is trusted."""
    xml = SHEET + b'<row r="2"><c r="A2"' + b" " * (2 * 1024**2) + b' t="n"><v>1</v></c></row>'
    extent = _extent(xml, 1024**2)
    assert extent.rows * extent.columns > 20_000_000


def _naive(xml: bytes) -> tuple[int, int]:
    """The largest row and column of every r attribute, read the slow and obvious way."""
    rows = columns = 0
    for match in re.finditer(rb"""(?<=\s)r\s*=\s*["']\$?([A-Za-z]*)\$?(\d*)["']""", xml):
        letters, digits = match.groups()
        rows = max(rows, int(digits or 0))
        columns = max(columns, col_index(letters) + 1 if letters else 0)
    return rows, columns


def _random_sheet(rng: random.Random) -> bytes:
    """Rows out of order, each cell's reference written one of the ways readers accept."""
    forms = [b'<c r="%s">', b'<c r="%s" s="2">', b'<c s="2" r="%s">', b"<c r = '%s'>", b'<c\nr="%s">']
    parts = [SHEET]
    for _ in range(rng.randrange(50, 400)):
        row = rng.choice([rng.randrange(1, 100), rng.randrange(1, 1_048_577)])
        parts.append(b'<row r="%d">' % row)
        for _ in range(rng.randrange(0, 6)):
            column = rng.choice([rng.randrange(0, 30), rng.randrange(0, 16_384)])
            ref = (column_letter(column) + str(rng.choice([row, rng.randrange(1, 1_048_577)]))).encode()
            form = rng.choice(forms[:3]) if rng.random() < 0.97 else rng.choice(forms)
            parts.append(form % ref + b"<v>1</v></c>")
        parts.append(b"</row>")
    return b"".join(parts) + b"</sheetData></worksheet>"


@pytest.mark.parametrize("seed", range(40))
def test_stretches_of_any_size_read_what_the_whole_reads(monkeypatch, seed):
    """Cut into stretches of a few hundred bytes, every reference sits near some cut: the
    extent is still the farthest of them all, as a plain regular expression finds it."""
    rng = random.Random(seed)
    xml = _random_sheet(rng)
    rows, columns = _naive(xml)
    whole = _extent(xml, len(xml))
    assert (whole.rows, max(whole.columns, 26)) == (rows, max(columns, 26))
    monkeypatch.setattr(extent_module, "MIN_STRETCH", rng.randrange(16, 600))
    for chunk in (1, rng.randrange(2, 50), rng.randrange(50, 5000)):
        cut = _extent(xml, chunk)
        assert (cut.rows, cut.columns, cut.far_cell) == (whole.rows, whole.columns, whole.far_cell)
