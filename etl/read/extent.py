"""The extent of a sheet as a reader will allocate it, from every row and cell of its XML.

fastexcel (calamine) places each cell by its own reference (r="XFD1048576"), whatever the order of
the <row> elements or the <dimension> the sheet declares, and allocates a dense range up to the
farthest one. So the bound comes from every reference in the part, not from where an in-order
sheet keeps its last cell: a far cell in the middle of a sheet whose rows are out of order costs
as much as one at its end. Rows and cells without a reference follow the one before them, so
they widen the bound by how many of them there are (cells: in one row).

Each stretch of inflated XML is looked at in a few vectorised passes: the references are found
by their '=' and measured up to their closing quote, and only the longest are compared digit by
digit (numpy). Markup that is valid but unusual (spaces around '=', single quotes, prefixed tags,
'$') is read by regular expressions instead, and tags without a reference are counted one by one
only in a stretch that has any; either way each byte is looked at a bounded number of times.
"""

import re

import numpy as np

# Positions before a stretch's cut are its own; the bytes after it (at least LOOKAHEAD) are read
# again with the next stretch, so a reference or tag cut in two is read whole.
LOOKAHEAD = 256
MIN_STRETCH = 1024**2  # small chunks are read together: each look costs some fixed time
_LETTERS = 7  # past XFD (3 letters) a reference is already far out of range
_DIGITS = 10
FAR = 2**40  # a reference too long (or too odd) to read is as far as it gets
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384

_SPACE = (9, 10, 13, 32)
_ODD_REF = re.compile(rb"""(?<=\s)r\s*+=\s*+(["'])([^"'<>]{0,24})""")
_ODD_TAG = re.compile(rb"<(?:[\w.-]{1,64}:)?(row|c)(?=[\s/>])")
_ODD_VALUE = re.compile(rb"\$?([A-Za-z]*)\$?(\d*)")


def _is(values: np.ndarray, codes: tuple[int, ...]) -> np.ndarray:
    found = values == codes[0]
    for code in codes[1:]:
        found |= values == code
    return found


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


def _largest(data: np.ndarray, start: np.ndarray, length: np.ndarray, upper: bool) -> np.ndarray:
    """Indexes of the largest of the texts at start[i] of length[i]: longer is larger, then byte by byte.

    Among the longest, each position keeps only the candidates with its largest byte, so after the
    first digit or two few remain.
    """
    longest = int(length.max())
    candidates = np.flatnonzero(length == longest)
    for k in range(longest):
        if len(candidates) == 1:
            break
        byte = data[start[candidates] + k]
        if upper:
            byte = byte & 0xDF
        candidates = candidates[byte == byte.max()]
    return candidates


class Extent:
    """Rows and columns spanned so far; feed() each chunk of the part in order, then finish()."""

    def __init__(self) -> None:
        self.rows = 0
        self.columns = 0
        self.far_cell: tuple[int, int] | None = None  # (row, 0-based column) of the farthest reference
        self._max_row = self._max_col = 0
        self._row_at = self._col_at = (0, 0)  # (row, 1-based column) of the reference that set each
        self._unreferenced_rows = 0
        self._run = 0  # cells without a reference since the last row tag (it may go on in the next stretch)
        self._widest_run = 0
        self._pending: list[bytes] = []
        self._pending_bytes = 0

    def feed(self, chunk: bytes) -> None:
        self._pending.append(chunk)
        self._pending_bytes += len(chunk)
        if self._pending_bytes < MIN_STRETCH + LOOKAHEAD:
            return
        buffer = b"".join(self._pending) if len(self._pending) > 1 else chunk
        # Cut before a '<', so that no tag is split between two stretches' counts.
        cut = buffer.rfind(b"<", 0, len(buffer) - LOOKAHEAD)
        if cut <= 0:
            cut = len(buffer) - LOOKAHEAD
        self._read(buffer, cut)
        self._pending = [buffer[cut:]]
        self._pending_bytes = len(buffer) - cut

    def finish(self) -> "Extent":
        if self._pending_bytes:
            self._read(b"".join(self._pending) + b" " * LOOKAHEAD, self._pending_bytes)
            self._pending, self._pending_bytes = [], 0
        # A row without a reference comes right after the one before it: one row further at most.
        self.rows = self._max_row + self._unreferenced_rows
        self.columns = max(self._max_col, 26) + self._widest_run
        # The cell to name when the range is too large: the one taking the larger share of Excel's limits.
        by_row = self._max_row / EXCEL_ROWS >= self._max_col / EXCEL_COLUMNS
        row, col = self._row_at if by_row else self._col_at
        self.far_cell = (min(row, FAR), max(col - 1, 0)) if (row, col) != (0, 0) else None
        return self

    # ---- one stretch ---------------------------------------------------------------------------

    def _read(self, buffer: bytes, cut: int) -> None:
        data = np.frombuffer(buffer, np.uint8)
        refs = None
        if b"$" not in buffer and b"'" not in buffer:
            refs = self._refs(data, cut)
        if refs is None:
            refs = self._odd_refs(buffer, cut)
        self._widen(*refs)
        # A prefixed sheet (<x:row>, <x:c>) prefixes its cells too: one search finds either.
        prefixed = b":c" in buffer
        if prefixed or not self._all_referenced(buffer, cut, refs):
            # Some tag has no reference (or is written unusually): look at each one.
            tags = self._odd_tags(buffer, cut) if prefixed else self._tags(data, cut)
            self._loose(data, refs[0], *tags)

    @staticmethod
    def _refs(data: np.ndarray, cut: int):
        """Every r="…" attribute starting before `cut`: (where, letters, digits, data), or None when
        some quote or '=' has a space beside it (the regular expression reads those)."""
        # Found by their quotes: a value runs from its opening quote to the next one.
        quotes = np.flatnonzero(data == 34)
        opening = np.flatnonzero((quotes >= 3) & (quotes < cut))
        at = quotes[opening]
        before = data[at - 1]
        equals = before == 61
        if _is(before, _SPACE).any() or (equals & _is(data[at - 2], _SPACE)).any():
            return None
        named_r = equals & (data[at - 2] == 114) & _is(data[at - 3], _SPACE)
        opening, at = opening[named_r], at[named_r] + 1
        length = np.append(quotes, len(data))[opening + 1] - at
        letters = np.zeros(len(at), np.int64)
        alive = np.arange(len(at))
        for _ in range(_LETTERS + 1):
            byte = data[at[alive] + letters[alive]] & 0xDF
            alive = alive[(byte >= 65) & (byte <= 90) & (letters[alive] < length[alive])]
            if not len(alive):
                break
            letters[alive] += 1
        return at, letters, length - letters, data

    @staticmethod
    def _all_referenced(buffer: bytes, cut: int, refs) -> bool:
        """Whether every <c and <row tag before `cut` starts with its r="…" (as every writer puts it)."""
        if refs[3] is None:  # read by the regular expression: look at each tag
            return False
        return buffer.count(b"<c", 0, cut) == buffer.count(b'<c r="', 0, cut) and buffer.count(
            b"<row", 0, cut
        ) == buffer.count(b'<row r="', 0, cut)

    @staticmethod
    def _odd_refs(buffer: bytes, cut: int):
        at, letters, digits = [], [], []
        for match in _ODD_REF.finditer(buffer):
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

    def _widen(self, at: np.ndarray, letters, digits, data: np.ndarray | None) -> None:
        if not len(at):
            return
        if data is None:  # from _odd_refs: the texts themselves
            rows = [_row_number(d) for d in digits]
            columns = [_column_number(c) for c in letters]
            # the largest row, and of its references the one with a column (a cell, not its row tag)
            i = max(range(len(rows)), key=lambda k: (rows[k], columns[k]))
            j = max(range(len(columns)), key=lambda k: (columns[k], rows[k]))
            self._note(rows[i], columns[i], rows[j], columns[j])
            return
        # Of the references with the largest row, one with a column (a cell rather than its row tag).
        tied = _largest(data, at + letters, digits, upper=False)
        i = int(tied[np.argmax(letters[tied])])
        j = int(_largest(data, at, letters, upper=True)[0])

        def text(start: int, length: int) -> bytes:
            return data[start : start + length].tobytes()

        row_i = _row_number(text(at[i] + letters[i], digits[i]))
        col_i = _column_number(text(at[i], letters[i]))
        row_j = _row_number(text(at[j] + letters[j], digits[j]))
        col_j = _column_number(text(at[j], letters[j]))
        self._note(row_i, col_i, row_j, col_j)

    def _note(self, row_i: int, col_i: int, row_j: int, col_j: int) -> None:
        """(row_i, col_i): the reference with the largest row; (row_j, col_j): the largest column."""
        if row_i > self._max_row:
            self._max_row, self._row_at = row_i, (row_i, col_i)
        if col_j > self._max_col:
            self._max_col, self._col_at = col_j, (row_j, col_j)

    @staticmethod
    def _tags(data: np.ndarray, cut: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(every '<', where each <row …> or <c …> tag starts, whether it is a row), before `cut`."""
        opens = np.flatnonzero(data == 60)
        lt = opens[opens < cut]
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

    @staticmethod
    def _odd_tags(buffer: bytes, cut: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        at, is_row = [], []
        for match in _ODD_TAG.finditer(buffer):
            if match.start() >= cut:
                break
            at.append(match.start())
            is_row.append(match.group(1) == b"row")
        opens = np.flatnonzero(np.frombuffer(buffer, np.uint8) == 60)
        return opens, np.array(at, np.int64), np.array(is_row, bool)

    def _loose(
        self, data: np.ndarray, at: np.ndarray, opens: np.ndarray, tag_at: np.ndarray, is_row: np.ndarray
    ) -> None:
        """Count rows and cells without a reference: no r= before the next '<' (a tag's attributes
        end before it; a reference-like text further on is not the tag's)."""
        if not len(tag_at):
            return
        closes = np.append(opens, len(data))[np.searchsorted(opens, tag_at, side="right")]
        next_ref = np.append(at, len(data))[np.searchsorted(at, tag_at)]
        referenced = next_ref < closes
        self._unreferenced_rows += int((is_row & ~referenced).sum())
        # Runs of cells without a reference, row by row; the run before the first row tag goes on
        # from the previous stretch.
        segment = np.cumsum(is_row)
        loose = ~is_row & ~referenced
        runs = np.bincount(segment[loose], minlength=int(segment[-1]) + 1)
        runs[0] += self._run
        self._widest_run = max(self._widest_run, int(runs.max()))
        self._run = int(runs[-1])
