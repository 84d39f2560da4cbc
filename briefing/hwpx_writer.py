"""The outline (briefing/outline.py) as an HWPX document for 한글, written and checked with python-hwpx.

A4 portrait, 20 mm side margins. The first page is the title block; every section starts on a new
page, and so does each sector. 개조식 lines are indented by level (□ ○ - ※), tables are real 한글
tables (header row shaded and repeated on each page a table runs onto), charts are PNG pictures
across the text width. The running head and the page number ("n/N") are 한글's own header and footer
fields, so they stay right when the secretariat edits the draft.

python-hwpx has no call for a table's repeated header row: the two attributes OWPML defines for it
(`repeatHeader` on the table, `header` on the first row's cells) are set on the elements the library
made. The header's shading is the library's own border fill (`ensure_shading_border_fill`, what
`set_cell_shading` does) set on each header cell directly: `set_cell_shading` maps the whole table
again for every cell, minutes for the exceptions table. The save's validators check all of it.

Tables are sized from their content (briefing/hwpx_layout.py): column widths from the words in
them, row heights from the lines the cells wrap to; one that may take more than half a page is a
flowing table (not laid out as a character, which 한글 never breaks across pages). Each kind of
paragraph has a named style (□ 항목, ○ 내용, - 세부, ※ 참고, 표 …) so a secretariat restyles all
of one level at once. Text is in KS X 1001 where a glyph may be missing: our own marks (✔ ✕ – −)
become their KS X 1001 equivalents. The saved package is then made as 한글 makes its own files
(briefing/hwpx_package.py).
"""

from __future__ import annotations

import io
import warnings
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime

from hwpx import HwpxDocument
from hwpx.errors import HwpxError
from hwpx.opc.package import HwpxPackageError

from briefing import hwpx_layout as layout
from briefing import hwpx_package
from briefing.outline import DETAIL, MARKERS, NOTE, POINT, TOPIC, Chart, Line, Outline, Table
from warehouse.text import clean_line, clean_text

HWPUNIT_PER_MM = layout.HWPUNIT_PER_MM
TEXT_MM = 170.0  # A4 (210 mm) less 20 mm margins each side
PICTURE_MM = 165.0
HEAD_FILL = "#E8EDF3"
HP = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"
DEFAULT_AUTHOR = "중기부-외교부 정책협의회 대시보드"
# the page body: A4's 297 mm less the top and bottom margins and the header and footer (246 mm)
BODY_HWPUNIT = round((297 - 18 - 15 - 10 - 8) * HWPUNIT_PER_MM)
FLOW_SHARE = 0.5  # a table that may take more than this share of a page flows across pages
CELL_PT, CELL_LINE_PERCENT = 9, 130
# a table of many columns is set smaller, so that its words fit their columns
CELL_PT_BY_COLUMNS = ((10, 8), (8, 8.5), (0, CELL_PT))
# Ministries write in 휴먼명조 (or 함초롬바탕) and title in HY헤드라인M (or 맑은 고딕); each face
# names its fallback (substFont), so a PC without it keeps a like font.
BODY_FONT, BODY_FALLBACK = "휴먼명조", "함초롬바탕"
TITLE_FONT, TITLE_FALLBACK = "HY헤드라인M", "맑은 고딕"
TABLE_FONT, TABLE_FALLBACK = "맑은 고딕", "함초롬돋움"
# marks of our own outside KS X 1001, and the KS X 1001 character 한글's fonts all have
KS_X_1001 = str.maketrans({"✔": "√", "✓": "√", "✕": "×", "✗": "×", "–": "-", "—": "―", "−": "-"})


def ks_text(text: str) -> str:
    """Stored text made safe (clean_text) with our own marks in KS X 1001."""
    return clean_text(text).translate(KS_X_1001)


def _hanging(level: int, size_pt: float) -> float:
    """The hanging indent (mm) that lines a wrapped line up under the text after the marker."""
    return layout.text_width(f"{MARKERS[level]} ", size_pt) / HWPUNIT_PER_MM


# the named style of each kind of paragraph (name, English name)
STYLES: dict[object, tuple[str, str]] = {
    "kicker": ("회의자료 구분", "Pack kicker"),
    "title": ("회의자료 제목", "Pack title"),
    "title_line": ("회의자료 표지", "Pack cover line"),
    "contents_head": ("차례 머리", "Contents heading"),
    "contents": ("차례 항목", "Contents entry"),
    "section": ("장 제목", "Section title"),
    "topic_page": ("□ 항목 (새 쪽)", "Topic, new page"),
    TOPIC: ("□ 항목", "Topic"),
    POINT: ("○ 내용", "Point"),
    DETAIL: ("- 세부", "Detail"),
    NOTE: ("※ 참고", "Note"),
    "cell": ("표 내용", "Table text"),
    "cell_num": ("표 숫자", "Table figure"),
    "cell_head": ("표 머리", "Table heading"),
    "picture": ("그림", "Picture"),
}

# paragraph formats, applied once per group at the end (one paraPr each)
FORMATS: dict[str, dict] = {
    "kicker": {"alignment": "CENTER", "spacing_before_pt": 60, "spacing_after_pt": 6},
    "title": {"alignment": "CENTER", "spacing_after_pt": 10, "line_spacing_percent": 140},
    "title_line": {"alignment": "CENTER", "spacing_after_pt": 4},
    "contents_head": {
        "alignment": "LEFT",
        "spacing_before_pt": 40,
        "spacing_after_pt": 4,
        "indent_left_mm": 30,
    },
    "contents": {"alignment": "LEFT", "indent_left_mm": 34, "spacing_after_pt": 3},
    "section": {
        "alignment": "LEFT",
        "page_break_before": True,
        "spacing_after_pt": 8,
        "keep_with_next": True,
        "bottom_border": True,
        "border_color": "#1F3A5F",
        "border_width": "0.4 mm",
    },
    "topic_page": {
        "page_break_before": True,
        "spacing_before_pt": 0,
        "spacing_after_pt": 4,
        "keep_with_next": True,
    },
    TOPIC: {"spacing_before_pt": 10, "spacing_after_pt": 4, "keep_with_next": True},
    POINT: {
        "indent_left_mm": 2 + _hanging(POINT, 12),
        "first_line_indent_mm": -_hanging(POINT, 12),
        "spacing_after_pt": 3,
        "line_spacing_percent": 150,
    },
    DETAIL: {
        "indent_left_mm": 8 + _hanging(DETAIL, 11),
        "first_line_indent_mm": -_hanging(DETAIL, 11),
        "spacing_after_pt": 2,
        "line_spacing_percent": 140,
    },
    NOTE: {
        "indent_left_mm": 2 + _hanging(NOTE, 9.5),
        "first_line_indent_mm": -_hanging(NOTE, 9.5),
        "spacing_after_pt": 2,
    },
    "cell": {"alignment": "LEFT", "line_spacing_percent": CELL_LINE_PERCENT},
    "cell_num": {"alignment": "RIGHT", "line_spacing_percent": CELL_LINE_PERCENT},
    "cell_head": {"alignment": "CENTER", "line_spacing_percent": CELL_LINE_PERCENT},
    "picture": {"alignment": "CENTER", "spacing_before_pt": 4, "spacing_after_pt": 4},
}


class _Writer:
    def __init__(self, outline: Outline) -> None:
        self.outline = outline
        self.doc = HwpxDocument.new()
        self.groups: dict[object, list] = defaultdict(list)
        self.anchors: list[tuple[object, Chart]] = []
        run = self.doc.styles.ensure_run
        for face, fallback in (
            (BODY_FONT, BODY_FALLBACK),
            (TITLE_FONT, TITLE_FALLBACK),
            (TABLE_FONT, TABLE_FALLBACK),
        ):
            self.doc.styles.ensure_font(face, subst_face=fallback, subst_type="TTF")
        body, title, table = BODY_FONT, TITLE_FONT, TABLE_FONT
        self.chars = {
            "kicker": run(bold=True, size=16, font=title, color="#1F3A5F"),
            "title": run(bold=True, size=22, font=title),
            "title_line": run(size=12, font=body),
            "as_of": run(bold=True, size=15, font=title, color="#1F3A5F"),
            "contents_head": run(bold=True, size=13, font=title),
            "contents": run(size=12, font=body),
            "section": run(bold=True, size=16, font=title, color="#1F3A5F"),
            TOPIC: run(bold=True, size=13, font=title),
            POINT: run(size=12, font=body),
            DETAIL: run(size=11, font=body),
            NOTE: run(size=9.5, font=body, color="#52606D"),
            "cell": run(size=CELL_PT, font=table),
            "cell_head": run(bold=True, size=CELL_PT, font=table),
        }
        for _cols, size in CELL_PT_BY_COLUMNS:
            self.chars[f"cell{size}"] = run(size=size, font=table)
            self.chars[f"cell_head{size}"] = run(bold=True, size=size, font=table)
        self.kind_chars: dict[object, object] = {}  # the character style each kind's named style carries

    def paragraph(self, text: str, kind: object, char: object | None = None):
        char_pr = self.chars[char if char is not None else kind]
        p = self.doc.add_paragraph(ks_text(text), char_pr_id_ref=char_pr)
        self.groups[kind].append(p)
        self.kind_chars.setdefault(kind, char_pr)
        return p

    def title_block(self) -> None:
        tb = self.outline.title
        first = self.doc.paragraphs[0]  # the blank document's paragraph, holding the section settings
        first.text = ks_text(tb.kicker)
        first.char_pr_id_ref = self.chars["kicker"]
        self.groups["kicker"].append(first)
        self.kind_chars["kicker"] = self.chars["kicker"]
        self.paragraph(tb.title, "title")
        self.paragraph(tb.when, "title_line")
        self.paragraph(tb.as_of, "title_line", "as_of")
        for line in tb.lines:
            self.paragraph(line, "title_line")
        self.paragraph("목차" if self.outline.lang == "ko" else "Contents", "contents_head")
        for entry in tb.contents:
            self.paragraph(entry, "contents")

    def line(self, line: Line) -> None:
        kind = "topic_page" if line.new_page else line.level
        self.paragraph(line.marked, kind, line.level)

    def table(self, table: Table) -> None:
        rows = [[ks_text(c) for c in r] for r in [table.head, *table.rows]]
        total = round(TEXT_MM * HWPUNIT_PER_MM)
        size = next(pt for cols, pt in CELL_PT_BY_COLUMNS if len(table.head) >= cols)
        t = self.doc.add_table(len(rows), len(table.head), width=total)
        grid = t.get_cell_map()  # once: each t.cell(r, c) would map the whole table again
        shade = self.doc.oxml.ensure_shading_border_fill(
            HEAD_FILL, base_border_fill_id=grid[0][0].cell.element.get("borderFillIDRef")
        )
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                cell = grid[r][c].cell
                cell.set_text(text, split_paragraphs="\n" in text)  # a line per paragraph
                head = r == 0
                kind = "cell_head" if head else ("cell_num" if table.numeric[c] else "cell")
                char_pr = self.chars[f"{'cell_head' if head else 'cell'}{size}"]
                self.kind_chars.setdefault(kind, char_pr)
                for p in cell.paragraphs:
                    p.char_pr_id_ref = char_pr
                    self.groups[kind].append(p)
                if head:
                    cell.element.set("header", "1")
                    cell.element.set("borderFillIDRef", shade)
                margin = cell.element.find(f"{HP}cellMargin")
                margin.set("left", str(layout.CELL_SIDE))
                margin.set("right", str(layout.CELL_SIDE))
        inner = t.element.find(f"{HP}inMargin")
        inner.set("left", str(layout.CELL_SIDE))
        inner.set("right", str(layout.CELL_SIDE))
        widths = layout.column_widths(rows, total, size)
        t.set_column_widths(widths)
        heights = layout.row_heights(rows, widths, size, CELL_LINE_PERCENT)
        for r, height in enumerate(heights):
            for entry in grid[r]:
                size = entry.cell.element.find(f"{HP}cellSz")
                size.set("height", str(height))
        t.element.find(f"{HP}sz").set("height", str(sum(heights)))
        # A table laid out as a character is never broken across pages: one that may take more than
        # half a page flows instead, broken between rows with its header row repeated.
        if sum(heights) > FLOW_SHARE * BODY_HWPUNIT:
            t.set_treat_as_char(False)
        t.element.set("repeatHeader", "1")
        t.element.set("pageBreak", "CELL")
        t.mark_dirty()

    def chart(self, chart: Chart) -> None:
        """An empty paragraph where the chart goes; the picture is put in it once drawn (`pictures`)."""
        anchor = self.doc.add_paragraph("", include_run=False)
        self.groups["picture"].append(anchor)
        self.anchors.append((anchor, chart))

    def pictures(self, drawn: Callable[[], list[bytes]] | None) -> None:
        """Each chart's PNG into its paragraph: the ones drawn already, else those `drawn` returns."""
        if not self.anchors:
            return
        missing = [c for _, c in self.anchors if c.png is None]
        if missing:
            if drawn is None:
                raise ValueError("charts not drawn: pass drawn= or call outline.draw_charts first")
            for chart, png in zip(missing, drawn(), strict=True):
                chart.png = png
        for anchor, chart in self.anchors:
            w, h = chart.picture.width, chart.picture.height
            item = self.doc.media.add_image(chart.png, "png")
            anchor.add_picture(
                str(item),
                width=round(PICTURE_MM * HWPUNIT_PER_MM),
                height=round(PICTURE_MM * h / w * HWPUNIT_PER_MM),
                align="CENTER",
            )

    def page_frame(self) -> None:
        self.doc.page.setup(
            paper_size="A4",
            orientation="PORTRAIT",
            margins_mm={"left": 20, "right": 20, "top": 18, "bottom": 15},
            header_margin_mm=10,
            footer_margin_mm=8,
        )
        self.doc.page.set_header(text=clean_line(self.outline.running_head).translate(KS_X_1001))
        self.doc.page.set_page_number(format="page/total", position="BOTTOM_CENTER")
        self.doc.page.set_visibility(hide_first_header=True)

    def formats(self) -> None:
        """Each group's paragraph format: made once per starting shape, then shared by reference,
        and a named style per group carrying it, so that 한글's style list restyles a level at once.

        (apply_paragraph_format matches every paragraph against every existing shape: fine for a
        letter, minutes for a pack with two thousand table cells.)
        """
        header = self.doc.oxml.headers[0]
        for kind, paragraphs in self.groups.items():
            made: dict[str | None, str | None] = {}
            for p in paragraphs:
                base = p.para_pr_id_ref
                if base not in made:
                    self.doc.styles.apply_paragraph_format(paragraphs=[p], **FORMATS[kind])
                    made[base] = p.para_pr_id_ref
                else:
                    p.para_pr_id_ref = made[base]
            name, english = STYLES[kind]
            style = header.ensure_style(
                name,
                eng_name=english,
                para_pr_id_ref=next(iter(made.values())),
                char_pr_id_ref=self.kind_chars.get(kind, self.chars[POINT]),
                lang_id=1042,
                lock_form=False,
            )
            header.ensure_style(name, next_style_id_ref=style)
            for p in paragraphs:
                p.element.set("styleIDRef", str(style))

    def properties(self, author: str, when: datetime) -> None:
        tb = self.outline.title
        stamp = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.doc.parts.set_document_metadata(
            title=ks_text(f"{tb.title} {tb.kicker}"),
            creator=author,
            subject=ks_text(tb.as_of),
            created_date=stamp,
            modified_date=stamp,
        )

    def preview(self) -> tuple[str, list[tuple[str, int, bool]]]:
        """The first page's text (PrvText.txt, as 한글 writes it: the document's first text) and
        its cover lines for the preview image."""
        tb = self.outline.title
        lines = [tb.kicker, tb.title, tb.when, tb.as_of, *tb.lines, *tb.contents]
        text = "\r\n".join(ks_text(x) for x in lines)[:1024]
        cover = [(tb.kicker, 16, True), (tb.title, 22, True), (tb.when, 12, False), (tb.as_of, 15, True)]
        return text, [(ks_text(x), size, bold) for x, size, bold in cover]

    def write(self, drawn: Callable[[], list[bytes]] | None = None, *, author: str, when: datetime) -> bytes:
        self.page_frame()
        self.title_block()
        for section in self.outline.sections:
            self.paragraph(section.title, "section")
            for block in section.blocks:
                if isinstance(block, Line):
                    self.line(block)
                elif isinstance(block, Table):
                    self.table(block)
                elif isinstance(block, Chart):
                    self.chart(block)
        self.pictures(drawn)
        self.formats()
        self.properties(author, when)
        out = io.BytesIO()
        self.doc.save_to_stream(out)
        text, cover = self.preview()
        return hwpx_package.finish(out.getvalue(), author=author, when=when, preview_text=text, cover=cover)


class InvalidDocument(RuntimeError):
    """python-hwpx's validators found errors in the document we wrote (a bug here, not bad input)."""


def write_hwpx(
    outline: Outline,
    drawn: Callable[[], list[bytes]] | None = None,
    *,
    author: str | None = None,
    when: datetime | None = None,
) -> bytes:
    """The outline as HWPX bytes, validated.

    python-hwpx's save validates what it wrote before handing it over: its package validator
    (`validate_package`: ZIP, container, manifest, every part's XML), its schema validator
    (`validate_document`) and reopening the file; it refuses on any error but three cosmetic ones
    (an XML declaration's `standalone`, a root namespace Hancom adds, a manifest entry with no part).
    tests/briefing/test_hwpx.py runs both validators on the pack and allows no error at all. Validating once
    more here would cost a second or so a pack.

    The charts' PNGs come from `outline.draw_charts` beforehand, or from `drawn()`, called once the
    text and tables are in place (each chart has its paragraph by then).

    `author` (who made it: the signed-in user, or the account running the command) and `when` are
    the document's properties; without them, the dashboard and now.
    """
    with warnings.catch_warnings():
        # python-hwpx flags its own experimental surfaces; none is used here, and none should reach users
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            return _Writer(outline).write(
                drawn,
                author=clean_line(author or DEFAULT_AUTHOR),
                when=when or datetime.now(UTC),
            )
        except (HwpxError, HwpxPackageError) as exc:
            raise InvalidDocument(str(exc)) from exc
