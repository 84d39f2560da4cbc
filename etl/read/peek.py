"""The top rows of a sheet as text, read from its XML before fastexcel loads the sheet.

Knowing the header first lets fastexcel read the data rows with the right types (text for
names, numbers for figures), which is the difference between reading 200,000 rows as text and as
numbers. Cells are read as fastexcel would read them as text: shared and inline strings, numbers
as written (2026, not 2026.0).

Both passes (the sheet's first rows, the shared strings up to the last one those rows use) run
expat over bytes already bounded by etl.read.sheetxml and etl.read.inflate: one linear pass that
stops as soon as it has what it needs. Markup no reader would accept is a refusal.
"""

import re
import zipfile
from pathlib import Path

from etl.read.inflate import damaged_part, inflate
from etl.read.xml import BadXml, attr, feed, parser

MAX_COLUMNS = 16_384  # Excel's last column, XFD
MAX_HEAD_CELLS = 50_000  # 40 rows of 1,250 columns; a header is never that wide
MAX_HEAD_ELEMENTS = 100_000  # the elements of those cells (c, v, is, t); the rest is not a table's top
MAX_TEXT = 32_767  # Excel's limit on a cell's text


class _Enough(Exception):
    """Raised from a handler to stop expat once the wanted rows or strings are read."""


def _col_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + (ord(ch) - 64)
    return index - 1


_REF = re.compile(r"\$?([A-Za-z]{1,3})?\$?([0-9]{1,7})?")


def _ref(value: str | None) -> tuple[int | None, int | None]:
    """'B12' as (row 12, column 1); None for parts that are missing or out of range."""
    match = _REF.fullmatch(value) if value else None
    if match is None:
        return None, None
    letters, digits = match.groups()
    return (int(digits) if digits else None), (_col_index(letters) if letters else None)


def _number(raw: str) -> str:
    try:
        value = float(raw)
    except ValueError:
        return raw
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else raw


class _Text:
    """The <t> runs of a string item, without phonetic guides (<rPh>), capped at Excel's length."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.in_t = False
        self.phonetic = 0

    def start(self, tag: str) -> None:
        if tag == "rPh":
            self.phonetic += 1
        elif tag == "t" and not self.phonetic:
            self.in_t = True

    def end(self, tag: str) -> None:
        if tag == "rPh":
            self.phonetic = max(0, self.phonetic - 1)
        elif tag == "t":
            self.in_t = False

    def add(self, data: str) -> None:
        if self.in_t and self.size < MAX_TEXT:
            self.parts.append(data)
            self.size += len(data)

    def value(self) -> str:
        return "".join(self.parts)[:MAX_TEXT]


def head_cells(xml: bytes, rows: int) -> list[tuple[int, int, str, str]]:
    """(1-based row, 0-based column, type, raw value) of the cells in the first `rows` rows.

    BadXml if the markup before those rows is not well-formed.
    """
    cells: list[tuple[int, int, str, str]] = []
    state = {"row": 0, "col": -1, "kind": "n", "in_cell": False, "in_v": False, "elements": 0}
    value: list[str] = []
    inline: _Text | None = None

    def emit() -> None:
        nonlocal inline
        if state["in_cell"] and 0 <= state["col"] < MAX_COLUMNS:
            if state["kind"] == "inlineStr" and inline is not None:
                cells.append((state["row"], state["col"], "inlineStr", inline.value()))
            elif value:
                cells.append((state["row"], state["col"], state["kind"], "".join(value)[:MAX_TEXT]))
            if len(cells) >= MAX_HEAD_CELLS:
                raise _Enough
        state["in_cell"] = False
        value.clear()
        inline = None

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal inline
        state["elements"] += 1
        if state["elements"] > MAX_HEAD_ELEMENTS:
            raise _Enough
        if tag == "row":
            emit()
            row, _ = _ref(attr(attrs, "r"))
            state["row"] = row if row else state["row"] + 1
            state["col"] = -1
            if state["row"] > rows:
                raise _Enough
        elif tag == "c":
            emit()
            row, col = _ref(attr(attrs, "r"))
            if row is not None and row != state["row"]:
                state["row"] = row
                if row > rows:
                    raise _Enough
            state["col"] = col if col is not None else state["col"] + 1
            state["kind"] = attr(attrs, "t") or "n"
            state["in_cell"] = True
        elif tag == "v" and state["in_cell"]:
            state["in_v"] = True
            value.clear()
        elif tag == "is" and state["in_cell"]:
            inline = _Text()
        elif inline is not None:
            inline.start(tag)

    def end(tag: str) -> None:
        if tag == "c":
            emit()
        elif tag == "v":
            state["in_v"] = False
        elif inline is not None:
            inline.end(tag)

    def text(data: str) -> None:
        if state["in_v"]:
            if sum(map(len, value)) < MAX_TEXT:
                value.append(data)
        elif inline is not None:
            inline.add(data)

    try:
        feed(parser(start, end, text), xml)
        emit()
    except _Enough:
        pass
    return [c for c in cells if 1 <= c[0] <= rows]


_SST_START = re.compile(rb"<([\w.-]{1,64}:)?sst\b")
MAX_ITEM_BYTES = 4 * 1024**2  # one string item's XML; Excel's longest is a fraction of that


def _item_text(item: bytes) -> str:
    """The text of one <si>…</si>, parsed on its own (a prefix needs no declaration: names are not resolved)."""
    text = _Text()
    try:
        feed(parser(lambda tag, _a: text.start(tag), text.end, text.add), item, final=True)
    except BadXml:
        return ""
    return text.value()


def shared_strings(path: Path, zf: zipfile.ZipFile, wanted: set[int], name: str) -> dict[int, str]:
    """The shared strings with the given indices, inflating sharedStrings.xml only as far as needed.

    Items are counted by their closing tags at C speed and only the wanted ones are parsed, so a
    table of millions of tiny items costs what its bytes cost.
    """
    part = next((n for n in ("xl/sharedStrings.xml", "xl/SharedStrings.xml") if n in zf.NameToInfo), None)
    if part is None or not wanted:
        return {}
    pending = sorted(wanted, reverse=True)  # the next wanted index is pending[-1]
    found: dict[int, str] = {}
    index = 0  # items that ended before `carry`
    carry = b""
    opening = close = b""
    # Verified to the byte by etl.read.safety beforehand; read here only as far as the last wanted item.
    for chunk in inflate(path, zf.getinfo(part), name, verify=False):
        buffer = carry + chunk if carry else chunk
        if not close:
            start = _SST_START.search(buffer)
            if start is None:
                carry = buffer[-MAX_ITEM_BYTES:]
                continue
            opening = b"<" + (start.group(1) or b"") + b"si"
            close = b"</" + (start.group(1) or b"") + b"si>"
        ends = buffer.count(close)
        pos = 0
        while pending and pending[-1] < index + ends:
            # Walk item by item to the wanted one; each find starts where the last one ended.
            while index < pending[-1]:
                pos = buffer.find(close, pos) + len(close)
                index, ends = index + 1, ends - 1
            end = buffer.find(close, pos) + len(close)
            begin = buffer.rfind(opening, pos, end)
            found[index] = _item_text(buffer[begin:end]) if begin >= 0 else ""
            while pending and pending[-1] <= index:
                pending.pop()
            pos, index, ends = end, index + 1, ends - 1
        if not pending:
            break
        if ends:
            index += ends
            pos = buffer.rfind(close) + len(close)
        carry = buffer[pos:][-MAX_ITEM_BYTES:]
    return found


def top_rows(
    path: Path, zf: zipfile.ZipFile, head: bytes, rows: int, name: str, sheet: str = ""
) -> list[list[str | None]]:
    """The first `rows` rows as lists of stripped text (None for empty), indexed by absolute column."""
    try:
        cells = head_cells(head, rows)
    except BadXml as exc:
        raise damaged_part(
            name, sheet or "sheet", "XML 구조가 깨져 있습니다", f"is not well-formed XML ({exc})"
        ) from exc
    shared = {
        int(raw) for _, _, kind, raw in cells if kind == "s" and raw.strip().isdigit() and len(raw) < 10
    }
    strings = shared_strings(path, zf, shared, name)
    last_row = max((r for r, _, _, _ in cells), default=0)
    width = max((c for _, c, _, _ in cells), default=-1) + 1
    grid: list[list[str | None]] = [[None] * width for _ in range(last_row)]
    for row, col, kind, raw in cells:
        if kind == "s":
            key = raw.strip()
            text = strings.get(int(key), "") if key.isdigit() and len(key) < 10 else ""
        elif kind == "n":
            text = _number(raw)
        elif kind == "b":
            text = "true" if raw == "1" else "false"
        else:
            text = raw
        text = text.strip()
        grid[row - 1][col] = text or None
    return grid
