"""Tables of sentences (what is wrong, how to fix it) that wrap inside the page instead of being cut.

st.dataframe draws every cell on one line and cuts what does not fit its column, so a problem and
its fix end in "…" at 1280 px. st.table wraps, but renders each cell as Markdown, and these cells
carry a file's own text (sheet names, the values typed in it), which anyone may send. So the table
is HTML built here with every header and cell escaped: a sheet named `<img src=x onerror=…>` or a
value `![](http://host/p.png)` reads exactly as typed. (st.html also sanitises with DOMPurify and
runs no script; the escaping does not rely on that.) Columns get a share of the width; long words
such as cell references or codes break rather than push past the edge, and Hangul breaks between
words (keep-all), not inside one.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd
import streamlit as st

CLASS = "text-table"
# One stylesheet per table rather than a style on each cell: a refused file lists up to 2,000 problems.
_CSS = (
    f"<style>table.{CLASS} {{width:100%;table-layout:fixed;border-collapse:collapse;font-size:0.875rem;"
    "line-height:1.45}"
    f" table.{CLASS} th {{text-align:left;vertical-align:bottom;font-weight:600;padding:0.3rem 0.5rem;"
    "background:#f0f2f6;border-bottom:1px solid #d5dae5;overflow-wrap:anywhere}"
    f" table.{CLASS} td {{text-align:left;vertical-align:top;padding:0.3rem 0.5rem;"
    "border-bottom:1px solid #e6e9ef;white-space:pre-wrap;overflow-wrap:anywhere;word-break:keep-all}"
    "</style>"
)


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value))


def table_html(df: pd.DataFrame, widths: Sequence[float] | None = None) -> str:
    """`df` as an HTML table: headers and cells escaped, text wrapped, columns sized by `widths` shares."""
    if widths is not None and len(widths) != df.shape[1]:
        raise ValueError(f"{len(widths)} widths for {df.shape[1]} columns")
    cols = ""
    if widths is not None:
        total = sum(widths)
        cols = (
            "<colgroup>"
            + "".join(f'<col style="width:{100 * w / total:.2f}%">' for w in widths)
            + "</colgroup>"
        )
    head = "".join(f"<th>{_text(c)}</th>" for c in df.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_text(v)}</td>" for v in row) + "</tr>"
        for row in df.itertuples(index=False, name=None)
    )
    return f'{_CSS}<table class="{CLASS}">{cols}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def show(df: pd.DataFrame, *, widths: Sequence[float] | None = None, where=None) -> None:
    """Draw `df` as a wrapping table of plain text (in `where`, a container or column, if given)."""
    (where or st).html(table_html(df, widths))
