"""The PDFs (요약's one page and the briefing pack) are tagged: language, title, structure (KWCAG 2.2).

Chromium prints a tagged PDF (/MarkInfo, /StructTreeRoot) whose /Lang is the document's <html lang>
and whose /Title is its <title>; a screen reader announces the title and reads the text in the
language declared. The pack's title comes from one place (Briefing.title), which its running line
uses too.
"""

from __future__ import annotations

import io
from datetime import date

import pytest

from briefing.outline import build_outline
from metrics.briefing import build_briefing
from tests.support.browser import needs_chromium
from warehouse.connection import connection

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def briefing(demo_db):
    with connection(demo_db, read_only=True) as con:
        return build_briefing(con, today=date(2026, 12, 1))


def _tags(pdf: bytes) -> tuple[str, str, bool]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    tagged = bool(root.get("/MarkInfo", {}).get("/Marked")) and "/StructTreeRoot" in root
    return str(root.get("/Lang", "")), str(reader.metadata.get("/Title", "")), tagged


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_pack_pdf_declares_its_language_and_title(briefing, lang):
    needs_chromium()
    from briefing.html_writer import briefing_html
    from ui.export import html_to_pdf

    title = briefing.title(lang)
    assert title == build_outline(briefing, lang).running_head  # the HWPX page headers say the same
    assert _tags(html_to_pdf(briefing_html(briefing, lang, demo=True))) == (lang, title, True)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_summary_pdf_declares_its_language_and_title(briefing, lang):
    needs_chromium()
    from ui.export import html_to_pdf
    from ui.report_html import report_html

    lang_tag, title, tagged = _tags(html_to_pdf(report_html(briefing.summary, lang, demo=True)))
    assert (lang_tag, tagged) == (lang, True)
    assert title == (
        "중기부–외교부 정책협의회 성과 요약"
        if lang == "ko"
        else "MSS–MOFA Policy Council: Performance Summary"
    )
