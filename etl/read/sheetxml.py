"""Reading an .xlsx package directly, where fastexcel does not tell us enough.

Which part holds which sheet and which sheets are hidden come from xl/workbook.xml. Formula cells
saved without their result are found in the sheet XML: Excel stores each formula's last value
beside it (<f>…</f><v>42</v>), but files written by scripts (openpyxl and the like) often leave
<v> out, and every reader then sees an empty cell that would quietly become "not reported".

Sheet parts are inflated here by hand, in bounded chunks, before fastexcel reads them: a part
that inflates beyond the size its zip entry declares is a disguised zip bomb and is refused.
"""

import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

from etl.problems import Refused, problem

MAX_XML_PART_BYTES = 8 * 1024**2  # workbook.xml and its rels: a few KB in practice
CHUNK_IN = 1024**2
CHUNK_OUT = 8 * 1024**2
HEAD_ROWS = 40  # etl.layout.SCAN_ROWS: where a header may be
HEAD_BYTES = 4 * 1024**2

_SHEET_TAG = re.compile(rb"<sheet\b[^>]*>")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_REL_TAG = re.compile(rb"<Relationship\b[^>]*>")
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_FORMULA = re.compile(rb"<f\b")
_VALUE = re.compile(rb"<v\s*>([^<]*)</v>")
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_TYPE = re.compile(rb'\bt="(\w+)"')


def _read_small(zf: zipfile.ZipFile, part: str) -> bytes:
    if zf.getinfo(part).file_size > MAX_XML_PART_BYTES:
        return b""
    return zf.read(part)


def _sheet_tags(zf: zipfile.ZipFile) -> list[dict[bytes, bytes]]:
    try:
        workbook = _read_small(zf, "xl/workbook.xml")
    except KeyError:
        return []
    return [dict(_ATTR.findall(tag)) for tag in _SHEET_TAG.findall(workbook)]


def _sheet_name(attrs: dict[bytes, bytes]) -> str:
    return unescape(attrs.get(b"name", b"").decode("utf-8"))


def hidden_sheets(zf: zipfile.ZipFile) -> set[str]:
    """Sheets marked hidden or very hidden: lists behind dropdowns, never results."""
    return {_sheet_name(a) for a in _sheet_tags(zf) if a.get(b"state", b"visible") != b"visible"}


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part (xl/worksheets/sheet1.xml), from workbook.xml and its relationships."""
    try:
        rels = _read_small(zf, "xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for tag in _REL_TAG.findall(rels):
        attrs = dict(_ATTR.findall(tag))
        target = attrs.get(b"Target", b"").decode()
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
        targets[attrs.get(b"Id", b"")] = target
    parts = {}
    for attrs in _sheet_tags(zf):
        rid = next((v for k, v in attrs.items() if k.endswith(b":id") or k == b"id"), b"")
        if rid in targets:
            parts[_sheet_name(attrs)] = targets[rid]
    return parts


def _disguised(name: str, part: str) -> Refused:
    return Refused(
        name,
        [
            problem(
                None,
                None,
                None,
                f"파일 내부 '{part}'가 표시된 크기보다 크게 풀려 열지 않았습니다 (손상되었거나 위장된 압축 파일).",
                f"refused: part '{part}' inflates beyond the size it declares (damaged or a disguised zip bomb)",
                "원본 파일을 Excel에서 열어 다시 저장한 뒤 제출하세요.",
                "Open the original in Excel, save it again and submit that file.",
            )
        ],
    )


def inflate(path: Path, info: zipfile.ZipInfo, name: str) -> Iterator[bytes]:
    """The bytes of one zip entry, never more than it declares (Refused if the data says otherwise)."""
    with open(path, "rb") as fh:
        fh.seek(info.header_offset)
        head = fh.read(30)
        if len(head) < 30 or head[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"bad local header for {info.filename}")
        name_len, extra_len = struct.unpack("<HH", head[26:30])
        fh.seek(info.header_offset + 30 + name_len + extra_len)
        left = info.compress_size
        if info.compress_type == zipfile.ZIP_STORED:
            while left > 0:
                data = fh.read(min(CHUNK_OUT, left))
                if not data:
                    return
                left -= len(data)
                yield data
            return
        if info.compress_type != zipfile.ZIP_DEFLATED:
            raise zipfile.BadZipFile(f"unsupported compression {info.compress_type}")
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        produced = 0
        while not inflater.eof:
            if inflater.unconsumed_tail:
                data = inflater.unconsumed_tail
            elif left > 0:
                data = fh.read(min(CHUNK_IN, left))
                left -= len(data)
                if not data:
                    return
            else:
                return
            out = inflater.decompress(data, CHUNK_OUT)
            produced += len(out)
            if produced > info.file_size:
                raise _disguised(name, info.filename)
            yield out


def _col_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ch - 64)
    return index - 1


def _uncached_in(segment: bytes) -> list[tuple[int, int]]:
    found = []
    for attrs, inner in _CELL.findall(segment):
        if not inner or not _FORMULA.search(inner):
            continue
        value = _VALUE.search(inner)
        kind = _TYPE.search(attrs)
        # A formula whose result is the empty string is cached as an empty <v></v> of type str.
        cached = value is not None and (
            value.group(1) != b"" or (kind is not None and kind.group(1) == b"str")
        )
        if not cached:
            ref = _REF.search(attrs)
            if ref:
                found.append((int(ref.group(2)), _col_index(ref.group(1))))
    return found


@dataclass
class SheetScan:
    """What one pass over a sheet's XML found: formulas without a value, the top rows' XML, any cells."""

    uncached: list[tuple[int, int]] = field(default_factory=list)  # (1-based row, 0-based column)
    head: bytes = b""  # the XML of about the first HEAD_ROWS rows, for etl.read.peek
    has_cells: bool = False
    merges: set[tuple[int, int, int, int]] = field(default_factory=set)  # (row1, col1, row2, col2)


_MERGE = re.compile(rb'<mergeCell\b[^>]*\bref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def scan_sheet(path: Path, zf: zipfile.ZipFile, part: str, name: str) -> SheetScan:
    """Inflate one sheet part (within its declared size), keeping its top rows and noting uncached formulas.

    The cell regex runs only on stretches that hold a formula at all, which in a plain data sheet
    is none of them, so the cost is the inflating.
    """
    scan = SheetScan()
    head = bytearray()
    carry = b""  # the unfinished row at the end of the previous chunk
    previous = last = b""  # the last two chunks
    for chunk in inflate(path, zf.getinfo(part), name):
        if len(head) < HEAD_BYTES and head.count(b"</row>") < HEAD_ROWS:
            head += chunk[:HEAD_BYTES]
        if not scan.has_cells:
            scan.has_cells = b"<v>" in chunk or b"<is>" in chunk
        # Cell XML has no 'f' but the formula tag (text sits in the shared strings), so the
        # memchr-fast one-byte test rules out almost every chunk before the two-byte search.
        if (b"f" in chunk and b"<f" in chunk) or b"<f" in carry or b"<f" in carry[-1:] + chunk[:1]:
            buffer = carry + chunk
            cut = buffer.rfind(b"</row>")
            cut = cut + len(b"</row>") if cut >= 0 else 0
            scan.uncached += _uncached_in(buffer[:cut])
            carry = buffer[cut:]
        else:
            cut = chunk.rfind(b"</row>")
            carry = chunk[cut + len(b"</row>") :] if cut >= 0 else carry + chunk
        previous, last = last, chunk
    if b"<f" in carry:
        scan.uncached += _uncached_in(carry)
    # Merged ranges follow the cells, at the very end of the part: only the last chunks can hold them.
    for c1, r1, c2, r2 in _MERGE.findall(previous + last):
        scan.merges.add((int(r1), _col_index(c1), int(r2), _col_index(c2)))
    scan.head = bytes(head[:HEAD_BYTES])
    return scan
