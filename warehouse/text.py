"""The one text policy: what a stored text may hold, at intake and again on output.

Control characters (C0 other than a line break, DEL, C1) and Unicode format characters (category Cf:
the bidirectional embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069, the marks
U+200E/U+200F, zero-width spaces and joiners, the BOM …) are invisible: a right-to-left override in
a meeting title reverses everything after it on the page ("2026-12-18" reads "81-21-6202"), on the
PDF cover and in the HWPX running head. Every register, return and app form strips them before a
text is stored (etl.registers.cells, etl.followup, submissions' file names), and every page, PDF and
HWPX strips them again before showing a text (ui.text, ui.briefing_html, briefing.hwpx_writer), for
warehouses that already hold them. Format characters are dropped; a control character (a tab, an
escape) reads as a space; CR LF, CR and the Unicode line and paragraph separators as a line break.
"""

from __future__ import annotations

import unicodedata

_DROPPED = frozenset(("Cf", "Cs"))  # invisible: gone; a control character reads as a space
_BREAKS = str.maketrans({"\r": "\n", "\u2028": "\n", "\u2029": "\n", "\t": " "})


def clean_text(value: object) -> str:
    """`value` as text without control or format characters (line breaks kept, a tab as a space)."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    text = text.replace("\r\n", "\n").translate(_BREAKS)
    return "".join(
        ch
        if ch == "\n"
        else " "
        if (kind := unicodedata.category(ch)) == "Cc"
        else ""
        if kind in _DROPPED
        else ch
        for ch in text
    )


def clean_line(value: object) -> str:
    """clean_text on one line (a title, a running head, a widget option): line breaks become spaces."""
    return clean_text(value).replace("\n", " ")
