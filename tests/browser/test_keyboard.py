"""The main tasks by keyboard alone, in Chromium: Tab, Shift+Tab, Enter, Space, arrows and typing; no click.

One served app (an administrator, who may do what an analyst and a viewer do) on a copy of the demo
warehouse whose latest quarter is reopened, so there is a quarter to load into and to close. The
journeys run in order on it: an analyst loads a return, the administrator closes the quarter, a
viewer narrows the filters and opens a mission's profile, anyone downloads the briefing pack.

Each step moves the focus with Tab until it is on the control the step needs (`tab_to`), checks that
the focus is visible there, and presses a key; then waits for what the app shows in answer. The only
step outside the page is the operating system's file dialog, which Enter on the uploader's button
opens: Playwright answers it (a person would choose the file there by keyboard too).
"""

from __future__ import annotations

import shutil

import pytest

from tests.support.browser import SCRIPT_DONE, chromium, needs_playwright, serve, settled

pytestmark = pytest.mark.browser

WAIT_MS = 180_000
# what the focus is on: the focused element's own text or name, and the st-key of its widget
_FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const widget = el.closest('[class*="st-key-"]');
    const key = widget ? [...widget.classList].find(c => c.startsWith('st-key-')).slice(7) : '';
    const style = getComputedStyle(el);
    const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
    return {key, text: (el.innerText || el.getAttribute('aria-label') || el.value || '').trim().slice(0, 80),
            tag: el.tagName.toLowerCase(), ring,
            uploader: el.closest('[data-testid="stFileUploaderDropzone"]') !== null};
}"""


def tab_to(page, want, limit: int = 250) -> dict:
    """Press Tab until `want(focused)` holds; the focused element must show a visible focus ring."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused and want(focused):
            assert focused["ring"], f"no visible focus on {focused}"
            return focused
        seen.append(focused)
    raise AssertionError(f"never reached by Tab; the focus went through {seen[-40:]}")


def keyed(key: str):
    return lambda f: f["key"] == key and f["tag"] in ("button", "input")


def done(page) -> None:
    page.wait_for_selector(SCRIPT_DONE, timeout=WAIT_MS)


@pytest.fixture(scope="module")
def app(demo_db, tmp_path_factory):
    from warehouse.connection import connection
    from warehouse.cycle import closed_through, reopen_quarter

    needs_playwright()
    db = tmp_path_factory.mktemp("keyboard") / "keyboard.duckdb"
    shutil.copyfile(demo_db, db)
    with connection(db) as con:
        latest = closed_through(con)
        reopen_quarter(con, latest // 10, latest % 10, by="test")
    with serve(db, role="admin", log_name="streamlit_keyboard.log") as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
        page.set_default_timeout(WAIT_MS)
        # Playwright answers file dialogs only once a listener is on; the first one registered while a
        # key press opens the dialog came too late (the dialog opened unanswered)
        page.on("filechooser", lambda _: None)
        yield base, page, latest
        page.close()


def test_an_analyst_loads_a_return(app, tmp_path):
    from tests.support.upload import good_return

    base, page, latest = app
    path = tmp_path / "return.xlsx"
    path.write_bytes(good_return(tmp_path, quarter=latest % 10))
    page.goto(f"{base}/upload")
    settled(page)
    tab_to(page, lambda f: f["uploader"] and f["tag"] == "button")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Enter")
    chooser.value.set_files(str(path))
    page.wait_for_selector(".st-key-commit button:not([disabled])")
    done(page)
    tab_to(page, keyed("commit"))
    page.keyboard.press("Enter")
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stAlertContentSuccess"]')]
            .some(a => a.innerText.includes('return.xlsx') && a.innerText.includes('적재했습니다'))"""
    )


def test_an_administrator_closes_the_quarter(app):
    base, page, latest = app
    page.goto(f"{base}/submissions")
    settled(page)
    tab_to(page, keyed("cycle_close"))
    page.keyboard.press("Enter")
    page.wait_for_selector(".st-key-cycle_confirm button")
    done(page)
    tab_to(page, keyed("cycle_confirm"))
    page.keyboard.press("Space")
    quarter = f"{latest // 10}년 {latest % 10}분기 마감"
    page.wait_for_function(
        """(text) => [...document.querySelectorAll('[data-testid="stAlertContentSuccess"]')]
            .some(a => a.innerText.includes(text))""",
        arg=quarter,
    )


def test_a_viewer_narrows_the_filters_and_opens_a_mission_profile(app):
    base, page, _ = app
    page.goto(f"{base}/by_mission")
    settled(page)
    tab_to(page, keyed("sector"))
    page.keyboard.type("바이오")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_function("() => new URL(location.href).searchParams.getAll('sector').includes('bio')")
    done(page)
    tab_to(page, keyed("focus"))
    page.keyboard.press("ArrowDown")  # opens the list on its first mission
    page.keyboard.press("Enter")
    page.wait_for_function("() => new URL(location.href).searchParams.get('focus')")
    done(page)
    chosen = page.evaluate("() => new URL(location.href).searchParams.get('focus')")
    # the profile: the mission's name as its heading, its code in the line under it
    page.wait_for_function(
        """(code) => document.querySelector('[data-testid="stMain"] h4') !== null
            && document.querySelector('[data-testid="stMain"]').innerText.includes(code)""",
        arg=chosen,
    )
    assert "sector=bio" in page.url


def test_anyone_downloads_the_briefing_pack(app):
    base, page, _ = app
    page.goto(f"{base}/council")
    settled(page)
    tab_to(page, lambda f: f["tag"] == "button" and "회의 자료 (PDF)" in f["text"])
    with page.expect_download(timeout=WAIT_MS) as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
