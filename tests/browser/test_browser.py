"""Browser tests: the real app in headless Chromium, each page by its URL.

Starts `streamlit run dashboard.py` on 127.0.0.1 and a free port, on the demo warehouse. Each page is
visited once per language (`visit`): the visit checks that it drew its charts and no Streamlit
exception box, records every request that left the server, then opens every expander and measures
what is cut at 1280, 1440 and 1920 px, waiting after each resize until the layout has stopped
moving. The tests below assert on those records. Screenshots go to tests/artifacts/ (git-ignored)
for a person to look at. Skipped outside CI when Chromium or Playwright is missing; under CI=true
they must run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests.support.a11y import OUTLINE, REFLOW, Finding, audit, outline_gaps, severe_of_ours
from tests.support.browser import (
    ARTIFACTS,
    CUT_METRIC_TEXTS,
    CUT_TEXTS,
    OVERFLOWING_TABLES,
    OVERFLOWING_TEXT_TABLES,
    SCRIPT_DONE,
    chromium,
    cut_things,
    needs_playwright,
    open_expanders,
    resize,
    serve,
    settled,
)

pytestmark = pytest.mark.browser

# How long to wait for something to appear before failing: only a page that never draws reaches it,
# but a first page on a shared 2-core machine under heavy load can take over a minute.
WAIT_MS = 180_000
# Every page in either language; 공관별 in both of its measures.
EVERY_PAGE = [
    "",
    "by_sector",
    "by_mission",
    "by_mission?measure=attainment&metric=firms_supported&focus=FR-PAR",
    "by_year",
    "by_agency",
    "emergency",
    "council",
    "actions",
    "submissions",
    "upload",
    "history",
    "targets",
    "reference",
]
# Pages with a chart that must be drawn with something in it, and variants beyond EVERY_PAGE
# (filters in the URL); the others must open without an exception.
CHARTED = {"", "by_sector", "by_mission", "by_year", "by_agency", "submissions"}
VARIANTS = [
    ("by_sector?sector=kbeauty&sector=bio&q=1-2", "en"),
    ("actions?owner=mss", "en"),
]
WIDTHS = (1280, 1440, 1920)
SUMMARY_WIDTHS = (1280, 1600, 1920)  # 요약 is printed: its tables and tiles are checked at 1600 too


def _url(path: str, lang: str) -> str:
    return path + (("&" if "?" in path else "?") + "lang=en" if lang == "en" else "")


def _name(path: str, lang: str) -> str:
    bare = path.split("?")[0] or "summary"
    extra = "_filtered" if "?" in path and not path.startswith("by_mission") else ""
    extra = "_attainment" if path.startswith("by_mission?") else extra
    return f"{bare}{extra}_{lang}"


@dataclass
class Visit:
    """What one visit of a page in one language found."""

    exceptions: int = 0
    charts: int = 0
    traces: int = 0  # bars, lines, markers or heat map cells
    basemap: int = 0  # land paths of a map served by the app itself
    outside: list[str] = field(default_factory=list)  # requests that left the dashboard's server
    tables: int = 0  # data grids before any expander is opened
    tiles: int = 0
    download_labels: list[str] = field(default_factory=list)
    cut: dict[int, dict[str, list]] = field(default_factory=dict)  # width → what is cut there
    summary_fit: dict[int, tuple[list, list]] = field(
        default_factory=dict
    )  # 요약: overflowing tables, cut tiles
    lang: str = ""  # <html lang>
    outline: list[int] = field(default_factory=list)  # heading levels of the main area, in order
    axe: list[Finding] = field(default_factory=list)  # WCAG A/AA violations, every expander open
    reflow: dict = field(default_factory=dict)  # at 640 px (200 % zoom): horizontal scrolling, text too wide


@pytest.fixture(scope="module")
def server(demo_db):
    needs_playwright()
    with serve(demo_db, role="admin") as base:
        yield base


@pytest.fixture(scope="module")
def browser(server):
    with chromium() as browser:
        yield browser


_TRACES = ".js-plotly-plot g.trace, .js-plotly-plot .heatmaplayer image"
_LAND = ".js-plotly-plot .geo .layer.land path"


def _visit(server: str, browser, path: str, lang: str) -> Visit:
    found = Visit()
    name = _name(path, lang)
    page = browser.new_page(viewport={"width": WIDTHS[0], "height": 1400})
    page.set_default_timeout(WAIT_MS)
    page.on(
        "request",
        lambda r: None if r.url.startswith((server, "data:", "blob:")) else found.outside.append(r.url),
    )
    try:
        page.goto(f"{server}/{_url(path, lang)}")
        settled(page, WAIT_MS)
        bare = path.split("?")[0]
        if bare in CHARTED:
            page.locator(_TRACES).first.wait_for(state="attached")
        if bare == "by_mission":
            page.locator(_LAND).first.wait_for(state="attached")
        # the tab's icon is asked for after the page has drawn: wait until nothing more is fetched
        page.wait_for_load_state("networkidle")
        found.exceptions = page.locator('[data-testid="stException"]').count()
        found.charts = page.locator(".js-plotly-plot").count()
        found.traces = page.locator(_TRACES).count()
        found.basemap = page.locator(_LAND).count()
        found.tables = page.locator('[data-testid="stDataFrame"]').count()
        found.tiles = page.locator('[data-testid="stMetric"]').count()
        found.download_labels = page.locator(
            '[data-testid="stMain"] [data-testid="stDownloadButton"] button'
        ).all_inner_texts()
        widths = sorted({*WIDTHS, *(SUMMARY_WIDTHS if bare == "" else ())})
        if bare == "":  # 요약's own tables and tiles as an executive sees them, expanders closed
            for width in SUMMARY_WIDTHS:
                resize(page, width, 1600)
                found.summary_fit[width] = (
                    page.evaluate(OVERFLOWING_TABLES),
                    page.evaluate(CUT_METRIC_TEXTS),
                )
        open_expanders(page)
        found.lang = page.evaluate("() => document.documentElement.lang")
        found.axe = audit(page)
        found.outline = page.evaluate(OUTLINE)
        (ARTIFACTS / f"a11y_{name}.txt").write_text("\n".join(f"{f.owner}: {f}" for f in found.axe) + "\n")
        for width in widths:
            resize(page, width, 1400)
            cut = {k: v for k, v in cut_things(page).items() if v}
            found.cut[width] = cut
            if cut:
                page.screenshot(path=str(ARTIFACTS / f"{name}_{width}_cut.png"))
                frames = page.locator('[data-testid="stDataFrame"]')
                for i in cut.get("tables", []):
                    frames.nth(i).screenshot(path=str(ARTIFACTS / f"{name}_{width}_cut_table{i}.png"))
        # a tall window for the screenshot a person looks at (Streamlit scrolls inside its own container)
        resize(page, 1600, 2400)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
        # 200 % zoom of a 1280 px window: the main text reflows into 640 px, no sideways scrolling
        resize(page, 640, 1400)
        found.reflow = page.evaluate(REFLOW)
        if found.reflow != {"page": False, "column": False, "wide": []}:
            page.screenshot(path=str(ARTIFACTS / f"{name}_640.png"))
    finally:
        page.close()
    return found


@pytest.fixture(scope="module")
def visit(server, browser):
    """visit(path, lang): the page visited once (the first time it is asked for), its findings."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    seen: dict[tuple[str, str], Visit] = {}

    def get(path: str, lang: str) -> Visit:
        if (path, lang) not in seen:
            seen[path, lang] = _visit(server, browser, path, lang)
        return seen[path, lang]

    return get


ALL_VISITS = [(p, lang) for p in EVERY_PAGE for lang in ("ko", "en")] + VARIANTS


@pytest.mark.parametrize(("path", "lang"), ALL_VISITS, ids=[_name(p, lang) for p, lang in ALL_VISITS])
def test_page_draws_a_chart_without_error(visit, path, lang):
    found = visit(path, lang)
    assert found.exceptions == 0
    bare = path.split("?")[0]
    if bare in CHARTED:
        assert found.charts >= 1 and found.traces >= 1
    if bare == "by_mission":
        # the world basemap is served by the app itself (static/topojson), not fetched from a CDN
        assert found.basemap >= 1


@pytest.mark.parametrize(("path", "lang"), ALL_VISITS, ids=[_name(p, lang) for p, lang in ALL_VISITS])
def test_nothing_is_fetched_from_outside(visit, path, lang):
    """The dashboard runs on networks without the internet and must not tell anyone outside who reads
    it: the page, its fonts, icons (the tab's too), the map's basemap and every script come from the
    dashboard's own server."""
    assert visit(path, lang).outside == []


@pytest.mark.parametrize(("path", "lang"), ALL_VISITS, ids=[_name(p, lang) for p, lang in ALL_VISITS])
def test_no_serious_accessibility_violation_of_ours(visit, path, lang):
    """axe-core's WCAG 2.0/2.1 A and AA rules find nothing serious or critical in our own markup, text,
    colours and charts, every expander open; the framework's own findings are listed in
    docs/accessibility.md (tests/artifacts/a11y_*.txt has every finding of the visit)."""
    assert severe_of_ours(visit(path, lang).axe) == []


@pytest.mark.parametrize(("path", "lang"), ALL_VISITS, ids=[_name(p, lang) for p, lang in ALL_VISITS])
def test_headings_form_an_outline(visit, path, lang):
    """One level-1 heading (the page's title) first, and no level skipped on the way down."""
    assert outline_gaps(visit(path, lang).outline) == []


@pytest.mark.parametrize(("path", "lang"), ALL_VISITS, ids=[_name(p, lang) for p, lang in ALL_VISITS])
def test_page_declares_its_language(visit, path, lang):
    """A screen reader reads the page with the rules of the language the page declares."""
    assert visit(path, lang).lang == lang


@pytest.mark.parametrize(("path", "lang"), ALL_VISITS, ids=[_name(p, lang) for p, lang in ALL_VISITS])
def test_text_reflows_at_200_percent_zoom(visit, path, lang):
    """At 200 % zoom of a 1280 px window (640 px wide) neither the page nor its main column scrolls
    sideways and no text block runs past the column (a data grid may scroll inside its own frame)."""
    assert visit(path, lang).reflow == {"page": False, "column": False, "wide": []}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_summary_tables_fit_their_columns(visit, lang):
    """요약 is printed and read by executives: no table there needs a horizontal scrollbar, and the
    six headline tiles show their labels, values and year-on-year lines whole, in either language,
    at 1280, 1600 and 1920 px."""
    found = visit("", lang)
    assert found.tables == 3
    assert found.tiles == 6
    assert found.summary_fit == {width: ([], []) for width in SUMMARY_WIDTHS}


@pytest.mark.parametrize(("path", "lang"), ALL_VISITS, ids=[_name(p, lang) for p, lang in ALL_VISITS])
def test_nothing_is_cut_at_common_widths(visit, path, lang):
    """No table needs a horizontal scrollbar, no tile or text is cut with an ellipsis, no axis labels
    run together, at 1280, 1440 and 1920 px: with every expander open (the tables folded under a
    chart, the explanations, the council's every-target table are read too)."""
    found = visit(path, lang)
    assert {w: cut for w, cut in found.cut.items() if cut} == {}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_council_pack_buttons_and_tiles_fit(visit, lang):
    """지난 회의 이후: the briefing pack's PDF and HWPX buttons and the five tiles show their labels
    whole at 1280, 1440 and 1920 px (checked with every page's cut texts and tiles above)."""
    found = visit("council", lang)
    assert any("(HWPX)" in label for label in found.download_labels), found.download_labels
    assert all(not cut.get("texts") and not cut.get("metrics") for w, cut in found.cut.items()), found.cut


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_upload_refusal_table_fits(server, browser, tmp_path, lang):
    """The problems of a refused file (sheet, cell, problem, fix) wrap inside the page at 1280 and
    1440 px, and the file's own text (a sheet named like an HTML tag, a mission named in Markdown)
    reads exactly as typed: no image, no tag, no bold."""
    from tests.support.upload import HOSTILE_MISSION, HOSTILE_SHEET, hostile_return

    hostile_return(tmp_path)
    page = browser.new_page(viewport={"width": 1440, "height": 1400})
    try:
        page.goto(f"{server}/upload" + ("?lang=en" if lang == "en" else ""))
        settled(page)
        page.set_input_files('[data-testid="stFileUploaderDropzoneInput"]', str(tmp_path / "hostile.xlsx"))
        page.wait_for_selector("table.text-table", timeout=90_000)
        page.wait_for_selector(SCRIPT_DONE, timeout=90_000)
        table = page.locator("table.text-table").first
        shown = table.inner_text()
        assert HOSTILE_SHEET in shown and HOSTILE_MISSION in shown, shown
        assert ("고치는 방법" if lang == "ko" else "How to fix") in shown
        assert table.locator("img, b, strong, a").count() == 0
        for width in (1280, 1440):
            resize(page, width, 1400)
            page.screenshot(path=str(ARTIFACTS / f"upload_refused_{lang}_{width}.png"))
            assert page.evaluate(OVERFLOWING_TEXT_TABLES) == [], width
            assert page.evaluate(OVERFLOWING_TABLES) == [], width
            assert page.evaluate(CUT_TEXTS) == [], width
    finally:
        page.close()


def test_upload_page_shows_no_english_in_korean(server, browser):
    """Streamlit's own uploader strings are covered by Korean ones; nothing English is visible."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    try:
        page.goto(f"{server}/upload")
        settled(page)
        page.wait_for_selector('[data-testid="stFileUploaderDropzoneInstructions"]', timeout=90_000)
        shown = page.locator('[data-testid="stMain"]').inner_text()
        for english in ("Upload", "per file", "Choose options", "None"):
            assert english not in shown, english
        after = page.evaluate(
            """() => ['[data-testid="stFileUploaderDropzone"] button span[data-has-shortcut]',
                      '[data-testid="stFileUploaderDropzoneInstructions"] > div']
                .map(s => getComputedStyle(document.querySelector(s), '::after').content)"""
        )
        assert after == ['"파일 선택"', '"파일당 최대 50 MB · .xlsx 파일 · 여기에 끌어다 놓아도 됩니다"']
    finally:
        page.close()


def test_target_label_sits_clear_of_its_line(server, browser):
    """연도별: the '2026년 목표' label is above its dashed line, not struck through by it."""
    page = browser.new_page(viewport={"width": 1440, "height": 1400})
    try:
        page.goto(f"{server}/by_year?metric=export_value")
        settled(page)
        # plotly draws annotations and shapes after the chart's first paint
        page.wait_for_function(
            """() => [...document.querySelectorAll('.js-plotly-plot')].some(plot =>
                [...plot.querySelectorAll('.annotation-text')].some(t => t.textContent.includes('목표'))
                && plot.querySelector('.shapelayer path'))""",
            timeout=WAIT_MS,
        )
        found = page.evaluate(
            """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(plot => {
                const text = [...plot.querySelectorAll('.annotation-text')].find(t => t.textContent.includes('목표'));
                const shape = plot.querySelector('.shapelayer path');
                return text && shape ? [[text.getBoundingClientRect().bottom, shape.getBoundingClientRect().top]] : [];
            })"""
        )
        assert found, "no chart with a target label and its line"
        label, line = found[0]
        assert label <= line, (label, line)
    finally:
        page.close()


# Phrases under 요약's tiles that a line must not break ("전년 / 동기 / 대비" over three lines, "달성률 /
# 64.6%"): each found in the text, measured by its boxes; those spread over more than one line.
BROKEN_PHRASES = """() => {
    const broken = [];
    const phrase = /전년[\\s\\u00a0]동기[\\s\\u00a0]대비|달성률[\\s\\u00a0]+[^\\s·]+|목표[\\s\\u00a0]+[^·]+?(?=\\s·|$)/g;
    const lines = rects => {
        const tops = rects.filter(r => r.width > 0).map(r => r.top).sort((a, b) => a - b);
        return tops.filter((t, i) => i === 0 || t - tops[i - 1] > 6).length;
    };
    for (const el of document.querySelectorAll('.st-key-summary_tiles [data-testid="stCaptionContainer"] p')) {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            const node = walker.currentNode;
            for (const m of node.data.matchAll(phrase)) {
                const r = document.createRange();
                r.setStart(node, m.index);
                r.setEnd(node, m.index + m[0].trimEnd().length);
                if (lines([...r.getClientRects()]) > 1) broken.push(m[0]);
            }
        }
    }
    return broken;
}"""


def test_summary_fits_one_screen_at_1440_by_900(server, browser):
    """요약 is the executives' page: at 1440 × 900 the six tiles and the heat map are above the fold,
    and no tile's words are broken across lines."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        page.goto(f"{server}/")
        settled(page)
        # the six tiles and the drawn heat map, not their placeholders
        page.wait_for_function(
            """() => document.querySelectorAll('[data-testid="stMetric"]').length === 6
                && document.querySelector('.st-key-summary_heat .main-svg') !== null""",
            timeout=WAIT_MS,
        )
        page.screenshot(path=str(ARTIFACTS / "summary_1440x900.png"))
        bottoms = page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stMetric"], .st-key-summary_heat')]
                .map(e => e.getBoundingClientRect().bottom)"""
        )
        assert len(bottoms) == 7
        assert max(bottoms) <= 900, bottoms
        assert page.evaluate(CUT_METRIC_TEXTS) == []
        assert page.evaluate(BROKEN_PHRASES) == []
    finally:
        page.close()


def test_editors_offer_no_csv_of_raw_stored_text(server, browser):
    """목표 관리's editor shows stored text as stored, so its toolbar has no "Download as CSV" (a stored
    `=cmd` would run in the spreadsheet); the page's read-only table keeps its neutralised one."""
    page = browser.new_page(viewport={"width": 1440, "height": 1400})
    visible_csv = """(selector) => [...document.querySelectorAll(selector)].map(el =>
        [...el.querySelectorAll('button[aria-label="Download as CSV"]')]
            .some(b => getComputedStyle(b).display !== 'none'))"""
    try:
        page.goto(f"{server}/targets")
        settled(page)
        page.get_by_role("tab").nth(1).click()  # 편집
        editor = page.locator('[class*="st-key-editor-"] [data-testid="stDataFrame"]').first
        editor.wait_for(timeout=WAIT_MS)
        editor.hover()
        # the toolbar shows on hover: wait for its buttons, then look for the CSV one among them
        page.locator('[class*="st-key-editor-"] [data-testid="stElementToolbarButton"]').first.wait_for(
            state="visible", timeout=WAIT_MS
        )
        assert page.evaluate(visible_csv, '[class*="st-key-editor-"]') == [False]
        page.get_by_role("tab").nth(0).click()  # 조회
        shown = page.locator('[data-testid="stDataFrame"]').first
        shown.wait_for(timeout=WAIT_MS)
        shown.hover()
        page.locator(
            '[data-testid="stElementContainer"] [data-testid="stElementToolbarButton"]'
        ).first.wait_for(state="visible", timeout=WAIT_MS)
        assert True in page.evaluate(visible_csv, '[data-testid="stElementContainer"]')
    finally:
        page.close()


@pytest.fixture(scope="module")
def open_quarter_server(demo_db, tmp_path_factory):
    """The demo warehouse with its latest quarter reopened: figures arriving, so 요약 has a 잠정 view."""
    import shutil

    from warehouse.connection import connection
    from warehouse.cycle import closed_through, reopen_quarter

    needs_playwright()
    db = tmp_path_factory.mktemp("open_quarter") / "open.duckdb"
    shutil.copyfile(demo_db, db)
    with connection(db) as con:
        latest = closed_through(con)
        reopen_quarter(con, latest // 10, latest % 10, by="test")
    with serve(db, role="admin", log_name="streamlit_open_quarter.log") as base:
        yield base


# The 잠정 stamp's box and every column label's box on the 요약 heat map, in page pixels.
_STAMP_AND_COLUMNS = """() => {
    const plot = document.querySelector('.st-key-summary_heat .js-plotly-plot');
    const box = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
    return {
        stamps: [...plot.querySelectorAll('g.annotation')].map(a => [a.textContent, box(a)]),
        columns: [...plot.querySelectorAll('g.xtick text')].map(t => [t.textContent, box(t)]),
    };
}"""


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_preliminary_stamp_clears_the_heat_map_column_labels(open_quarter_server, browser, lang):
    """요약 in its preliminary view: the 잠정 stamp sits above the heat map's sector labels, not on the
    last one, at 1280, 1440 and 1920 px."""
    page = browser.new_page(viewport={"width": WIDTHS[0], "height": 1400})
    try:
        page.goto(f"{open_quarter_server}/?prelim=1" + ("&lang=en" if lang == "en" else ""))
        settled(page)
        page.wait_for_function(
            "() => document.querySelector('.st-key-summary_heat .js-plotly-plot g.annotation') !== null",
            timeout=WAIT_MS,
        )
        for width in WIDTHS:
            resize(page, width, 1400)
            page.locator(".st-key-summary_heat").screenshot(
                path=str(ARTIFACTS / f"summary_heat_prelim_{lang}_{width}.png")
            )
            found = page.evaluate(_STAMP_AND_COLUMNS)
            stamp, (left, top, right, bottom) = found["stamps"][0]
            # the 잠정 mark carries its coverage: every mission has reported the reopened quarter
            assert stamp == ("잠정 · 40/40 공관" if lang == "ko" else "Preliminary · 40/40 missions")
            assert len(found["columns"]) >= 2
            hit = [
                name
                for name, (l2, t2, r2, b2) in found["columns"]
                if min(right, r2) - max(left, l2) > 0 and min(bottom, b2) - max(top, t2) > 0
            ]
            assert hit == [], (width, found)
    finally:
        page.close()
