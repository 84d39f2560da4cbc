"""Inflating zip entries ourselves: never more than they declare, in bounded chunks, checked to the byte.

Excel readers (fastexcel's zip crate, openpyxl's zipfile) trust a part to be what its headers say
and inflate it whole. Every part a reader may touch goes through here first, so a part that
inflates beyond its declared size (a bomb in disguise), fails its CRC, is encrypted, uses a
compression method no reader knows, or whose deflate stream is corrupt is refused with a message,
before any reader opens the file. Memory stays at one chunk whatever the part holds.
"""

import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from etl.problems import Refused, problem

CHUNK_IN = 1024**2
CHUNK_OUT = 8 * 1024**2
_LOCAL_HEADER = 30
_ENCRYPTED = 0x1
_STRONG_ENCRYPTION = 0x40


def _refuse(name: str, ko: str, en: str) -> Refused:
    return Refused(
        name,
        [
            problem(
                None,
                None,
                None,
                ko,
                en,
                "원본 파일을 Excel에서 열어 'Excel 통합 문서(*.xlsx)'로 다시 저장한 뒤 제출하세요. "
                "메일 첨부라면 다시 내려받으세요.",
                "Open the original in Excel, save it as an Excel Workbook (*.xlsx) and submit that file; if it "
                "came by e-mail, download it again.",
            )
        ],
    )


def damaged_part(name: str, part: str, why_ko: str, why_en: str) -> Refused:
    return _refuse(
        name,
        f"파일이 손상되어 읽을 수 없습니다: 내부 구성 파일 '{part}'의 {why_ko}.",
        f"the file is damaged: part '{part}' {why_en}",
    )


def disguised(name: str, part: str) -> Refused:
    return _refuse(
        name,
        f"파일 내부 '{part}'가 표시된 크기보다 크게 풀려 열지 않았습니다 (손상되었거나 위장된 압축 파일).",
        f"refused: part '{part}' inflates beyond the size it declares (damaged or a disguised zip bomb)",
    )


def check_entry(info: zipfile.ZipInfo, name: str) -> None:
    """Refuse an entry no reader can inflate safely: encrypted, or compressed in a way we do not inflate."""
    if info.flag_bits & (_ENCRYPTED | _STRONG_ENCRYPTION):
        raise Refused(
            name,
            [
                problem(
                    None,
                    None,
                    None,
                    f"암호화된 구성 파일('{info.filename}')이 있어 읽을 수 없습니다.",
                    f"part '{info.filename}' is encrypted, so the file cannot be read",
                    "암호를 지운 뒤 Excel에서 'Excel 통합 문서(*.xlsx)'로 다시 저장해 제출하세요.",
                    "Remove the password, save it again as an Excel Workbook (*.xlsx) and submit that file.",
                )
            ],
        )
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise damaged_part(
            name,
            info.filename,
            f"압축 방식({info.compress_type})은 Excel이 쓰지 않는 방식입니다",
            f"uses compression method {info.compress_type}, which Excel does not write",
        )
    if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
        raise damaged_part(name, info.filename, "크기 정보가 맞지 않습니다", "has sizes that do not match")


def _data_offset(fh, info: zipfile.ZipInfo, name: str) -> int:
    fh.seek(info.header_offset)
    head = fh.read(_LOCAL_HEADER)
    if len(head) < _LOCAL_HEADER or head[:4] != b"PK\x03\x04":
        raise damaged_part(name, info.filename, "머리 정보가 없습니다", "has no local header")
    name_len, extra_len = struct.unpack("<HH", head[26:30])
    return info.header_offset + _LOCAL_HEADER + name_len + extra_len


def inflate(path: Path, info: zipfile.ZipInfo, name: str, *, verify: bool = True) -> Iterator[bytes]:
    """The bytes of one zip entry in chunks of at most CHUNK_OUT, never more than it declares.

    With `verify`, a stream that ends early, runs past its declared size or fails its CRC is
    Refused once it has been read to the end; a consumer that stops early checks nothing more.
    """
    check_entry(info, name)
    produced = 0
    crc = 0
    with open(path, "rb") as fh:
        fh.seek(_data_offset(fh, info, name))
        left = info.compress_size
        if info.compress_type == zipfile.ZIP_STORED:
            while left > 0:
                data = fh.read(min(CHUNK_OUT, left))
                if not data:
                    raise damaged_part(name, info.filename, "내용이 중간에 끊겼습니다", "is cut short")
                left -= len(data)
                produced += len(data)
                crc = zlib.crc32(data, crc)
                yield data
        else:
            inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            while not inflater.eof:
                if inflater.unconsumed_tail:
                    data = inflater.unconsumed_tail
                elif left > 0:
                    data = fh.read(min(CHUNK_IN, left))
                    if not data:
                        raise damaged_part(name, info.filename, "내용이 중간에 끊겼습니다", "is cut short")
                    left -= len(data)
                else:
                    raise damaged_part(
                        name, info.filename, "압축 자료가 중간에 끊겼습니다", "ends mid-stream"
                    )
                try:
                    out = inflater.decompress(data, CHUNK_OUT)
                except zlib.error as exc:
                    raise damaged_part(
                        name,
                        info.filename,
                        "압축 자료가 깨져 있습니다",
                        f"has a corrupt deflate stream ({exc})",
                    ) from exc
                produced += len(out)
                if produced > info.file_size:
                    raise disguised(name, info.filename)
                if verify:
                    crc = zlib.crc32(out, crc)
                if out:
                    yield out
    if verify and produced != info.file_size:
        raise damaged_part(
            name, info.filename, "크기가 표시된 크기와 다릅니다", "is not the size it declares"
        )
    if verify and crc != info.CRC:
        raise damaged_part(name, info.filename, "검사값(CRC)이 맞지 않습니다", "fails its CRC check")


def read_part(path: Path, info: zipfile.ZipInfo, name: str) -> bytes:
    """A whole (small) part, verified; callers bound its declared size first."""
    return b"".join(inflate(path, info, name))


def verify(path: Path, info: zipfile.ZipInfo, name: str) -> None:
    """Inflate a part to the end and drop it: the proof it is what it declares."""
    for _ in inflate(path, info, name):
        pass
