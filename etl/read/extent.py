"""The extent of a sheet as a reader will allocate it, from every row and cell of its XML.

fastexcel (calamine) places each cell by its own reference (r="XFD1048576"), whatever the order of
the <row> elements or the <dimension> the sheet declares, and allocates a dense range up to the
farthest one. So the bound comes from every reference in the part, not from where an in-order
sheet keeps its last cell: a far cell in the middle of a sheet whose rows are out of order costs
as much as one at its end. Rows and cells without a reference follow the one before them, so
they widen the bound by how many of them there are (cells: in one row).

Each stretch of inflated XML is looked at in a few vectorised passes (numpy): the references are
found by their 'r' (an attribute named r, then '="'), their letters and digits measured eight bytes
at a time, and only the longest are compared; whether every <c and <row tag carries one is a count
of two-byte patterns. Markup that is valid but unusual (spaces around '=', single quotes, prefixed
tags, '$', a value that is not letters then digits) is read by regular expressions instead, and
tags without a reference are counted one by one only in a stretch that has any; either way each
byte is looked at a bounded number of times. Each stretch is read on its own (_read) and its
findings added up in order (Extent._add), so where the part is cut never changes the result.
"""

import re
from dataclasses import dataclass

import numpy as np

# Positions before a stretch's cut are its own; the bytes after it (at least LOOKAHEAD) are read
# again with the next stretch, so a reference or tag cut in two is read whole. The CONTEXT bytes
# before a stretch (the end of the one before it; zeros before the first) are there to be looked
# back at, not read: an attribute's name is checked against the eight bytes that end with '="'.
LOOKAHEAD = 256
CONTEXT = 8
MIN_STRETCH = 1024**2  # small chunks are read together: each look costs some fixed time
_LETTERS = 7  # past XFD (3 letters) a reference is already far out of range
_DIGITS = 10
_FAST_DIGITS = 7  # Excel's last row (1048576) has 7: a longer row number is read the odd way
FAR = 2**40  # a reference too long (or too odd) to read is as far as it gets
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384

_SPACE = (9, 10, 13, 32)
_ODD_REF = re.compile(rb"""(?<=\s)r\s*+=\s*+(["'])([^"'<>]{0,24})""")
_ODD_TAG = re.compile(rb"<(?:[\w.-]{1,64}:)?(row|c)(?=[\s/>])")
_ODD_VALUE = re.compile(rb"\$?([A-Za-z]*)\$?(\d*)")

_U = np.uint64


def _every_byte(value: int) -> np.uint64:
    return _U(int.from_bytes(bytes([value]) * 8, "little"))


_HIGH, _LOW7 = _every_byte(0x80), _every_byte(0x7F)


def _is(values: np.ndarray, codes: tuple[int, ...]) -> np.ndarray:
    found = values == codes[0]
    for code in codes[1:]:
        found |= values == code
    return found


def _leading(words: np.ndarray, low: int, high: int) -> np.ndarray:
    """How many of the first bytes of each 8-byte word (little-endian: the first in the text) lie
    within low..high. Each byte is compared on its own seven low bits, so no carry crosses bytes."""
    seven = words & _LOW7
    below = ~(seven + _every_byte(0x80 - low))
    above = seven + _every_byte(0x80 - high - 1)
    outside = (below | above | words) & _HIGH
    # the bits below the lowest byte outside the range: 8 per byte inside it, 7 of the byte itself
    return (np.bitwise_count((outside & (~outside + _U(1))) - _U(1)) >> 3).astype(np.int64)


def _words(buffer: bytes) -> np.ndarray:
    """The eight bytes from each position of `buffer` as a little-endian word (a view, not a copy)."""
    return np.ndarray((len(buffer) - 7,), "<u8", buffer, 0, (1,))


def _word(text: bytes) -> np.uint64:
    return _U(int.from_bytes(text, "little"))


# The eight bytes ending with an attribute r's '="', as every writer puts it: '<row r="', '<c r="'.
_ROW_REF, _CELL_REF = _word(b'<row r="'), _word(b'<c r="') << _U(16)
_BEFORE_R = _U(0xFF) << _U(32)
_AFTER_R = _U(0xFFFF) << _U(48)
_EQUALS_QUOTE = _word(b'="') << _U(48)
_TAIL6 = ~_U(0xFFFF)


def _column_number(letters: bytes) -> int:
    if len(letters) > _LETTERS:
        return FAR
    value = 0
    for ch in letters.upper():
        value = value * 26 + (ch - 64)
    return value


def _row_number(digits: bytes) -> int:
    if not digits:
        return 0
    return int(digits) if len(digits) <= _DIGITS and digits.isdigit() else FAR


def _pairs(data: np.ndarray, start: int, cut: int, pair: bytes) -> int:
    """How many times the two bytes `pair` occur in data[start:cut]: two comparisons, no copies."""
    code = pair[0] | pair[1] << 8
    found = 0
    for first in (start, start + 1):
        end = first + (cut - first) // 2 * 2
        if end > first:
            found += int(np.count_nonzero(data[first:end].view("<u2") == code))
    return found


@dataclass
class _Stretch:
    """What one stretch holds, to be added up in order (Extent._add)."""

    # (row, 1-based column) of the reference with the largest row and of the one with the largest
    # column; None without references.
    by_row: tuple[int, int] | None = None
    by_column: tuple[int, int] | None = None
    unreadable: bool = False  # no tag boundary to cut at: see Extent.feed
    unreferenced_rows: int = 0
    # Runs of cells without a reference, per row: before its first row tag (going on from the
    # previous stretch), the widest after one, the last; None when every tag had its reference.
    runs: tuple[int, int, int, bool] | None = None  # (first, widest after a row tag, last, any row tag)


class Extent:
    """Rows and columns spanned so far; feed() each chunk of the part in order, then finish()."""

    def __init__(self) -> None:
        self.rows = 0
        self.columns = 0
        self.far_cell: tuple[int, int] | None = None  # (row, 0-based column) of the farthest reference
        self._max_row = self._max_col = 0
        self._row_at = self._col_at = (0, 0)  # (row, 1-based column) of the reference that set each
        self._unreadable = False
        self._unreferenced_rows = 0
        self._run = 0  # cells without a reference since the last row tag (it may go on in the next stretch)
        self._widest_run = 0
        self._pending: list[bytes] = [bytes(CONTEXT)]
        self._pending_bytes = 0  # not counting the context

    def feed(self, chunk: bytes) -> None:
        self._pending.append(chunk)
        self._pending_bytes += len(chunk)
        if self._pending_bytes < MIN_STRETCH + LOOKAHEAD:
            return
        buffer = b"".join(self._pending)
        # Cut before a '<', so that no tag is split between two stretches' counts.
        cut = buffer.rfind(b"<", CONTEXT + 1, len(buffer) - LOOKAHEAD)
        unreadable = cut < 0
        if unreadable:
            # A megabyte without a '<' is one tag or text longer than any Excel writes (a cell holds
            # 32,767 characters): a reference in it could be cut in two and read by neither
            # stretch, so the sheet counts as spanning everything.
            cut = len(buffer) - LOOKAHEAD
        self._add(_read(buffer, cut, unreadable))
        self._pending = [buffer[cut - CONTEXT :]]
        self._pending_bytes = len(buffer) - cut

    def finish(self) -> "Extent":
        if self._pending_bytes:
            self._add(_read(b"".join(self._pending) + b" " * LOOKAHEAD, CONTEXT + self._pending_bytes))
            self._pending, self._pending_bytes = [bytes(CONTEXT)], 0
        if self._unreadable:
            self.rows, self.columns, self.far_cell = FAR, FAR, None
            return self
        # A row without a reference comes right after the one before it: one row further at most.
        self.rows = self._max_row + self._unreferenced_rows
        self.columns = max(self._max_col, 26) + self._widest_run
        # The cell to name when the range is too large: the one taking the larger share of Excel's limits.
        by_row = self._max_row / EXCEL_ROWS >= self._max_col / EXCEL_COLUMNS
        row, col = self._row_at if by_row else self._col_at
        self.far_cell = (min(row, FAR), max(col - 1, 0)) if (row, col) != (0, 0) else None
        return self

    def _add(self, found: _Stretch) -> None:
        """Add up one stretch's findings, in the order of the stretches."""
        self._unreadable |= found.unreadable
        # The farthest by (row, column) and by (column, row), wherever the stretches were cut.
        if found.by_row is not None and found.by_row > self._row_at:
            self._max_row, self._row_at = found.by_row[0], found.by_row
        if found.by_column is not None and found.by_column[::-1] > self._col_at[::-1]:
            self._max_col, self._col_at = found.by_column[1], found.by_column
        self._unreferenced_rows += found.unreferenced_rows
        if found.runs is not None:
            first, widest, last, row_tags = found.runs
            first += self._run
            self._widest_run = max(self._widest_run, first, widest)
            self._run = last if row_tags else first


# ---- one stretch -------------------------------------------------------------------------------


def _read(buffer: bytes, cut: int, unreadable: bool = False) -> _Stretch:
    """What the stretch buffer[CONTEXT:cut] holds (the bytes after `cut` only complete what starts before it)."""
    data = np.frombuffer(buffer, np.uint8)
    found = _Stretch(unreadable=unreadable)
    refs = None
    if b"$" not in buffer and b"'" not in buffer:
        refs = _refs(buffer, data, cut)
    if refs is None:
        refs = _odd_refs(buffer, cut)
    found.by_row, found.by_column = _widest(*refs[:4])
    # A prefixed sheet (<x:row>, <x:c>) prefixes its cells too: one search finds either.
    prefixed = _pairs(data, CONTEXT, cut, b":c") > 0
    if prefixed or not _all_referenced(buffer, data, cut, refs):
        # Some tag has no reference (or is written unusually): look at each one.
        tags = _odd_tags(buffer, cut) if prefixed else _tags(data, cut)
        _loose(found, data, refs[0], *tags)
    return found


def _refs(buffer: bytes, data: np.ndarray, cut: int):
    """Every r="…" attribute whose 'r' lies in the stretch: (where its value starts, letters, digits,
    data, (how many are written <c r=", <row r=")); None when an attribute r is written otherwise
    (spaces around '=') or a value is not at most 7 letters then at most 7 digits: the regular
    expression reads those.
    """
    words = _words(buffer)
    r = np.flatnonzero(data[CONTEXT:cut] == 114) + CONTEXT  # every 'r'
    around = words[r - 5]  # the 'r' is its sixth byte
    # An attribute's name starts after a space; r = "…", r ="…" or r= "…" are read the odd way
    # (single quotes sent the stretch to the regular expression already).
    spaced = np.zeros(len(r), bool)
    for space in _SPACE:
        spaced |= (around & _BEFORE_R) == _U(space) << _U(32)
    around = around[spaced]
    after = (around >> _U(48)) & _U(0xFF)
    quoted = (around & _AFTER_R) == _EQUALS_QUOTE
    if (~quoted & ((after == 61) | _is(after, _SPACE))).any():
        return None
    around = around[quoted]
    at = r[spaced][quoted] + 3
    # Eight bytes from each value, then from its first non-letter: the value is letters, digits, '"'.
    first = words[at] & _every_byte(0xDF)  # letters in upper case
    letters = _leading(first, 65, 90)
    after_letters = words[at + letters]
    digits = _leading(after_letters, 48, 57)
    end = (after_letters >> (_U(8) * np.minimum(digits, 7).astype(_U))) & _U(0xFF)
    if ((letters > _LETTERS) | (digits > _FAST_DIGITS) | (end != 34)).any():
        return None
    cells = int(np.count_nonzero((around & _TAIL6) == _CELL_REF))
    rows = int(np.count_nonzero(around == _ROW_REF))
    return at, letters, digits, (_order(after_letters, digits), _order(first, letters)), (cells, rows)


def _order(words: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Keys that order texts of at most 7 bytes (the first `length` bytes of each word) as numbers
    and column letters compare: longer is larger, then byte by byte."""
    spare = (_U(64) - _U(8) * length.astype(_U)) % _U(64)  # a text of 0 bytes keeps none of its word
    text = np.where(length == 0, _U(0), words.byteswap() >> spare)
    return length.astype(_U) << _U(56) | text


def _all_referenced(buffer: bytes, data: np.ndarray, cut: int, refs) -> bool:
    """Whether every <c and <row tag in the stretch starts with its r="…" (as every writer puts it)."""
    if refs[3] is None:  # read by the regular expression: look at each tag
        return False
    cells, rows = refs[4]
    if _pairs(data, CONTEXT, cut, b"<c") != cells:
        return False
    # '<r' starts <row and little else (<rPr> of rich text); only then is '<row' counted itself.
    return _pairs(data, CONTEXT, cut, b"<r") == rows or buffer.count(b"<row", CONTEXT, cut) == rows


def _odd_refs(buffer: bytes, cut: int):
    at, letters, digits = [], [], []
    for match in _ODD_REF.finditer(buffer, CONTEXT):
        if match.start() >= cut:
            break
        value = match.group(2)
        parts = _ODD_VALUE.fullmatch(value)
        at.append(match.start(2))
        if parts is None:  # not a reference a reader can place: as far as it gets
            letters.append(b""), digits.append(b"9" * (_DIGITS + 1))
        else:
            letters.append(parts.group(1)), digits.append(parts.group(2))
    return np.array(at, np.int64), letters, digits, None


def _widest(at: np.ndarray, letters, digits, keys):
    """((row, column) of the reference with the largest row, (row, column) of the largest column)."""
    if not len(at):
        return None, None
    if keys is None:  # from _odd_refs: the texts themselves
        rows = [_row_number(d) for d in digits]
        columns = [_column_number(c) for c in letters]
        # the largest row, and of its references the one with a column (a cell, not its row tag)
        i = max(range(len(rows)), key=lambda k: (rows[k], columns[k]))
        j = max(range(len(columns)), key=lambda k: (columns[k], rows[k]))
        return (rows[i], columns[i]), (rows[j], columns[j])
    # The largest by (row, column): of a row's references, a cell rather than its row tag.
    by_row, by_column = keys
    tied = np.flatnonzero(by_row == by_row.max())
    i = int(tied[np.argmax(by_column[tied])])
    tied = np.flatnonzero(by_column == by_column.max())
    j = int(tied[np.argmax(by_row[tied])])

    def cell(k: int) -> tuple[int, int]:
        row_text = int(by_row[k] & ~(_U(0xFF) << _U(56))).to_bytes(digits[k], "big")
        column_text = int(by_column[k] & ~(_U(0xFF) << _U(56))).to_bytes(letters[k], "big")
        return _row_number(row_text), _column_number(column_text)

    return cell(i), cell(j)


def _tags(data: np.ndarray, cut: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(every '<', where each <row …> or <c …> tag starts, whether it is a row), before `cut`."""
    opens = np.flatnonzero(data == 60)
    lt = opens[(opens >= CONTEXT) & (opens < cut)]
    named_c = lt[data[lt + 1] == 99]
    after_c = data[named_c + 2]
    cells = named_c[_is(after_c, _SPACE) | (after_c == 62) | (after_c == 47)]
    named_row = lt[(data[lt + 1] == 114) & (data[lt + 2] == 111) & (data[lt + 3] == 119)]
    after_row = data[named_row + 4]
    rows = named_row[_is(after_row, _SPACE) | (after_row == 62) | (after_row == 47)]
    tag_at = np.concatenate([cells, rows])
    is_row = np.concatenate([np.zeros(len(cells), bool), np.ones(len(rows), bool)])
    order = np.argsort(tag_at, kind="stable")
    return opens, tag_at[order], is_row[order]


def _odd_tags(buffer: bytes, cut: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    at, is_row = [], []
    for match in _ODD_TAG.finditer(buffer, CONTEXT):
        if match.start() >= cut:
            break
        at.append(match.start())
        is_row.append(match.group(1) == b"row")
    opens = np.flatnonzero(np.frombuffer(buffer, np.uint8) == 60)
    return opens, np.array(at, np.int64), np.array(is_row, bool)


def _loose(
    found: _Stretch,
    data: np.ndarray,
    at: np.ndarray,
    opens: np.ndarray,
    tag_at: np.ndarray,
    is_row: np.ndarray,
) -> None:
    """Count rows and cells without a reference: no r= before the next '<' (a tag's attributes
    end before it; a reference-like text further on is not the tag's)."""
    if not len(tag_at):
        return
    closes = np.append(opens, len(data))[np.searchsorted(opens, tag_at, side="right")]
    next_ref = np.append(at, len(data))[np.searchsorted(at, tag_at)]
    referenced = next_ref < closes
    found.unreferenced_rows = int((is_row & ~referenced).sum())
    # Runs of cells without a reference, row by row; the run before the first row tag goes on
    # from the previous stretch.
    segment = np.cumsum(is_row)
    loose = ~is_row & ~referenced
    runs = np.bincount(segment[loose], minlength=int(segment[-1]) + 1)
    found.runs = (int(runs[0]), int(runs[1:].max(initial=0)), int(runs[-1]), len(runs) > 1)
