"""What the sections share: display frames as tables, cells as printed, 'none' lines, chart sizes."""

from __future__ import annotations

import re

import pandas as pd

from briefing.elements import DETAIL, Line, Table, as_written, paper_date
from ui import format as fmt
from ui.bilingual import t

CHART_WIDTH = 760  # CSS px of a chart across the text width (170 mm), so its text prints at ~9 pt
_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$")


def cell(value: object, lang: str = "ko", digits: int = 1) -> str:
    """A value as a table prints it: figures formatted, days as papers write them, '–' for none."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return fmt.DASH
    if isinstance(value, float):
        return fmt.number(value, digits)
    if isinstance(value, pd.Timestamp):
        return paper_date(value, lang)
    text = str(value)
    return paper_date(text, lang) if _STAMP.match(text) else text


def frame_table(
    key: str,
    df: pd.DataFrame,
    lang: str,
    widths: list[float] | None = None,
    *,
    drop: tuple[str, ...] = (),
    written: tuple[str, ...] = (),
) -> Table:
    """A display frame (ui/council_tables.py) as a table, without the columns in `drop`; the
    columns in `written` hold stored free text, shown in the language it was written in.

    Papers for a minister name agencies and days, not accounts or file names: callers drop those.
    """
    df = df[[c for c in df.columns if c not in drop]]
    numeric = [pd.api.types.is_numeric_dtype(df[c]) for c in df.columns]
    free = [c in written for c in df.columns]
    figures = fmt.frame_cells(df)  # each numeric column in one precision, changes signed
    return Table(
        key,
        [str(c) for c in df.columns],
        [
            [
                shown if n else as_written(v, lang) if f and isinstance(v, str) else cell(v, lang)
                for v, shown, n, f in zip(row, printed, numeric, free, strict=True)
            ]
            for row, printed in zip(df.itertuples(index=False), figures, strict=True)
        ],
        widths or [1.0] * len(df.columns),
        numeric,
    )


def none_line(lang: str, what: str | None = None) -> Line:
    return Line(what or t(lang, "없음", "None"), DETAIL)


def figure_height(fig, default: int = 380) -> int:
    height = fig.layout.height
    return int(height) if height else default
