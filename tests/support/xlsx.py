"""Real workbooks for loader tests: what analysts send, and what they should not.

Everything is written to disk as a file the loader opens for real: openpyxl for workbooks, and
hand-made bytes where openpyxl cannot go (an encrypted container, an old .xls, a zip bomb).
"""

import random
import re
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl

Rows = list[list]


def workbook(
    path: Path,
    sheets: dict[str, Rows],
    *,
    merges: dict[str, tuple[str, ...]] | None = None,
    hidden: tuple[str, ...] = (),
) -> Path:
    """A workbook with the given sheets in order; None is an empty cell, '=...' a formula (no cached value)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for merge in (merges or {}).get(name, ()):
            ws.merge_cells(merge)
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def write_xlsx(path: Path, rows: Rows, sheet: str = "실적", merges: tuple[str, ...] = ()) -> Path:
    """A workbook of one sheet: one row per list, None for an empty cell."""
    return workbook(path, {sheet: rows}, merges={sheet: merges})


# ---- Files that are not what they claim --------------------------------------------------------


def ole2(path: Path, stream: str) -> Path:
    """An OLE2 compound file naming one stream: 'EncryptionInfo' (a password-protected .xlsx) or 'Workbook' (.xls).

    Enough of the format for the loader's first look: the magic bytes, a header sector and a
    directory sector holding the stream's name in UTF-16.
    """
    header = bytearray(512)
    header[:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    directory = bytearray(512)
    for i, name in enumerate(("Root Entry", stream)):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        directory[i * 128 : i * 128 + len(encoded)] = encoded
        struct.pack_into("<H", directory, i * 128 + 64, len(encoded))
    path.write_bytes(bytes(header) + bytes(directory) + bytes(1024))
    return path


def truncated(source: Path, path: Path) -> Path:
    """The first half of a real workbook: a download cut short."""
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def oversized(source: Path, path: Path, size: int) -> Path:
    """A real workbook padded to `size` bytes (sparse on disk, so instant)."""
    path.write_bytes(source.read_bytes())
    with open(path, "r+b") as fh:
        fh.truncate(size)
    return path


def _entry(name: str, data: bytes, crc: int, size: int, offset: int) -> tuple[bytes, bytes]:
    """(local header + data, central directory record) of one deflated zip entry."""
    encoded = name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0)
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50,
        20,
        20,
        0,
        8,
        0,
        0x21,
        crc,
        len(data),
        size,
        len(encoded),
        0,
        0,
        0,
        0,
        0,
        offset,
    )
    return local + encoded + data, central + encoded


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def zip_bomb(
    source: Path,
    path: Path,
    sheet_bytes: int = 2 * 1024**3,
    declare: int | None = None,
    *,
    garbage: bool = False,
) -> Path:
    """A real workbook whose first sheet is replaced by `sheet_bytes` of zeros, deflated to a few MB.

    Built in about a second without ever holding the inflated sheet: one megabyte of zeros is
    deflated with a full flush (which makes every block's output identical) and the block repeated.
    `declare` writes a smaller uncompressed size into the zip headers: a bomb in disguise.
    `garbage` replaces the deflated sheet with as many random bytes, headers unchanged: a file that
    cannot be inflated at all, so refusing it as a bomb shows nothing was inflated.
    """
    block = 1024**2
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = packer.compress(bytes(block)) + packer.flush(zlib.Z_FULL_FLUSH)
    ending = packer.flush(zlib.Z_FINISH)
    repeats = sheet_bytes // block
    crc = 0
    zeros = bytes(block)
    for _ in range(repeats):
        crc = zlib.crc32(zeros, crc)
    bomb = piece * repeats + ending
    if garbage:
        bomb = random.Random(0).randbytes(len(bomb))
    with zipfile.ZipFile(source) as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    body, directory = b"", b""
    for name, data in parts.items():
        if name == "xl/worksheets/sheet1.xml":
            blob, record = _entry(name, bomb, crc, declare or repeats * block, len(body))
        else:
            blob, record = _entry(name, _deflate(data), zlib.crc32(data), len(data), len(body))
        body += blob
        directory += record
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory), len(body), 0)
    path.write_bytes(body + directory + end)
    return path


# ---- Workbooks as Excel saves them -------------------------------------------------------------
# openpyxl writes every text as an inline string and formulas without results; Excel keeps text
# in a shared string table (some of it as rich text runs, with phonetic guides) and stores each
# formula's last result. These rewrite an openpyxl file the way Excel would have saved it.

_INLINE = re.compile(r'<c ([^>]*?)t="inlineStr"([^>]*)><is><t[^>]*>(.*?)</t></is></c>', re.S)
_SST = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _rewrite(path: Path, change) -> Path:
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    parts = change(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def as_excel_saves_it(path: Path, rich: tuple[str, ...] = ()) -> Path:
    """Move every text into a shared string table; texts in `rich` become two runs plus a phonetic guide."""

    def change(parts: dict[str, bytes]) -> dict[str, bytes]:
        strings: list[str] = []
        index: dict[str, int] = {}

        def shared(match: re.Match) -> str:
            text = match.group(3)
            if text not in index:
                index[text] = len(strings)
                strings.append(text)
            return f'<c {match.group(1)}t="s"{match.group(2)}><v>{index[text]}</v></c>'

        for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
            parts[name] = _INLINE.sub(shared, parts[name].decode()).encode()
        items = []
        for text in strings:
            if text in rich and len(text) > 1:
                half = len(text) // 2
                items.append(
                    f"<si><r><t>{text[:half]}</t></r><r><rPr><b/></rPr><t>{text[half:]}</t></r>"
                    f'<rPh sb="0" eb="1"><t>よみ</t></rPh></si>'
                )
            else:
                items.append(f'<si><t xml:space="preserve">{text}</t></si>')
        parts["xl/sharedStrings.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_SST}" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{"".join(items)}</sst>'
        ).encode()
        types = parts["[Content_Types].xml"].decode()
        parts["[Content_Types].xml"] = types.replace(
            "</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_TYPE}"/></Types>'
        ).encode()
        rels = parts["xl/_rels/workbook.xml.rels"].decode()
        parts["xl/_rels/workbook.xml.rels"] = rels.replace(
            "</Relationships>",
            f'<Relationship Id="rIdSharedStrings" Type="{_SST_REL}" Target="sharedStrings.xml"/></Relationships>',
        ).encode()
        return parts

    return _rewrite(path, change)


def cache_formula_results(path: Path, results: dict[str, float]) -> Path:
    """Store a result beside each formula, as Excel does on save ({'D6': 24} → <f>…</f><v>24</v>).

    openpyxl writes the empty value as <v/>, or as <v></v> when lxml is installed (python-hwpx brings it).
    """

    def change(parts: dict[str, bytes]) -> dict[str, bytes]:
        for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
            xml = parts[name].decode()
            for cell, value in results.items():
                xml = re.sub(
                    rf'(<c r="{cell}"[^>]*>)(<f>[^<]*</f>)(?:<v\s*/>|<v></v>)',
                    lambda m, v=value: f"{m.group(1)}{m.group(2)}<v>{v}</v>",
                    xml,
                )
            parts[name] = xml.encode()
        return parts

    return _rewrite(path, change)


def meetings_file(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["회차", "일자", "제목", "영문 제목", "검토 분기", "비고"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path
