"""The house style of every chart, and the figure builders the briefing command draws without Streamlit.

Colours carry meaning, the same on every chart and table:
- one colour per sector, from data/ref/sectors.csv `color` (the Okabe–Ito palette);
- one colour per status, from Paul Tol's colour-blind-safe "high contrast" set, chosen to differ
  from the sector colours in hue *and* lightness: 정상 dark blue, 주의 ochre, 미흡 red. Status is never
  colour alone: every mark also carries a symbol (● ▲ ■) and its label.
ui/charts.py gives the pages cached versions of these builders; `briefing/` (the command line and
the HWPX pack) imports this module directly, so it never needs a Streamlit session.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from metrics import registry

FONT = "Pretendard, 'Nanum Gothic', NanumGothic, 'Noto Sans KR', 'Malgun Gothic', sans-serif"
INK = "#1B2430"
MUTED = "#6B7785"
GRID = "#E3E8EF"
NAVY = "#1F4E79"  # the theme's primary colour: for one-series charts that carry no sector or status
TARGET = "#1B2430"  # target lines: near-black, dashed
PROJECTION = "#1F4E79"
WORSE = "#8A9AAE"  # a change that is bad news, beside NAVY's good news


@dataclass(frozen=True)
class StatusStyle:
    color: str
    symbol: str  # plotly marker symbol
    glyph: str  # the same shape as text, for tables and labels
    ko: str
    en: str
    ink: str = INK  # text on `light`: the same hue, dark enough for 4.5:1 contrast
    light: str = "#F2F5F9"  # background of a badge or a highlighted table cell


STATUS = {
    "on_track": StatusStyle("#004488", "circle", "●", "정상", "On track", "#004488", "#DCE8F5"),
    "at_risk": StatusStyle("#DDAA33", "triangle-up", "▲", "주의", "At risk", "#7A5500", "#F8ECCB"),
    "behind": StatusStyle("#BB5566", "square", "■", "미흡", "Behind", "#8C2F43", "#F4DDE2"),
    "no_data": StatusStyle("#BBBBBB", "circle-open", "○", "자료없음", "No data", "#55606E", "#EEF0F3"),
    # an open quarter too thinly reported to judge (metrics.completeness.withhold): not 미흡
    "withheld": StatusStyle(
        "#8C96A3", "diamond-open", "◌", "판정 보류", "Judgement withheld", "#4A5563", "#ECEEF1"
    ),
}
NO_TARGET = StatusStyle("#DDDDDD", "circle-open", "–", "목표 없음", "No target", "#55606E", "#F5F6F8")
STATUS_ORDER = ("on_track", "at_risk", "behind", "no_data", "withheld")


def status_style(status: object) -> StatusStyle:
    if isinstance(status, str) and status in STATUS:
        return STATUS[status]
    return NO_TARGET


def status_text(status: object, lang: str = "ko") -> str:
    """ "● 정상", "▲ 주의", "■ 미흡"; "–" for a scope without target."""
    style = status_style(status)
    label = style.en if lang == "en" else style.ko
    return f"{style.glyph} {label}"


# Submission status shares the status colours: on time reads as 정상, late as 주의, missing as 미흡.
SUBMISSION = {
    code: StatusStyle(base.color, base.symbol, base.glyph, ko, en, base.ink, base.light)
    for code, base, ko, en in (
        ("on_time", STATUS["on_track"], "기한 내 제출", "On time"),
        ("late", STATUS["at_risk"], "지연 제출", "Late"),
        ("missing", STATUS["behind"], "미제출", "Missing"),
    )
}
# A return not in before its due date (a quarter not ended, or within its 30 days) is not missing:
# grey and an open diamond, apart from ● ▲ ■ and from 자료없음's open circle.
SUBMISSION["not_due"] = StatusStyle(
    "#BBBBBB", "diamond-open", "◇", "기한 전", "Not yet due", "#55606E", "#EEF0F3"
)


def status_colors(status: object) -> tuple[str, str]:
    """(strong, light) colours of a status, for HTML and exports that draw their own badges."""
    style = status_style(status)
    return style.color, style.light


def badge_html(style: StatusStyle, lang: str = "ko") -> str:
    """A small pill: glyph and label in the status's ink on its light colour."""
    label = style.en if lang == "en" else style.ko
    return (
        f'<span style="background:{style.light};color:{style.ink};border:1px solid {style.color};'
        f'border-radius:999px;padding:1px 9px;font-size:0.85rem;font-weight:600;white-space:nowrap">'
        f"{style.glyph} {label}</span>"
    )


def submission_text(status: str, lang: str = "ko") -> str:
    style = SUBMISSION[status]
    return f"{style.glyph} {style.en if lang == 'en' else style.ko}"


def _luminance(color: str) -> float:
    channels = [int(color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.1's contrast ratio of two #RRGGBB colours (1 to 21; text needs 4.5)."""
    hi, lo = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def label_ink(background: str) -> str:
    """Black or white, whichever reads better on `background`: at least 4.58:1 on any colour.

    Plotly's own choice for a heat map's cell text (#444 or white by brightness) falls to 2.5:1 on
    the middle of a colour scale."""
    return max(("#000000", "#FFFFFF"), key=lambda ink: contrast_ratio(ink, background))


# The house style as a small template. Passing it when a figure is made also spares plotly from
# copying its large default template into every figure (~25 ms each).
_AXIS = {"gridcolor": GRID, "zerolinecolor": GRID, "linecolor": GRID, "automargin": True, "ticks": ""}
HOUSE = {
    "layout": {
        "font": {"family": FONT, "size": 13, "color": INK},
        "hoverlabel": {"font": {"family": FONT}, "bgcolor": "white"},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "separators": ".,",
        "xaxis": _AXIS,
        "yaxis": _AXIS,
        "colorway": ["#1F4E79", "#CC79A7", "#E69F00", "#0072B2", "#009E73", "#999999"],
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        "geo": {"bgcolor": "rgba(0,0,0,0)"},
    }
}


def figure(data=None) -> go.Figure:
    return go.Figure(data=data, layout={"template": HOUSE})


def style(fig: go.Figure, *, height: int = 380, legend: bool = True, title: str | None = None) -> go.Figure:
    """Height, margins, legend and title on top of the house template."""
    fig.update_layout(
        height=height,
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}} if title else None,
        margin={"l": 10, "r": 10, "t": 48 if title else 24, "b": 10},
        showlegend=legend,
    )
    return fig


def vline(x: float, xref: str = "x") -> dict:
    """A dotted vertical line across the plot (as a layout shape: cheaper than fig.add_vline)."""
    return {
        "type": "line",
        "x0": x,
        "x1": x,
        "xref": xref,
        "y0": 0,
        "y1": 1,
        "yref": "paper",
        "line": {"color": MUTED, "width": 1, "dash": "dot"},
        "layer": "below",
    }


# --- attainment -----------------------------------------------------------------------------------


def attainment_bullets(
    df: pd.DataFrame,
    *,
    facet_col: str,
    facet_titles: dict[str, str],
    facet_colors: dict[str, str] | None = None,
    lang: str = "ko",
    labels: dict[str, str],
) -> go.Figure:
    """Small multiples of bullet bars: one panel per facet (sector, agency), one row per metric.

    df columns: facet_col, metric_label, attainment_pct, expected_pct (NULL for a score), status,
    hover (preformatted text). The bar is attainment (% of the annual target), coloured and marked
    by status; the tick is where the pace says the scope should be by now; the line is the target.
    """
    from plotly.subplots import make_subplots

    facets = [f for f in facet_titles if f in set(df[facet_col])]
    metrics = list(dict.fromkeys(df["metric_label"]))
    fig = make_subplots(
        figure=figure(),
        rows=1,
        cols=max(len(facets), 1),
        shared_yaxes=True,
        horizontal_spacing=0.025,
        subplot_titles=[facet_titles[f] for f in facets],
    )
    cap = 150.0
    end = panel_end(_label_texts(df[df["attainment_pct"].notna()]), cap + 6)
    shown: set[str] = set()
    shapes: list[dict] = []
    for i, facet in enumerate(facets, start=1):
        part = df[(df[facet_col] == facet) & df["attainment_pct"].notna()]
        for status in STATUS_ORDER:
            rows = part[part["status"] == status]
            if rows.empty:
                continue
            st_style = STATUS[status]
            fig.add_trace(
                go.Bar(
                    x=rows["attainment_pct"].clip(upper=cap),
                    y=rows["metric_label"],
                    orientation="h",
                    marker={"color": st_style.color, "line": {"width": 0}},
                    name=st_style.en if lang == "en" else st_style.ko,
                    legendgroup=status,
                    legendrank=STATUS_ORDER.index(status) + 1,
                    showlegend=status not in shown,
                    customdata=rows["hover"],
                    hovertemplate="%{customdata}<extra></extra>",
                ),
                row=1,
                col=i,
            )
            shown.add(status)
        fig.add_trace(_labels(part, "metric_label", cap, lang), row=1, col=i)
        pace = part.dropna(subset=["expected_pct"])
        if not pace.empty:
            fig.add_trace(
                go.Scatter(
                    x=pace["expected_pct"].clip(upper=cap),
                    y=pace["metric_label"],
                    mode="markers",
                    marker={"symbol": "line-ns", "size": 18, "line": {"width": 3, "color": INK}},
                    name=labels["pace"],
                    legendgroup="pace",
                    legendrank=10,
                    showlegend="pace" not in shown,
                    hoverinfo="skip",
                ),
                row=1,
                col=i,
            )
            shown.add("pace")
        shapes.append(vline(100, "x" if i == 1 else f"x{i}"))
        # Panels a quarter of the page wide (narrower with English labels at 1280 px) have no room for
        # four labels: "100%" and "150%" ran together. 0 and the target are labelled; 50 and 150 keep
        # their grid lines.
        fig.update_xaxes(
            range=[0, end],
            tickvals=PANEL_TICKS,
            ticktext=[f"{v}%" for v in PANEL_TICKS],
            minor={"tickvals": [50, 150], "showgrid": True},
            row=1,
            col=i,
        )
        if facet_colors and facet in facet_colors:
            fig.layout.annotations[i - 1].update(
                font={"color": facet_colors[facet], "size": 15, "family": FONT},
                text=f"<b>{facet_titles[facet]}</b>",
            )
    fig.update_yaxes(categoryorder="array", categoryarray=metrics[::-1], ticksuffix="  ")
    style(fig, height=max(260, 34 * len(metrics) + 120))
    fig.update_layout(
        barmode="overlay",
        bargap=0.35,
        legend={"y": -0.06, "yanchor": "top"},
        margin={"t": 40, "b": 40},
        shapes=shapes,
    )
    return fig


def better_change(metric_code: str, change: object) -> bool | None:
    """Whether a change of a metric is good news (its direction in the reference data: fewer firms
    hit by emergencies is better); None for no change or none known. The one rule for colouring a
    change, on pages and in the pack."""
    if change is None or pd.isna(change) or float(change) == 0:
        return None
    return (float(change) > 0) == registry.get(metric_code).higher_is_better


PCT_TICKS = [0, 50, 100, 150]
PANEL_TICKS = [0, 100]
PCT_TEXT = [f"{v}%" for v in PCT_TICKS]
# A panel is as narrow as 142 px (English, a 1280 px page); a 12 px label takes ~8.4 px a character
# ("▲ 67%" 42 px, "● 127%" 50 px, measured in Chromium).
MIN_PANEL_PX = 140.0
LABEL_PX_PER_CHAR = 8.5


def panel_end(texts: Iterable[str], start: float) -> float:
    """Where a panel's axis ends: far enough right that the widest label, written rightwards from
    `start`, ends inside the narrowest panel rather than beside the next panel's bars."""
    widest = (max((len(t) for t in texts), default=0) + 1) * LABEL_PX_PER_CHAR
    share = min(widest / MIN_PANEL_PX, 0.5)  # the label's part of the panel's width
    return max(start + 39, start / (1 - share))


def _label_texts(rows: pd.DataFrame) -> list[str]:
    return [f"{status_style(s).glyph} {t}" for s, t in zip(rows["status"], rows["bar_text"], strict=True)]


def _labels(rows: pd.DataFrame, y: str, cap: float, lang: str) -> go.Scatter:
    """Each bar's status glyph and percentage, in a column right of the 150 % mark, clear of the ticks
    (the axis must leave room for it: `panel_end`)."""
    return go.Scatter(
        x=[cap + 6] * len(rows),
        y=rows[y],
        mode="text",
        text=_label_texts(rows),
        textposition="middle right",
        textfont={"size": 12, "color": INK},
        showlegend=False,
        hoverinfo="skip",
        cliponaxis=False,
    )
