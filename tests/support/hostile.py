"""Workbooks an attacker (or a broken tool) would send, and odd ones a valid writer may produce.

Each is built from a real openpyxl workbook by rewriting its parts, or its zip bytes where the
damage is in the container itself (a CRC, a flag, a compression method). All are small.
"""

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

SHEET = "xl/worksheets/sheet1.xml"
WORKBOOK = "xl/workbook.xml"
RELS = "xl/_rels/workbook.xml.rels"
SST = "xl/sharedStrings.xml"
STYLES = "xl/styles.xml"
THEME = "xl/theme/theme1.xml"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="' + _MAIN.encode() + b'"><sheetData>'
)


def parts_of(source: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(source) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


def write_parts(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def with_part(source: Path, path: Path, part: str, data: bytes) -> Path:
    parts = parts_of(source)
    parts[part] = data
    return write_parts(path, parts)


# ---- Sheet XML that costs a naive scanner quadratic time (each zips to a few KB) -------------------

HOSTILE_SHEETS: dict[str, bytes] = {
    "100k unclosed <f> in one cell": SHEET_HEAD + b'<row r="1"><c r="A1">' + b"<f>" * 100_000,
    "100k unclosed formula cells": SHEET_HEAD + b'<row r="1">' + b'<c r="A1"><f>' * 100_000,
    "100k formula cells without </c>": SHEET_HEAD + b'<row r="1">' + b'<c r="B2"><f>1</f>' * 100_000,
    "200k <c><v>1</v> in one row": SHEET_HEAD + b'<row r="1">' + b"<c><v>1</v>" * 200_000,
    "200k <c t='e'> in one row": SHEET_HEAD + b'<row r="1">' + b'<c t="e"><v>#N/A</v>' * 200_000,
    "800k unclosed <row>": SHEET_HEAD + b"<row>" * 800_000,
    "800k <row r='1'>": SHEET_HEAD + b'<row r="1">' * 800_000,
    "one tag of 2M attributes": SHEET_HEAD + b'<row r="1"><c ' + b't="e" ' * 300_000,
    "500k <mergeCell": SHEET_HEAD + b"</sheetData><mergeCells>" + b"<mergeCell ref" * 500_000,
    "1M '<' signs": SHEET_HEAD + b"<" * 1_000_000,
    "nested 300k <is><t>": SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr">' + b"<is><t>" * 300_000,
}


def hostile_sheet(source: Path, path: Path, xml: bytes) -> Path:
    return with_part(source, path, SHEET, xml)


def hostile_shared_strings(source: Path, path: Path) -> Path:
    """A shared string table of 500,000 unclosed <si>, with the first cell pointing at the last."""
    parts = parts_of(source)
    parts[SST] = b'<sst xmlns="' + _MAIN.encode() + b'">' + b"<si><t>x" * 500_000
    parts[SHEET] = SHEET_HEAD + b'<row r="1"><c r="A1" t="s"><v>499999</v></c></row></sheetData></worksheet>'
    parts[RELS] = parts[RELS].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    return write_parts(path, parts)


def hostile_workbook_xml(source: Path, path: Path) -> Path:
    """workbook.xml with 400,000 '<sheet ' openings and no '>'."""
    return with_part(
        source, path, WORKBOOK, b'<workbook xmlns="' + _MAIN.encode() + b'"><sheets>' + b"<sheet " * 400_000
    )


# ---- Parts that inflate far beyond what they declare (readers trust the declaration) -----------------


@dataclass
class Raw:
    """One zip entry as written: its bytes as stored, and what the headers claim."""

    name: str
    stored: bytes
    crc: int
    size: int
    method: int = 8
    flags: int = 0


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def raw_entries(source: Path) -> list[Raw]:
    return [Raw(n, deflate(d), zlib.crc32(d), len(d)) for n, d in parts_of(source).items()]


def write_raw(path: Path, entries: list[Raw]) -> Path:
    body, directory = b"", b""
    for e in entries:
        name = e.name.encode()
        local = struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            20,
            e.flags,
            e.method,
            0,
            0x21,
            e.crc,
            len(e.stored),
            e.size,
            len(name),
            0,
        )
        central = struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            e.flags,
            e.method,
            0,
            0x21,
            e.crc,
            len(e.stored),
            e.size,
            len(name),
            0,
            0,
            0,
            0,
            0,
            len(body),
        )
        body += local + name + e.stored
        directory += central + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), len(body), 0)
    path.write_bytes(body + directory + end)
    return path


def zeros_deflated(total: int) -> tuple[bytes, int]:
    """`total` zero bytes deflated (a few KB per 10 MB), and their CRC, without holding them."""
    block = 1024**2
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = packer.compress(bytes(block)) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(total // block):
        crc = zlib.crc32(bytes(block), crc)
    return piece * (total // block) + packer.flush(zlib.Z_FINISH), crc


def disguised_part(
    source: Path, path: Path, part: str, inflated: int = 300 * 1024**2, declare: int = 20_000
) -> Path:
    """`part` replaced by `inflated` bytes of zeros whose headers claim `declare` bytes."""
    data, crc = zeros_deflated(inflated)
    entries = raw_entries(source)
    if not any(e.name == part for e in entries):
        entries.append(Raw(part, b"", 0, 0))
    for e in entries:
        if e.name == part:
            e.stored, e.crc, e.size = data, crc, declare
    return write_raw(path, entries)


# ---- Damaged containers ------------------------------------------------------------------------


def damaged(source: Path, path: Path, part: str, how: str) -> Path:
    """`part` with a bad CRC, a corrupt deflate stream, the encrypted flag or an unknown method."""
    entries = raw_entries(source)
    for e in entries:
        if e.name != part:
            continue
        if how == "crc":
            e.crc ^= 0xDEADBEEF
        elif how == "deflate":
            e.stored = e.stored[:5] + bytes(b ^ 0x5A for b in e.stored[5:40]) + e.stored[40:]
        elif how == "truncated":
            e.stored = e.stored[: len(e.stored) // 2]
        elif how == "encrypted":
            e.flags |= 0x1
        elif how == "method":
            e.method = 14  # LZMA: no Excel writes it
    return write_raw(path, entries)


def non_utf8(source: Path, path: Path, where: str) -> Path:
    """A rels target or a sheet name holding bytes that are not UTF-8."""
    parts = parts_of(source)
    if where == "rels":
        parts[RELS] = parts[RELS].replace(b"worksheets/sheet1.xml", b"worksheets/sh\xff\xfeet1.xml")
    else:
        parts[WORKBOOK] = re.sub(rb'name="[^"]*"', b'name="\xc3\x28\xa0\xa1"', parts[WORKBOOK], count=1)
    return write_parts(path, parts)


# ---- Odd but valid: what other writers produce -------------------------------------------------


def _prefixed(xml: bytes) -> bytes:
    """The default SpreadsheetML namespace bound to `x:` and every element of it prefixed."""
    text = xml.decode()
    text = text.replace(f'xmlns="{_MAIN}"', f'xmlns:x="{_MAIN}"')
    return re.sub(
        r"<(/?)(?![?!])([A-Za-z][\w.-]*)(?=[\s/>])", lambda m: f"<{m.group(1)}x:{m.group(2)}", text
    ).encode()


def x_prefixed(source: Path, path: Path) -> Path:
    parts = parts_of(source)
    for name in [n for n in parts if n.startswith("xl/worksheets/") or n in (WORKBOOK, SST)]:
        parts[name] = _prefixed(parts[name])
    return write_parts(path, parts)


def single_quoted(source: Path, path: Path) -> Path:
    parts = parts_of(source)
    for name in [n for n in parts if n.endswith((".xml", ".rels"))]:
        parts[name] = re.sub(rb'(\s[\w:]+)="([^"]*)"', rb"\1='\2'", parts[name])
    return write_parts(path, parts)


def minimal(source: Path, path: Path) -> Path:
    """Only the parts a package needs: no styles, theme or document properties."""
    parts = parts_of(source)
    keep = ("[Content_Types].xml", "_rels/.rels", WORKBOOK, RELS, SHEET, SST)
    parts = {n: d for n, d in parts.items() if n in keep}
    parts[RELS] = re.sub(rb"<Relationship [^>]*(styles|theme)[^>]*/>", b"", parts[RELS])
    parts["[Content_Types].xml"] = re.sub(
        rb'<Override PartName="/(xl/styles|xl/theme|docProps)[^>]*/>', b"", parts["[Content_Types].xml"]
    )
    return write_parts(path, parts)
