"""The shared register pipeline: read the workbook, find each sheet's header, check every row.

read() takes the file opened by the hardened reader (etl.read.workbook.open_book), gives each sheet
to the first register whose header it holds (a header row lists every required column, in any
order, below any title rows), reads each cell by its column's type, runs the register's row and
table checks, and raises Refused with every problem by sheet and cell, Korean first. Storing is
each register's own (etl.registers.store holds the shared parts); nothing here opens the warehouse.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from etl.problems import Problem, Refused, problem
from etl.read.workbook import Book, SheetGrid, open_book
from etl.registers.cells import read_cell
from etl.registers.spec import Register, Row
from warehouse.names import name_key
from warehouse.schema import read_reference

HEADER_ROWS = 30
_PARENS = re.compile(r"[(\[（［][^)\]）］]*[)\]）］]")


@cache
def spellings(file_name: str) -> dict[str, str]:
    """Normalised header spelling → field, from a reference CSV (field, name_ko, name_en, aliases)."""
    out: dict[str, str] = {}
    for rec in read_reference(file_name):
        for spelling in (rec["field"], rec["name_ko"], rec["name_en"], *rec["aliases"].split("|")):
            if name_key(spelling):
                out.setdefault(name_key(spelling), rec["field"])
    return out


def header_fields(register: Register, row: list[str | None]) -> dict[str, int]:
    """field → 0-based column of a header row; a unit in brackets ('목표(개사)') is passed over."""
    known = spellings(register.spellings)
    found: dict[str, int] = {}
    for col, text in enumerate(row):
        field = known.get(name_key(text)) or known.get(name_key(_PARENS.sub(" ", str(text or ""))))
        if field and field not in found:
            found[field] = col
    return found


def find_header(register: Register, top: list[list[str | None]]) -> tuple[int, dict[str, int]] | None:
    """(0-based index of the header row, its fields), or None when the sheet holds no such table."""
    wanted = set(register.header_fields)
    for i, row in enumerate(top[:HEADER_ROWS]):
        fields = header_fields(register, row)
        if wanted <= set(fields):
            return i, fields
    return None


def grid_rows(register: Register, grid: SheetGrid) -> list[Row] | None:
    """The non-empty rows under the register's header in one sheet, as written; None without a header."""
    found = find_header(register, grid.top(HEADER_ROWS))
    if found is None:
        return None
    header_at, fields = found
    table = grid.table.to_pydict()
    columns = {c: f"c{c}" for c in grid.columns}
    rows = []
    for i in range(header_at + 1, grid.height):
        texts = {
            f: (str(table[columns[c]][i] or "").strip() or None) for f, c in fields.items() if c in columns
        }
        if any(texts.values()):
            rows.append(Row(grid.name, grid.first_row + i, texts, dict(fields)))
    return rows


def check(register: Register, rows: list[Row]) -> tuple[list[Row], list[Problem]]:
    """Each row's values read by type and its row checks run; the rows without errors and every problem."""
    problems: list[Problem] = []
    good: list[Row] = []
    for row in rows:
        for column in register.columns:
            row.values[column.field] = read_cell(row, column, row.texts.get(column.field))
        for row_check in register.row_checks:  # each guards against the values that could not be read
            row_check(row)
        problems += row.problems
        if row.ok:
            good.append(row)
    problems += duplicates(register, good)
    for table_check in register.table_checks:
        problems += table_check(good)
    return good, problems


def duplicates(register: Register, rows: list[Row]) -> list[Problem]:
    """The same key twice: the later row is named, with the cell of the first."""
    if register.duplicate is None:
        return []
    seen: dict[tuple, Row] = {}
    problems = []
    for row in rows:
        key = tuple(row.values.get(f) for f in register.key)
        if all(k is None for k in key):
            continue  # a new entry, numbered when stored (an action without 번호)
        if key in seen:
            other = seen[key].where(register.anchor)
            ko, en = register.duplicate
            problems.append(
                problem(
                    row.sheet,
                    row.row,
                    row.col(register.anchor),
                    ko.format(other=other),
                    en.format(other=other),
                    "한 행만 남기세요.",
                    "Keep one row.",
                )
            )
        else:
            seen[key] = row
    return problems


def no_table(register: Register) -> Problem:
    ko, en, fix_ko, fix_en = register.no_table
    return problem(None, None, None, ko, en, fix_ko, fix_en)


def read_many(
    path: Path, name: str, registers: tuple[Register, ...], book: Book | None = None
) -> dict[str, list[Row]]:
    """Every register table of a workbook, checked, by kind; Refused with every problem of all of them.

    Each sheet goes to the first register whose header it holds. The first register is the file's
    own: a workbook without a row of it is refused. `book` is the file already opened by the bounded
    reader (etl.intake), else it is opened here.
    """
    book = book or open_book(path, name)
    raw: dict[str, list[Row]] = {r.kind: [] for r in registers}
    for grid in (book.load(head) for head in book.heads):
        for register in registers:
            rows = grid_rows(register, grid)
            if rows is not None:
                raw[register.kind] += rows
                break
    found = bool(raw[registers[0].kind])
    problems: list[Problem] = []
    out: dict[str, list[Row]] = {}
    for register in registers:
        out[register.kind], found_problems = check(register, raw[register.kind])
        problems += found_problems
    if not found and not problems:
        problems.append(no_table(registers[0]))
    if problems:
        raise Refused(name, problems)
    return out


def read(path: Path, name: str, register: Register, book: Book | None = None) -> list[Row]:
    """The checked rows of one register's workbook, or Refused with every problem by sheet and cell."""
    return read_many(path, name, (register,), book)[register.kind]
