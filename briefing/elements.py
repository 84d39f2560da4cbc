"""What an outline is made of: 개조식 lines, tables and charts in sections, under a title block.

A Korean government report (보고서) writes in 개조식: □ for a topic, ○ for a point under it, - for a
detail, ※ for a note. The sections (briefing/sections/) write the pack once in these elements; each
writer (briefing/html_writer.py for the PDF, briefing/hwpx_writer.py for 한글) lays them out and
knows nothing of the council. Something only one format could draw has no place here: both carry it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from briefing.images import Picture

# 개조식 levels: the marker each level's line starts with
TOPIC, POINT, DETAIL, NOTE = 1, 2, 3, 4
MARKERS = {TOPIC: "□", POINT: "○", DETAIL: "-", NOTE: "※"}

_WEEKDAYS_KO = "월화수목금토일"


def paper_date(value: object, lang: str = "ko") -> str:
    """A day as meeting papers write it: '2026. 12. 18.(금)' / 'Fri 18 Dec 2026'; '–' for none.

    Any time of day is dropped: papers carry days, and a '00:00' tells the reader nothing.
    """
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return "–"
    try:
        day = pd.Timestamp(value)
    except (TypeError, ValueError):
        return str(value)
    if pd.isna(day):
        return "–"
    if lang == "en":
        return f"{day:%a} {day.day} {day:%b} {day.year}"
    return f"{day.year}. {day.month}. {day.day}.({_WEEKDAYS_KO[day.weekday()]})"


_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")


def as_written(text: object, lang: str) -> str:
    """Stored free text in the language it was written in, marked when that is not the pack's.

    The registers keep causes, notes and incident summaries as written (mostly Korean); an English
    pack shows them as they are and says so, rather than passing Korean off as its own text.
    """
    text = "" if text is None or text is pd.NA else str(text)
    if lang == "en" and _HANGUL.search(text):
        return f"(in Korean) {text}"
    return text


@dataclass(frozen=True)
class Line:
    """One line of 개조식 text; `new_page` starts it on a new page (a sector's □)."""

    text: str
    level: int = POINT
    new_page: bool = False

    @property
    def marked(self) -> str:
        return f"{MARKERS[self.level]} {self.text}"


@dataclass
class Table:
    """A real table: header cells, body cells (text as printed), which columns are figures, widths.

    `tones` (optional, parallel to `rows`) names the status a cell reads as ('behind', 'at_risk',
    'on_track', …): a writer may draw it as a badge, always beside the cell's own symbol and words.
    """

    key: str  # what the table is, for tests and readers: 'tiles', 'sector:bio', 'exceptions' …
    head: list[str]
    rows: list[list[str]]
    widths: list[float]  # relative column widths
    numeric: list[bool]
    tones: list[list[str | None]] | None = None

    def tone(self, r: int, c: int) -> str | None:
        return self.tones[r][c] if self.tones is not None else None


@dataclass
class Chart:
    key: str
    picture: Picture
    caption: str = ""
    png: bytes | None = None  # filled by `outline.draw_charts` or the writer's `drawn`


Block = Line | Table | Chart


@dataclass
class Section:
    """A part of the pack; `numbered` sections get Ⅰ, Ⅱ …, an annex (붙임) is titled as it is."""

    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    numbered: bool = True


@dataclass
class TitleBlock:
    kicker: str  # 회의 자료
    title: str  # 제3차 중기부–외교부 정책협의회
    when: str  # 2026. 12. 18.(금) (개최 예정)
    as_of: str  # 2026년 3분기 마감 기준
    lines: list[str]  # 회의 개요 (일시, 안건, 비교 기준), completeness, the data note
    contents: list[str]


@dataclass
class Outline:
    lang: str
    title: TitleBlock
    sections: list[Section]
    running_head: str  # the header line of every page after the first

    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    def charts(self) -> list[Chart]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Chart)]

    def texts(self) -> list[str]:
        """Every piece of text the outline carries (title block, headings, lines, cells, captions):
        what each format must show, whatever its layout."""
        tb = self.title
        out = [tb.kicker, tb.title, tb.when, tb.as_of, *tb.lines]
        for s in self.sections:
            out.append(s.title)
            for b in s.blocks:
                if isinstance(b, Line):
                    out.append(b.marked)
                elif isinstance(b, Table):
                    out += b.head + [c for row in b.rows for c in row]
                elif b.caption:
                    out.append(b.caption)
        return [x for x in out if x]
