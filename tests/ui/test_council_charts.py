"""지난 회의 이후 movers chart: each change is written beside the plot, never on its markers."""

import pandas as pd

from ui.council_charts import dumbbell


def test_change_labels_sit_in_the_right_margin_outside_the_plot():
    movers = pd.DataFrame(
        {
            "code": ["TR-IST", "CN-BEI"],
            "name_ko": ["주이스탄불 총영사관", "주중국 대사관"],
            "name_en": ["Istanbul", "Beijing"],
            "then_pct": [88.0, 55.0],
            "now_pct": [57.8, 76.1],
            "change_pts": [-30.2, 21.1],
        }
    )
    fig = dumbbell(movers, lang="ko", then_label="당시", now_label="현재")
    labels = {a.y: a for a in fig.layout.annotations if a.text.endswith("%p")}
    assert {y: a.text for y, a in labels.items()} == {
        "주이스탄불 총영사관": "-30.2%p",
        "주중국 대사관": "+21.1%p",
    }
    # paper x = 1 is the plot's right edge: a label anchored there by its left side is outside it
    assert all((a.xref, a.x, a.xanchor) == ("paper", 1, "left") for a in labels.values())
    assert fig.layout.margin.r >= 60  # room for "-30.2%p" in the margin
    assert not [t for t in fig.data if t.mode == "text"]  # no label inside the plot's own range
    assert fig.layout.xaxis.range[1] >= 88.0
