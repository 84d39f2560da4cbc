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

from etl.read.inflate import inflate

HEAD_ROWS = 40  # etl.layout.SCAN_ROWS: where a header may be
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


def _last_close(buffer: bytes) -> int:
    """Where the last closed cell ends (0 if none): a formula cell always closes, so no cut splits one."""
    plain = buffer.rfind(b"</c>")
    cut = plain + 4 if plain >= 0 else 0
    prefixed = buffer.rfind(b":c>")  # </x:c>
    if prefixed + 3 > cut:
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


def _cells_of_interest(buffer: bytes) -> bool:
    # Cell XML has no 'f' but the formula tag (text sits in the shared strings), so the memchr-fast
    # one-byte test rules out almost every chunk before the two-byte searches.
    return (b"f" in buffer and (b"<f" in buffer or b":f" in buffer)) or b"'e'" in buffer or b'"e"' in buffer


def scan_sheet(path: Path, zf: zipfile.ZipFile, part: str, name: str) -> SheetScan:
    """Inflate one sheet part (within its declared size), keeping its top rows and noting uncached formulas."""
    scan = SheetScan()
    head = bytearray()
    head_done = False
    carry = b""  # what follows the last closed cell of the previous chunk, at most MAX_CARRY
    previous = last = b""  # the last two chunks, where merged ranges sit
    for chunk in inflate(path, zf.getinfo(part), name):
        if not head_done:
            head += chunk[: HEAD_BYTES - len(head)]
            head_done = len(head) >= HEAD_BYTES or head.count(b"</row>") >= HEAD_ROWS
        if not scan.has_cells:
            scan.has_cells = b"<v>" in chunk or b"<is>" in chunk or b":v>" in chunk or b":is>" in chunk
        buffer = carry + chunk if carry else chunk
        cut = _last_close(buffer)
        if _cells_of_interest(buffer) and len(scan.uncached) + len(scan.errors) < MAX_FOUND:
            scan.uncached += _uncached_in(buffer[:cut])
            scan.errors += _errors_in(buffer[:cut])
        carry = buffer[cut:][-MAX_CARRY:]
        previous, last = last, chunk
    if _cells_of_interest(carry):
        scan.uncached += _uncached_in(carry)
        scan.errors += _errors_in(carry)
    # Merged ranges follow the cells, at the very end of the part: only the last chunks can hold them.
    for c1, r1, c2, r2 in _MERGE.findall(previous + last):
        scan.merges.add((int(r1), col_index(c1), int(r2), col_index(c2)))
    scan.head = bytes(head)
    return scan
