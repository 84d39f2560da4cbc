"""One bounded, linear pass over a sheet's XML before fastexcel reads it.

Formula cells saved without their result are found here: Excel stores each formula's last value
beside it (<f>…</f><v>42</v>), but files written by scripts (openpyxl and the like) often leave
<v> out, and every reader then sees an empty cell that would quietly become "not reported".
Error values (#DIV/0!, #N/A …) are noted too, and the top rows are kept for etl.read.peek.

The part is inflated through etl.read.inflate (never more than it declares, CRC checked). Every
pattern here is anchored on '<' and matches nothing that can cross another '<' or '>', so each
byte is looked at a bounded number of times whatever the markup: unclosed tags, a row of 200,000
cells or 800,000 rows cost what their bytes cost. What is carried from one chunk to the next is
capped, so the pass stays linear however long a stretch without a closed cell is.
"""

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from etl.read.extent import Extent
from etl.read.inflate import inflate

HEAD_ROWS = 40  # etl.shape.layout.SCAN_ROWS: where a header may be
HEAD_BYTES = 4 * 1024**2
MAX_CARRY = 1024**2  # a cell's XML is far shorter (32,767 characters of text at most)
MAX_FOUND = 100_000  # formula or error cells noted per sheet; the checks report a few hundred

_P = rb"(?:[\w.-]{1,64}:)?"  # an optional namespace prefix (x:c)
# Possessive quantifiers (*+) never give back what they took, and none of them crosses '<' or '>'.
_ATTRS = rb"([^<>]*+)"
_FORMULA = rb"<" + _P + rb"f\b[^<>]*+(?:(?<=/)>|>[^<]*+</" + _P + rb"f\s*+>)"
_VALUE = rb"<" + _P + rb"v\b[^<>]*+(?:(?<=/)>|>([^<]*+)</" + _P + rb"v\s*+>)"
_FORMULA_CELL = re.compile(
    rb"<" + _P + rb"c\b" + _ATTRS + rb"(?<!/)>\s*+" + _FORMULA + rb"\s*+(?:" + _VALUE + rb")?"
)
# An error value (t="e"): the lookahead is atomic, so a cell tag is read at most twice.
_ERROR_CELL = re.compile(
    rb"<"
    + _P
    + rb"c\b(?=[^<>]*?\bt\s*+=\s*+[\"']e[\"'])"
    + _ATTRS
    + rb"(?<!/)>\s*+(?:"
    + _FORMULA
    + rb"\s*+)?"
    + _VALUE
)
_REF = re.compile(rb"\br\s*+=\s*+[\"']\$?([A-Za-z]{1,3})\$?(\d{1,7})[\"']")
_TYPE = re.compile(rb"\bt\s*+=\s*+[\"'](\w{1,16})[\"']")
_MERGE = re.compile(
    rb"<"
    + _P
    + rb"mergeCell\b[^<>]*?\bref\s*+=\s*+[\"']\$?([A-Za-z]{1,3})\$?(\d{1,7}):\$?([A-Za-z]{1,3})\$?(\d{1,7})"
)
_CLOSE = re.compile(rb"</" + _P + rb"c\s*+>")
_PREFIXED = re.compile(rb"<[\w.-]{1,64}:(?:c|row|sheetData)\b")


def col_index(letters: bytes) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + (ch - 64)
    return index - 1


def _position(attrs: bytes) -> tuple[int, int] | None:
    ref = _REF.search(attrs)
    return (int(ref.group(2)), col_index(ref.group(1))) if ref else None


def _uncached_in(segment: bytes) -> list[tuple[int, int]]:
    found = []
    for match in _FORMULA_CELL.finditer(segment):
        attrs, value = match.groups()
        kind = _TYPE.search(attrs)
        # A formula whose result is the empty string is cached as an empty <v></v> of type str.
        cached = value is not None and (
            value.strip() != b"" or (kind is not None and kind.group(1) == b"str")
        )
        if not cached:
            where = _position(attrs)
            if where:
                found.append(where)
    return found


def _errors_in(segment: bytes) -> list[tuple[int, int, str]]:
    found = []
    for match in _ERROR_CELL.finditer(segment):
        where = _position(match.group(1))
        if where and match.group(2):
            found.append((*where, match.group(2).decode("utf-8", "replace").strip()[:16]))
    return found


def _last_close(buffer: bytes, odd: bool) -> int:
    """Where the last closed cell ends (0 if none): a formula cell always closes, so no cut splits one."""
    plain = buffer.rfind(b"</c>")
    cut = plain + 4 if plain >= 0 else 0
    prefixed = buffer.rfind(b":c>", cut) if odd else -1  # </x:c>
    if prefixed >= 0:
        start = buffer.rfind(b"</", max(0, prefixed - 70), prefixed)
        if start >= 0 and _CLOSE.fullmatch(buffer, start, prefixed + 3):
            cut = prefixed + 3
    return cut


@dataclass
class SheetScan:
    """What one pass over a sheet's XML found: formulas without a value, error cells, the top rows' XML."""

    uncached: list[tuple[int, int]] = field(default_factory=list)  # (1-based row, 0-based column)
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # (row, column, '#DIV/0!')
    head: bytes = b""  # the XML of about the first HEAD_ROWS rows, for etl.read.peek
    has_cells: bool = False
    merges: set[tuple[int, int, int, int]] = field(default_factory=set)  # (row1, col1, row2, col2)
    # An upper bound of the rows and columns a reader's dense range spans (fastexcel allocates
    # rows × columns cells, however few hold a value), and the farthest cell (row, 0-based column).
    rows: int = 0
    columns: int = 0
    far_cell: tuple[int, int] | None = None

    @property
    def range_cells(self) -> int:
        return self.rows * self.columns


def _cells_of_interest(buffer: bytes, odd: bool) -> bool:
    """Whether a stretch may hold a formula or an error cell; `odd` for prefixed or single-quoted markup.

    Cell XML has no 'f' but the formula tag (text sits in the shared strings), so the memchr-fast
    one-byte test rules out almost every chunk; errors are one more search.
    """
    if b"f" in buffer and (b"<f" in buffer or (odd and b":f" in buffer)):
        return True
    # Every error value starts with '#' (#DIV/0!, #N/A …), which sheet XML otherwise rarely holds.
    return b"#" in buffer and (b't="e"' in buffer or (odd and (b"'e'" in buffer or b'"e"' in buffer)))


def _head_end(head: bytes) -> int | None:
    """Where the HEAD_ROWS-th row ends in `head`, if it does."""
    at = 0
    for _ in range(HEAD_ROWS):
        at = head.find(b"row>", at)
        if at < 0:
            return None
        at += 4
    return at


def scan_sheet(path: Path, zf: zipfile.ZipFile, part: str, name: str) -> SheetScan:
    """Inflate one sheet part (within its declared size), keeping its top rows and noting uncached formulas."""
    scan = SheetScan()
    head = bytearray()
    head_done = False
    carry = b""  # what follows the last closed cell of the previous chunk, at most MAX_CARRY
    previous = last = b""  # the last two chunks, where merged ranges sit
    odd = False
    extent = Extent()
    for chunk in inflate(path, zf.getinfo(part), name):
        extent.feed(chunk)
        if not head_done:
            head += chunk[: HEAD_BYTES - len(head)]
            odd = odd or b"'" in head[:65536] or _PREFIXED.search(head, 0, 65536) is not None
            end = _head_end(head)
            if end is not None:
                del head[end:]
            head_done = end is not None or len(head) >= HEAD_BYTES
        if not scan.has_cells:
            scan.has_cells = b"<v>" in chunk or b"<is>" in chunk or b":v>" in chunk or b":is>" in chunk
        buffer = carry + chunk if carry else chunk
        cut = _last_close(buffer, odd)
        if _cells_of_interest(buffer, odd) and len(scan.uncached) + len(scan.errors) < MAX_FOUND:
            scan.uncached += _uncached_in(buffer[:cut])
            scan.errors += _errors_in(buffer[:cut])
        carry = buffer[cut:][-MAX_CARRY:]
        previous, last = last, chunk
    if _cells_of_interest(carry, odd):
        scan.uncached += _uncached_in(carry)
        scan.errors += _errors_in(carry)
    # Merged ranges follow the cells, at the very end of the part: only the last chunks can hold them.
    for c1, r1, c2, r2 in _MERGE.findall(previous + last):
        scan.merges.add((int(r1), col_index(c1), int(r2), col_index(c2)))
    scan.head = bytes(head)
    # The extent a reader will allocate, from every row and cell reference whatever their order.
    extent.finish()
    scan.rows, scan.columns, scan.far_cell = extent.rows, extent.columns, extent.far_cell
    return scan
