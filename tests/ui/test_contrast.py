"""Text contrast of at least 4.5:1 (WCAG 1.4.3) in the theme, the captions, status badges and charts."""

from __future__ import annotations

import tomllib

import pandas as pd
import pytest
from plotly.colors import get_colorscale

from ui import a11y, charts, report_charts
from ui.figures import HOUSE, INK, MUTED, NO_TARGET, STATUS, SUBMISSION, contrast_ratio, label_ink
from warehouse.paths import ROOT

AA = 4.5


def _theme() -> dict:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]


def test_contrast_ratio_matches_wcag():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)


def test_theme_text_and_captions_read_on_every_background():
    theme = _theme()
    backgrounds = [
        theme["backgroundColor"],
        theme["secondaryBackgroundColor"],
        theme["sidebar"]["backgroundColor"],
    ]
    for background in backgrounds:
        for text in (theme["textColor"], theme["primaryColor"], a11y.CAPTION, a11y.FOCUS):
            assert contrast_ratio(text, background) >= AA, (text, background)


@pytest.mark.parametrize("style", [*STATUS.values(), *SUBMISSION.values(), NO_TARGET], ids=lambda s: s.en)
def test_status_badge_text_reads_on_its_fill(style):
    assert contrast_ratio(style.ink, style.light) >= AA


def test_chart_text_reads_on_white():
    assert HOUSE["layout"]["font"]["color"] == INK
    for text in (INK, MUTED):
        assert contrast_ratio(text, "#FFFFFF") >= AA, text


@pytest.mark.parametrize("background", ["#808080", "#7F7F7F", "#00224E", "#FEE838", "#7C7B78", "#B8A37E"])
def test_a_label_ink_reads_on_any_fill(background):
    assert contrast_ratio(label_ink(background), background) >= AA


def test_cell_colours_follow_the_reversed_cividis_scale():
    scale = get_colorscale("Cividis")
    low, high = charts.cell_colors([0, 10], 0, 10)
    assert low.lower() == charts._hex(scale[-1][1]).lower()
    assert high.lower() == charts._hex(scale[0][1]).lower()


def test_heat_map_cell_labels_read_on_their_cells():
    """Every value label of a heat map (기관별's mission × agency grid) reads at 4.5:1 on its own cell,
    across the whole colour scale: plotly's own cell text (#444 or white) fell to 2.5:1 mid-scale."""
    rows = [
        {"a": f"A{j}", "m": f"M{i}", "z": float(i * 7 + j), "text": f"{i * 7 + j}", "hover": "h"}
        for i in range(8)
        for j in range(7)
    ]
    fig = charts.heatmap(
        pd.DataFrame(rows),
        x="a",
        y="m",
        z="z",
        text="text",
        hover="hover",
        x_order=[f"A{j}" for j in range(7)],
        y_order=[f"M{i}" for i in range(8)],
        colorbar_title="unit",
    )
    heat = fig.data[0]
    assert not heat.texttemplate  # the labels are drawn by the text layer, each in its own ink
    layer = [t for t in fig.data if t.type == "scatter" and t.mode == "text"]
    assert len(layer) == 1 and len(layer[0].text) == len(rows)
    values = {(r["a"], r["m"]): r["z"] for r in rows}
    zs = [values[x, y] for x, y in zip(layer[0].x, layer[0].y, strict=True)]
    fills = charts.cell_colors(zs, heat.zmin, heat.zmax)
    ratios = [contrast_ratio(ink, fill) for ink, fill in zip(layer[0].textfont.color, fills, strict=True)]
    assert min(ratios) >= AA


def test_summary_heat_map_labels_read_on_every_status_fill():
    fig_font = report_charts.INK
    for style in STATUS.values():
        assert contrast_ratio(fig_font, style.light) >= AA, style.en
