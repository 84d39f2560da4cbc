"""With ?lang=en every page is in English: no Hangul in the main area, the charts or the filters."""

import re

import pytest

from tests.page_fixtures import build, run_page

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
