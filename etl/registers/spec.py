"""What a register kind declares: its columns (spellings, type, required), row checks and key.

A column's header spellings live in a reference CSV (field, name_ko, name_en, aliases); its type
says how a cell is read (etl.registers.cells) and which words the problem uses. Row checks see one
row's parsed values; table checks see every row of the file (duplicates, order, overlaps).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from etl.problems import Problem, column_letter, problem

ALL_WORDS = ("전체", "all", "All", "-")
TEXT_LIMIT = 2000  # characters of a free-text cell (원인, 대책, 내용 …)


@dataclass(frozen=True)
class Column:
    """One column: field name, type and how to speak of it.

    type: code (of reference kind `ref`), status (a code of `ref` too, listed by `choices`), year,
    quarter, period ('2026년 3분기', '2026 Q3'), date, number, int, text.
    Message templates take {text} (the cell as written, cut short); None means the default wording.
    """

    field: str
    type: str = "text"
    required: bool = False
    ref: str | None = None
    label: tuple[str, str] = ("", "")
    all_words: bool = False  # '전체', 'all', '-' mean all dimensions (stored as NULL)
    limit: int | None = None  # characters, for text
    fix: tuple[str, str] = ("", "")
    unreadable: tuple[str, str] | None = None
    missing: tuple[str, str] | None = None


@dataclass
class Row:
    """One row as written and as read: field → text, 0-based column, parsed value."""

    sheet: str
    row: int  # 1-based
    texts: dict[str, str | None]
    cols: dict[str, int | None]
    values: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def text(self, name: str) -> str | None:
        return self.texts.get(name)

    def col(self, name: str) -> int | None:
        return self.cols.get(name)

    def cell(self, name: str) -> str:
        """'C5': where the field's cell is (the row alone when the column is missing)."""
        col = self.col(name)
        return f"{column_letter(col) if col is not None else ''}{self.row}"

    def where(self, name: str) -> str:
        return f"{self.sheet}!{self.cell(name)}"

    def bad(
        self, name: str, ko: str, en: str, fix_ko: str = "", fix_en: str = "", severity: str = "error"
    ) -> None:
        self.problems.append(problem(self.sheet, self.row, self.col(name), ko, en, fix_ko, fix_en, severity))

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


@dataclass(frozen=True)
class Register:
    """A kind of register: declared once, read, checked and stored by etl.registers.pipeline."""

    kind: str  # the submission kind ('incidents', 'explanations' …)
    label: tuple[str, str]  # '긴급상황', 'incidents'
    spellings: str  # reference CSV of header spellings
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # fields naming one entry (the same key twice in a file is refused)
    anchor: str  # field whose cell a whole-row problem names
    detect: tuple[str, ...] = ()  # fields a header row must hold (default: the required ones)
    row_checks: tuple[Callable[[Row], None], ...] = ()
    table_checks: tuple[Callable[[list[Row]], list[Problem]], ...] = ()
    duplicate: tuple[str, str] | None = None  # message when the key comes twice: (ko, en) with {other}
    no_table: tuple[str, str, str, str] = ("", "", "", "")  # ko, en, fix_ko, fix_en

    @property
    def header_fields(self) -> tuple[str, ...]:
        return self.detect or tuple(c.field for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)
