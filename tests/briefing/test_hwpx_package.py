"""The HWPX pack as 한글 and other readers get it (#27 items 7–10): drawn page by page with an
open-source renderer (rhwp) and its package compared with the structure of files 한글 saved.

The charts are stand-in PNGs of the size Chromium draws them (briefing/images.py: CSS px × 2), so
no browser is started; tests/briefing/test_hwpx.py covers the real charts.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, date, datetime

import pytest
from lxml import etree

from briefing import hwpx_layout as layout
from briefing.hwpx_package import png_size
from briefing.hwpx_writer import BODY_HWPUNIT, FLOW_SHARE, KS_X_1001, write_hwpx
from briefing.images import SCALE
from briefing.outline import build_outline
from tests.support import hwpx_render

TODAY = date(2026, 12, 1)
WHEN = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
HP = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"
HH = "{http://www.hancom.co.kr/hwpml/2011/head}"
HC = "{http://www.hancom.co.kr/hwpml/2011/core}"
OPF = "{http://www.idpf.org/2007/opf/}"
PX_PER_MM = 96 / 25.4
HEADER_MM, FOOTER_MM = (18, 28), (274, 282)  # A4: top margin 18 + header 10; bottom 15 + footer 8


def _png(width: int, height: int) -> bytes:
    """A striped PNG of this size (not blank), as a chart would be."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 40):
        draw.rectangle([x, 0, x + 19, height], fill="#1F3A5F")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _write(the_pack, lang: str):
    outline = build_outline(the_pack.briefing, lang, demo=the_pack.demo)
    pngs = [_png(c.picture.width * SCALE, c.picture.height * SCALE) for c in outline.charts()]
    data = write_hwpx(outline, drawn=lambda: pngs, author="os:analyst", when=WHEN)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    return data, outline, parts


@pytest.fixture(scope="module")
def the_pack(demo_db):
    from briefing import pack

    return pack.load(demo_db, 3, TODAY)


@pytest.fixture(scope="module")
def written(the_pack):
    return _write(the_pack, "ko")


@pytest.fixture(scope="module")
def section(written):
    return etree.fromstring(written[2]["Contents/section0.xml"])


@pytest.fixture(scope="module")
def header(written):
    return etree.fromstring(written[2]["Contents/header.xml"])


@pytest.fixture(scope="module")
def rendered(written):
    return hwpx_render.pages(written[0])


# --- drawn page by page ---------------------------------------------------------------------------


def test_nothing_is_drawn_outside_the_page_body_but_the_running_head_and_page_number(
    rendered, written
) -> None:
    outline = written[1]
    assert len(rendered) >= 10
    head = re.sub(r"[\s·]", "", outline.running_head.translate(KS_X_1001))  # rhwp draws · as a shape
    for page in rendered:
        top, bottom = page.body.y - 1, page.body.bottom + 1
        heads, feet = "", ""
        for _x, y, size, text, _cell in page.texts:
            if top <= y - size * 0.8 and y <= bottom:
                continue
            y_mm = y / PX_PER_MM
            if HEADER_MM[0] <= y_mm <= HEADER_MM[1] + 1:
                heads += text
            elif FOOTER_MM[0] - 1 <= y_mm <= FOOTER_MM[1] + 2:
                feet += text
            else:
                pytest.fail(f"page {page.number}: {text!r} drawn at {y_mm:.1f} mm, outside the page body")
        assert re.sub(r"\s", "", heads) in ("", head), page.number
        assert set(feet) <= set("/0123456789 "), (page.number, feet)
    first = rendered[0]
    assert not [t for t in first.texts if t[1] < first.body.y or t[1] > first.body.bottom + 1]  # the cover


def test_no_table_is_cut_at_the_page_edge_and_every_cell_holds_its_text(rendered) -> None:
    cells = 0
    for page in rendered:
        for name, box in page.cells.items():
            cells += 1
            assert box.y >= page.body.y - 1 and box.bottom <= page.body.bottom + 1, (page.number, name)
        for _x, y, size, text, cell in page.texts:
            if cell is None:
                continue
            box = page.cells[cell]
            # the glyph (baseline less its ascent) inside the cell: a row too short clips its text
            assert box.y - 1 <= y - size * 0.8 and y <= box.bottom + 1, (page.number, text, cell)
    assert cells > 500


def test_the_english_pack_too(the_pack) -> None:
    """English words are longer and wrap otherwise: the same page checks on the English pack."""
    written = _write(the_pack, "en")
    rendered = hwpx_render.pages(written[0])
    test_nothing_is_drawn_outside_the_page_body_but_the_running_head_and_page_number(rendered, written)
    test_no_table_is_cut_at_the_page_edge_and_every_cell_holds_its_text(rendered)
    test_every_picture_is_drawn_whole(rendered, written)


def test_every_picture_is_drawn_whole(rendered, written) -> None:
    images = [i for p in rendered for i in p.images]
    assert len(images) == len(written[1].charts())
    for page in rendered:
        for box, (px_w, px_h), cropped in page.images:
            assert not cropped, page.number
            assert abs(box.w / box.h - px_w / px_h) < 0.01 * px_w / px_h, page.number
            assert box.y >= page.body.y - 1 and box.bottom <= page.body.bottom + 1, page.number


# --- the package, as 한글 saves it ----------------------------------------------------------------


def test_tables_that_may_outgrow_a_page_flow_with_their_header_repeated(section) -> None:
    tables = list(section.iter(f"{HP}tbl"))
    flowing = 0
    for tbl in tables:
        rows = tbl.findall(f"{HP}tr")
        heights = [
            max(int(tc.find(f"{HP}cellSz").get("height")) for tc in tr.findall(f"{HP}tc")) for tr in rows
        ]
        assert min(heights) >= 900 + 282, "a row lower than one line of 9 pt text and its margins"
        assert int(tbl.find(f"{HP}sz").get("height")) == sum(heights)
        assert tbl.get("repeatHeader") == "1" and tbl.get("pageBreak") == "CELL"
        assert {tc.get("header") for tc in rows[0].findall(f"{HP}tc")} == {"1"}
        as_char = tbl.find(f"{HP}pos").get("treatAsChar") == "1"
        if sum(heights) > FLOW_SHARE * BODY_HWPUNIT:
            assert not as_char, f"a table of {sum(heights) / 283.5:.0f} mm laid out as a character"
            flowing += 1
    assert flowing >= 1 and len(tables) >= 15


def test_pictures_carry_their_own_size_and_are_shown_at_the_displayed_size(written, section) -> None:
    parts = written[2]
    manifest = etree.fromstring(parts["Contents/content.hpf"])
    href = {i.get("id"): i.get("href") for i in manifest.iter(f"{OPF}item")}
    pics = list(section.iter(f"{HP}pic"))
    assert len(pics) == len(written[1].charts())
    for pic in pics:
        px_w, px_h = png_size(parts[href[pic.find(f"{HC}img").get("binaryItemIDRef")]])
        dim, clip = pic.find(f"{HP}imgDim"), pic.find(f"{HP}imgClip")
        assert (dim.get("dimwidth"), dim.get("dimheight")) == (str(px_w * 75), str(px_h * 75))
        assert (clip.get("right"), clip.get("bottom")) == (str(px_w * 75), str(px_h * 75))
        cur, size = pic.find(f"{HP}curSz"), pic.find(f"{HP}sz")
        assert cur.get("width") == size.get("width") == str(round(165 * layout.HWPUNIT_PER_MM))


def test_header_footer_page_number_and_bin_data_are_where_hangul_puts_them(written, section, header) -> None:
    sec_pr = next(section.iter(f"{HP}secPr"))
    assert [c.tag for c in sec_pr if c.tag in (f"{HP}header", f"{HP}footer")] == []
    ids = [p.get("id") for p in section.iter(f"{HP}p")]
    assert len(ids) == len(set(ids)), "paragraph ids occur twice"
    assert len(list(section.iter(f"{HP}header"))) == len(list(section.iter(f"{HP}footer"))) == 1
    assert list(section.iter(f"{HP}pageNum")) == []  # the footer's own fields draw the number once
    kinds = sorted(a.get("numType") for a in section.iter(f"{HP}autoNum"))
    assert kinds == ["PAGE", "TOTAL_PAGE"]
    visibility = sec_pr.find(f"{HP}visibility")
    hidden = ("hideFirstHeader", "hideFirstFooter", "hideFirstPageNum")  # the cover: no head, no number
    assert [visibility.get(k) for k in hidden] == ["1"] * 3
    assert list(header.iter(f"{HH}binDataList")) == []
    for name, part in written[2].items():
        if name.endswith((".xml", ".hpf")):
            bound = re.findall(rb'xmlns:hp10="([^"]*)"', part)
            assert set(bound) <= {b"http://www.hancom.co.kr/hwpml/2016/paragraph"}, name


def test_document_properties_and_preview_are_the_packs_own(written) -> None:
    from PIL import Image, ImageStat

    parts = written[2]
    meta = etree.fromstring(parts["Contents/content.hpf"]).find(f"{OPF}metadata")
    fields = {m.get("name"): m.text for m in meta.iter(f"{OPF}meta")}
    assert meta.find(f"{OPF}title").text == "제3차 중기부-외교부 정책협의회 회의 자료"
    assert fields["creator"] == fields["lastsaveby"] == "os:analyst"
    assert fields["CreatedDate"] == fields["ModifiedDate"] == "2026-12-01T09:30:00Z"
    assert "synthetic" not in parts["Contents/content.hpf"].decode() and "2025" not in fields["date"]
    text = parts["Preview/PrvText.txt"].decode("utf-8")
    assert text.startswith("회의 자료\r\n제3차 중기부-외교부 정책협의회\r\n2026-12-18")
    image = Image.open(io.BytesIO(parts["Preview/PrvImage.png"]))
    assert image.width >= 200 and ImageStat.Stat(image.convert("L")).stddev[0] > 5


def test_named_styles_per_level_fonts_with_fallbacks_and_aligned_hanging_indents(section, header) -> None:
    styles = {s.get("id"): s for s in header.iter(f"{HH}style")}
    para = {p.get("id"): p for p in header.iter(f"{HH}paraPr")}
    by_marker: dict[str, set[str]] = {}
    for p in section.findall(f"{HP}p"):  # the body's own paragraphs, not those in table cells
        text = "".join(p.itertext())
        if text[:2] in ("□ ", "○ ", "- ", "※ "):
            by_marker.setdefault(text[0], set()).add(styles[p.get("styleIDRef")].get("name"))
    assert by_marker == {"□": {"□ 항목", "□ 항목 (새 쪽)"}, "○": {"○ 내용"}, "-": {"- 세부"}, "※": {"※ 참고"}}
    point = next(s for s in styles.values() if s.get("name") == "○ 내용")
    margin = para[point.get("paraPrIDRef")].find(f".//{HH}margin")
    hanging = -int(margin.find(f"{HC}intent").get("value"))
    # the hanging indent is the width of "○ " at 12 pt, so a wrapped line starts under the text
    assert hanging == pytest.approx(layout.text_width("○ ", 12), abs=20)
    fonts = list(header.iter(f"{HH}font"))
    assert all(f.find(f"{HH}typeInfo") is not None for f in fonts)
    faces = {f.get("face"): f for f in fonts}
    for face, fallback in (("휴먼명조", "함초롬바탕"), ("HY헤드라인M", "맑은 고딕")):
        assert faces[face].find(f"{HH}substFont").get("face") == fallback
    assert faces["휴먼명조"].find(f"{HH}typeInfo").get("familyType") == "FCAT_MYUNGJO"


def test_text_is_in_ks_x_1001_and_columns_fit_their_words(section) -> None:
    outside = set()
    for t in section.iter(f"{HP}t"):
        for ch in t.text or "":
            try:
                ch.encode("euc-kr")
            except UnicodeEncodeError:
                outside.add(ch)
    assert outside == set()
    widths, names = set(), 0
    for tbl in section.iter(f"{HP}tbl"):
        first = tbl.find(f"{HP}tr")
        widths.add(tuple(int(tc.find(f"{HP}cellSz").get("width")) for tc in first.findall(f"{HP}tc")))
        for tc in tbl.iter(f"{HP}tc"):
            text = "\n".join("".join(p.itertext()) for p in tc.iter(f"{HP}p"))
            if text.strip() == "중소벤처기업진흥공단":  # an agency name alone in its cell: never broken
                names += 1
                width = int(tc.find(f"{HP}cellSz").get("width"))
                assert width >= layout.text_width(text.strip(), 8) + layout.CELL_SIDES  # 8 pt: the smallest
    assert names > 0
    assert not any(len(set(w)) == 1 and len(w) > 4 for w in widths), "equal columns whatever they hold"
