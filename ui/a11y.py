"""What every page needs for KWCAG 2.2 / WCAG 2.1 AA that Streamlit has no option for (docs/accessibility.md).

- The page's language: Streamlit's index.html says `<html lang="en">` whatever the app shows, and
  has no setting for it; a screen reader then reads Korean with English rules. A small script run
  by st.html (unsafe_allow_javascript) sets `lang` from the app's own language choice.
- Captions: Streamlit draws them in the text colour at 60 % opacity (4.2:1 on white, and a badge
  or coloured word inside fades with it to 2.7:1); ours are solid in a grey of 7.6:1.
- Headings: st.title is h1 and st.subheader h3 (no h2 between), and 요약 starts at h3: a screen
  reader's outline has gaps. The script gives each heading of the main area the level of its rank
  among the levels used there (aria-level), so the outline runs 1, 2, 3 without changing the look.
- Focus: a visible ring on whatever the keyboard is on, the theme's navy.
- The Korean file uploader hides Streamlit's English button text (ui.upload_helpers) and shows
  "파일 선택" as CSS content, which is no accessible name: the script names the button.
"""

from __future__ import annotations

import json
import re

import streamlit as st

from ui.i18n import lang

CAPTION = "#4B5563"  # 7.6:1 on white, 6.9:1 on the sidebar's #F2F5F9
FOCUS = "#1F4E79"  # the theme's primary colour, 8.7:1 on white

_CSS = f"""<style>
[data-testid="stCaptionContainer"] {{ opacity: 1; color: {CAPTION}; }}
:focus-visible {{ outline: 2px solid {FOCUS} !important; outline-offset: 2px; }}
</style>"""

# Runs again whenever the language changes (the element's text changes). The observer keeps the
# uploader's name on buttons Streamlit draws later (a page switch does not reload the document).
_SCRIPT = """<script>
(() => {
  window.__a11y = %s;
  document.documentElement.lang = window.__a11y.lang;
  const outline = () => {
    const heads = [...document.querySelectorAll(
      '[data-testid="stMain"] :is(h1, h2, h3, h4, h5, h6)')].filter(h => h.textContent.trim());
    const used = [...new Set(heads.map(h => Number(h.tagName[1])))].sort();
    heads.forEach(h => {
      const level = used.indexOf(Number(h.tagName[1])) + 1;
      if (level === Number(h.tagName[1])) h.removeAttribute('aria-level');
      else if (h.getAttribute('aria-level') !== String(level)) h.setAttribute('aria-level', String(level));
    });
  };
  const apply = () => {
    document.documentElement.lang = window.__a11y.lang;
    outline();
    document.querySelectorAll('[data-testid="stFileUploaderDropzone"] button').forEach(b => {
      if (window.__a11y.upload) b.setAttribute('aria-label', window.__a11y.upload);
      else b.removeAttribute('aria-label');
    });
  };
  apply();
  if (!window.__a11yObserver) {
    // textContent, not innerText, in here: it runs on every change Streamlit makes, and innerText
    // would lay the page out each time
    window.__a11yObserver = new MutationObserver(() => apply());
    window.__a11yObserver.observe(document.body, {childList: true, subtree: true});
  }
})();
</script>"""


def page_setup() -> None:
    """The page's language, caption colour, focus ring and labels; once per run, from the entry script."""
    settings = {"lang": lang(), "upload": "파일 선택" if lang() == "ko" else ""}
    # in the sidebar: its element has no height, but a gap in the main column would move every page
    with st.sidebar:
        st.html(_CSS + _SCRIPT % json.dumps(settings, ensure_ascii=False), unsafe_allow_javascript=True)


_KINDS = {
    "bar": ("막대", "bar"),
    "heatmap": ("히트맵", "heat map"),
    "scattergeo": ("지도", "map"),
    "lines": ("선", "line"),
    "markers": ("점", "dot"),
}


def _kind(trace) -> str:
    if trace.type == "scatter":
        mode = trace.mode or "lines"
        return "lines" if "lines" in mode else "markers" if "markers" in mode else ""
    return trace.type if trace.type in _KINDS else ""


def _plain(text: str | None) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text or "")).strip()


def _title(axis) -> str:
    return _plain(axis.title.text) if axis is not None and axis.title is not None else ""


def _categories(fig) -> list[str]:
    """The categories along the first trace's category axis (y for horizontal bars), in order."""
    for trace in fig.data:
        if trace.type == "heatmap":
            return []
        values = getattr(trace, "y" if getattr(trace, "orientation", None) == "h" else "x", None)
        if values is not None and len(values):
            return list(dict.fromkeys(_plain(str(v)) for v in values))
    return []


def _span(names: list[str], ko: bool) -> str:
    if len(names) <= 4:
        return ", ".join(names)
    return (
        f"{names[0]} … {names[-1]}, {len(names)}개"
        if ko
        else f"{names[0]} … {names[-1]}, {len(names)} in all"
    )


def chart_summary(fig, table_rows: int | None = None) -> str:
    """One line saying what a chart shows, for who cannot see it: its kind, axes, series and size.

    Written from the figure itself, so it cannot drift from what is drawn; the numbers themselves
    are in the table under the chart (table_rows: how many rows it has, when there is one).
    """
    ko = lang() == "ko"
    kinds = list(dict.fromkeys(k for k in (_kind(t) for t in fig.data) if k))
    kind = " · ".join(_KINDS[k][0 if ko else 1] for k in kinds) or ("차트" if ko else "chart")
    parts = [f"{kind} 차트" if ko else f"{kind.capitalize()} chart"]
    layout = fig.layout
    if layout.title is not None and layout.title.text:
        parts.append(_plain(layout.title.text))
    heat = next((t for t in fig.data if t.type == "heatmap"), None)
    if heat is not None and heat.x is not None and heat.y is not None:
        rows, columns = [_plain(str(v)) for v in heat.y], [_plain(str(v)) for v in heat.x]
        parts.append(
            f"행 {_span(rows, ko)} × 열 {_span(columns, ko)}"
            if ko
            else f"rows {_span(rows, False)} × columns {_span(columns, False)}"
        )
    for name, axis in (
        ("가로축" if ko else "across", layout.xaxis),
        ("세로축" if ko else "up", layout.yaxis),
    ):
        title = _title(axis)
        if title:
            parts.append(f"{name}: {title}")
    categories = _categories(fig)
    if len(categories) >= 2:
        parts.append(("항목 " if ko else "categories ") + _span(categories, ko))
    series = list(dict.fromkeys(_plain(t.name) for t in fig.data if t.name and t.showlegend is not False))
    if series:
        shown = ", ".join(series[:6]) + (" …" if len(series) > 6 else "")
        parts.append(f"계열 {len(series)}개: {shown}" if ko else f"{len(series)} series: {shown}")
    if table_rows is not None:
        parts.append(
            f"같은 수치는 아래 표({table_rows}행)에 있습니다"
            if ko
            else f"the same figures are in the table below ({table_rows} rows)"
        )
    return " · ".join(parts) + "."
