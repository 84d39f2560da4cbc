"""With ?lang=en every page is in English: no Hangul in the main area, the charts or the filters."""

import re

import pytest

from tests.support.pages import build, run_page

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
VIEWS = [
    ("views/by_sector.py", {}),
    ("views/by_mission.py", {"measure": "attainment", "metric": "firms_supported", "focus": "VN-HAN"}),
    ("views/by_mission.py", {"metric": "export_value", "focus": "US-LAX"}),
    ("views/by_year.py", {"metric": "export_value"}),
    ("views/by_agency.py", {"metric": "firms_supported"}),
    ("views/submissions.py", {}),
]


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    return build(tmp_path_factory.mktemp("small") / "small.duckdb")


def _texts(node):
    """Every string a person can see in an element tree: values, labels, captions, table cells, charts."""
    for element in node:
        proto = getattr(element, "proto", None)
        for attr in ("value", "label", "body", "help", "placeholder"):
            value = getattr(element, attr, None)
            if isinstance(value, str):
                yield value
        if type(element).__name__ == "Dataframe":
            df = element.value
            yield from (str(c) for c in df.columns)
            for column in df.columns:
                yield from (v for v in df[column].tolist() if isinstance(v, str))
        if proto is not None and hasattr(proto, "spec"):
            yield proto.spec  # a plotly figure: titles, legend, hover text
        if hasattr(element, "options"):
            yield from (str(o) for o in element.options)
        if hasattr(element, "children"):
            yield from _texts(element.children.values())


@pytest.mark.parametrize(("page", "params"), VIEWS, ids=[f"{p}-{i}" for i, (p, _) in enumerate(VIEWS)])
def test_no_korean_left_in_english(small_db, monkeypatch, page, params):
    at = run_page(page, small_db, monkeypatch, lang="en", **params)
    found = sorted({t[:80] for t in _texts(at.main.children.values()) if HANGUL.search(t)})
    filters = [
        w
        for w in at.sidebar
        if getattr(w, "key", None) in ("year", "q", "agency", "sector", "region", "mission", "program")
    ]
    found += sorted({t[:80] for t in _texts(filters) if HANGUL.search(t)})
    assert not found


def test_switching_language_relabels_the_chosen_filters(small_db, monkeypatch):
    """Issue 15 #8: a selectbox or multiselect sends its value as the label it showed, so after a
    switch the browser kept "2026년" and "K-뷰티" unless the values are sent again in English."""
    at = run_page(
        "views/by_year.py", small_db, monkeypatch, sector=["kbeauty"], agency=["mss"], metric="export_value"
    )
    at.sidebar.segmented_control(key="lang_switch").set_value("en").run()
    assert not at.exception
    year = at.sidebar.selectbox(key="year")
    assert year.label == "Year" and year.options == ["2025", "2026"]
    assert year.proto.set_value and year.proto.raw_value == "2026"
    sector = at.sidebar.multiselect(key="sector")
    assert sector.proto.set_value and list(sector.proto.raw_values) == ["K-beauty"]
    assert list(at.sidebar.multiselect(key="agency").proto.raw_values) == ["MSS"]
    metric = at.selectbox(key="metric")
    assert metric.proto.set_value and metric.proto.raw_value == "Export contract value"
    # and back again
    at.sidebar.segmented_control(key="lang_switch").set_value("ko").run()
    assert at.sidebar.selectbox(key="year").proto.raw_value == "2026년"
    assert list(at.sidebar.multiselect(key="sector").proto.raw_values) == ["K-뷰티"]
