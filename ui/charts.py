"""Plotly figure builders with the dashboard's colours, fonts and number formats.

Colours carry meaning, the same on every chart and table:
- one colour per sector, from data/ref/sectors.csv `color` (the Okabe–Ito palette);
- one colour per status, from Paul Tol's colour-blind-safe "high contrast" set, chosen to differ
  from the sector colours in hue *and* lightness: 정상 dark blue, 주의 ochre, 미흡 red. Status is never
  colour alone: every mark also carries a symbol (● ▲ ■) and its label.
The builders take tidy frames with the columns they name, plus already-translated labels, and
return a figure; they do not query anything.
ui/figures.py holds the house style and the builders that need no Streamlit; this module re-exports
them and caches the figures the pages build.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui import figures
from ui.figures import (  # noqa: F401  (re-exported: the pages use ui.charts as the one place for charts)
    FONT,
    GRID,
    INK,
    MUTED,
    NAVY,
    NO_TARGET,
    PANEL_TICKS,
    PCT_TEXT,
    PCT_TICKS,
    PROJECTION,
    STATUS,
    STATUS_ORDER,
    SUBMISSION,
    TARGET,
    WORSE,
    StatusStyle,
    _labels,
    badge_html,
    figure,
    status_colors,
    status_style,
    status_text,
    style,
    submission_text,
    vline,
)

# Figures depend only on their (cached) input frames and labels: build each once and reuse the
# object (st.plotly_chart copies it, the pages never change it). Plotly's validation makes building
# cost tens of milliseconds per chart, most of a warm page run otherwise.
cached_figure = st.cache_resource(show_spinner=False, max_entries=256)


@cached_figure
def empty_figure(message: str, height: int = 240) -> go.Figure:
    """A figure that says why it is empty (never an empty axis)."""
    fig = figure()
    fig.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return style(fig, height=height, legend=False)


# --- attainment -----------------------------------------------------------------------------------

attainment_bullets = cached_figure(figures.attainment_bullets)


@cached_figure
def attainment_bars(
    df: pd.DataFrame, *, category: str, lang: str = "ko", labels: dict[str, str], height: int | None = None
) -> go.Figure:
    """One bullet bar per category (agency, mission): attainment coloured by status, pace tick, 100 % line.

    df columns: category, attainment_pct, expected_pct, status, bar_text, hover.
    """
    fig = figure()
    cap = 150.0
    for status in (*STATUS_ORDER, None):
        rows = df[df["status"].isna()] if status is None else df[df["status"] == status]
        if rows.empty:
            continue
        st_style = status_style(status)
        fig.add_trace(
            go.Bar(
                x=rows["attainment_pct"].fillna(0).clip(upper=cap),
                y=rows[category],
                orientation="h",
                marker={"color": st_style.color},
                name=st_style.en if lang == "en" else st_style.ko,
                customdata=rows["hover"],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    fig.add_trace(_labels(df, category, cap, lang))
    pace = df.dropna(subset=["expected_pct"])
    if not pace.empty:
        fig.add_trace(
            go.Scatter(
                x=pace["expected_pct"].clip(upper=cap),
                y=pace[category],
                mode="markers",
                marker={"symbol": "line-ns", "size": 18, "line": {"width": 3, "color": INK}},
                name=labels["pace"],
                hoverinfo="skip",
            )
        )
    fig.update_layout(shapes=[vline(100)])
    fig.update_xaxes(range=[0, cap + 40], tickvals=PCT_TICKS, ticktext=PCT_TEXT, title=labels["x"])
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=list(df[category]))
    style(fig, height=height or max(220, 30 * len(df) + 90))
    fig.update_layout(barmode="overlay", bargap=0.3)
    return fig


# --- trends ---------------------------------------------------------------------------------------


@cached_figure
def lines(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    series_names: dict[str, str],
    colors: dict[str, str],
    hover: str,
    y_title: str,
    x_title: str | None = None,
    x_order: list[str] | None = None,
    x_ticks: list[str] | None = None,
    height: int = 360,
) -> go.Figure:
    """One line per series (a sector, a year) over an ordered x; hover text preformatted.

    `x_ticks`: the axis label of each `x_order` category (e.g. two-line period labels), kept upright.
    """
    fig = figure()
    for code, label in series_names.items():
        part = df[df[series] == code]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part[x],
                y=part[y],
                mode="lines+markers",
                name=label,
                line={"color": colors.get(code, NAVY), "width": 2.5},
                marker={"size": 7},
                customdata=part[hover],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    fig.update_yaxes(title=y_title, rangemode="tozero", tickformat=",")
    fig.update_xaxes(title=x_title, type="category")
    if x_order:
        fig.update_xaxes(categoryorder="array", categoryarray=x_order)
    if x_order and x_ticks:
        fig.update_xaxes(tickmode="array", tickvals=x_order, ticktext=x_ticks, tickangle=0)
    return style(fig, height=height)


@cached_figure
def year_curves(
    df: pd.DataFrame,
    *,
    years: list[int],
    year_names: dict[int, str],
    x_labels: list[str],
    y_title: str,
    target: float | None,
    target_label: str,
    pace: pd.DataFrame | None,
    pace_label: str,
    projection: tuple[str, float, str, float] | None,
    projection_label: str,
    height: int = 400,
) -> go.Figure:
    """Running totals through the year, one line per year; the selected year's target, pace, projection.

    df columns: year, x (quarter label), value, hover. Earlier years are drawn lighter so the
    selected (last) year stands out; `projection` is (from_x, from_value, to_x, to_value).
    """
    fig = figure()
    shades = ["#B8C4D2", "#7F93AA", "#4A6785"]
    for i, year in enumerate(years):
        part = df[df["year"] == year]
        if part.empty:
            continue
        last = i == len(years) - 1
        color = NAVY if last else shades[max(0, len(shades) - (len(years) - 1) + i)]
        fig.add_trace(
            go.Scatter(
                x=part["x"],
                y=part["value"],
                mode="lines+markers",
                name=year_names[year],
                line={"color": color, "width": 3.5 if last else 2},
                marker={"size": 8 if last else 6},
                customdata=part["hover"],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    if pace is not None and not pace.empty:
        fig.add_trace(
            go.Scatter(
                x=pace["x"],
                y=pace["value"],
                mode="lines",
                name=pace_label,
                line={"color": MUTED, "width": 1.5, "dash": "dot"},
                customdata=pace["hover"],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    if projection is not None:
        x0, y0, x1, y1 = projection
        fig.add_trace(
            go.Scatter(
                x=[x0, x1],
                y=[y0, y1],
                mode="lines+markers",
                name=projection_label,
                line={"color": PROJECTION, "width": 2, "dash": "dash"},
                marker={"symbol": ["circle", "diamond-open"], "size": [1, 11]},
                hoverinfo="skip",
            )
        )
    if target is not None and target == target:
        fig.update_layout(
            shapes=[
                {
                    "type": "line",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "y0": target,
                    "y1": target,
                    "line": {"color": TARGET, "width": 1.5, "dash": "dash"},
                }
            ],
            annotations=[
                {
                    "xref": "paper",
                    "x": 0,
                    "y": target,
                    "text": target_label,
                    "showarrow": False,
                    "xanchor": "left",
                    "yanchor": "bottom",
                    "yshift": 3,  # clear of the dashed line it labels
                    "bgcolor": "rgba(255,255,255,0.85)",
                    "font": {"size": 12, "color": TARGET},
                }
            ],
        )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=x_labels)
    fig.update_yaxes(title=y_title, rangemode="tozero", tickformat=",")
    return style(fig, height=height)


@cached_figure
def growth_bars(df: pd.DataFrame, *, x_title: str, height: int | None = None) -> go.Figure:
    """Year-on-year growth per metric: df columns metric_code, label, growth_pct, text, hover.

    Navy is good news, grey bad, by the metric's direction (data/ref/metrics.csv higher_is_better):
    a rise of firms hit by emergencies is bad news.
    """
    colors = [
        NAVY if figures.better_change(code, g) is not False else WORSE
        for code, g in zip(df["metric_code"], df["growth_pct"], strict=True)
    ]
    fig = figure(
        go.Bar(
            x=df["growth_pct"],
            y=df["label"],
            orientation="h",
            marker={"color": colors},
            text=df["text"],
            textposition="outside",
            cliponaxis=False,
            customdata=df["hover"],
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    low, high = float(df["growth_pct"].min()), float(df["growth_pct"].max())
    pad = max(5.0, (max(high, 0) - min(low, 0)) * 0.18)  # room for the labels outside the bars
    fig.update_xaxes(
        title=x_title,
        ticksuffix="%",
        zeroline=True,
        zerolinecolor=MUTED,
        range=[min(low, 0) - pad, max(high, 0) + pad],
    )
    fig.update_yaxes(autorange="reversed")
    return style(fig, height=height or max(240, 30 * len(df) + 80), legend=False)


# --- composition ----------------------------------------------------------------------------------


@cached_figure
def stacked_bars(
    df: pd.DataFrame,
    *,
    category: str,
    category_order: list[str],
    series: str,
    series_names: dict[str, str],
    colors: dict[str, str],
    x_title: str,
    stacked: bool = True,
    height: int | None = None,
) -> go.Figure:
    """Horizontal bars per category (an agency), split by series (sectors) in their colours.

    df columns: category, series, value (already scaled), hover.
    """
    fig = figure()
    for code, label in series_names.items():
        part = df[df[series] == code]
        if part.empty:
            continue
        fig.add_trace(
            go.Bar(
                x=part["value"],
                y=part[category],
                orientation="h",
                name=label,
                marker={"color": colors.get(code, NAVY)},
                customdata=part["hover"],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack" if stacked else "group", legend={"traceorder": "normal"})
    fig.update_xaxes(title=x_title, tickformat=",")
    fig.update_yaxes(
        categoryorder="array", categoryarray=category_order[::-1], showticklabels=len(category_order) > 1
    )
    return style(fig, height=height or max(240, 48 * len(category_order) + 90))


def cell_colors(values, zmin: float, zmax: float) -> list[str]:
    """The #RRGGBB fill of each value on the heat map's reversed cividis scale."""
    from plotly.colors import get_colorscale, sample_colorscale

    scale = [[1 - at, color] for at, color in reversed(get_colorscale("Cividis"))]
    span = zmax - zmin
    positions = [0.5 if span == 0 else min(1.0, max(0.0, (float(v) - zmin) / span)) for v in values]
    return [_hex(c) for c in sample_colorscale(scale, positions)]


def _hex(rgb: str) -> str:
    if rgb.startswith("#"):
        return rgb.upper()
    r, g, b = (round(float(v)) for v in rgb[rgb.index("(") + 1 : -1].split(",")[:3])
    return f"#{r:02X}{g:02X}{b:02X}"


@cached_figure
def heatmap(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    z: str,
    text: str,
    hover: str,
    x_order: list[str],
    y_order: list[str],
    colorbar_title: str,
    height: int | None = None,
) -> go.Figure:
    """A sequential heatmap (cividis: colour-blind safe and readable in grey) with values in cells."""
    grid = df.pivot_table(index=y, columns=x, values=z, aggfunc="first").reindex(
        index=y_order, columns=x_order
    )
    txt = df.pivot_table(index=y, columns=x, values=text, aggfunc="first").reindex(
        index=y_order, columns=x_order
    )
    hov = df.pivot_table(index=y, columns=x, values=hover, aggfunc="first").reindex(
        index=y_order, columns=x_order
    )
    zmin, zmax = float(pd.DataFrame(grid).min().min()), float(pd.DataFrame(grid).max().max())
    fig = figure(
        go.Heatmap(
            z=grid.values,
            x=x_order,
            y=y_order,
            zmin=zmin,
            zmax=zmax,
            colorscale="Cividis",
            reversescale=True,
            customdata=hov.fillna("").values,
            hovertemplate="%{customdata}<extra></extra>",
            colorbar={"title": {"text": colorbar_title, "side": "right"}, "thickness": 12},
            xgap=2,
            ygap=2,
        )
    )
    # The cell labels as a text layer: a heat map's text has one colour (or plotly's #444/white),
    # which falls below 4.5:1 mid-scale; here each label is black or white by its own cell's colour.
    cells = [
        (xi, yi, label, grid.at[yi, xi])
        for yi in y_order
        for xi in x_order
        if isinstance(label := txt.at[yi, xi], str) and label and pd.notna(grid.at[yi, xi])
    ]
    if cells:
        xs, ys, labels, values = zip(*cells, strict=True)
        fills = cell_colors(values, zmin, zmax)
        fig.add_trace(
            go.Scatter(
                x=list(xs),
                y=list(ys),
                text=list(labels),
                mode="text",
                textfont={"size": 11, "color": [figures.label_ink(f) for f in fills]},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top")
    return style(fig, height=height or max(260, 26 * len(y_order) + 110), legend=False)


@cached_figure
def status_grid(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    status: str,
    hover: str,
    x_order: list[str],
    y_order: list[str],
    lang: str = "ko",
    height: int | None = None,
    x_text: list[str] | None = None,
) -> go.Figure:
    """A grid of submission statuses: one coloured, shaped marker per cell (on time ●, late ▲, missing ■).

    x_text, one per x_order entry, labels the columns (the categories themselves stay unique).
    """
    fig = figure()
    for code, sub in SUBMISSION.items():
        part = df[df[status] == code]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part[x],
                y=part[y],
                mode="markers",
                name=sub.en if lang == "en" else sub.ko,
                marker={"symbol": sub.symbol, "size": 15, "color": sub.color, "line": {"width": 0}},
                customdata=part[hover],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    fig.update_xaxes(
        type="category", categoryorder="array", categoryarray=x_order, side="top", showgrid=True, tickangle=0
    )
    if x_text is not None:
        fig.update_xaxes(tickvals=x_order, ticktext=x_text)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=y_order[::-1], showgrid=True)
    style(fig, height=height or max(260, 24 * len(y_order) + 140))
    fig.update_layout(legend={"y": -0.02, "yanchor": "top"}, margin={"t": 10, "b": 10})
    return fig


# --- map ------------------------------------------------------------------------------------------


@cached_figure
def mission_map(
    df: pd.DataFrame,
    *,
    size_col: str,
    color_mode: str,
    color_col: str,
    colorbar_title: str,
    hub_label: str,
    lang: str = "ko",
    height: int = 520,
    hubs: pd.DataFrame | None = None,
) -> go.Figure:
    """Missions on a world map, sized by `size_col`; coloured by value (cividis) or by status.

    df columns: lat, lon, name, hover, is_hub (bool), size_col, color_col. K-beauty hub missions get
    a star on top so they stand out whatever the colour; `hubs` (same columns) marks hubs that `df`
    leaves out, such as hubs without a target on an attainment map.
    """
    fig = figure()
    peak = float(df[size_col].max() or 0) if not df.empty else 0.0
    sizes = (
        (8 + 32 * (df[size_col].clip(lower=0) / peak) ** 0.5) if peak > 0 else pd.Series(10.0, index=df.index)
    )
    if color_mode == "status":
        for status in (*STATUS_ORDER, None):
            mask = df[color_col].isna() if status is None else df[color_col] == status
            part = df[mask]
            if part.empty:
                continue
            st_style = status_style(status)
            fig.add_trace(
                go.Scattergeo(
                    lat=part["lat"],
                    lon=part["lon"],
                    mode="markers",
                    name=st_style.en if lang == "en" else st_style.ko,
                    marker={
                        "size": sizes[mask],
                        "color": st_style.color,
                        "symbol": st_style.symbol if status != "no_data" else "circle",
                        "line": {"width": 0.8, "color": "white"},
                        "opacity": 0.9,
                    },
                    customdata=part["hover"],
                    hovertemplate="%{customdata}<extra></extra>",
                )
            )
    else:
        # the colour bar runs from zero, so one mission (or equal values) reads 0..747, not 746.2..747
        top = float(df[color_col].max()) if df[color_col].notna().any() else 0.0
        fig.add_trace(
            go.Scattergeo(
                lat=df["lat"],
                lon=df["lon"],
                mode="markers",
                showlegend=False,
                marker={
                    "size": sizes,
                    "color": df[color_col],
                    "cmin": 0,
                    "cmax": top if top > 0 else 1.0,
                    "colorscale": "Cividis",
                    "reversescale": True,
                    "colorbar": {"title": {"text": colorbar_title}, "thickness": 12, "tickformat": ","},
                    "line": {"width": 0.8, "color": "white"},
                    "opacity": 0.9,
                },
                customdata=df["hover"],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    hubs = df[df["is_hub"]] if hubs is None else hubs[hubs["is_hub"]]  # hubs may be marked without a value
    if not hubs.empty:
        fig.add_trace(
            go.Scattergeo(
                lat=hubs["lat"],
                lon=hubs["lon"],
                mode="markers",
                name=hub_label,
                marker={"symbol": "star", "size": 13, "color": "#CC79A7", "line": {"width": 1, "color": INK}},
                customdata=hubs["hover"],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    style_world_map(fig, coastlinecolor="#C9D2DC", lataxis_range=[-45, 72])
    style(fig, height=height)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 30, "b": 0})
    return fig


def style_world_map(fig: go.Figure, **overrides) -> go.Figure:
    """The one look of every world map: natural-earth projection, pale land, no frame."""
    fig.update_geos(
        projection_type="natural earth",
        showcountries=True,
        countrycolor="#C9D2DC",
        showland=True,
        landcolor="#F2F5F9",
        showocean=True,
        oceancolor="#FFFFFF",
        showframe=False,
        **overrides,
    )
    return fig
