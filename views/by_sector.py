"""분야별: K-뷰티, 바이오, IT, 친환경 side by side; each metric against its target; the quarterly trend."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from metrics import actuals, registry
from metrics.explanations import attach, quarter_explanations
from metrics.views_support import scorecards_by
from ui import blocks, charts, filters, frames
from ui import explanations as ex
from ui import format as fmt
from ui.i18n import lang, tr
from ui.reference import MAIN_SECTORS, names, sector_colors

LANG = lang()
KEY_METRICS = ("firms_supported", "export_value", "buyer_meetings")

f = filters.current()
sector_names = names("sectors")
colors = sector_colors()
sectors = f.sectors or MAIN_SECTORS
cards = blocks.load(scorecards_by, f, "sector", tuple(sectors))
# each sector's target is pinned to the sidebar's one mission or agency, if any (metrics.targets)
cards = attach(
    cards,
    blocks.load(quarter_explanations, f),
    {
        "mission_code": f.missions[0] if len(f.missions) == 1 else None,
        "agency_code": f.agencies[0] if len(f.agencies) == 1 else None,
    },
)
has_figures = not cards.empty and cards["ytd_value"].notna().any()
as_of = cards["as_of_quarter"].dropna().max() if has_figures else None
blocks.header(
    tr("분야별 성과", "Results by sector"),
    f,
    note=tr(
        f"{int(as_of)}분기까지 누계, {f.year}년 목표 대비",
        f"Year to date through Q{int(as_of)}, against {f.year} targets",
    )
    if as_of is not None and f.year
    else None,
)
if not has_figures:
    blocks.empty(blocks.no_data_message())
    st.stop()

# --- one tile per sector ------------------------------------------------------------------------
# Four tiles side by side are about 200 px wide at 1280 px: the value's size follows the tile's
# width (a container query on each column), so "22.4백만달러" is never cut to "22.4백…"; a label or
# the "전년 동기 대비" beside the change takes a second line rather than an ellipsis.
st.html(
    """<style>
.st-key-sector_tiles [data-testid="stColumn"] { container-type: inline-size; }
.st-key-sector_tiles [data-testid="stMetricValue"] { font-size: clamp(1.2rem, 11cqi, 2.25rem); }
.st-key-sector_tiles [data-testid="stMetricValue"] * { overflow: visible; text-overflow: clip; }
.st-key-sector_tiles [data-testid="stMetric"] :not([data-testid="stMetricValue"]) > .stMarkdownEllipsis {
    white-space: normal; overflow: visible; text-overflow: clip;
}
</style>"""
)
for column, sector in zip(st.container(key="sector_tiles").columns(len(sectors)), sectors, strict=True):
    part = cards[cards["sector_code"] == sector].set_index("metric_code")
    with column.container(border=True):
        st.html(
            f'<div style="border-left:6px solid {colors.get(sector, charts.NAVY)};padding-left:10px;'
            f'font-size:1.25rem;font-weight:700">{sector_names.get(sector, sector)}</div>'
        )
        if part["ytd_value"].isna().all():
            st.caption(tr("이 분야의 실적이 없습니다.", "No figures for this sector."))
            continue
        for code in KEY_METRICS:
            if code not in part.index or pd.isna(part.loc[code, "ytd_value"]):
                continue  # not reported in this sector
            row = part.loc[code]
            value, target = frames.values_text(code, row["ytd_value"], row["target"])
            blocks.metric_tile(
                code,
                frames.metric_label(code),
                value,
                row["growth_pct"],
                help=registry.get(code).description(LANG),
            )
            if pd.notna(row["target"]):
                st.html(
                    f'<div style="margin-top:-10px;font-size:0.85rem">'
                    f"{charts.badge_html(charts.status_style(row['status']), LANG)} "
                    f"{tr('달성률', 'attained')} {fmt.percent(row['attainment_pct'], 0)}"
                    f" · {tr('목표', 'target')} {target}</div>"
                )
        counts = frames.status_counts(part)
        st.caption(
            " · ".join(
                f"{charts.STATUS[s].glyph} {charts.STATUS[s].en if LANG == 'en' else charts.STATUS[s].ko} {counts[s]}"
                # 판정 보류 (judgement withheld in a thinly reported open quarter) when there is any
                for s in ("on_track", "at_risk", "behind", *(("withheld",) if counts["withheld"] else ()))
            )
            + tr(" (목표가 있는 지표 수)", " (metrics with a target)")
        )

# --- every metric against its target ------------------------------------------------------------
st.subheader(tr("지표별 목표 대비 달성률", "Each metric against its target"))
chart_rows = frames.scorecard_chart_frame(cards.assign(facet_name=cards["sector_code"].map(sector_names)))
table = ex.with_marks(frames.scorecard_table(cards, "sector", sector_names), cards, frames.col("status"))
if chart_rows.empty:
    blocks.empty(
        tr(
            "선택한 조건에 맞는 목표가 없어 달성률을 계산할 수 없습니다 (목표는 분야·공관·기관 단위로만 있고 사업별 목표는 없습니다). "
            "실적은 아래 표에 있습니다.",
            "No target matches the chosen filters, so attainment cannot be computed (targets exist per sector, "
            "mission or agency, never per program). The figures are in the table below.",
        )
    )
    blocks.table(
        table, stem=tr("분야별_실적", "by_sector_figures") + f"_{filters.describe(f)}", key="sector_figures"
    )
else:
    fig = charts.attainment_bullets(
        chart_rows,
        facet_col="sector_code",
        facet_titles={s: sector_names.get(s, s) for s in sectors},
        facet_colors=colors,
        lang=LANG,
        labels={"pace": tr("지금까지의 진도 기준", "Expected by now")},
    )
    blocks.chart(
        fig,
        # on screen what the chart is about (target, year to date, attainment, status, explanation);
        # the pace (the chart's tick), the projection and last year's figures are in the downloads
        frames.on_screen(
            table, drop=("expected", "projection", "projection_pct", "prev", "growth"), shorten=("ytd",)
        ),
        downloads=table,
        key="sector_targets",
        stem=tr("분야별_목표대비", "by_sector_targets") + f"_{filters.describe(f)}",
        caption=" ".join(
            [
                tr(
                    "막대: 연간 목표 대비 누계 달성률(150%에서 자름). 세로 눈금: 예년 진도로 본 지금까지의 기대치. "
                    "정상 ● 기대치 이상, 주의 ▲ 기대치의 80% 이상, 미흡 ■ 80% 미만. 목표가 있는 지표만 보입니다.",
                    "Bar: year-to-date share of the annual target (cut at 150%). Tick: where past years' pace says "
                    "it should be by now. On track ● at or above it, at risk ▲ from 80% of it, behind ■ below. "
                    "Only metrics with a target are shown.",
                ),
                *frames.target_notes(chart_rows, "sector_code", sector_names, LANG),
            ]
        ),
    )
    ex.expander(cards)

# --- quarterly trend ----------------------------------------------------------------------------
st.subheader(tr("분기별 추이", "Quarterly trend"))
metric = filters.metric_choice()
trend = blocks.load(actuals, replace(f, year=None, metrics=(metric,)), ("year", "quarter", "sector"))
trend = trend[trend["sector_code"].isin(sectors) & (trend["metric_code"] == metric)].copy()
if trend.empty:
    blocks.empty(
        tr(
            "선택한 조건에서 이 지표의 분기별 실적이 없습니다.",
            "No quarterly figures of this metric for the chosen filters.",
        )
    )
    st.stop()
scale = frames.axis_scale(metric, trend["value"])
trend["period"] = [fmt.period(y, q, LANG) for y, q in zip(trend["year"], trend["quarter"], strict=True)]
trend["shown"] = (trend["value"] / scale.divisor).round(2 if scale.divisor > 1 else frames.decimals(metric))
trend["hover"] = [
    f"<b>{sector_names.get(s, s)}</b> · {p}<br>{frames.value_text(metric, v)}"
    for s, p, v in zip(trend["sector_code"], trend["period"], trend["value"], strict=True)
]
ordered = trend.sort_values(["year", "quarter"]).drop_duplicates(["year", "quarter"])
periods = list(ordered["period"])
fig = charts.lines(
    trend.sort_values(["year", "quarter"]),
    x="period",
    y="shown",
    series="sector_code",
    series_names={s: sector_names.get(s, s) for s in sectors},
    colors=colors,
    hover="hover",
    y_title=frames.axis_title(metric, scale),
    x_order=periods,
    x_ticks=fmt.period_ticks(list(zip(ordered["year"], ordered["quarter"], strict=True)), LANG),
)
table = (
    trend.pivot_table(index=["year", "quarter"], columns="sector_code", values="shown", aggfunc="first")
    .reindex(columns=[s for s in sectors if s in set(trend["sector_code"])])
    .rename(columns=sector_names)
    .reset_index()
    .rename(columns={"year": frames.col("year"), "quarter": frames.col("quarter")})
)
table.columns.name = None
blocks.chart(
    fig,
    table,
    key="sector_trend",
    stem=tr("분야별_분기추이", "by_sector_trend") + f"_{frames.metric_label(metric)}",
    caption=tr(
        f"분기별 실적({scale.unit}), 선택한 분기 범위 안에서 모든 연도를 보여 줍니다.",
        f"Quarterly figures ({scale.unit}), every year, within the chosen quarter range.",
    ),
)
