"""Ⅱ. Since the last council: what changed, status then → now, movers, restatements, events since."""

from __future__ import annotations

from briefing.elements import DETAIL, NOTE, TOPIC, Block, Chart, Line, Section
from briefing.images import Picture
from briefing.sections.common import CHART_WIDTH, figure_height, frame_table, none_line
from briefing.sections.title import meeting_name
from metrics.briefing import Briefing
from metrics.council import quarter_text
from ui import council_tables as ct
from ui.bilingual import t
from ui.council_charts import dumbbell


def _people_and_files(lang: str) -> tuple[str, ...]:
    """Columns a minister's paper leaves out: accounts and file names (the agency and day stay)."""
    return (
        t(lang, "파일", "File"),
        t(lang, "변경자", "By"),
        t(lang, "적재자", "Loaded by"),
        t(lang, "처리자", "By"),
    )


def since_section(b: Briefing, lang: str) -> Section:
    title = t(lang, "지난 회의 이후", "Since the last council")
    s = b.since
    if s is None:
        return Section(
            "since",
            title,
            [Line(t(lang, "이전 회의가 없어 비교할 수 없습니다.", "No earlier council to compare with."))],
        )
    then_q, now_q = quarter_text(s.then_period, lang), quarter_text(s.now_period, lang)
    then_label, now_label = (
        t(lang, f"당시 ({then_q})", f"Then ({then_q})"),
        t(lang, f"현재 ({now_q})", f"Now ({now_q})"),
    )
    drop = _people_and_files(lang)
    blocks: list[Block] = [
        Line(
            t(
                lang,
                f"{meeting_name(s.meeting, 'ko')} 당시 본 {then_q}(회의일 수치) ↔ 현재 {now_q} 마감(현재 수치). "
                "목표는 현재 목표, 각 연도 목표 대비.",
                f"{meeting_name(s.meeting, 'en')}: {then_q} as it stood that day ↔ now: {now_q} closed, "
                "current figures. Each against its year's targets as they stand.",
            ),
            NOTE,
        ),
        Line(t(lang, "주요 변화", "What changed"), TOPIC),
    ]
    blocks += [Line(x) for x in s.highlights(lang)] or [none_line(lang)]

    blocks.append(Line(t(lang, "목표 상태 변화 (당시 → 현재)", "Target status, then → now"), TOPIC))
    matrix = ct.transition_matrix(s, lang)
    blocks.append(frame_table("transitions", matrix, lang, [1.6] + [1.0] * (len(matrix.columns) - 1)))
    blocks += [Line(f"{name}: {n}", DETAIL) for name, n in ct.transition_lines(s, lang)]

    blocks.append(
        Line(t(lang, "분야별 평균 달성률, 당시 → 현재", "Mean attainment by sector, then → now"), TOPIC)
    )
    if s.sector_movers.empty:
        blocks.append(none_line(lang, t(lang, "비교할 목표 없음", "No targets to compare")))
    else:
        fig = dumbbell(s.sector_movers, lang=lang, then_label=then_label, now_label=now_label)
        blocks.append(Chart("sector_movers", Picture(fig, CHART_WIDTH, figure_height(fig))))
        blocks.append(
            frame_table("sector_movers", ct.movers_table(s, "sector", lang), lang, [2, 1.2, 1.6, 1.6, 1.1])
        )
        blocks.append(
            Line(
                t(
                    lang,
                    "○ 당시 ● 현재 · 분야 목표가 있는 지표의 평균",
                    "○ then ● now · mean over the metrics with sector targets",
                ),
                NOTE,
            )
        )

    blocks.append(
        Line(t(lang, "달성률 변동이 큰 공관 (상위 10)", "Missions that moved most (top 10)"), TOPIC)
    )
    movers = s.mission_movers.head(10)
    if movers.empty:
        blocks.append(none_line(lang, t(lang, "비교할 목표 없음", "No targets to compare")))
    else:
        fig = dumbbell(movers, lang=lang, then_label=then_label, now_label=now_label)
        blocks.append(Chart("mission_movers", Picture(fig, CHART_WIDTH, figure_height(fig))))
        blocks.append(
            frame_table(
                "mission_movers",
                ct.movers_table(s, "mission", lang).head(10),
                lang,
                [3, 1.2, 1.6, 1.6, 1.1],
            )
        )

    blocks.append(
        Line(
            t(
                lang,
                "회의 때 본 분기의 정정 (당시 → 현재)",
                "Restated figures of quarters the council had seen (then → now)",
            ),
            TOPIC,
        )
    )
    restated = ct.restated_table(s, lang)
    if restated.empty:
        blocks.append(
            none_line(
                lang, t(lang, "없음 — 회의 이후 바뀐 값이 없습니다.", "None: no figure has changed since.")
            )
        )
    else:
        blocks.append(frame_table("restated", restated, lang, drop=drop))
    for key, topic, df in (
        (
            "quarters_closed",
            t(lang, "회의 이후 분기 마감", "Quarters closed since"),
            ct.quarter_events_table(s, lang),
        ),
        (
            "incidents_since",
            t(lang, "회의 이후 긴급상황 발생·종료", "Incidents begun or ended since"),
            ct.incidents_table(s, lang),
        ),
        (
            "restating",
            t(lang, "회의 이후 적재된 정정 보고", "Restating returns loaded since"),
            ct.restating_table(s, lang),
        ),
    ):
        blocks.append(Line(topic, TOPIC))
        summary = (t(lang, "개요", "Summary"),)
        blocks.append(none_line(lang) if df.empty else frame_table(key, df, lang, drop=drop, written=summary))
    return Section("since", title, blocks)
