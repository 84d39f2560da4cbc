"""Ⅵ. The incidents open now (진행 중 or 모니터링), with their figures since each began."""

from __future__ import annotations

from briefing.elements import NOTE, Line, Section, Table, as_written, paper_date
from metrics.briefing import Briefing
from ui.bilingual import t
from ui.report_html import value_text


def incidents_section(b: Briefing, lang: str) -> Section:
    title = t(lang, "진행 중인 긴급상황", "Open incidents")
    df = b.incidents
    if df.empty:
        return Section(
            "incidents", title, [Line(t(lang, "진행 중인 긴급상황이 없습니다.", "No incident is open."))]
        )
    suffix = "en" if lang == "en" else "ko"
    rows = [
        [
            str(r[f"mission_{suffix}"]),
            str(r[f"type_{suffix}"]),
            paper_date(r["started_on"], lang),
            str(r[f"status_{suffix}"]),
            value_text("affected_firms", r["affected_firms"], lang),
            value_text("relief_cases", r["relief_cases"], lang),
            as_written(r["description"], lang) if isinstance(r["description"], str) else "–",
            as_written(r["situation"], lang) if isinstance(r["situation"], str) else "–",
        ]
        for _, r in df.iterrows()
    ]
    head = [
        t(lang, "재외공관", "Mission"),
        t(lang, "유형", "Type"),
        t(lang, "시작일", "Began"),
        t(lang, "상태", "Status"),
        t(lang, "피해기업(발생 이후)", "Firms hit (since it began)"),
        t(lang, "지원(발생 이후)", "Relief (since it began)"),
        t(lang, "개요", "Summary"),
        t(lang, "공관 상황", "Mission's notes"),
    ]
    return Section(
        "incidents",
        title,
        [
            Table(
                "incidents",
                head,
                rows,
                [38, 20, 24, 18, 22, 20, 54, 80],
                [False] * 4 + [True] * 2 + [False] * 2,
            ),
            Line(
                t(
                    lang,
                    "피해기업·지원: 사건 시작 이후 보고된 합계 (성과 요약의 올해 보고 기준 수치와 다름)",
                    "Firms hit, relief: totals reported since each incident began (not this year's reports, "
                    "as in the summary)",
                ),
                NOTE,
            ),
        ],
    )
