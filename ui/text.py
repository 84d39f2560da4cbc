"""Stored text shown as text: whatever came from a file, a form or a sign-in is never Markdown or HTML.

Streamlit renders the strings of st.markdown, st.caption, st.info, st.error, st.success, st.warning,
st.progress, st.metric labels and widget labels as Markdown (with its own directives such as
`:red[…]` and `:material/…:`, and LaTeX between `$`). An incident summary `![](http://host/p.png)`
would make every viewer's browser fetch that address, and `[link](javascript:…)` would be a link.
`plain()` escapes every character that gives text a meaning there, so it reads exactly as stored.
Use it on each stored value put into such a string; the rest of the sentence stays Markdown.
"""

from __future__ import annotations

import html
import re

from warehouse.text import clean_line, clean_text

# CommonMark lets any ASCII punctuation be escaped with a backslash, which then stands for itself.
# These are the ones Markdown, GFM (tables, strikethrough, autolinks: `:` `/` `.` `@`), Streamlit's
# directives (`:`) and math (`$`) read; `&` so that `&lt;` stays as typed.
_ACTIVE = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&@/=\"'^%])")
# Control characters (other than a line break) would reach the page raw; a space reads the same.
_CONTROL = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")


def plain(value: object) -> str:
    """Text that Streamlit's Markdown shows exactly as written (line breaks kept, nothing active)."""
    if value is None:
        return ""
    # control and format characters (a right-to-left override would turn the rest of the line around)
    # are dropped as at intake, for a warehouse that holds them from before (warehouse.text)
    text = clean_text(value)
    text = _ACTIVE.sub(r"\\\1", _CONTROL.sub(" ", text))
    # two trailing spaces: a line break inside the paragraph, never a new block (heading, list, table)
    return text.replace("\n", "  \n")


def plain_html(value: object) -> str:
    """Text for a plotly label or an HTML page: tags and entities shown, never interpreted."""
    return html.escape(clean_text(value))


def option(value: object) -> str:
    """Stored text as a widget option or a chart label that is not Markdown: one line, no control or format character."""
    return clean_line(value)
