"""Which part holds which sheet, and which sheets are hidden: xl/workbook.xml and its relationships.

Both are a few KB in any real file; they are inflated through etl.read.inflate (checked to the
byte) and parsed with expat, so a corrupt, oversized or non-UTF-8 one is a refusal, not a crash.
"""

import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path

from etl.problems import Refused
from etl.read.inflate import damaged_part, read_part
from etl.read.xml import BadXml, attr, feed, parser

MAX_XML_PART_BYTES = 8 * 1024**2  # workbook.xml and its rels: a few KB in practice
WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"


@dataclass(frozen=True)
class SheetEntry:
    name: str
    part: str  # xl/worksheets/sheet1.xml
    hidden: bool


def _small_part(path: Path, zf: zipfile.ZipFile, part: str, name: str) -> bytes | None:
    info = zf.NameToInfo.get(part)
    if info is None:
        return None
    if info.file_size > MAX_XML_PART_BYTES:
        raise damaged_part(
            name,
            part,
            f"크기({info.file_size / 1024**2:,.0f} MB)가 비정상적으로 큽니다",
            f"is abnormally large ({info.file_size:,} bytes)",
        )
    return read_part(path, info, name)


def _parse(data: bytes, part: str, name: str, start) -> None:
    try:
        feed(parser(start), data, final=True)
    except BadXml as exc:
        raise damaged_part(name, part, "XML 구조가 깨져 있습니다", f"is not well-formed XML ({exc})") from exc


def _target(target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath("xl/" + target)


def sheets(path: Path, zf: zipfile.ZipFile, name: str) -> list[SheetEntry]:
    """Every sheet the workbook lists whose relationship points at a part, in workbook order."""
    workbook = _small_part(path, zf, WORKBOOK, name)
    rels = _small_part(path, zf, WORKBOOK_RELS, name)
    if workbook is None or rels is None:
        return []
    targets: dict[str, str] = {}

    def relationship(tag: str, attrs: dict[str, str]) -> None:
        if tag == "Relationship" and attr(attrs, "Id") is not None:
            targets[attr(attrs, "Id") or ""] = _target(attr(attrs, "Target") or "")

    listed: list[tuple[str, str, bool]] = []

    def sheet(tag: str, attrs: dict[str, str]) -> None:
        if tag == "sheet":
            state = attr(attrs, "state") or "visible"
            listed.append((attr(attrs, "name") or "", attr(attrs, "id") or "", state != "visible"))

    _parse(rels, WORKBOOK_RELS, name, relationship)
    _parse(workbook, WORKBOOK, name, sheet)
    return [SheetEntry(sheet, targets[rid], hidden) for sheet, rid, hidden in listed if rid in targets]


def refuse_unparsed(name: str, exc: Exception) -> Refused:
    return damaged_part(name, WORKBOOK, "내용을 읽을 수 없습니다", f"cannot be read ({type(exc).__name__})")
