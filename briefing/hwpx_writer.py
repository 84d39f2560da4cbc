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
"""

from __future__ import annotations

import io
import warnings
from collections import defaultdict
from collections.abc import Callable

from hwpx import HwpxDocument
from hwpx.errors import HwpxError
from hwpx.opc.package import HwpxPackageError

from briefing.outline import DETAIL, NOTE, POINT, TOPIC, Chart, Line, Outline, Table
from warehouse.text import clean_line, clean_text

HWPUNIT_PER_MM = 7200 / 25.4
TEXT_MM = 170.0  # A4 (210 mm) less 20 mm margins each side
PICTURE_MM = 165.0
HEAD_FILL = "#E8EDF3"

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
        "indent_left_mm": 6,
        "first_line_indent_mm": -4,
        "spacing_after_pt": 3,
        "line_spacing_percent": 150,
    },
    DETAIL: {
        "indent_left_mm": 11,
        "first_line_indent_mm": -3,
        "spacing_after_pt": 2,
        "line_spacing_percent": 140,
    },
    NOTE: {"indent_left_mm": 6, "first_line_indent_mm": -4, "spacing_after_pt": 2},
    "cell": {"alignment": "LEFT"},
    "cell_num": {"alignment": "RIGHT"},
    "cell_head": {"alignment": "CENTER"},
    "picture": {"alignment": "CENTER", "spacing_before_pt": 4, "spacing_after_pt": 4},
}


class _Writer:
    def __init__(self, outline: Outline) -> None:
        self.outline = outline
        self.doc = HwpxDocument.new()
        self.groups: dict[object, list] = defaultdict(list)
        self.anchors: list[tuple[object, Chart]] = []
        run = self.doc.styles.ensure_run
        font = "맑은 고딕"
        self.chars = {
            "kicker": run(bold=True, size=16, font=font, color="#1F3A5F"),
            "title": run(bold=True, size=22, font=font),
            "title_line": run(size=12, font=font),
            "as_of": run(bold=True, size=15, font=font, color="#1F3A5F"),
            "contents_head": run(bold=True, size=13, font=font),
            "contents": run(size=12, font=font),
            "section": run(bold=True, size=16, font=font, color="#1F3A5F"),
            TOPIC: run(bold=True, size=13, font=font),
            POINT: run(size=12, font=font),
            DETAIL: run(size=11, font=font),
            NOTE: run(size=9.5, font=font, color="#52606D"),
            "cell": run(size=9, font=font),
            "cell_head": run(bold=True, size=9, font=font),
        }

    def paragraph(self, text: str, kind: object, char: object | None = None):
        p = self.doc.add_paragraph(
            clean_text(text), char_pr_id_ref=self.chars[char if char is not None else kind]
        )
        self.groups[kind].append(p)
        return p

    def title_block(self) -> None:
        tb = self.outline.title
        first = self.doc.paragraphs[0]  # the blank document's paragraph, holding the section settings
        first.text = clean_text(tb.kicker)
        first.char_pr_id_ref = self.chars["kicker"]
        self.groups["kicker"].append(first)
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
        rows = [table.head, *table.rows]
        t = self.doc.add_table(len(rows), len(table.head), width=round(TEXT_MM * HWPUNIT_PER_MM))
        grid = t.get_cell_map()  # once: each t.cell(r, c) would map the whole table again
        shade = self.doc.oxml.ensure_shading_border_fill(
            HEAD_FILL, base_border_fill_id=grid[0][0].cell.element.get("borderFillIDRef")
        )
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                cell = grid[r][c].cell
                text = clean_text(text)  # stored text: no override may turn the table around
                cell.set_text(text, split_paragraphs="\n" in text)  # a line per paragraph
                head = r == 0
                kind = "cell_head" if head else ("cell_num" if table.numeric[c] else "cell")
                for p in cell.paragraphs:
                    p.char_pr_id_ref = self.chars["cell_head" if head else "cell"]
                    self.groups[kind].append(p)
                if head:
                    cell.element.set("header", "1")
                    cell.element.set("borderFillIDRef", shade)
        t.set_column_widths(table.widths)
        t.element.set("repeatHeader", "1")
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
        self.doc.page.set_header(text=clean_line(self.outline.running_head))
        self.doc.page.set_page_number(format="page/total", position="BOTTOM_CENTER")
        self.doc.page.set_visibility(hide_first_header=True)

    def formats(self) -> None:
        """Each group's paragraph format: made once per starting shape, then shared by reference.

        (apply_paragraph_format matches every paragraph against every existing shape: fine for a
        letter, minutes for a pack with two thousand table cells.)
        """
        for kind, paragraphs in self.groups.items():
            made: dict[str | None, str | None] = {}
            for p in paragraphs:
                base = p.para_pr_id_ref
                if base not in made:
                    self.doc.styles.apply_paragraph_format(paragraphs=[p], **FORMATS[kind])
                    made[base] = p.para_pr_id_ref
                else:
                    p.para_pr_id_ref = made[base]

    def write(self, drawn: Callable[[], list[bytes]] | None = None) -> bytes:
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
        out = io.BytesIO()
        self.doc.save_to_stream(out)
        return out.getvalue()


class InvalidDocument(RuntimeError):
    """python-hwpx's validators found errors in the document we wrote (a bug here, not bad input)."""


def write_hwpx(outline: Outline, drawn: Callable[[], list[bytes]] | None = None) -> bytes:
    """The outline as HWPX bytes, validated.

    python-hwpx's save validates what it wrote before handing it over: its package validator
    (`validate_package`: ZIP, container, manifest, every part's XML), its schema validator
    (`validate_document`) and reopening the file; it refuses on any error but three cosmetic ones
    (an XML declaration's `standalone`, a root namespace Hancom adds, a manifest entry with no part).
    tests/briefing/test_hwpx.py runs both validators on the pack and allows no error at all. Validating once
    more here would cost a second or so a pack.

    The charts' PNGs come from `outline.draw_charts` beforehand, or from `drawn()`, called once the
    text and tables are in place (each chart has its paragraph by then).
    """
    with warnings.catch_warnings():
        # python-hwpx flags its own experimental surfaces; none is used here, and none should reach users
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            return _Writer(outline).write(drawn)
        except (HwpxError, HwpxPackageError) as exc:
            raise InvalidDocument(str(exc)) from exc
