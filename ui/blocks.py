"""Page building blocks: the header, empty states, metric tiles, and a chart with its table and downloads."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from metrics import Filters, registry
from metrics.completeness import Completeness
from ui import cycle
from ui import format as fmt
from ui.a11y import chart_summary
from ui.downloads import download_buttons, neutralise
from ui.filters import describe
from ui.i18n import lang, tr
from ui.tables import show as show_table
from ui.warehouse import query
from warehouse.connection import WarehouseMissing

PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
    # the world basemap is served by the app itself (static/topojson), not fetched from a CDN
    "topojsonURL": "app/static/topojson/",
}


def header(title: str, filters: Filters, *, note: str | None = None) -> None:
    """Page title, then one line saying which view this is (and an optional note)."""
    st.title(title)
    line = describe(filters)
    if cycle.preliminary():
        line += f" · {cycle.label()}"
    st.caption(f"{line} · {note}" if note else line)
    cycle.notice()


def as_of_line(completeness: Completeness, where=st) -> None:
    """'2026년 3분기 기준, 38/40 공관 제출 · 미제출: …': the same line, by the same rule, on 요약 and 제출 현황."""
    missing = completeness.missing_text(lang())
    where.caption(
        completeness.text(lang())
        + ((f" · :red[{missing}]" if completeness.overdue else f" · {missing}") if missing else ""),
        help=tr(
            "공관 제출: 그 분기 공관 자체의 실적 보고(외교부 경유)가 들어온 재외공관 수입니다. "
            "다른 기관이 그 공관에서 보고한 사업 실적은 공관 보고를 대신하지 않습니다.",
            "Missions reported: missions whose own return for the quarter (sent through MOFA) is in. "
            "Other agencies' figures for their programs at a mission do not stand in for it.",
        ),
    )


# The year-on-year change under a tile: a number the browser writes with its sign ("+4.7%", "-25.0%").
YOY_FORMAT = "%+.1f%%"


def metric_tile(
    code: str, label: str, value: str, growth_pct: object, *, help: str | None = None, border: bool = False
) -> None:
    """A metric's tile: its value and its change against the same quarters a year earlier.

    The change goes to st.metric as a number, so the arrow follows its sign (st.metric reads a text
    delta by its first character: "전년 동기 −25%" showed a green ↑) and the words go beside it. Red is
    bad news: a fall of a higher-is-better metric, a rise of affected firms (delta_color "inverse").
    """
    growth = None if growth_pct is None or pd.isna(growth_pct) else round(float(growth_pct), 1)
    st.metric(
        label,
        value,
        delta=growth,
        delta_color="normal" if registry.get(code).higher_is_better else "inverse",
        delta_description=tr("전년 동기 대비", "YoY") if growth is not None else None,
        format=YOY_FORMAT,
        help=help,
        border=border,
    )


def load(fn, *args, **kwargs):
    """A cached metrics call; without a warehouse the page says how to make one and stops."""
    try:
        return query(fn, *args, **kwargs)
    except WarehouseMissing:
        st.info(
            tr(
                "아직 웨어하우스가 없습니다. 실적을 업로드하거나 `python -m etl demo`로 데모 데이터를 만드세요.",
                "No warehouse yet. Upload a return, or build the demo with `python -m etl demo`.",
            ),
            icon=":material/database:",
        )
        st.stop()


def empty(message: str) -> None:
    """A sentence instead of a chart when the filters leave nothing to show."""
    st.info(message, icon=":material/search_off:")


def no_data_message() -> str:
    return tr(
        "선택한 조건에 해당하는 실적이 없습니다. 왼쪽의 조회 조건을 넓혀 보세요.",
        "No figures match the chosen filters. Try widening the filters on the left.",
    )


def chart(
    fig: go.Figure,
    table: pd.DataFrame,
    *,
    key: str,
    stem: str,
    caption: str | None = None,
    column_config: dict | None = None,
    downloads: pd.DataFrame | None = None,
) -> None:
    """The chart, then (folded) exactly the table it draws, with CSV and Excel downloads of that table.

    In the preliminary view the chart carries a 잠정 stamp and the table a 잠정 column (ui.cycle).
    `downloads`: what the files hold when it is more than the narrow screen table shows.
    """
    st.plotly_chart(cycle.mark_figure(fig), key=f"chart_{key}", theme=None, config=PLOTLY_CONFIG)
    table = cycle.mark_table(table)
    # the chart's text alternative, a line of its own under it; the table below holds its numbers
    st.caption(chart_summary(fig, len(table)))
    if caption:
        st.caption(caption)
    with st.expander(tr("표 보기 · 내려받기", "Table · download"), icon=":material/table_view:"):
        show_table(
            table, hide_index=True, column_config=column_config or number_columns(table), placeholder="–"
        )
        download_buttons(
            table if downloads is None else cycle.mark_table(downloads),
            cycle.stem(stem),
            key=f"dl_{key}",
            lang=lang(),
        )


def number_columns(table: pd.DataFrame) -> dict:
    """Numbers with thousands separators in the shown table (values are already rounded), each column
    in one precision with a change's sign (fmt.grid_format); years plain."""
    from ui.frames import col

    plain = {col("year"), col("quarter"), col("rank")}
    config = {}
    for column in table.columns:
        if pd.api.types.is_numeric_dtype(table[column]) and not pd.api.types.is_bool_dtype(table[column]):
            shown = "plain" if column in plain else fmt.grid_format(column, table[column])
            config[column] = st.column_config.NumberColumn(format=shown)
    return config


def table(
    df: pd.DataFrame,
    *,
    stem: str,
    key: str,
    status_column: str | None = None,
    statuses: list | None = None,
    highlight: str = "cell",
    downloads: pd.DataFrame | None = None,
) -> None:
    """A table on its own (no chart) with its downloads; status cells (or rows) in their status colours.

    `statuses` are the status codes of the rows (on_track, at_risk, behind, no_data; on_time, late,
    missing), parallel to `df`; `highlight` colours the status "cell" or the whole "row".
    `downloads`: what the CSV/Excel files hold when it is more than the screen shows (a long text
    column the page shows under the table, so that the table fits its width).
    """
    df = cycle.mark_table(df)
    style = None
    if status_column is not None and statuses is not None:

        def style(styler):
            return styler.apply(
                lambda column: [_status_css(s) for s in statuses],
                subset=None if highlight == "row" else [neutralise(status_column)],
                axis=0,
            )

    show_table(df, style=style, hide_index=True, column_config=number_columns(df), placeholder="–")
    download_buttons(
        df if downloads is None else cycle.mark_table(downloads),
        cycle.stem(stem),
        key=f"dl_{key}",
        lang=lang(),
    )


def text_list(items: list[tuple[str, str]]) -> None:
    """(name, stored text) pairs as a list; the stored text shown as text, never as Markdown or HTML."""
    st.html(
        '<ul style="margin:0 0 0.5rem 0;padding-left:1.2rem;font-size:0.9rem">'
        + "".join(
            f"<li><b>{html.escape(name)}</b> — {html.escape(text)}</li>" for name, text in items if text
        )
        + "</ul>"
    )


def _status_css(status: object) -> str:
    from ui.charts import STATUS, SUBMISSION

    style = STATUS.get(status) or SUBMISSION.get(status) if isinstance(status, str) else None
    if style is None or status in ("on_track", "on_time", "not_due"):
        return ""  # only what needs attention is highlighted
    return f"background-color: {style.light}; color: {style.ink}"
