"""Ⅳ. One part per sector: each metric against the sector's target, its bullet chart and its trend."""

from __future__ import annotations

import pandas as pd

from briefing.elements import NOTE, TOPIC, Block, Chart, Line, Section, Table
from briefing.images import Picture
from briefing.sections.common import CHART_WIDTH, figure_height
from metrics import registry
from metrics.briefing import Briefing
from metrics.council import quarter_text
from ui import figures
from ui import format as fmt
from ui.bilingual import t
from ui.figures import status_text
from ui.report_html import SECTOR_VALUES, metric_cells

SECTOR_COLUMNS = (  # (ko, en, relative width, numeric)
    ("지표", "Metric", 44, False),
    ("목표", "Target", 26, True),
    ("누계 실적", "Year to date", 26, True),
    ("달성률", "Attainment", 19, True),
    ("진도 기준", "Expected by now", 26, True),
    ("진도 대비", "vs pace", 17, True),
    ("상태", "Status", 22, False),
    ("연말 전망", "Year-end projection", 26, True),
    ("전년 동기 대비", "Year on year", 20, True),
)


def sector_chart_frame(cards: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rows of 분야별's bullet chart (ui/frames.py scorecard_chart_frame), without hover text."""
    rows = cards[cards["target"].notna()].copy()
    rows["metric_label"] = [registry.label(c, lang) for c in rows["metric_code"]]
    rows["expected_pct"] = rows["expected_share"] * 100
    rows["bar_text"] = rows["attainment_pct"].map(lambda v: fmt.percent(v, 0))
    rows["hover"] = ""
    return rows


def sector_table(b: Briefing, sector: str, lang: str) -> Table:
    """Each metric against the sector's target."""
    cards = b.sector_cards[b.sector_cards["sector_code"] == sector]
    rows, tones = [], []
    cards = cards[cards["ytd_value"].notna() | cards["target"].notna()]
    values = metric_cells(cards, SECTOR_VALUES, lang)  # one unit and precision per column
    for (_, r), (target, ytd, expected, projection) in zip(cards.iterrows(), values, strict=True):
        code = r["metric_code"]
        rows.append(
            [
                registry.label(code, lang),
                target,
                ytd,
                fmt.percent(r["attainment_pct"]),
                expected,
                fmt.percent(r["vs_expected_pct"], 0),
                status_text(r["status"], lang),
                projection,
                fmt.signed_percent(r["growth_pct"]),
            ]
        )
        tones.append([None] * 6 + [r["status"], None, None])
    return Table(
        f"sector:{sector}",
        [t(lang, ko, en) for ko, en, _w, _n in SECTOR_COLUMNS],
        rows,
        [w for _ko, _en, w, _n in SECTOR_COLUMNS],
        [n for _ko, _en, _w, n in SECTOR_COLUMNS],
        tones=tones,
    )


def trend_table(b: Briefing, sector: str, lang: str) -> tuple[Table, str] | None:
    """The sector's quarterly figures, one row per metric, and the span of quarters they cover."""
    trend = b.trend[b.trend["sector_code"] == sector]
    if trend.empty:
        return None
    periods = sorted({int(y) * 10 + int(q) for y, q in zip(trend["year"], trend["quarter"], strict=True)})
    rows = []
    for code in dict.fromkeys(trend["metric_code"]):
        series = trend[trend["metric_code"] == code]
        by = {
            int(y) * 10 + int(q): v
            for y, q, v in zip(series["year"], series["quarter"], series["value"], strict=True)
        }
        digits = 1 if fmt.is_score(registry.get(code).unit_ko) else 0
        unit = registry.get(code).unit_en if lang == "en" else registry.get(code).unit_ko
        rows.append([registry.label(code, lang), unit] + [fmt.number(by.get(p), digits) for p in periods])
    head = [t(lang, "지표", "Metric"), t(lang, "단위", "Unit")] + [
        fmt.period(p // 10, p % 10, lang) for p in periods
    ]
    span = f"{quarter_text(periods[0], lang)}–{quarter_text(periods[-1], lang)}"
    table = Table(
        f"trend:{sector}",
        head,
        rows,
        [2.4, 1.1] + [1.0] * len(periods),
        [False, False] + [True] * len(periods),
    )
    return table, span


def sectors_section(b: Briefing, lang: str) -> Section:
    names = b.names.get(("sector", lang), {})
    year, quarter = divmod(b.period, 10)
    ytd = t(lang, f"{year}년 1~{quarter}분기 누계", f"{year} Q1–Q{quarter}")
    blocks: list[Block] = []
    for i, sector in enumerate(b.sectors):
        name = names.get(sector, sector)
        blocks.append(Line(t(lang, f"{name} 분야", f"Sector: {name}"), TOPIC, new_page=i > 0))
        blocks.append(sector_table(b, sector, lang))
        blocks.append(
            Line(
                t(
                    lang,
                    f"누계 실적: {ytd}. 달성률 = 누계 실적 ÷ 연간 목표. 진도 기준 = 과거 연도의 같은 분기까지 비중 × 목표. "
                    "막대: 달성률(150%에서 자름), 세로 눈금: 진도 기준.",
                    f"Year to date: {ytd}. Attainment = year to date ÷ annual target. Expected = the share prior "
                    "years had reached by this quarter × target. Bar: attainment (cut at 150%); tick: expected by now.",
                ),
                NOTE,
            )
        )
        cards = b.sector_cards[b.sector_cards["sector_code"] == sector]
        chart_rows = sector_chart_frame(cards, lang)
        if not chart_rows.empty:
            fig = figures.attainment_bullets(
                chart_rows,
                facet_col="sector_code",
                facet_titles={sector: name},
                lang=lang,
                labels={"pace": t(lang, "지금까지의 진도 기준", "Expected by now")},
            )
            blocks.append(Chart(f"sector:{sector}", Picture(fig, CHART_WIDTH, figure_height(fig))))
        trend = trend_table(b, sector, lang)
        if trend is not None:
            table, span = trend
            blocks.append(Line(t(lang, f"분기별 실적 ({span})", f"Quarterly figures ({span})")))
            blocks.append(table)
    return Section("sectors", t(lang, "분야별 성과", "Sectors"), blocks)
