"""The outline (briefing/outline.py) as one HTML document of A4-landscape sheets, for Chromium to print.

The PDF's writer, as hwpx_writer.py is the HWPX's: it lays out whatever the outline holds and knows
nothing of the council. A cover (the title block and the contents with page numbers), then each
section from a new sheet; 개조식 lines by level, tables with their header row repeated on every sheet
they run onto, charts (the figures the HWPX shows as PNGs) drawn by plotly.js in the page as vectors
in the same Chromium run that prints it, a status cell as a badge beside its own symbol and words
(shaded so that grayscale print follows severity: 미흡 darkest).

Every sheet is exactly one page (297 × 210 mm) and carries "n / N": the document is paginated here,
from estimated heights, so page numbers are known when it is written. Each text's height is estimated
from its characters' widths (wide Hangul, narrow Latin) against its column, with slack. A row taller
than a sheet is split and continues on the next (long unbroken words break anywhere), so nothing is
cut and no character is lost; tests/briefing/test_briefing.py checks both in Chromium.
"""

from __future__ import annotations

import base64
import html
import json
import math
import unicodedata
from dataclasses import dataclass

from briefing.elements import DETAIL, NOTE, POINT, TOPIC, Chart, Line, Outline, Table
from briefing.images import PLOTLY_JS, figure_spec
from warehouse.text import clean_line, clean_text

PT_MM = 25.4 / 72
BODY_MM = 170.0  # the height a sheet's content may take under its heading and above its footer
BODY_W_MM = 277.0  # A4 landscape less 10 mm each side
CELL_PT, HEAD_PT = 8.2, 7.8
CELL_LINE_MM = 3.9  # the CSS line-height of a table cell
CELL_PAD_MM = 2.0  # a cell's padding top and bottom, and its border
CELL_SIDE_MM = 3.0  # a cell's padding left and right
SLACK = 1.15  # wrapping at word ends leaves lines short of full
GAP_MM = 2.5  # between blocks
PX_MM = 25.4 / 96  # a CSS pixel

LINE_STYLE = {  # level: (font pt, line-height mm, indent mm, space above and below mm), as _CSS
    TOPIC: (10.5, 5.4, 0.0, 3.2),
    POINT: (9.4, 4.9, 4.0, 1.0),
    DETAIL: (8.8, 4.5, 9.0, 0.6),
    NOTE: (7.8, 4.0, 4.0, 1.2),
}
CHART_MAX_MM = 0.5 * BODY_MM  # a chart takes at most half a sheet: its table goes beside it in the flow

TONES = ("on_track", "at_risk", "behind")


def _e(text: object) -> str:
    return html.escape(clean_text(text)).replace("\n", "<br>")


# --- how much room text takes ---------------------------------------------------------------------


def text_mm(text: str, pt: float) -> float:
    """The width of `text` on one line: wide characters (Hangul, CJK, symbols) an em, others 0.62 em."""
    em = pt * PT_MM
    return sum(em if unicodedata.east_asian_width(ch) in "WFA" else 0.62 * em for ch in text)


def lines_of(text: str, width_mm: float, pt: float) -> int:
    """How many lines `text` takes in a box `width_mm` wide, each of its own lines wrapping apart."""
    width = max(width_mm, 4.0)
    return sum(max(1, math.ceil(text_mm(part, pt) * SLACK / width)) for part in str(text).split("\n"))


def split_text(text: str, width_mm: float, pt: float, max_lines: int) -> tuple[str, str]:
    """`text` cut where it would take more than `max_lines` lines: (what fits, the rest)."""
    budget = max(width_mm, 4.0) * max_lines / SLACK
    used = 0.0
    em = pt * PT_MM
    for i, ch in enumerate(text):
        if ch == "\n":  # a new line uses the rest of this one
            used = math.ceil(used / width_mm) * width_mm if used else width_mm
        used += em if unicodedata.east_asian_width(ch) in "WFA" else 0.62 * em
        if used > budget:
            return text[:i], text[i:]
    return text, ""


# --- blocks of known height -----------------------------------------------------------------------


@dataclass
class Piece:
    html: str
    mm: float  # with its own space below
    keep_with_next: bool = False


def line_piece(line: Line) -> Piece:
    pt, lh, indent, below = LINE_STYLE[line.level]
    n = lines_of(line.marked, BODY_W_MM - indent - 4, pt)
    return Piece(
        f'<div class="ln l{line.level}">{_e(line.marked)}</div>',
        n * lh + below,
        keep_with_next=line.level == TOPIC,
    )


def chart_piece(chart: Chart, room: float, live: int | None = None) -> Piece:
    """The chart at its drawn size (CSS px), shrunk to the room left when that keeps it readable."""
    w, h = chart.picture.width * PX_MM, chart.picture.height * PX_MM
    scale = min(1.0, BODY_W_MM / w, CHART_MAX_MM / h)
    if h * scale > room - GAP_MM and room - GAP_MM >= max(0.75 * h * scale, 50):
        scale = (room - GAP_MM - 1) / h
    w, h = w * scale, h * scale
    if (
        chart.png is None and live is not None
    ):  # plotly.js draws it in the page, as vectors, scaled to the box
        k = w / (chart.picture.width * PX_MM)
        inner = (
            f'<div class="plotbox" style="width:{w:.1f}mm;height:{h:.1f}mm">'
            f'<div class="plot" data-spec="{live}" style="transform:scale({k:.4f})"></div></div>'
        )
    elif chart.png is None:  # not drawn (a text-only check): the room it would take
        inner = f'<div class="chart-todo" style="width:{w:.1f}mm;height:{h:.1f}mm"></div>'
    else:
        data = base64.b64encode(chart.png).decode("ascii")
        inner = f'<img alt="{_e(chart.caption or chart.key)}" src="data:image/png;base64,{data}" style="width:{w:.1f}mm;height:{h:.1f}mm">'
    caption = f'<div class="cap">{_e(chart.caption)}</div>' if chart.caption else ""
    return Piece(f'<div class="chart">{inner}{caption}</div>', h + (5 if caption else 0) + GAP_MM + 1)


# --- tables ---------------------------------------------------------------------------------------


class TableLayout:
    """A table's columns in mm, its rows' heights, and rows split where one is taller than a sheet."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.cols = self._widths(table)
        self.width = sum(self.cols)
        self.head_mm = self._height(table.head, HEAD_PT)

    @staticmethod
    def _widths(table: Table) -> list[float]:
        """Each column as wide as its longest text where the table fits the sheet that way (up to a
        quarter more, to breathe); otherwise the outline's relative widths across the sheet."""
        natural = []
        for c, head in enumerate(table.head):
            longest = max(
                [text_mm(part, CELL_PT) for row in table.rows for part in str(row[c]).split("\n")]
                + [max((text_mm(w, HEAD_PT) for w in head.split()), default=0.0)]
            )
            natural.append(longest * SLACK + CELL_SIDE_MM + 2)
        if sum(natural) <= BODY_W_MM:
            return [w * min(1.25, BODY_W_MM / sum(natural)) for w in natural]
        total = sum(table.widths) or 1.0
        return [BODY_W_MM * w / total for w in table.widths]

    def _height(self, cells: list[str], pt: float) -> float:
        n = max((lines_of(c, w - CELL_SIDE_MM, pt) for c, w in zip(cells, self.cols, strict=True)), default=1)
        return n * CELL_LINE_MM + CELL_PAD_MM

    def row_mm(self, cells: list[str]) -> float:
        return self._height(cells, CELL_PT)

    def split(self, cells: list[str], room: float) -> tuple[list[str], list[str]]:
        """The row cut so that its first part fits `room` mm: (first part, the rest)."""
        max_lines = max(1, int((room - CELL_PAD_MM) / CELL_LINE_MM))
        first, rest = [], []
        for c, w in zip(cells, self.cols, strict=True):
            a, b = split_text(c, w - CELL_SIDE_MM, CELL_PT, max_lines)
            first.append(a)
            rest.append(b)
        return first, rest

    def html(self, rows: list[tuple[int, list[str], bool]], continued: bool, lang: str) -> str:
        t = self.table
        cols = "".join(f'<col style="width:{w:.2f}mm">' for w in self.cols)
        head = "".join(
            f'<th class="{"num" if n else ""}">{_e(h)}</th>' for h, n in zip(t.head, t.numeric, strict=True)
        )
        body = []
        for index, cells, first in rows:
            tds = []
            for c, text in enumerate(cells):
                cls = "num" if t.numeric[c] else ""
                tone = t.tone(index, c) if first else None
                shown = _e(text)
                if tone and text:
                    shown = f'<span class="tone {tone if tone in TONES else "other"}">{shown}</span>'
                tds.append(f'<td class="{cls}">{shown}</td>')
            body.append("<tr>" + "".join(tds) + "</tr>")
        note = (
            f'<div class="cont">{"(표 계속)" if lang == "ko" else "(table continued)"}</div>'
            if continued
            else ""
        )
        return f'{note}<table class="bp" style="width:{self.width:.2f}mm"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


# --- sheets ---------------------------------------------------------------------------------------


class Sheets:
    """Pieces laid onto sheets of BODY_MM, a new sheet when the next piece does not fit."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.sheets: list[list[str]] = []
        self.used: list[float] = []  # each sheet's estimated height taken (mm), for calibration
        self.left = 0.0

    def new(self) -> None:
        if self.sheets:
            self.used.append(BODY_MM - self.left)
        self.sheets.append([])
        self.left = BODY_MM

    def put(self, piece: Piece, after_mm: float = 0.0) -> None:
        need = piece.mm + (after_mm if piece.keep_with_next else 0.0)
        if need > self.left and self.sheets[-1]:
            self.new()
        self.sheets[-1].append(piece.html)
        self.left -= piece.mm

    def table(self, table: Table) -> None:
        if not table.rows:
            return
        layout = TableLayout(table)
        cont_mm = 4.5
        fresh = BODY_MM - layout.head_mm - cont_mm
        # (row index, cells, whether this is the row's first part: a continuation shows no badge)
        pending = [(i, list(r), True) for i, r in enumerate(table.rows)]
        continued = False
        while pending:
            room = self.left - layout.head_mm - (cont_mm if continued else 0)
            placed: list[tuple[int, list[str], bool]] = []
            while pending:
                index, cells, first = pending[0]
                h = layout.row_mm(cells)
                if h <= room:
                    placed.append(pending.pop(0))
                    room -= h
                    continue
                if h > fresh and room >= CELL_PAD_MM + 3 * CELL_LINE_MM:
                    # a row taller than any sheet: as much as fits here, the rest on the next sheet
                    part, rest = layout.split(cells, room)
                    placed.append((index, part, first))
                    pending[0] = (index, rest, False)
                    room = 0
                break
            if not placed:
                if self.sheets[-1]:
                    self.new()
                    continue
                index, cells, first = pending[0]  # a fresh sheet without room for the row: split it
                part, rest = layout.split(cells, fresh)
                placed.append((index, part, first))
                pending[0] = (index, rest, False)
                room = 0
            self.sheets[-1].append(layout.html(placed, continued, self.lang))
            self.left = room - GAP_MM
            continued = True
            if pending:
                self.new()


def _least_mm(block: object) -> float:
    """The least room the block after a topic needs, so that the topic is not left alone at a sheet's foot."""
    if isinstance(block, Table) and block.rows:
        layout = TableLayout(block)
        return layout.head_mm + layout.row_mm(block.rows[0]) + 4.5
    if isinstance(block, Chart):
        h = block.picture.height * PX_MM * min(1.0, BODY_W_MM / (block.picture.width * PX_MM))
        return max(0.75 * min(h, CHART_MAX_MM), 50)
    if isinstance(block, Line):
        return line_piece(block).mm
    return 0.0


def _section_sheets(section, lang: str, live: dict[int, int] | None = None) -> list[str]:
    """The section's sheet bodies, each with the height it was estimated to take (`data-est`, mm)."""
    sheets = Sheets(lang)
    sheets.new()
    blocks = section.blocks
    for k, block in enumerate(blocks):
        if isinstance(block, Line):
            if block.new_page and sheets.sheets[-1]:
                sheets.new()
            sheets.put(line_piece(block), _least_mm(blocks[k + 1] if k + 1 < len(blocks) else None))
        elif isinstance(block, Table):
            sheets.table(block)
        elif isinstance(block, Chart):
            index = None if live is None else live.get(id(block))
            sheets.put(chart_piece(block, sheets.left, index))
    sheets.new()  # closes the last sheet's count
    return [
        (f'<div class="bbody" data-est="{mm:.1f}">' + "".join(parts) + "</div>")
        for parts, mm in zip(sheets.sheets, sheets.used, strict=False)  # the closing new() left one empty
        if parts
    ]


def _cover(outline: Outline, contents: list[tuple[str, int]]) -> str:
    tb = outline.title
    lang = outline.lang
    toc = "".join(f'<tr><td>{_e(name)}</td><td class="num">{page}</td></tr>' for name, page in contents)
    lines = "".join(
        f'<div class="{"cv-note" if x.startswith("※") else "cv-line"}">{_e(x)}</div>' for x in tb.lines
    )
    return f"""<div class="cover">
<div class="cv-top"><div class="cv-kicker">{_e(tb.kicker)}</div>
<h1 class="cv-title">{_e(tb.title)}</h1><div class="cv-sub">{_e(tb.when)}</div></div>
<div class="cv-main"><div class="cv-facts"><div class="cv-asof">{_e(tb.as_of)}</div>
<h2>{"회의 개요" if lang == "ko" else "The meeting"}</h2>{lines}</div>
<div class="cv-toc"><h2>{"목차" if lang == "ko" else "Contents"}</h2><table class="toc">{toc}</table></div></div>
</div>"""


def _page(title: str, body: str) -> str:
    # the as-of quarter is in every sheet's footer (the running head), so the heading is the section's alone
    return f'<div class="bpage"><div class="bhead"><h1>{_e(title)}</h1></div>{body}</div>'


def _sheet(body: str, number: int, total: int, footer: str) -> str:
    return (
        f'<div class="sheet">{body}<div class="pfoot">{_e(footer)}</div>'
        f'<div class="pno">{number} / {total}</div></div>'
    )


def _plot_script(charts: list[Chart]) -> str:
    """plotly.js (the installed plotly package's) drawing each chart into its box before printing."""
    specs = json.dumps([figure_spec(c.picture) for c in charts], ensure_ascii=False).replace("</", "<\\/")
    return (
        f'<script src="{PLOTLY_JS.as_uri()}"></script><script>const specs = {specs};'
        "document.querySelectorAll('.plot').forEach(div => { const s = specs[+div.dataset.spec];"
        "Plotly.newPlot(div, s.data, Object.assign({}, s.layout, {width: s.width, height: s.height}),"
        " {staticPlot: true}); });</script>"
    )


def outline_html(outline: Outline, *, draw_in_page: bool = False) -> str:
    """The whole outline as one HTML document of A4-landscape sheets.

    Charts drawn already (`png`) are pictures; with `draw_in_page` the others are drawn by plotly.js
    when the page loads (one browser run for charts and print: `ui.export.html_to_pdf(…, budget_ms=…)`),
    else they are empty boxes of their size (for checks of the text).
    """
    lang = outline.lang
    pending = [c for c in outline.charts() if c.png is None] if draw_in_page else []
    live = {id(c): i for i, c in enumerate(pending)} if draw_in_page else None
    laid = [(s.title, _section_sheets(s, lang, live)) for s in outline.sections]
    contents, page = [], 2
    for title, bodies in laid:
        contents.append((title, page))
        page += len(bodies)
    total = page - 1
    footer = clean_line(outline.running_head)
    sheets = [_sheet(_cover(outline, contents), 1, total, "")]
    number = 2
    for title, bodies in laid:
        for k, body in enumerate(bodies):
            shown = title if k == 0 else f"{title} {'(계속)' if lang == 'ko' else '(continued)'}"
            sheets.append(_sheet(_page(shown, body), number, total, footer))
            number += 1
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{_e(footer)}</title>
<style>{_CSS}</style></head>
<body><main class="pack">{"".join(sheets)}</main>{_plot_script(pending) if pending else ""}</body></html>
"""


PLOT_BUDGET_MS = 30_000  # virtual time for plotly.js to draw the charts before Chromium prints


def outline_pdf(outline: Outline) -> bytes:
    """The outline as PDF: one Chromium run draws the charts (vectors) and prints the sheets."""
    from ui.export import html_to_pdf

    return html_to_pdf(outline_html(outline, draw_in_page=True), budget_ms=PLOT_BUDGET_MS)


def briefing_html(b, lang: str = "ko", *, demo: bool = False, draw: bool = False) -> str:
    """The pack of a `metrics.briefing.Briefing` as the PDF's HTML; `draw` draws its charts (Chromium)."""
    from briefing.outline import build_outline, draw_charts

    outline = build_outline(b, lang, demo=demo)
    return outline_html(draw_charts(outline) if draw else outline)


def page_count(document: str) -> int:
    """How many sheets (PDF pages) a pack document has."""
    return document.count('<div class="sheet">')


_CSS = """
@page { size: A4 landscape; margin: 0; }
* { box-sizing: border-box; }
body { margin: 0; font-family: 'NanumGothic', 'Nanum Gothic', 'Malgun Gothic', sans-serif; color: #1F2933;
       -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.sheet { width: 297mm; height: 210mm; position: relative; overflow: hidden; break-after: page; page-break-after: always; }
.sheet:last-child { break-after: auto; page-break-after: auto; }
.pno { position: absolute; right: 10mm; bottom: 2.6mm; font-size: 7.4pt; color: #52606D; }
.pfoot { position: absolute; left: 10mm; bottom: 2.6mm; font-size: 7pt; color: #7B8794; }
.bpage { width: 297mm; height: 210mm; padding: 8mm 10mm 0 10mm; }
.bhead { display: flex; justify-content: space-between; align-items: flex-end; height: 10mm;
         border-bottom: 2.2px solid #1F3A5F; padding-bottom: 1.4mm; margin-bottom: 2.5mm; }
.bhead h1 { font-size: 14pt; margin: 0; color: #1F3A5F; font-weight: 800; }
.bbody { height: 172mm; }
.bbody > table, .bbody > .chart { margin-bottom: 2.5mm; }
.ln { overflow-wrap: anywhere; word-break: keep-all; }
.l1 { font-size: 10.5pt; line-height: 5.4mm; font-weight: 700; color: #1F3A5F; margin: 1.6mm 0 1.6mm 0; }
.l2 { font-size: 9.4pt; line-height: 4.9mm; padding-left: 4mm; text-indent: -3.2mm; margin-bottom: 1mm; }
.l3 { font-size: 8.8pt; line-height: 4.5mm; padding-left: 9mm; text-indent: -2.4mm; color: #323F4B; margin-bottom: 0.6mm; }
.l4 { font-size: 7.8pt; line-height: 4mm; padding-left: 4mm; color: #52606D; margin-bottom: 1.2mm; }
.chart img, .chart-todo, .plotbox { display: block; }
.plotbox { overflow: hidden; }
.plot { transform-origin: 0 0; }
.chart-todo { border: 1px dashed #CBD2D9; }
.cap { font-size: 7.8pt; color: #52606D; }
.cont { font-size: 7.4pt; color: #52606D; line-height: 4mm; }
table.bp { table-layout: fixed; border-collapse: collapse; }
table.bp th { font-size: 7.8pt; line-height: 3.9mm; padding: 0.8mm 1.5mm; text-align: left; vertical-align: bottom;
              background: #E8EDF3; border: 0.5px solid #CBD2D9; word-break: keep-all; overflow-wrap: break-word; }
table.bp td { font-size: 8.2pt; line-height: 3.9mm; padding: 0.8mm 1.5mm; vertical-align: top;
              border: 0.5px solid #CBD2D9; overflow-wrap: anywhere; word-break: keep-all; }
table.bp .num { text-align: right; }
.tone { padding: 0 1mm; border-radius: 1mm; border: 0.8px solid; -webkit-box-decoration-break: clone; box-decoration-break: clone; }
/* grayscale print follows severity: on track white, at risk mid grey, behind darkest */
.tone.on_track { background: #FFFFFF; color: #004488; border-color: #004488; }
.tone.at_risk { background: #E9C46A; color: #3D2C00; border-color: #8A6400; }
.tone.behind { background: #7A2236; color: #FFFFFF; border-color: #5A1526; }
.tone.other { background: #EEF0F3; color: #4A5563; border-color: #8C96A3; }
.cover { width: 297mm; height: 210mm; display: flex; flex-direction: column; }
.cv-top { height: 70mm; background: #1F3A5F; color: #FFFFFF; padding: 18mm 24mm 0 24mm; }
.cv-kicker { font-size: 12pt; letter-spacing: 0.5mm; opacity: 0.85; }
.cv-title { font-size: 24pt; margin: 3mm 0 2mm 0; font-weight: 800; color: #FFFFFF; }
.cv-sub { font-size: 13pt; }
.cv-main { flex: 1; display: grid; grid-template-columns: 1.25fr 1fr; gap: 14mm; padding: 9mm 24mm 12mm 24mm; }
.cv-main h2 { font-size: 11pt; color: #1F3A5F; margin: 5mm 0 2mm 0; }
.cv-asof { font-size: 19pt; font-weight: 800; color: #1F3A5F; }
.cv-line { font-size: 10pt; line-height: 1.5; overflow-wrap: anywhere; }
.cv-note { font-size: 8.6pt; color: #52606D; margin-top: 1.5mm; }
table.toc td { font-size: 10pt; padding: 1.2mm 1mm; }
table.toc td.num { text-align: right; }
"""
