"""The top rows of a sheet as text, read from its XML before fastexcel loads the sheet.

Knowing the header first lets fastexcel read the data rows with the right types (text for
names, numbers for figures), which is the difference between reading 200,000 rows as text and as
numbers. Cells are read as fastexcel would read them as text: shared and inline strings, numbers
as written (2026, not 2026.0).
"""

import re
import zipfile
from html import unescape
from pathlib import Path

from etl.read.sheetxml import inflate

_ROW = re.compile(rb"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_R = re.compile(rb'\br="(\d+)"')
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_TYPE = re.compile(rb'\bt="(\w+)"')
_V = re.compile(rb"<v\b[^>]*>(.*?)</v>", re.S)
_T = re.compile(rb"<t\b[^>]*>(.*?)</t>", re.S)
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.S)
_SI = re.compile(rb"<si\b[^>]*>(.*?)</si>|<si\s*/>", re.S)


def _col_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ch - 64)
    return index - 1


def _text(xml: bytes) -> str:
    """The text of a rich or plain string item: its <t> runs, without phonetic guides."""
    return unescape(b"".join(_T.findall(_PHONETIC.sub(b"", xml))).decode("utf-8"))


def _number(raw: str) -> str:
    try:
        value = float(raw)
    except ValueError:
        return raw
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else raw


def head_cells(xml: bytes, rows: int) -> list[tuple[int, int, str, str]]:
    """(1-based row, 0-based column, type, raw value) of the cells in the first `rows` rows."""
    cells = []
    row_no = 0
    for match in _ROW.finditer(xml):
        row_attrs, row_xml = match.groups()
        found = _R.search(row_attrs)
        row_no = int(found.group(1)) if found else row_no + 1
        if row_no > rows:
            break
        col = -1
        for attrs, inner in _CELL.findall(row_xml or b""):
            ref = _REF.search(attrs)
            col = _col_index(ref.group(1)) if ref else col + 1
            if not inner:
                continue
            kind = (_TYPE.search(attrs) or (None, b"n"))[1].decode()
            if kind == "inlineStr":
                raw = _text(inner)
            else:
                value = _V.search(inner)
                if value is None:
                    continue
                raw = unescape(value.group(1).decode("utf-8"))
            cells.append((row_no, col, kind, raw))
    return cells


def shared_strings(path: Path, zf: zipfile.ZipFile, wanted: set[int], name: str) -> dict[int, str]:
    """The shared strings with the given indices, inflating sharedStrings.xml only as far as needed."""
    part = next((n for n in ("xl/sharedStrings.xml", "xl/SharedStrings.xml") if n in zf.NameToInfo), None)
    if part is None or not wanted:
        return {}
    last = max(wanted)
    found: dict[int, str] = {}
    index = 0
    carry = b""
    for chunk in inflate(path, zf.getinfo(part), name):
        buffer = carry + chunk
        end = 0
        for match in _SI.finditer(buffer):
            if index in wanted:
                found[index] = _text(match.group(1) or b"")
            index += 1
            end = match.end()
            if index > last:
                return found
        carry = buffer[end:]
    return found


def top_rows(path: Path, zf: zipfile.ZipFile, head: bytes, rows: int, name: str) -> list[list[str | None]]:
    """The first `rows` rows as lists of stripped text (None for empty), indexed by absolute column."""
    cells = head_cells(head, rows)
    strings = shared_strings(path, zf, {int(raw) for _, _, kind, raw in cells if kind == "s"}, name)
    last_row = max((r for r, _, _, _ in cells), default=0)
    width = max((c for _, c, _, _ in cells), default=-1) + 1
    grid: list[list[str | None]] = [[None] * width for _ in range(last_row)]
    for row, col, kind, raw in cells:
        if kind == "s":
            text = strings.get(int(raw), "")
        elif kind == "n":
            text = _number(raw)
        elif kind == "b":
            text = "true" if raw == "1" else "false"
        else:
            text = raw
        text = text.strip()
        grid[row - 1][col] = text or None
    return grid
