"""How much room text takes in the HWPX pack, estimated before 한글 lays it out.

python-hwpx writes a table's sizes while its cells are still empty (every row 1 mm, every column
equal), so 한글 and other readers start from sizes that say nothing of the content. Here the
content decides: a column's width from its longest line and its longest unbreakable word, a row's
height from the lines its cells wrap to, and so whether a table can outgrow a page and must flow.

The estimate works in HWPUNIT (1/7200 in; a point is 100) from per-character advance widths
typical of Korean fonts (함초롬바탕, 맑은 고딕): a syllable or a CJK symbol is one em wide, Latin
letters and digits about half. It leans wide, so a column is never narrower than its words and a
table judged to fit a page does fit.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

HWPUNIT_PER_MM = 7200 / 25.4
CELL_SIDE = 283  # a cell's left and right margin: 1 mm (한글's 1.8 mm default wastes 3 cm on 9 columns)
CELL_SIDES = CELL_SIDE * 2
CELL_ENDS = 141 * 2  # top + bottom cell margins
LONGEST_WORD_SHARE = 0.45  # a single unbreakable word takes at most this share of the table
# a line is never filled to the last point: words wrap whole, and a reader's fallback font may be
# wider than the face named; a row is sized as if its text were this much wider
WRAP_SLACK = 1.12


@lru_cache(maxsize=4096)
def char_em(ch: str) -> float:
    """One character's advance in ems."""
    if ch == " ":
        return 0.33
    if ord(ch) < 0x80:
        if ch.isdigit():
            return 0.58
        if ch.isupper() or ch in "%&@mw_":
            return 0.72
        if ch.isalpha():
            return 0.56
        return 0.42
    if unicodedata.east_asian_width(ch) in ("W", "F", "A"):
        return 1.0
    return 0.6


@lru_cache(maxsize=65536)  # a pack measures the same cells for widths and for heights
def text_width(text: str, size_pt: float) -> int:
    """The width of one line of `text` at `size_pt`, in HWPUNIT."""
    return math.ceil(sum(char_em(c) for c in text) * size_pt * 100)


def longest_word(text: str, size_pt: float) -> int:
    """The widest run without a space: 한글 breaks Korean anywhere, but a name broken mid-word
    ('중소벤처기업진 / 흥공단') is what a column too narrow does, so words set the floor. A file name
    or a path may break after its '_' or '/'."""
    words = re.split(r"\s+|(?<=[_/])", text)
    return max((text_width(w, size_pt) for w in words), default=0)


def lines_needed(text: str, width: int, size_pt: float) -> int:
    """How many lines `text` wraps to in `width` HWPUNIT (each paragraph of the cell at least one)."""
    room = max(int(width / WRAP_SLACK), 1)
    space = text_width(" ", size_pt)
    total = 0
    for paragraph in text.split("\n"):
        line, count = 0, 1
        for word in paragraph.split(" "):
            w = text_width(word, size_pt)
            gap = space if line else 0
            if line + gap + w <= room:
                line += gap + w
                continue
            count += 1 if line else 0
            inside = max(0, math.ceil(w / room) - 1)  # a word longer than the line breaks inside it
            count += inside
            line = w - inside * room
        total += count
    return total


def column_widths(rows: Sequence[Sequence[str]], total: int, size_pt: float) -> list[int]:
    """Column widths (HWPUNIT, summing to `total`) from the cells, as a browser lays out a table:
    a column whose longest line fits its fair share gets that line's width, the columns of long
    text share the rest by how much they hold, and none is narrower than its longest word where
    the table allows ('중소벤처기업진흥공단' is not broken)."""
    cols = len(rows[0])
    natural = [
        CELL_SIDES + max(text_width(line, size_pt) for r in rows for line in r[c].split("\n"))
        for c in range(cols)
    ]
    cap = int(total * LONGEST_WORD_SHARE)
    floor = [
        max(min(CELL_SIDES + max(longest_word(r[c], size_pt) for r in rows), cap), CELL_SIDES + 600)
        for c in range(cols)
    ]
    if sum(natural) <= total:  # everything on one line: the spare room in proportion
        return _exact([n * total / sum(natural) for n in natural], total)
    if sum(floor) >= total:  # not even the words fit: only the longest words are broken
        level = _level(floor, total)
        return _exact([min(f, level) for f in floor], total)
    # every column its longest word; then the room left goes first to the columns that need little
    # more for their longest line, and what remains to the long ones by how much more they need
    widths = [float(f) for f in floor]
    want = {c: natural[c] - floor[c] for c in range(cols) if natural[c] > floor[c]}
    room = float(total - sum(floor))
    while want:
        share = room / len(want)
        small = [c for c, w in want.items() if w <= share]
        if not small:
            whole = sum(want.values())
            for c, w in want.items():
                widths[c] += room * w / whole
            break
        for c in small:
            widths[c] += want.pop(c)
            room -= natural[c] - floor[c]
    return _exact(widths, total)


def _level(wants: Sequence[float], total: float) -> float:
    """The width L at which the columns' min(want, L) add up to `total`."""
    room, left = float(total), len(wants)
    for want in sorted(wants):
        if want * left > room:
            return room / left
        room -= want
        left -= 1
    return max(wants)


def _exact(widths: Sequence[float], total: int) -> list[int]:
    out = [int(w) for w in widths]
    out[-1] += total - sum(out)
    return out


def row_heights(
    rows: Sequence[Sequence[str]], widths: Sequence[int], size_pt: float, line_percent: int
) -> list[int]:
    """Each row's height (HWPUNIT): its tallest cell's lines at the paragraph's line spacing."""
    line = size_pt * 100 * line_percent / 100
    return [
        CELL_ENDS
        + math.ceil(
            line * max(lines_needed(text, w - CELL_SIDES, size_pt) for text, w in zip(r, widths, strict=True))
        )
        for r in rows
    ]
