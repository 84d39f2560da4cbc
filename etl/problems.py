"""Problems found in a return, in Korean first with English, each pointing at a sheet and cell."""

import re
from dataclasses import dataclass, field

from warehouse.text import josa as josa  # the one definition; etl modules import it from here

MAX_MESSAGE = 600  # characters of a message; a cell may hold 32,767 and a hostile one far more
MAX_QUOTED = 80  # characters of a cell's text quoted in a message
# Control characters (a file name may hold an escape sequence) and the bidirectional overrides and
# other format characters that make a terminal line read differently from what it holds.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]")


def printable(text: object) -> str:
    """`text` with control and format characters written as escapes (\\x1b, \\u202e), for a terminal."""

    def escape(match: re.Match) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNPRINTABLE.sub(escape, str(text))


def short(text: object, limit: int = MAX_QUOTED) -> str:
    """A cell's text cut to `limit` characters, saying how much was left out."""
    text = str(text)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…(+{len(text) - limit:,}자)"


def _bounded(message: str) -> str:
    if len(message) <= MAX_MESSAGE:
        return message
    return f"{message[: MAX_MESSAGE - 100]}…(+{len(message) - MAX_MESSAGE + 20:,}자)…{message[-80:]}"


def quoted(text: object) -> str:
    return f"'{text}'"


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(sheet: str | None, row: int | None = None, col: int | None = None) -> str:
    """'실적!D14' from a 1-based row and a 0-based column; '실적!3:3' for a whole row, as Excel writes it."""
    where = ""
    if col is not None:
        where += column_letter(col)
        if row is not None:
            where += str(row)
    elif row is not None:
        where = f"{row}:{row}"
    if sheet and where:
        return f"{sheet}!{where}"
    return sheet or where or "-"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in a file."""

    where: str  # sheet!cell, a sheet, or '-' for the whole file
    message_ko: str
    message_en: str
    fix_ko: str = ""
    fix_en: str = ""
    severity: str = "error"  # error | warning
    sheet: str | None = None
    row: int | None = None
    col: int | None = None

    def text(self) -> str:
        """One line for a terminal: control characters escaped."""
        fix = f" → {self.fix_ko}" if self.fix_ko else ""
        return printable(f"[{self.where}] {self.message_ko}{fix} ({self.message_en})")


def problem(
    sheet: str | None,
    row: int | None,
    col: int | None,
    message_ko: str,
    message_en: str,
    fix_ko: str = "",
    fix_en: str = "",
    severity: str = "error",
) -> Problem:
    return Problem(
        where=cell_ref(sheet, row, col),
        message_ko=_bounded(message_ko),
        message_en=_bounded(message_en),
        fix_ko=fix_ko,
        fix_en=fix_en,
        severity=severity,
        sheet=sheet,
        row=row,
        col=col,
    )


@dataclass
class Refused(Exception):
    """A file that breaks a rule: refused whole, with every problem found."""

    file_name: str
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.summary())

    def summary(self) -> str:
        n = len([p for p in self.problems if p.severity == "error"])
        return f"{printable(short(self.file_name, 200))}: 적재 거부 — 문제 {n}건 / refused, {n} problem(s)"

    def report(self) -> str:
        return "\n".join([self.summary(), *(f"  {p.text()}" for p in self.problems)])
