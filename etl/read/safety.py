"""Checks a file must pass before any Excel reader touches it.

Returns come from outside: a CSV renamed to .xlsx, an old .xls, a password-protected workbook (which
is an OLE2 container holding the encrypted package), a broken download, or a zip bomb. check_file()
looks at the first bytes and at the zip's central directory, so a file that says it is a bomb is
refused in milliseconds with a message that says what the file really is. verify_parts() then
inflates every other part a reader may open (styles, theme, shared strings, hidden sheets …) through
etl.read.inflate, so that no part is larger than it says, nor damaged, when a reader opens it.
"""

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from etl.problems import Refused, problem
from etl.read.inflate import check_entry, verify

MAX_FILE_BYTES = 50 * 1024**2
# A real return inflates about 10× (the 200,000-row back-fill: 9 MB → 105 MB). These leave room for
# that and refuse a bomb on its declared sizes alone.
MAX_UNCOMPRESSED_BYTES = 1024**3
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 16 * 1024**2  # small parts may compress as well as they like
MAX_ENTRIES = 10_000
# The whole package, inflated, against the file: a real return inflates about 10×, and a small one
# may inflate as it likes up to the floor.
WHOLE_RATIO_FLOOR_BYTES = 64 * 1024**2
# Parts other than worksheets are held whole by the readers (fastexcel keeps every shared string,
# openpyxl every style): real ones are far smaller.
MAX_SHARED_STRINGS_BYTES = 256 * 1024**2
MAX_OTHER_PART_BYTES = 64 * 1024**2

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTED_STREAM = "EncryptionInfo".encode("utf-16-le")
_XLS_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))


@dataclass(frozen=True)
class Limits:
    """What a file may weigh, on disk and inflated. Tests and administrators may lower or raise them."""

    max_file_bytes: int = MAX_FILE_BYTES
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES
    max_ratio: float = MAX_RATIO
    ratio_floor_bytes: int = RATIO_FLOOR_BYTES
    max_entries: int = MAX_ENTRIES
    whole_ratio_floor_bytes: int = WHOLE_RATIO_FLOOR_BYTES


DEFAULT_LIMITS = Limits()


def _refuse(name: str, message_ko: str, message_en: str, fix_ko: str, fix_en: str) -> Refused:
    return Refused(name, [problem(None, None, None, message_ko, message_en, fix_ko, fix_en)])


_SAVE_AS_KO = (
    "Excel에서 파일을 열고 '다른 이름으로 저장 → Excel 통합 문서(*.xlsx)'로 저장한 뒤 다시 제출하세요."
)
_SAVE_AS_EN = "Open the file in Excel, use Save As → Excel Workbook (*.xlsx), and submit that file."


def _mb(n: int) -> str:
    return f"{n / 1024**2:,.1f} MB"


def check_size(path: Path, name: str, limits: Limits = DEFAULT_LIMITS) -> int:
    """The file's size in bytes; Refused when it is empty or over the limit (checked before reading it)."""
    size = path.stat().st_size
    if size == 0:
        raise _refuse(
            name,
            "빈 파일입니다 (0바이트).",
            "the file is empty (0 bytes)",
            "작성한 통합문서를 저장했는지 확인하고, 저장된 .xlsx 파일을 다시 제출하세요.",
            "Check that the workbook was saved, then submit the saved .xlsx file.",
        )
    if size > limits.max_file_bytes:
        raise _refuse(
            name,
            f"파일이 너무 큽니다: {_mb(size)} (한도 {_mb(limits.max_file_bytes)}).",
            f"the file is too large: {_mb(size)} (limit {_mb(limits.max_file_bytes)})",
            "실적 표 외의 시트·그림을 지우거나, 연도별로 파일을 나누어 제출하세요.",
            "Remove sheets and pictures other than the results table, or split the file by year.",
        )
    return size


def file_digest(path: Path, name: str | None = None, limits: Limits = DEFAULT_LIMITS) -> tuple[str, int]:
    """SHA-256 and size of a file small enough to read (Refused before reading it otherwise)."""
    size = check_size(Path(path), name or Path(path).name, limits)
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest(), size


def _what_is_it(head: bytes) -> tuple[str, str]:
    """A guess at what a non-zip file is, for the message: (Korean, English)."""
    if head.startswith(b"%PDF"):
        return "PDF 문서", "a PDF document"
    if b"\x00" in head[:4096]:
        return "Excel 통합문서가 아닌 파일", "not an Excel workbook"
    text = head[:4096].decode("utf-8", errors="ignore").lower()
    if "<html" in text or "<table" in text or "<!doctype" in text:
        return "웹 페이지(HTML) 파일", "an HTML page (often exported by a web system as .xls)"
    if "," in text or "\t" in text or ";" in text:
        return "CSV(텍스트) 파일", "a CSV (text) file"
    return "텍스트 파일", "a text file"


def _check_ole2(path: Path, name: str) -> None:
    """An OLE2 container: a password-protected .xlsx, an old .xls, or some other Office file."""
    data = path.read_bytes()  # bounded by check_size
    if _ENCRYPTED_STREAM in data:
        raise _refuse(
            name,
            "암호가 설정된 파일이라 읽을 수 없습니다.",
            "the workbook is password-protected (encrypted), so it cannot be read",
            "Excel에서 파일 → 정보 → 통합 문서 보호 → 암호 설정에서 암호를 지우고 저장한 뒤 다시 제출하세요.",
            "In Excel, File → Info → Protect Workbook → Encrypt with Password, clear the password, save and "
            "submit again.",
        )
    if any(stream in data for stream in _XLS_STREAMS):
        raise _refuse(
            name,
            "예전 Excel 형식(.xls, Excel 97-2003) 파일입니다. .xlsx 파일만 받습니다.",
            "an old Excel 97-2003 workbook (.xls); only .xlsx is accepted",
            _SAVE_AS_KO,
            _SAVE_AS_EN,
        )
    raise _refuse(
        name,
        "Excel 통합문서가 아닌 Office 문서(Word·한글 등)입니다.",
        "an Office document that is not an Excel workbook (Word, Hangul or similar)",
        "실적은 Excel 통합문서(.xlsx)로 작성해 제출하세요.",
        "Submit the results as an Excel workbook (.xlsx).",
    )


def check_file(path: Path, name: str, limits: Limits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """The open zip of an .xlsx that is safe to read; Refused, with what the file is, otherwise."""
    check_size(path, name, limits)
    with open(path, "rb") as fh:
        head = fh.read(8192)
    if head.startswith(OLE2_MAGIC):
        _check_ole2(path, name)
    if not head.startswith(ZIP_MAGIC):
        ko, en = _what_is_it(head)
        raise _refuse(
            name,
            f"Excel 통합문서(.xlsx)가 아닙니다. 이 파일은 {ko}로 보입니다 (확장자만 .xlsx일 수 있습니다).",
            f"not an Excel workbook (.xlsx): the file looks like {en} (perhaps only renamed to .xlsx)",
            _SAVE_AS_KO,
            _SAVE_AS_EN,
        )
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except Exception as exc:  # zipfile raises many kinds on a hostile directory
        raise damaged(name, exc) from exc
    try:
        _check_inflation(infos, name, limits, path.stat().st_size)
        _check_parts(zf, name)
        for info in infos:
            check_entry(info, name)
    except Refused:
        zf.close()
        raise
    return zf


def damaged(name: str, exc: Exception) -> Refused:
    return _refuse(
        name,
        "파일이 손상되어 열 수 없습니다 (압축 구조 오류). 전송 중 잘렸거나 저장이 끝나지 않았을 수 있습니다.",
        f"the file is damaged and cannot be opened (broken zip structure: {type(exc).__name__})",
        "원본 파일을 Excel에서 열어 다시 저장한 뒤 제출하세요. 메일 첨부라면 다시 내려받으세요.",
        "Open the original in Excel, save it again and resubmit; if it came by e-mail, download it again.",
    )


def _part_limit(part: str) -> int | None:
    """How large a part other than a worksheet may be inflated (None: only the whole-file limits)."""
    if part.startswith("xl/worksheets/"):
        return None
    if part.lower() == "xl/sharedstrings.xml":
        return MAX_SHARED_STRINGS_BYTES
    return MAX_OTHER_PART_BYTES


def _check_inflation(infos: list[zipfile.ZipInfo], name: str, limits: Limits, file_size: int) -> None:
    """Refuse a zip bomb on the sizes its directory declares; nothing is decompressed."""
    total = sum(i.file_size for i in infos)
    worst = max(infos, key=lambda i: i.file_size / max(i.compress_size, 1), default=None)
    too_many = len(infos) > limits.max_entries
    whole = max(limits.whole_ratio_floor_bytes, limits.max_ratio * file_size)
    too_big = (
        total > limits.max_uncompressed_bytes
        or total > whole
        or any((cap := _part_limit(i.filename)) is not None and i.file_size > cap for i in infos)
    )
    too_dense = (
        worst is not None
        and worst.file_size > limits.ratio_floor_bytes
        and worst.file_size / max(worst.compress_size, 1) > limits.max_ratio
    )
    if too_many or too_big or too_dense:
        detail = (
            f"압축을 풀면 {_mb(total)}"
            + (
                f", '{worst.filename}' 한 부분이 {worst.file_size / max(worst.compress_size, 1):,.0f}배로 늘어남"
                if too_dense and worst
                else ""
            )
            + (f", 구성 파일 {len(infos):,}개" if too_many else "")
        )
        raise _refuse(
            name,
            f"압축을 풀면 비정상적으로 커지는 파일이라 열지 않았습니다 ({detail}).",
            f"refused unopened: the file would inflate abnormally ({_mb(total)} declared, "
            f"{len(infos)} parts; limits {_mb(limits.max_uncompressed_bytes)}, ratio {limits.max_ratio:.0f}:1)",
            "정상적으로 작성한 실적 파일인지 확인하세요. 빈 행·열에 서식이 대량으로 적용되었다면 사용하지 않는 행과 열을 삭제한 뒤 저장하세요.",
            "Check that this is the return you meant to send; if formatting was applied to millions of empty "
            "rows or columns, delete them and save again.",
        )


def _check_parts(zf: zipfile.ZipFile, name: str) -> None:
    names = set(zf.namelist())
    if "xl/workbook.xml" in names:
        return
    if "xl/workbook.bin" in names:
        ko, en = "Excel 바이너리 통합문서(.xlsb)", "an Excel binary workbook (.xlsb)"
    elif "word/document.xml" in names:
        ko, en = "Word 문서(.docx)", "a Word document (.docx)"
    elif "ppt/presentation.xml" in names:
        ko, en = "PowerPoint 문서(.pptx)", "a PowerPoint document (.pptx)"
    elif "content.xml" in names and "mimetype" in names:
        ko, en = (
            "OpenDocument 스프레드시트(.ods) 또는 한컴오피스 문서",
            "an OpenDocument file (.ods or similar)",
        )
    else:
        ko, en = "압축(zip) 파일", "a zip archive"
    raise _refuse(
        name,
        f"Excel 통합문서(.xlsx)가 아닙니다. 이 파일은 {ko}입니다.",
        f"not an Excel workbook (.xlsx): the file is {en}",
        _SAVE_AS_KO,
        _SAVE_AS_EN,
    )


def verify_parts(path: Path, zf: zipfile.ZipFile, name: str, skip: set[str]) -> None:
    """Inflate every part not in `skip` to its end: each must be what its headers declare, CRC and all."""
    for info in zf.infolist():
        if info.filename not in skip and not info.is_dir():
            verify(path, info, name)
