"""Figures and tables of the 긴급 대응 page: incidents on a map, affected firms by sector, relief over time.

Builders take the frames of metrics.emergency plus the language, and return a figure or a display
table; they query nothing.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui import blocks
from ui import format as fmt
from ui.charts import INK, NAVY, cached_figure, figure, style, style_world_map
from ui.text import plain_html

# Status colours: open is the alarm (red), monitoring the watch (ochre), from the status palette.
STATUS_COLORS = {"open": "#BB5566", "monitoring": "#DDAA33", "closed": "#6B7785"}
STATUS_SYMBOLS = {"open": "diamond", "monitoring": "circle", "closed": "square"}
AFFECTED = "#BB5566"
RELIEF = NAVY


def _name(r: dict, base: str, lang: str) -> str:
    return r.get(f"{base}_{lang}") or r.get(f"{base}_ko") or ""


def _day(value: object) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"{pd.Timestamp(value):%Y-%m-%d}"


def period_text(r: dict) -> str:
    """'2026-04-01 ~' or '2025-01-14 ~ 2025-09-30'."""
    end = _day(r.get("ended_on"))
    return f"{_day(r['started_on'])} ~ {end}".rstrip()


def incident_label(r: dict, lang: str) -> str:
    """'주멕시코 대사관 · 무역 조치 (2026-04-01 ~)'."""
    return f"{_name(r, 'mission', lang)} · {_name(r, 'type', lang)} ({period_text(r)})"


def _ratio(value: object) -> str:
    return fmt.percent(value, 0) if value is not None and not pd.isna(value) else fmt.DASH


def _count(value: object, ko: str, en: str, lang: str) -> str:
    return fmt.count(value, ko, en, lang)


@cached_figure
def incident_map(df: pd.DataFrame, lang: str = "ko", height: int = 420) -> go.Figure:
    """Active incidents at their missions, coloured and shaped by status, sized by affected firms."""
    fig = figure()
    peak = float(df["affected_firms"].fillna(0).max() or 0) if not df.empty else 0.0
    for status in ("open", "monitoring", "closed"):
        part = df[df["status"] == status]
        if part.empty:
            continue
        affected = part["affected_firms"].fillna(0)
        sizes = 14 + 26 * (affected / peak) ** 0.5 if peak > 0 else pd.Series(16.0, index=part.index)
        hover = []
        for r in part.to_dict("records"):
            hover.append(
                "<br>".join(
                    [
                        # plotly reads tags (<a href>, <b>) in hover text: stored text is escaped
                        f"<b>{plain_html(_name(r, 'mission', lang))}</b> · {plain_html(_name(r, 'type', lang))}",
                        f"{period_text(r)} · {plain_html(_name(r, 'status', lang))}",
                        plain_html(r["description"] or ""),
                        ("피해기업 " if lang == "ko" else "Affected: ")
                        + _count(r["affected_firms"], "개사", "firms", lang)
                        + (" · 지원 " if lang == "ko" else " · Relief: ")
                        + _count(r["relief_cases"], "건", "cases", lang)
                        + (" · 지원율 " if lang == "ko" else " · ratio ")
                        + _ratio(r["relief_ratio_pct"]),
                    ]
                )
            )
        first = part.iloc[0]
        fig.add_trace(
            go.Scattergeo(
                lat=part["lat"],
                lon=part["lon"],
                mode="markers",
                name=str(first["status_en" if lang == "en" else "status_ko"]),
                marker={
                    "size": sizes,
                    "color": STATUS_COLORS[status],
                    "symbol": STATUS_SYMBOLS[status],
                    "line": {"width": 1, "color": INK},
                    "opacity": 0.9,
                },
                customdata=hover,
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    style_world_map(fig, showcoastlines=False)
    return style(fig, height=height)


@cached_figure
def sector_bars(df: pd.DataFrame, lang: str = "ko", height: int = 280) -> go.Figure:
    """Affected firms (sector colours) and relief cases (outlined) by sector."""
    names = df["name_en" if lang == "en" else "name_ko"].tolist()
    fig = figure()
    fig.add_trace(
        go.Bar(
            y=names,
            x=df["affected_firms"],
            orientation="h",
            name="피해기업 (개사)" if lang == "ko" else "Firms affected",
            marker={"color": df["color"].tolist()},
            hovertemplate="%{y}: %{x:,}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            y=names,
            x=df["relief_cases"],
            orientation="h",
            name="지원 (건)" if lang == "ko" else "Relief cases",
            marker={"color": "white", "line": {"color": RELIEF, "width": 2}},
            hovertemplate="%{y}: %{x:,}<extra></extra>",
        )
    )
    fig.update_layout(barmode="group", bargap=0.35)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickformat=",d", rangemode="tozero")
    return style(fig, height=max(height, 90 + 60 * len(df)))


@cached_figure
def relief_over_time(df: pd.DataFrame, lang: str = "ko", height: int = 320) -> go.Figure:
    """Per quarter: affected firms and relief cases as bars, their running totals as lines."""
    quarters = [fmt.period(int(y), int(q), lang) for y, q in zip(df["year"], df["quarter"], strict=True)]
    ko = lang == "ko"
    fig = figure()
    fig.add_trace(
        go.Bar(
            x=quarters,
            y=df["affected_firms"],
            name="피해기업 (분기)" if ko else "Firms affected (quarter)",
            marker={"color": AFFECTED, "opacity": 0.55},
        )
    )
    fig.add_trace(
        go.Bar(
            x=quarters,
            y=df["relief_cases"],
            name="지원 (분기)" if ko else "Relief cases (quarter)",
            marker={"color": RELIEF, "opacity": 0.55},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=quarters,
            y=df["cum_affected"],
            name="피해기업 누계" if ko else "Firms affected, running total",
            mode="lines+markers",
            line={"color": AFFECTED, "width": 2.5},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=quarters,
            y=df["cum_relief"],
            name="지원 누계" if ko else "Relief cases, running total",
            mode="lines+markers",
            line={"color": RELIEF, "width": 2.5, "dash": "dash"},
            customdata=[_ratio(v) for v in df["relief_ratio_pct"]],
            hovertemplate="%{x}: %{y:,} ("
            + ("지원율 " if ko else "ratio ")
            + "%{customdata})<extra></extra>",
        )
    )
    fig.update_layout(barmode="group")
    fig.update_yaxes(tickformat=",d", rangemode="tozero")
    fig.update_xaxes(type="category")
    return style(fig, height=height)


def incidents_table(df: pd.DataFrame, lang: str, *, history: bool = False) -> pd.DataFrame:
    """The incidents as a display table (names, dates, figures and the relief ratio)."""
    ko = lang == "ko"
    out = pd.DataFrame(
        {
            "공관" if ko else "Mission": df["mission_en" if not ko else "mission_ko"].tolist(),
            "유형" if ko else "Type": df["type_en" if not ko else "type_ko"].tolist(),
            "시작일" if ko else "Start": [_day(v) for v in df["started_on"]],
            "종료일" if ko else "End": [_day(v) or fmt.DASH for v in df["ended_on"]],
            "상태" if ko else "Status": df["status_en" if not ko else "status_ko"].tolist(),
            "개요" if ko else "Description": df["description"].tolist(),
            "기간(일)" if ko else "Days": df["days"].astype("Int64").tolist(),
            "피해기업(개사)" if ko else "Firms affected": df["affected_firms"].tolist(),
            "지원(건)" if ko else "Relief cases": df["relief_cases"].tolist(),
            "지원율(%)" if ko else "Relief ratio (%)": [
                None if v is None or pd.isna(v) else round(float(v), 1) for v in df["relief_ratio_pct"]
            ],
        }
    )
    if history:
        out["기록자" if ko else "Recorded by"] = df["recorded_by"].tolist()
    return out


def _on_screen(full: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table as shown: start and end in one period column and short English headers, so nine
    columns fit the page at 1280 px (downloads keep every column as incidents_table gives it)."""
    ko = lang == "ko"
    start, end = ("시작일", "종료일") if ko else ("Start", "End")
    out = full.copy()
    out[start] = [
        f"{a} – {b}" if b != fmt.DASH else f"{a} –" for a, b in zip(full[start], full[end], strict=True)
    ]
    out = out.drop(columns=[end]).rename(columns={start: "기간" if ko else "Period", "기간(일)": "일수"})
    if not ko:
        out = out.rename(
            columns={"Firms affected": "Firms", "Relief cases": "Relief", "Relief ratio (%)": "Relief %"}
        )
    return out


def incidents_block(df: pd.DataFrame, lang: str, *, stem: str, key: str, history: bool = False) -> None:
    """The incidents table, its descriptions listed under it (a long text column would push the
    figures out of sight at 1280–1440 px), and downloads with every column."""
    full = incidents_table(df, lang, history=history)
    description = "개요" if lang == "ko" else "Description"
    blocks.table(_on_screen(full, lang).drop(columns=[description]), stem=stem, key=key, downloads=full)
    mission = "공관" if lang == "ko" else "Mission"
    blocks.text_list(
        list(zip(full[mission].astype(str), full[description].fillna("").astype(str), strict=True))
    )


def sector_table(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """What sector_bars draws, with translated headers."""
    ko = lang == "ko"
    return pd.DataFrame(
        {
            "분야" if ko else "Sector": df["name_ko" if ko else "name_en"].tolist(),
            "피해기업(개사)" if ko else "Firms affected": df["affected_firms"].tolist(),
            "지원(건)" if ko else "Relief cases": df["relief_cases"].tolist(),
        }
    )


def timeline_table(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """What relief_over_time draws, with translated headers."""
    ko = lang == "ko"
    return pd.DataFrame(
        {
            "분기" if ko else "Quarter": [
                fmt.period(int(y), int(q), lang) for y, q in zip(df["year"], df["quarter"], strict=True)
            ],
            "피해기업(개사)" if ko else "Firms affected": df["affected_firms"].tolist(),
            "지원(건)" if ko else "Relief cases": df["relief_cases"].tolist(),
            "피해기업 누계" if ko else "Firms affected, total": df["cum_affected"].tolist(),
            "지원 누계" if ko else "Relief cases, total": df["cum_relief"].tolist(),
            "지원율(%)" if ko else "Relief ratio (%)": [
                None if v is None or pd.isna(v) else round(float(v), 1) for v in df["relief_ratio_pct"]
            ],
        }
    )


def unattributed_table(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Emergency figures with no incident recorded: mission, quarter, figures."""
    ko = lang == "ko"
    return pd.DataFrame(
        {
            "공관" if ko else "Mission": df["name_ko" if ko else "name_en"].tolist(),
            "분기" if ko else "Quarter": [
                fmt.period(int(y), int(q), lang) for y, q in zip(df["year"], df["quarter"], strict=True)
            ],
            "피해기업(개사)" if ko else "Firms affected": df["affected_firms"].tolist(),
            "지원(건)" if ko else "Relief cases": df["relief_cases"].tolist(),
        }
    )
