"""The test machinery shared between tests (tests/support/) does what it claims, and changes no result."""

from streamlit.components.v2 import manifest_scanner
from streamlit.testing.v1 import AppTest

from tests.support import apptest


def _page() -> None:
    import streamlit as st

    st.write("ok")


def test_every_apptest_uses_the_one_scan_of_installed_components():
    assert manifest_scanner.scan_component_manifests is apptest.scan_component_manifests
    assert apptest.scan_component_manifests() == list(apptest._scan_installed())  # the same components
    before = apptest._scanned.cache_info()
    for _ in range(2):
        at = AppTest.from_function(_page).run()
        assert not at.exception and at.markdown[0].value == "ok"
    after = apptest._scanned.cache_info()
    assert (after.hits - before.hits, after.misses) == (2, 1)
