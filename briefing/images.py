"""Plotly figures → PNG on the server, all of a pack's charts in one headless Chromium run.

The figures are the ones the pages draw (ui/figures.py, ui/report_charts.py, ui/council_charts.py);
plotly.js from the installed plotly package draws each one and `Plotly.toImage` turns it into a PNG
inside the browser (each from the figure as data, all at once), which writes the images into the page
for `ui.export.html_dom` to read back.
One browser start for every chart (a start costs ~1.5 s; a chart ~0.1 s), no network, and the
same Korean fonts as the PDF (fonts-nanum).
"""

from __future__ import annotations

import base64
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

import plotly
import plotly.graph_objects as go

from ui.export import html_dom

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
SCALE = 2  # pixels per CSS pixel: sharp when 한글 prints the picture at ~165 mm wide
FONT = "NanumGothic, 'Nanum Gothic', sans-serif"


@dataclass(frozen=True)
class Picture:
    """A figure to draw and the size (CSS px) to draw it at."""

    figure: go.Figure
    width: int
    height: int


_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><script src="{js}"></script></head>
<body><pre id="out"></pre><script>
const specs = {specs};
(async () => {{
  // toImage draws a figure given as data in a hidden plot of its own: no visible plot to draw first
  const out = await Promise.all(specs.map(s => Plotly.toImage(
    {{data: s.data, layout: s.layout, config: {{staticPlot: true}}}},
    {{format: 'png', width: s.width, height: s.height, scale: {scale}}})));
  document.getElementById('out').textContent = JSON.stringify(out);
}})().catch(e => {{ document.getElementById('out').textContent = 'ERROR ' + e; }});
</script></body></html>"""


def figure_spec(picture: Picture) -> dict:
    """The figure as plotly.js draws it (data, layout at the picture's size, white, the Korean font)."""
    return _spec(picture)


def _spec(picture: Picture) -> dict:
    fig = go.Figure(picture.figure)  # a copy: the caller's figure keeps its page styling
    fig.update_layout(
        width=picture.width,
        height=picture.height,
        paper_bgcolor="white",
        plot_bgcolor="white",
        font={"family": FONT},
    )
    spec = json.loads(fig.to_json())
    return {
        "data": spec.get("data", []),
        "layout": spec.get("layout", {}),
        "width": picture.width,
        "height": picture.height,
    }


def render_pngs(pictures: list[Picture]) -> list[bytes]:
    """Each picture as PNG bytes, in order (RuntimeError if the browser draws none)."""
    if not pictures:
        return []
    specs = json.dumps([_spec(p) for p in pictures], ensure_ascii=False).replace("</", "<\\/")
    page = _PAGE.format(js=PLOTLY_JS.as_uri(), specs=specs, scale=SCALE)
    found = re.search(r'<pre id="out">(.*?)</pre>', html_dom(page), re.S)
    text = html.unescape(found.group(1)) if found else ""
    if not text.startswith("["):
        raise RuntimeError(f"charts were not drawn: {text[:300] or 'no output'}")
    urls = json.loads(text)
    if len(urls) != len(pictures):
        raise RuntimeError(f"{len(urls)} of {len(pictures)} charts drawn")
    return [base64.b64decode(url.split(",", 1)[1]) for url in urls]
