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


def _shown_order(fig) -> list[str]:
    """The rows top to bottom as plotly draws a category axis: the given array, else first appearance."""
    if fig.layout.yaxis.categoryorder == "array":
        return list(fig.layout.yaxis.categoryarray)
    seen: list[str] = []
    for trace in fig.data:
        seen += [y for y in trace.y if y is not None and y not in seen]
    return seen


def test_the_chart_and_the_pdf_order_movers_by_the_size_of_the_change_as_the_sentence_does():
    """#25 item 11: one order, largest change (either way) first, from metrics.council.by_size_of_change.
    The PDF and the HWPX draw this same figure (briefing/sections/since.py)."""
    from metrics.council import by_size_of_change

    given = pd.DataFrame(
        {
            "code": ["CN-BEI", "JP-TYO", "TR-IST"],
            "name_ko": ["주중국 대사관", "주일본 대사관", "주이스탄불 총영사관"],
            "name_en": ["Beijing", "Tokyo", "Istanbul"],
            "then_pct": [55.0, 70.0, 88.0],
            "now_pct": [76.1, 75.0, 57.8],
            "change_pts": [21.1, 5.0, -30.2],
        }
    )
    order = ["주이스탄불 총영사관", "주중국 대사관", "주일본 대사관"]
    assert list(by_size_of_change(given)["name_ko"]) == order
    assert _shown_order(dumbbell(given, lang="ko", then_label="당시", now_label="현재")) == order
