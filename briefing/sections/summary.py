"""Ⅰ. The one-page summary: highlights, headline metrics, sector × metric, missions, hubs, emergencies."""

from __future__ import annotations

import pandas as pd

from briefing.elements import DETAIL, NOTE, TOPIC, Block, Chart, Line, Section, Table
from briefing.images import Picture
from briefing.sections.common import CHART_WIDTH, figure_height, none_line
from metrics import registry
from metrics.briefing import Briefing
from metrics.summary import HEATMAP_METRICS, HUB_METRICS
from ui import format as fmt
from ui.bilingual import t
from ui.figures import status_text
from ui.report_charts import heatmap_figure
from ui.report_html import emergency_message, heat_cell, hub_header, tile_rows, value_text


def summary_section(b: Briefing, lang: str) -> Section:
    s = b.summary
    names = s.sector_names_en if lang == "en" else s.sector_names_ko
    year, quarter = divmod(b.period, 10)
    ytd = t(lang, f"{year}년 1~{quarter}분기 누계", f"{year} Q1–Q{quarter}")  # every figure says its period
    blocks: list[Block] = [Line(t(lang, "주요 내용", "Highlights"), TOPIC)]
    blocks += [Line(x) for x in s.highlights(lang, names)] or [none_line(lang)]

    blocks.append(
        Line(t(lang, f"핵심 지표 ({ytd}, 연간 목표 대비)", f"Headline metrics (year to date, {ytd})"), TOPIC)
    )
    tiles = tile_rows(s, lang)
    blocks.append(
        Table(
            "tiles",
            [
                t(lang, "지표", "Metric"),
                t(lang, "누계 실적", "Year to date"),
                t(lang, "연간 목표", "Annual target"),
                t(lang, "달성률", "Attainment"),
                t(lang, "상태", "Status"),
                t(lang, "전년 동기 대비", "Year on year"),
            ],
            [
                [x["label"], x["value"], x["target"], x["attainment"], x["status_text"], x["growth"]]
                for x in tiles
            ],
            [2.2, 1.6, 1.6, 1.1, 1.1, 1.3],
            [False, True, True, True, False, True],
            tones=[[None, None, None, None, x["status"], None] for x in tiles],
        )
    )

    blocks.append(
        Line(t(lang, f"분야 × 지표 달성률 ({ytd})", f"Attainment by sector × metric ({ytd})"), TOPIC)
    )
    fig = heatmap_figure(s, names, lang)
    if fig is None:
        blocks.append(none_line(lang, t(lang, "목표 없음", "No targets")))
    else:
        blocks.append(Chart("heatmap", Picture(fig, CHART_WIDTH, figure_height(fig) + 20)))
        sectors = [c for c in names if c in set(s.sectors["sector_code"])]
        rows = []
        for code in HEATMAP_METRICS:
            part = s.sectors[s.sectors["metric_code"] == code].set_index("sector_code")
            if part.empty:
                continue
            rows.append(
                [registry.label(code, lang)]
                + [
                    heat_cell(part.at[c, "status"], part.at[c, "attainment_pct"])
                    if c in part.index
                    else fmt.DASH
                    for c in sectors
                ]
            )
        blocks.append(
            Table(
                "heatmap",
                [t(lang, "지표", "Metric"), *[names.get(c, c) for c in sectors]],
                rows,
                [2.2] + [1.0] * len(sectors),
                [False] + [True] * len(sectors),
            )
        )
        blocks.append(
            Line(
                t(
                    lang,
                    "연간 목표 대비 누계(%). 모양은 진도 대비 상태: ● 정상, ▲ 주의, ■ 미흡",
                    "Year to date as % of the annual target; shape = status against pace: ● on track, ▲ at risk, ■ behind",
                ),
                NOTE,
            )
        )

    blocks.append(
        Line(
            t(
                lang,
                f"공관별 목표 달성률 상·하위 5 ({ytd})",
                f"Missions: top 5 and bottom 5 by attainment ({ytd})",
            ),
            TOPIC,
        )
    )
    if s.missions.empty:
        blocks.append(none_line(lang, t(lang, "공관 목표 없음", "No mission targets")))
    else:
        rows, tones = [], []
        for _, r in s.missions.iterrows():
            rows.append(
                [
                    t(lang, "상위", "Top") if r["group"] == "top" else t(lang, "하위", "Bottom"),
                    str(int(r["rank"])),
                    str(r["name_en"] if lang == "en" else r["name_ko"]),
                    fmt.percent(r["attainment_pct"]),
                    status_text(r["worst_status"], lang),
                ]
            )
            tones.append([None, None, None, None, r["worst_status"]])
        blocks.append(
            Table(
                "missions",
                [
                    t(lang, "구분", "Group"),
                    t(lang, "순위", "Rank"),
                    t(lang, "공관", "Mission"),
                    t(lang, "달성률", "Attainment"),
                    t(lang, "상태", "Status"),
                ],
                rows,
                [0.9, 0.7, 3.4, 1.1, 1.1],
                [False, True, False, True, False],
                tones=tones,
            )
        )
    if s.unranked_text(lang):  # missions without their return for the quarter: not ranked (요약 too)
        blocks.append(Line(s.unranked_text(lang), NOTE))

    blocks.append(
        Line(t(lang, "K-뷰티 거점공관 (K-뷰티 분야)", "K-beauty hub missions (K-beauty sector)"), TOPIC)
    )
    if s.hubs.empty:
        blocks.append(none_line(lang, t(lang, "지정된 거점공관 없음", "No hub designated")))
    else:
        columns = {m: _hub_column(m, s.hubs[m], lang) for m in HUB_METRICS}
        rows = []
        for i, (_, r) in enumerate(s.hubs.iterrows()):
            cells = [str(r["name_en"] if lang == "en" else r["name_ko"])]
            for m in HUB_METRICS:
                growth = r.get(f"{m}_growth")
                extra = f" ({fmt.signed_percent(growth, 0)})" if pd.notna(growth) else ""
                cells.append(columns[m][i] + extra)
            rows.append(cells)
        blocks.append(
            Table(
                "hubs",
                [t(lang, "공관", "Mission"), *[hub_header(m, lang) for m in HUB_METRICS]],
                rows,
                [2.6, 1.3, 1.3, 1.6],
                [False, True, True, True],
            )
        )
        blocks.append(
            Line(
                t(
                    lang,
                    "연간 누계 실적, 괄호는 전년 동기 대비",
                    "Year to date; in brackets: change on the same period a year earlier",
                ),
                NOTE,
            )
        )

    blocks.append(Line(t(lang, "긴급상황 대응", "Emergencies"), TOPIC))
    if s.incidents is not None:
        blocks.append(Line(s.incidents.headline(lang)))
        blocks += [Line(x, DETAIL) for x in s.incidents.lines(lang)]
    message = emergency_message(s, lang)
    if message:
        blocks.append(Line(message))
    return Section("summary", t(lang, "성과 요약", "Performance summary"), blocks)


def _hub_column(metric_code: str, values: pd.Series, lang: str) -> list[str]:
    """A hub column in one unit (money: the largest value's), as the page prints it."""
    if not fmt.is_money(registry.get(metric_code).unit_ko):
        return [value_text(metric_code, v, lang) for v in values]
    peak = values.astype("float64").abs().max()
    scale = fmt.money_scale(0.0 if pd.isna(peak) else peak, lang)
    return [fmt.money_in(v, scale, lang) for v in values]
