"""분야별 "지표별 목표 대비 달성률" (ui.figures.attainment_bullets): each panel's labels stay in it."""

import pandas as pd

from ui.figures import attainment_bullets

SECTORS = {"kbeauty": "K-뷰티", "bio": "바이오", "it": "IT", "green": "친환경"}


def _bullets(lang: str = "ko"):
    rows = []
    for sector in SECTORS:
        for metric, pct in (
            ("지원기업 수", 64.6),
            ("수출계약액", 1234.0),
            ("만족도", 99.0),
            ("MOU 체결", 3.0),
        ):
            status = "on_track" if pct >= 90 else "behind"
            rows.append(
                {
                    "sector_code": sector,
                    "metric_label": metric,
                    "attainment_pct": pct,
                    "expected_pct": 75.0,
                    "status": status,
                    "bar_text": f"{pct:,.0f}%",
                    "hover": "",
                }
            )
    return attainment_bullets(
        pd.DataFrame(rows), facet_col="sector_code", facet_titles=SECTORS, lang=lang, labels={"pace": "진도"}
    )


# The narrowest a panel is drawn: English at 1280 px, 142 px wide (measured in Chromium); a 12 px label
# takes 42 px for "▲ 67%", 50 px for "● 127%".
PANEL_PX = 142
CHAR_PX = 8.4


def test_each_panels_labels_sit_inside_its_own_axis_right_of_the_bars():
    fig = _bullets()
    labels = [tr for tr in fig.data if getattr(tr, "mode", None) == "text"]
    assert len(labels) == len(SECTORS)
    layout = fig.layout.to_plotly_json()
    for trace in labels:
        axis = layout["xaxis" + trace.xaxis[1:]]
        low, high = axis["range"]
        units_per_px = (high - low) / PANEL_PX
        for x, text in zip(trace.x, trace.text, strict=True):
            width = len(text) * CHAR_PX * units_per_px
            left, right = (x - width, x) if trace.textposition.endswith("left") else (x, x + width)
            assert low <= x <= high, (trace.xaxis, x, axis["range"])
            # the whole text inside its own panel, not beside the next panel's bars …
            assert right <= high, (trace.xaxis, text, right, high)
            # … and clear of its own bars, which stop at the 150 % cap
            assert left > 150, (trace.xaxis, text, left)
