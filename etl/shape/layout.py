"""Finding the table in a sheet: its header row(s), what each column holds, and the cover cells above it.

Analysts put title rows, unit notes, cover cells (보고기관: 중기부) and blank rows above the header, and
sometimes split the header over two rows with merged cells (수출계약 over 건수 | 금액). We try each
of the first rows, alone and paired with the next, and keep the reading that recognises most columns.
"""

import re
from dataclasses import dataclass, field

from etl.shape.headers import Header, money_factor, parse_header
from etl.shape.period import find_period, parse_basis

SCAN_ROWS = 40
_UNIT_NOTE = re.compile(r"단위|unit", re.I)
_INSTRUCTION_SHEET = re.compile(
    r"안내|작성|설명|방법|목록|참고|표지|instruction|readme|guide|help|list|cover", re.I
)
_COVER_SPLIT = re.compile(r"\s*[:：]\s*")
_COVER_PIECES = re.compile(r"\s+[·|｜/]\s+")


@dataclass
class TableLayout:
    """Where a results table sits in a sheet and what its columns mean."""

    sheet: str
    header_rows: tuple[int, ...]  # 1-based Excel rows
    fields: dict[str, int]  # field → absolute column index
    metrics: dict[int, Header]  # column index → metric header (wide tables)
    unknown: dict[int, str]  # column index → header text we do not know
    headers: dict[int, Header] = field(default_factory=dict)
    cover: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # field → (text, row, col)
    title_period: tuple[int, int] | None = None
    title_period_cell: tuple[int, int] | None = None
    basis: str | None = None
    note_money_factor: float | None = None
    note_won: bool = False
    note_text: str = ""  # the unit note, where it names Korean won
    note_cell: tuple[int, int] | None = None
    title: str = ""

    @property
    def data_start(self) -> int:
        return self.header_rows[-1] + 1

    @property
    def kind(self) -> str:
        return "long" if "metric" in self.fields and "value" in self.fields else "wide"


def _score(headers: list[Header]) -> int:
    return sum(1 for h in headers if h.known)


def _combine(top: list[str | None], bottom: list[str | None]) -> list[str | None]:
    """Two header rows as one: a merged top cell spreads right over the sub-headers beneath it."""
    combined: list[str | None] = []
    carry = None
    for upper, lower in zip(top, bottom, strict=True):
        if upper is not None:
            carry = upper
        elif lower is None:
            carry = None
        head = upper if upper is not None else (carry if lower is not None else None)
        # A group header (기업 지원) over metric names reads as the metric; a merged parent (수출계약)
        # over 건수 | 금액 reads as the two together.
        options = [t for t in ((f"{head} {lower}" if head and lower else None), lower, head) if t]
        combined.append(next((t for t in options if parse_header(t).known), options[0] if options else None))
    return combined


def _acceptable(headers: list[Header]) -> bool:
    fields = {h.field for h in headers if h.field}
    has_metrics = any(h.metric for h in headers) or {"metric", "value"} <= fields
    return has_metrics and _score(headers) >= 2


def detect_table(grid) -> TableLayout | None:
    """The best reading of the sheet's header, or None when it holds no results table.

    `grid` is anything with a name and top(n) rows (a SheetHead or a SheetGrid). A two-row reading
    must recognise more columns than the one-row reading of its lower row, so that a cover line
    (보고기관: 외교부) right above a one-row header is not mistaken for its upper half.
    """
    top = grid.top(SCAN_ROWS)
    best: tuple[tuple[int, int], tuple[int, ...], list[str | None]] | None = None
    for i, row in enumerate(top):
        candidates = [((i + 1,), row)]
        if i + 1 < len(top):
            candidates.append(((i + 1, i + 2), _combine(row, top[i + 1])))
        for rows, texts in candidates:
            headers = [parse_header(t) for t in texts]
            if not _acceptable(headers):
                continue
            score = (_score(headers), -len(rows))
            if best is None or score > best[0]:
                best = (score, rows, texts)
    if best is None:
        return None
    _, rows, texts = best
    layout = TableLayout(sheet=grid.name, header_rows=rows, fields={}, metrics={}, unknown={})
    for col, text in enumerate(texts):
        if not text:
            continue
        header = parse_header(text)
        layout.headers[col] = header
        if header.field and header.field not in layout.fields:
            layout.fields[header.field] = col
        elif header.metric:
            layout.metrics[col] = header
        elif not header.field:
            layout.unknown[col] = text
    _read_cover(layout, top[: rows[0] - 1])
    return layout


def _read_cover(layout: TableLayout, above: list[list[str | None]]) -> None:
    """Title, unit note and 'label: value' cover cells above the header."""
    titles = []
    for r, row in enumerate(above, start=1):
        cells = [(c, t) for c, t in enumerate(row) if t]
        for k, (c, text) in enumerate(cells):
            period = find_period(text)
            if period and layout.title_period is None:
                layout.title_period, layout.title_period_cell = period, (r, c)
            layout.basis = layout.basis or parse_basis(text)
            if _UNIT_NOTE.search(text):
                factor, won = money_factor(text)
                layout.note_money_factor = layout.note_money_factor or factor
                if won and not layout.note_won:
                    layout.note_won, layout.note_text, layout.note_cell = True, text, (r, c)
            known = False
            # One cell may hold several statements: '2026년 1분기 · 보고기관: 외교부'.
            for piece in _COVER_PIECES.split(text):
                label, value, value_col = piece, None, c
                parts = _COVER_SPLIT.split(piece, maxsplit=1)
                if len(parts) == 2 and parts[1]:
                    label, value = parts
                elif k + 1 < len(cells):
                    value_col, value = cells[k + 1][0], cells[k + 1][1]
                header = parse_header(label)
                known = known or header.known
                if header.field and value and header.field not in layout.cover:
                    layout.cover[header.field] = (value, r, value_col)
            if not known and len(text) > 6:
                titles.append(text)
    layout.title = " ".join(titles)


def is_instruction_sheet(grid) -> bool:
    """Sheets we pass over: guidance, lists for dropdowns, cover pages."""
    return bool(_INSTRUCTION_SHEET.search(grid.name))
