"""The briefing pack as one outline: a title block and sections of 개조식 lines, tables and charts.

The one description of the pack: each section is written once (briefing/sections/), in elements
(briefing/elements.py) that both writers lay out, the PDF's (briefing/html_writer.py) and the
HWPX's (briefing/hwpx_writer.py), so the two files carry the same numbers, units and notes.

Adding a section is one function `(Briefing, lang) -> Section | None` and one entry in SECTIONS.
"""

from __future__ import annotations

from collections.abc import Callable

from briefing.elements import (  # noqa: F401  (the writers' and tests' names for the elements)
    DETAIL,
    MARKERS,
    NOTE,
    POINT,
    TOPIC,
    Block,
    Chart,
    Line,
    Outline,
    Section,
    Table,
    TitleBlock,
    paper_date,
)
from briefing.sections.actions import actions_section
from briefing.sections.exceptions import annex_section, exceptions_section
from briefing.sections.incidents import incidents_section
from briefing.sections.plan import plan_section
from briefing.sections.sectors import sectors_section
from briefing.sections.since import since_section
from briefing.sections.summary import summary_section
from briefing.sections.title import title_block
from metrics.briefing import Briefing
from metrics.council import quarter_text
from ui.bilingual import t

ROMAN = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ", "Ⅶ", "Ⅷ", "Ⅸ", "Ⅹ")

SECTIONS: tuple[Callable[[Briefing, str], Section | None], ...] = (
    summary_section,
    since_section,
    actions_section,
    sectors_section,
    exceptions_section,
    incidents_section,
    plan_section,
    annex_section,
)


def _agenda(b: Briefing, lang: str) -> list[str]:
    as_of = quarter_text(b.period, lang)
    items = [t(lang, f"{as_of} 성과 점검", f"Results to {as_of}")]
    if b.actions is not None and b.actions.meeting is not None:
        items.append(t(lang, "후속 조치 이행 점검", "Follow-up actions"))
    items.append(t(lang, "향후 계획 논의", "Next steps"))
    return items


def build_outline(b: Briefing, lang: str = "ko", *, demo: bool = False) -> Outline:
    """The pack's outline in `lang` (charts not drawn yet: see `draw_charts`)."""
    sections = [s for s in (make(b, lang) for make in SECTIONS) if s is not None]
    numbers = iter(ROMAN)
    for section in sections:
        if section.numbered:
            section.title = f"{next(numbers)}. {section.title}"
    contents = [s.title for s in sections]
    running = b.title(lang)  # the PDF's <title> too: one title (metrics.briefing)
    return Outline(lang, title_block(b, lang, contents, _agenda(b, lang), demo), sections, running)


def draw_charts(outline: Outline) -> Outline:
    """Every chart of the outline drawn to PNG, in one browser run."""
    from briefing.images import render_pngs

    charts = [c for c in outline.charts() if c.png is None]
    for chart, png in zip(charts, render_pngs([c.picture for c in charts]), strict=True):
        chart.png = png
    return outline
