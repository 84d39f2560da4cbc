"""The briefing pack on the demo warehouse: pages, numbers per page, nothing cut, and a look at each page.

The PDF is read back with pypdf: one page per sheet, "n / N" on each, and on each page the numbers
the metrics give for it. Chromium lays the same HTML out with a script that reports any sheet whose
content overflows it (the pack is paginated in Python from estimated heights). Each page is also
rendered to PNG (Chromium's screenshot of the sheets, cut per page) into tests' tmp directory. The
PDF and the HWPX are written from one outline (briefing/outline.py): both carry every text of it.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from briefing.elements import Line, Outline, Section, Table, TitleBlock
from briefing.html_writer import briefing_html, outline_html, page_count
from metrics.attainment import attainment
from metrics.briefing import build_briefing, exceptions
from metrics.council import since_last_council
from tests.support.browser import needs_chromium
from ui import format as fmt
from warehouse.connection import connection

TODAY = date(2026, 12, 1)


def squash(text: str) -> str:
    # pypdf maps NanumGothic's space glyph to U+0001 and a hyphen to a soft hyphen: drop both kinds.
    # An en dash comes back as a soft hyphen too: compare without any of the hyphen family.
    return re.sub(r"[\s\x00-\x1f\xad\u2010-\u2015\u2212-]", "", text)


@pytest.fixture(scope="module")
def briefing(demo_db):
    with connection(demo_db, read_only=True) as con:
        return build_briefing(con, today=TODAY)


@pytest.fixture(scope="module")
def pack_pdf(briefing):
    """The pack's PDF in a language, rendered by Chromium once for all the tests that only read it."""
    from ui.export import html_to_pdf

    rendered: dict[str, bytes] = {}

    def pdf(lang: str) -> bytes:
        if lang not in rendered:
            rendered[lang] = html_to_pdf(briefing_html(briefing, lang, demo=True))
        return rendered[lang]

    return pdf


def test_the_pack_is_for_the_next_meeting_against_the_last(briefing, demo_db) -> None:
    assert briefing.meeting.meeting_no == 3
    assert briefing.since.meeting.meeting_no == 2
    assert briefing.period == 20263
    assert briefing.sectors == ("kbeauty", "bio", "it", "green")
    with connection(demo_db, read_only=True) as con:
        att = attainment(con, briefing.filters)
        # the same comparison as the page's (sums may differ in the last bits: parallel aggregation)
        pd.testing.assert_frame_equal(
            since_last_council(con, today=TODAY).targets, briefing.since.targets, check_exact=False, rtol=1e-9
        )
    expected = exceptions(att)
    assert len(briefing.exceptions) == len(expected) > 0
    assert set(briefing.exceptions["status"]) == {"at_risk", "behind"}
    assert len(briefing.exceptions) == int(att["status"].isin(["at_risk", "behind"]).sum())


def _outline(*blocks) -> Outline:
    return Outline(
        "ko",
        TitleBlock("회의 자료", "제목", "2026. 12. 18.(금)", "기준", [], []),
        [Section("s", "Ⅰ. 절", list(blocks))],
        "머리",
    )


def test_long_tables_continue_on_the_next_sheet_and_nothing_is_dropped() -> None:
    rows = [[f"row {i}", "x" * (i % 7) * 30] for i in range(120)]
    table = Table("T", ["a", "b"], rows, [40, 60], [False, False])
    document = outline_html(_outline(Line("intro"), table))
    sheets = document.split('<div class="sheet">')[2:]  # the cover aside
    assert len(sheets) > 2
    shown = [int(n) for sheet in sheets for n in re.findall(r'<td class="">row (\d+)</td>', sheet)]
    assert shown == list(range(120))  # every row, once, in order
    assert all("<th" in sheet and "(표 계속)" in sheet for sheet in sheets[1:])  # the header repeated


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_pdf_pages_and_the_numbers_on_each(briefing, pack_pdf, lang, tmp_path: Path) -> None:
    needs_chromium()
    from pypdf import PdfReader

    from metrics import registry
    from ui.report_html import tile_rows

    document = briefing_html(briefing, lang, demo=True)
    reader = PdfReader(io.BytesIO(pack_pdf(lang)))
    total = page_count(document)
    assert len(reader.pages) == total >= 9
    pages = [squash(p.extract_text()) for p in reader.pages]
    for n, text in enumerate(pages, start=1):
        box = reader.pages[n - 1].mediabox
        assert abs(float(box.width) - 841.9) < 2 and abs(float(box.height) - 595.3) < 2  # A4 landscape
        assert text.endswith(f"{n}/{total}") or f"{n}/{total}" in text, f"page number on page {n}"
    ko = lang == "ko"
    # cover: meeting, date, as-of quarter, completeness
    comp = briefing.summary.completeness
    assert ("2026년3분기마감기준" if ko else "Asof2026Q3(closed)") in pages[0]
    assert squash("2026. 12. 18.(금)" if ko else "Fri 18 Dec 2026") in pages[0]
    assert f"{comp.submitted}/{comp.expected}" in pages[0]
    assert ("제3차" if ko else "3rdMSS") in pages[0]
    # the one-page summary: its tiles
    for tile in tile_rows(briefing.summary, lang):
        assert squash(tile["value"]) in pages[1], tile["label"]
    # since the last council: its highlights, on the sheets that follow
    since_pages = "".join(pages[2:5])
    for line in briefing.since.highlights(lang):
        assert squash(line) in since_pages
    # one sheet per sector: each metric's attainment on that sector's page
    names = briefing.names[("sector", lang)]
    for sector in briefing.sectors:
        heading = squash(f"{names[sector]} 분야" if ko else f"Sector: {names[sector]}")
        [page] = [p for p in pages if heading in p[:40]]
        cards = briefing.sector_cards[briefing.sector_cards["sector_code"] == sector]
        for row in cards.itertuples():
            if row.attainment_pct == row.attainment_pct:
                assert squash(fmt.percent(row.attainment_pct)) in page, (sector, row.metric_code)
                assert squash(registry.label(row.metric_code, lang)) in page
    # exceptions: every target at 주의 or 미흡, its attainment in the annex that lists them all
    title = squash("붙임 1. 주의·미흡 목표 전체 목록" if ko else "Annex 1. Every target at risk or behind")
    exception_text = "".join(p for p in pages if p.startswith(title))
    assert exception_text
    assert exception_text.count(squash("■ 미흡" if ko else "■ Behind")) == int(
        (briefing.exceptions["status"] == "behind").sum()
    )
    assert exception_text.count(squash("▲ 주의" if ko else "▲ At risk")) == int(
        (briefing.exceptions["status"] == "at_risk").sum()
    )
    for pct in briefing.exceptions["attainment_pct"]:
        assert squash(fmt.percent(pct)) in exception_text
    # open incidents, on their section's page
    [incident_page] = [
        p for p in pages if p.startswith("Ⅵ." + ("진행중인긴급상황" if ko else "Openincidents"))
    ]
    for mission in briefing.incidents["mission_ko" if ko else "mission_en"]:
        assert squash(mission) in incident_page


OVERFLOW_PROBE = """<script>
const bad = [];
document.querySelectorAll('.sheet').forEach((sheet, i) => {
  const box = sheet.getBoundingClientRect();
  sheet.querySelectorAll('*').forEach(el => {
    const r = el.getBoundingClientRect();
    if (r.width && (r.bottom > box.bottom + 0.5 || r.right > box.right + 0.5)) bad.push(i + 1);
  });
});
document.body.setAttribute('data-overflow', [...new Set(bad)].join(','));
</script>"""


def _dump_dom(chromium: str, document: str) -> str:
    return _probe(chromium, document, OVERFLOW_PROBE)


def _probe(chromium: str, document: str, probe: str) -> str:
    """The DOM of `document` laid out at A4 landscape with `probe` run on it."""
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "pack.html"
        page.write_text(document.replace("</body>", probe + "</body>"), encoding="utf-8")
        proc = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                f"--user-data-dir={Path(tmp) / 'profile'}",
                "--window-size=1123,794",
                "--dump-dom",
                page.as_uri(),
            ],
            capture_output=True,
            timeout=120,
            check=False,
        )
    return proc.stdout.decode("utf-8", "replace")


@pytest.mark.process
@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_no_sheet_overflows_its_page(briefing, lang) -> None:
    chromium = needs_chromium()
    dom = _dump_dom(chromium, briefing_html(briefing, lang, demo=True))
    found = re.search(r'data-overflow="([^"]*)"', dom)
    assert found is not None, "the probe did not run"
    assert found.group(1) == "", f"content runs past the page on sheets {found.group(1)}"


@pytest.mark.process
@pytest.mark.browser
def test_a_sheet_that_is_too_full_is_caught_by_the_probe(briefing) -> None:
    """The overflow probe can fail: a sheet with far more rows than fit is reported."""
    chromium = needs_chromium()
    rows = "".join(f"<tr><td>{i}</td></tr>" for i in range(80))
    document = briefing_html(briefing, "ko").replace(
        '<div class="sheet">', f'<div class="sheet"><table>{rows}</table>', 1
    )
    found = re.search(r'data-overflow="([^"]*)"', _dump_dom(chromium, document))
    assert found is not None and found.group(1).split(",")[0] == "1"


@pytest.mark.process
@pytest.mark.browser
def test_each_page_renders_to_an_image(briefing, pack_pdf, tmp_path: Path) -> None:
    """Every sheet as a PNG (pdftoppm when installed, else Chromium's screenshot cut per sheet), not blank."""
    needs_chromium()
    from PIL import Image, ImageStat

    from ui.export import _run

    document = briefing_html(briefing, "ko", demo=True)
    n = page_count(document)
    if shutil.which("pdftoppm"):
        pdf = tmp_path / "pack.pdf"
        pdf.write_bytes(pack_pdf("ko"))
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "page")], check=True)
        images = [Image.open(p) for p in sorted(tmp_path.glob("page*.png"))]
    else:
        width, height = 1123, 794  # A4 landscape at 96 dpi
        shot = Image.open(
            io.BytesIO(_run(document, ["--screenshot={out}", f"--window-size={width},{height * n}"], "p.png"))
        )
        images = [shot.crop((0, i * height, width, (i + 1) * height)) for i in range(n)]
        for i, image in enumerate(images, start=1):
            image.save(tmp_path / f"page-{i:02d}.png")
    assert len(images) == n
    for i, image in enumerate(images, start=1):
        assert ImageStat.Stat(image.convert("L")).stddev[0] > 5, f"page {i} is blank"


def test_section_two_and_section_six_agree_on_the_incidents(briefing) -> None:
    """Ⅱ (since the last council) counts as ended only incidents now closed; Ⅵ lists every ongoing
    incident (open or monitoring). Istanbul, monitoring since its acute phase ended on 2026-03-20, is
    in Ⅵ and not among Ⅱ's ended ones (#25 item 4), in the HWPX outline and the PDF alike."""
    from briefing.outline import Line, incidents_section, since_section

    since = briefing.since.incidents
    ended = set(since.loc[since["ended"].astype(bool), "incident_id"])
    ongoing = set(briefing.incidents["incident_id"])
    assert "TR-IST-20251106" in ongoing and "TR-IST-20251106" not in ended
    assert not ended & ongoing
    assert set(since.loc[since["is_active"].astype(bool), "incident_id"]) <= ongoing
    for lang, pattern in (
        ("ko", r"긴급상황 (\d+)건 발생·(\d+)건 종료"),
        ("en", r"incidents (\d+) began, (\d+) ended"),
    ):
        lines = [b.text for b in since_section(briefing, lang).blocks if isinstance(b, Line)]
        counts = [re.search(pattern, x) for x in lines]
        found = [m for m in counts if m]
        assert len(found) == 1, lines
        assert int(found[0][2]) == len(ended) == 0
        six = incidents_section(briefing, lang)
        table = next(b for b in six.blocks if not isinstance(b, Line))
        assert len(table.rows) == len(ongoing) == 2
    html = squash(briefing_html(briefing, "ko"))
    assert "긴급상황1건발생·0건종료" in html and "1건종료" not in html


# --- long text: it wraps, a row taller than a page continues, nothing is lost (#26 item 7) --------

LONG = "ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊ" * 100 + "abcdefghij" * 100  # 2,000 characters without a space

FOOTER_PROBE = """<script>
// every piece of text and every picture of a sheet ends above its page number and inside the page
const bad = [];
document.querySelectorAll('.sheet').forEach((sheet, i) => {
  const foot = sheet.querySelector('.pno').getBoundingClientRect();
  const box = sheet.getBoundingClientRect();
  const rects = [...sheet.querySelectorAll('img')].map(img => img.getBoundingClientRect());
  const walker = document.createTreeWalker(sheet, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || node.parentElement.closest('.pno, .pfoot')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    rects.push(...range.getClientRects());
  }
  rects.forEach(r => { if (r.width && (r.bottom > foot.top + 0.5 || r.right > box.right + 0.5)) bad.push(i + 1); });
});
document.body.setAttribute('data-overflow', [...new Set(bad)].join(','));
</script>"""


@pytest.mark.process
@pytest.mark.browser
def test_an_action_of_two_thousand_unbroken_characters_wraps_and_loses_nothing(demo_db, tmp_path) -> None:
    """The action's row is taller than a page: it continues on the next, above the footer, every
    character of it in the PDF's text as often as the outline carries it (its row, and the plan)."""
    chromium = needs_chromium()
    from pypdf import PdfReader

    from briefing import pack
    from briefing.outline import build_outline
    from ui.export import html_to_pdf

    db = tmp_path / "long.duckdb"
    shutil.copy(demo_db, db)
    with connection(db) as con:
        con.execute("UPDATE action SET text_ko = ? WHERE action_id = 4", [LONG])
    the_pack = pack.load(db, 3, TODAY)
    outline = build_outline(the_pack.briefing, "ko", demo=the_pack.demo)
    document = outline_html(outline)

    dom = _probe(chromium, document, FOOTER_PROBE)
    found = re.search(r'data-overflow="([^"]*)"', dom)
    assert found is not None and found.group(1) == "", f"over the footer on sheets {found and found.group(1)}"

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(html_to_pdf(document))).pages)
    carried = "".join(outline.texts())
    assert carried.count(LONG) == 2  # the actions table and the plan's overdue list
    for ch in set(LONG):
        assert text.count(ch) == carried.count(ch), ch


def test_status_badges_in_grayscale_print_follow_severity(briefing) -> None:
    """#27 item 6: printed in gray, 미흡 is darkest, then 주의, then 정상; and a badge is never colour
    alone: each holds the status's symbol and word."""
    from briefing import html_writer

    def gray(status: str) -> float:
        css = re.search(rf"\.tone\.{status} {{ background: #([0-9A-Fa-f]{{6}})", html_writer._CSS).group(1)
        r, g, b = (int(css[i : i + 2], 16) for i in (0, 2, 4))
        return 0.299 * r + 0.587 * g + 0.114 * b  # what a grayscale printer keeps

    assert gray("on_track") > gray("at_risk") > gray("behind")
    badges = re.findall(r'<span class="tone (\w+)">([^<]*)</span>', briefing_html(briefing, "ko"))
    assert {tone for tone, _ in badges} >= {"at_risk", "behind"}
    glyph = {"on_track": "●", "at_risk": "▲", "behind": "■"}
    assert all(text.startswith(glyph[tone]) for tone, text in badges if tone in glyph)
