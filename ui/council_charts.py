"""The then-vs-now chart of "since the last council": a dumbbell per sector or mission.

Each row joins the mean attainment the council saw (hollow marker) to the mean attainment now
(filled marker); the line is coloured by the direction of the change, and the change in points is
written at the right, so it reads without colour as well.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from metrics.council import by_size_of_change
from ui import figures

UP = "#004488"  # the on-track blue
DOWN = "#BB5566"  # the behind red


def dumbbell(
    df: pd.DataFrame, *, lang: str, then_label: str, now_label: str, limit: int | None = None
) -> go.Figure:
    """Mean attainment then → now for the rows of a movers frame (code, name_*, then_pct, now_pct, change_pts).

    Rows keep the frame's order (largest change first) from top to bottom; `limit` keeps the first rows.
    """
    df = by_size_of_change(df)  # the one order of 지난 회의 이후, as the sentence and the PDF
    if limit is not None:
        df = df.head(limit)
    names = [str(r["name_en"] if lang == "en" else r["name_ko"]) for _, r in df.iterrows()]
    then = df["then_pct"].astype("float64").to_list()
    now = df["now_pct"].astype("float64").to_list()
    change = df["change_pts"].astype("float64").to_list()
    fig = figures.figure()
    xs, ys, colors = [], [], []
    for name, a, b in zip(names, then, now, strict=True):
        xs += [a, b, None]
        ys += [name, name, None]
        colors.append(UP if b >= a else DOWN)
    # one line trace per direction keeps the figure small (a trace per row costs tens of ms each)
    for color in (UP, DOWN):
        lx, ly = [], []
        for name, a, b, c in zip(names, then, now, colors, strict=True):
            if c == color:
                lx += [a, b, None]
                ly += [name, name, None]
        if lx:
            fig.add_trace(
                go.Scatter(
                    x=lx,
                    y=ly,
                    mode="lines",
                    line={"color": color, "width": 3},
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
    fig.add_trace(
        go.Scatter(
            x=then,
            y=names,
            mode="markers",
            name=then_label,
            marker={"symbol": "circle-open", "size": 11, "color": figures.MUTED, "line": {"width": 2}},
            hovertemplate="%{y}: %{x:.1f}%<extra>" + then_label + "</extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=now,
            y=names,
            mode="markers",
            name=now_label,
            marker={"symbol": "circle", "size": 11, "color": colors},
            hovertemplate="%{y}: %{x:.1f}%<extra>" + now_label + "</extra>",
        )
    )
    # Each change is written in the right margin, outside the plot: inside it, a label near the
    # largest values sat on the markers (주이스탄불's "−30.2%p" under its 88 % circle).
    for name, c in zip(names, change, strict=True):
        fig.add_annotation(
            x=1,
            xref="paper",
            xanchor="left",
            xshift=6,
            y=name,
            yref="y",
            text=f"{c:+.1f}%p",
            showarrow=False,
            font={"color": figures.INK, "size": 12},
        )
    # the rows in the frame's order, top to bottom: left to first appearance, the improvers' line
    # trace (drawn first) put every improver above every decline
    fig.update_yaxes(autorange="reversed", type="category", categoryorder="array", categoryarray=names)
    fig.update_xaxes(
        title={"text": "달성률(%)" if lang == "ko" else "Attainment (%)"},
        range=[0, max([v for v in then + now if v == v] + [100.0]) * 1.05],
        ticksuffix="%",
    )
    fig.update_layout(shapes=[figures.vline(100)])
    return figures.style(fig, height=90 + 30 * max(len(names), 1)).update_layout(margin_r=72)
