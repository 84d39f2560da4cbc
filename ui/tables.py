"""Tables on screen, safe in the toolbar's own "Download as CSV".

Every st.dataframe has a toolbar whose CSV download writes the cells as shown, knowing nothing of
ui/downloads.py. A file name or incident summary starting with `=`, `+`, `-` or `@` would then run
as a formula in the analyst's spreadsheet, so the table is shown as the downloads write it: text
cells (and text headers) that a spreadsheet would run get the same leading apostrophe. Numbers,
dates and the page's own column settings are untouched. Every page shows its tables through here.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from ui.downloads import neutralise
from warehouse.names import without_format_characters


def shown(df: pd.DataFrame) -> pd.DataFrame:
    """The frame as displayed: text cells and text headers neutralised (warehouse.text, then formulas), anything else as it was."""
    out = df.copy()
    out.columns = [neutralise(c) for c in df.columns]
    for i in range(df.shape[1]):
        series = df.iloc[:, i]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
            continue
        out.isetitem(i, series.map(_on_screen, na_action="ignore"))
    return out


def _on_screen(value: object) -> object:
    """A cell as a grid shows it: no format character (a right-to-left override would turn the cell
    around; warehouse.text), and nothing a spreadsheet would run."""
    return neutralise(without_format_characters(value) if isinstance(value, str) else value)


def show(df: pd.DataFrame, *, where=None, style: Callable[[Styler], Styler] | None = None, **kwargs):
    """st.dataframe (or `where.dataframe`) of `df` neutralised; `style` styles the neutralised frame."""
    safe = shown(df)
    return (where or st).dataframe(style(safe.style) if style else safe, **kwargs)


# The editors' toolbars lose "Download as CSV": an editor must show stored text as stored (an
# apostrophe added for the CSV's sake would be saved back), so its cells cannot be neutralised, and
# its CSV would carry a stored `=cmd` into the administrator's spreadsheet. The page's own
# downloads (ui/downloads.py) export the same rows safely.
_EDITOR_CSS = (
    '<style>[class*="st-key-editor-"] [data-testid="stElementToolbar"] '
    'button[aria-label="Download as CSV"] { display: none !important; }</style>'
)


def edit(df: pd.DataFrame, *, key: str, **kwargs) -> pd.DataFrame:
    """st.data_editor of `df` (kept as stored), without the toolbar's CSV download."""
    st.html(_EDITOR_CSS)
    with st.container(key=f"editor-{key}"):
        return st.data_editor(df, key=key, **kwargs)
