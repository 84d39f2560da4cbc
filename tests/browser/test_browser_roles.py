"""A page a role may not use refuses inside the app's own navigation, however it is reached.

A fresh server for a viewer (no session has run the entry script yet): /targets typed in the address
bar must show the dashboard's sidebar (its page titles, not file names), the demo banner and the
refusal, and the same URL again, after other pages were served, must refuse the same way instead of
sending the viewer to 요약.
"""

from __future__ import annotations

import pytest

from tests.support.browser import ARTIFACTS, chromium, needs_playwright, serve, settled

pytestmark = pytest.mark.browser

REFUSAL = "이 페이지를 볼 권한이 없습니다"
ADMIN_PAGES = ("targets", "reference")


@pytest.fixture(scope="module")
def viewer_server(demo_db):
    needs_playwright()
    with serve(demo_db, role="viewer", log_name="streamlit_viewer.log") as base:
        yield base


def _open(browser, url: str, shot: str):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(url)
    settled(page)
    page.screenshot(path=str(ARTIFACTS / shot))
    return page


def _nav_labels(page) -> list[str]:
    # each link reads "icon-name\n\ntitle"
    return [
        t.strip().split("\n")[-1] for t in page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
    ]


def test_a_forbidden_page_refuses_on_a_fresh_server_and_every_time_after(viewer_server):
    with chromium() as browser:
        for attempt, warm_up in enumerate((None, "by_sector", "")):
            if warm_up is not None:
                _open(browser, f"{viewer_server}/{warm_up}", f"viewer_warmup_{attempt}.png").close()
            for name in ADMIN_PAGES:
                page = _open(browser, f"{viewer_server}/{name}", f"viewer_{name}_{attempt}.png")
                main = page.locator('[data-testid="stMain"]').inner_text()
                nav = _nav_labels(page)
                assert REFUSAL in main, (attempt, name, main[:300])
                assert "데모 데이터" in main, (attempt, name)
                assert "요약" in nav and "분야별" in nav, nav
                assert not {"targets", "reference", "목표 관리", "기준 정보"} & set(nav), nav
                assert page.url.rstrip("/").endswith(name), page.url
                page.close()
