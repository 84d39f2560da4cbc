"""The title block: the meeting, 회의 개요 (일시·안건·비교 기준), completeness and the one data note."""

from __future__ import annotations

from briefing.elements import TitleBlock, paper_date
from metrics.briefing import Briefing
from metrics.council import quarter_text
from ui.bilingual import t
from warehouse.meeting import ordinal


def meeting_name(m, lang: str) -> str:
    """'제2차 회의(2025. 12. 19.(금))' / 'the 2nd council (Fri 19 Dec 2025)'."""
    if lang == "en":
        return f"the {ordinal(m.meeting_no)} council ({paper_date(m.held_on, 'en')})"
    return f"제{m.meeting_no}차 회의({paper_date(m.held_on)})"


def title_block(b: Briefing, lang: str, contents: list[str], agenda: list[str], demo: bool) -> TitleBlock:
    m = b.meeting
    as_of = quarter_text(b.period, lang)
    comp = b.summary.completeness
    if m is not None:
        title = m.title(lang)
        planned = m.held_on >= b.today
        when = paper_date(m.held_on, lang) + (t(lang, " (개최 예정)", " (planned)") if planned else "")
        if lang == "en" and not m.title_en:
            title = f"{ordinal(m.meeting_no)} MSS–MOFA Policy Council"
    else:
        title = t(lang, "중기부–외교부 정책협의회", "MSS–MOFA Policy Council")
        when = t(lang, "예정된 회의 없음", "No meeting planned")
    lines = []
    if m is not None:
        lines.append(t(lang, f"일시: {paper_date(m.held_on)}", f"Date: {paper_date(m.held_on, 'en')}"))
    if agenda:
        lines.append(t(lang, "안건: ", "Agenda: ") + " · ".join(agenda))
    if b.since is not None:
        then = quarter_text(b.since.then_period, lang)
        lines.append(
            t(
                lang,
                f"비교 기준: {meeting_name(b.since.meeting, 'ko')}, {then} 검토",
                f"Compared with {meeting_name(b.since.meeting, 'en')}, which reviewed {then}",
            )
        )
    lines.append(
        t(
            lang,
            f"공관 제출 {comp.submitted}/{comp.expected} ({as_of})",
            f"Missions reported {comp.submitted}/{comp.expected} ({as_of})",
        )
    )
    missing = comp.missing_text(lang, limit=8)
    if missing:
        lines.append(missing)
    if demo:  # the one data note: the tables mark demo items, this says once what the mark means
        lines.append(
            t(
                lang,
                "※ 데모 데이터 — 가상 수치. [데모]는 시연용 가상 항목입니다.",
                "※ Demo data — synthetic figures. [Demo] marks a synthetic demonstration item.",
            )
        )
    return TitleBlock(
        kicker=t(lang, "회의 자료", "Briefing pack"),
        title=title,
        when=when,
        as_of=t(lang, f"{as_of} 마감 기준", f"As of {as_of} (closed)"),
        lines=lines,
        contents=contents,
    )
