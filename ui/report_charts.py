"""Streamlit pieces of the executive summary: the heat map figure and the display tables.

The colours and texts come from ui/report_html.py, so the screen and the printed page agree.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from metrics import registry
from metrics.summary import HUB_METRICS, Summary
from ui import format as fmt
from ui.figures import INK
from ui.report_html import heat_cell, heat_frame, hub_header, status_colors, status_text, value_text

STATUS_ORDER = ("on_track", "at_risk", "behind", "no_data", "withheld")
# Streamlit badge colours nearest to ui.charts.STATUS (blue ●, yellow ▲, red ■); the glyph is in the text.
BADGE_COLORS = {
    "on_track": "blue",
    "at_risk": "orange",
    "behind": "red",
    "no_data": "gray",
    "withheld": "gray",
}


def heatmap_figure(summary: Summary, sector_names: dict[str, str], lang: str) -> go.Figure | None:
    """Sector × metric attainment, cells coloured by status (as in the export), labelled with the %."""
    hf = heat_frame(summary, sector_names, lang)
    if hf.empty:
        return None
    sectors = [s for s in sector_names if s in set(hf["sector_code"])]
    metrics = [m for m in dict.fromkeys(hf["metric_code"])]
    status_index = {s: i for i, s in enumerate(STATUS_ORDER)}
    z, text, hover = [], [], []
    for m in metrics:
        row = hf[hf["metric_code"] == m].set_index("sector_code")
        z.append([status_index.get(row.at[s, "status"], 3) if s in row.index else None for s in sectors])
        text.append(
            [heat_cell(row.at[s, "status"], row.at[s, "pct"]) if s in row.index else "" for s in sectors]
        )
        hover.append([status_text(row.at[s, "status"], lang) if s in row.index else "" for s in sectors])
    n = len(STATUS_ORDER)
    scale = []
    for i, s in enumerate(STATUS_ORDER):
        light = status_colors(s)[1]
        scale += [[i / n, light], [(i + 1) / n, light]]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[sector_names[s] for s in sectors],
            y=[registry.label(m, lang) for m in metrics],
            text=text,
            customdata=hover,
            texttemplate="%{text}",
            textfont={"size": 13, "color": INK},  # 12:1 or more on every status's light fill
            colorscale=scale,
            zmin=-0.5,
            zmax=n - 0.5,
            showscale=False,
            xgap=3,
            ygap=3,
            hovertemplate="%{y} · %{x}: %{text} (%{customdata})<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top")
    fig.update_layout(
        height=36 + 30 * len(metrics),
        margin={"l": 0, "r": 0, "t": 24, "b": 0},
        font={"family": "NanumGothic, sans-serif"},
        plot_bgcolor="white",
    )
    return fig


def heat_table(summary: Summary, sector_names: dict[str, str], lang: str) -> pd.DataFrame:
    """The heat map's cells as a table (metrics down, sectors across, "▲ 64%"): its text alternative."""
    hf = heat_frame(summary, sector_names, lang)
    sectors = [s for s in sector_names if s in set(hf["sector_code"])]
    rows = []
    for m in dict.fromkeys(hf["metric_code"]):
        row = hf[hf["metric_code"] == m].set_index("sector_code")
        cells = {
            sector_names[s]: heat_cell(row.at[s, "status"], row.at[s, "pct"]) if s in row.index else "–"
            for s in sectors
        }
        rows.append({fmt_pair(lang, "지표", "Metric"): registry.label(m, lang), **cells})
    return pd.DataFrame(rows)


def heat_legend(lang: str) -> str:
    """The caption under the page's heat map: what a cell holds and what each shape means."""
    shapes = " · ".join(status_text(s, lang) for s in STATUS_ORDER if s != "withheld")
    return fmt_pair(
        lang,
        f"연간 목표 대비 누계(%). 진도 대비 상태: {shapes}",
        f"YTD as % of annual target. Status vs pace: {shapes}",
    )


def missions_table(summary: Summary, lang: str) -> pd.DataFrame:
    """Top and bottom missions; attainment and status share a cell ("53.1% ■ 미흡", headed 달성률), so the table
    fits half the page at 1280 px with a long English name ("Consulate General in Ho Chi Minh City").
    """
    df = summary.missions
    group = {"top": fmt_pair(lang, "상위", "Top"), "bottom": fmt_pair(lang, "하위", "Bottom")}
    return pd.DataFrame(
        {
            fmt_pair(lang, "구분", "Group"): [group[g] for g in df["group"]],
            fmt_pair(lang, "순위", "Rank"): df["rank"].astype(int).to_list(),
            fmt_pair(lang, "공관", "Mission"): df["name_en" if lang == "en" else "name_ko"].to_list(),
            fmt_pair(lang, "달성률", "Attainment"): [
                f"{fmt.percent(v)} {status_text(s, lang)}".strip()
                for v, s in zip(df["attainment_pct"], df["worst_status"], strict=True)
            ],
        }
    )


def _hub_money_scale(summary: Summary, metric_code: str, lang: str) -> fmt.Scale:
    """One money unit for a hub column, as ui.format.money_scale picks it for the largest value."""
    peak = summary.hubs[metric_code].astype("float64").abs().max()
    return fmt.money_scale(0.0 if pd.isna(peak) else peak, lang)


def hubs_table(summary: Summary, lang: str) -> pd.DataFrame:
    """One row per hub: each metric's year-to-date value with its change against last year.

    Compact, so the four columns fit under the heat map at 1280 px: short headers (HUB_HEADERS),
    plain numbers, money in one unit that `hubs_note` names.
    """
    df = summary.hubs
    out = {fmt_pair(lang, "공관", "Mission"): df["name_en" if lang == "en" else "name_ko"].to_list()}
    for m in HUB_METRICS:
        values = df[m].astype("float64")
        if fmt.is_money(registry.get(m).unit_ko):
            scale = _hub_money_scale(summary, m, lang)
            texts = [fmt.number(v / scale.divisor, 0 if scale.divisor == 1 else 1) for v in values]
        else:
            texts = [fmt.number(v) for v in values]
        cells = []
        for text, growth in zip(texts, df[f"{m}_growth"], strict=True):
            if pd.notna(growth):
                text += f" ({fmt.signed_percent(growth, 0)})"
            cells.append(text)
        out[hub_header(m, lang)] = cells
    return pd.DataFrame(out)


def hubs_note(summary: Summary, lang: str) -> str:
    """The caption under the hub table: the money unit and what the brackets hold."""
    money = [m for m in HUB_METRICS if fmt.is_money(registry.get(m).unit_ko)]
    units = " · ".join(
        fmt_pair(lang, f"{hub_header(m, lang)} 단위: {unit}", f"{hub_header(m, lang)} in {unit}")
        for m in money
        for unit in [_hub_money_scale(summary, m, lang).unit]
    )
    brackets = fmt_pair(lang, "괄호 안은 전년 동기 대비", "in brackets: change vs same period last year")
    return f"{units} · {brackets}" if units else brackets


def emergencies_table(summary: Summary, lang: str) -> pd.DataFrame:
    df = summary.emergencies
    return pd.DataFrame(
        {
            fmt_pair(lang, "공관", "Mission"): df["name_en" if lang == "en" else "name_ko"].to_list(),
            registry.label("affected_firms", lang): [
                value_text("affected_firms", v, lang) for v in df["affected_firms"]
            ],
            registry.label("relief_cases", lang): [
                value_text("relief_cases", v, lang) for v in df["relief_cases"]
            ],
        }
    )


def emergency_lines(summary: Summary, lang: str) -> list[str]:
    """One short line per mission: '주멕시코 대사관: 피해기업 17개사, 지원 12건'."""
    out = []
    for _, r in summary.emergencies.iterrows():
        name = r["name_en"] if lang == "en" else r["name_ko"]
        affected = value_text("affected_firms", r["affected_firms"], lang)
        relief = value_text("relief_cases", r["relief_cases"], lang)
        if lang == "en":
            out.append(f"{name}: {affected} affected, {relief} of relief")
        else:
            out.append(f"{name}: 피해기업 {affected}, 지원 {relief}")
    return out


def fmt_pair(lang: str, ko: str, en: str) -> str:
    return en if lang == "en" else ko
