"""The briefing pack as HWPX (briefing/): valid for python-hwpx, the same numbers as the metrics, its text.

The document is read back as 한글 would get it: the section XML inside the zip (tables as hp:tbl,
pictures as hp:pic with their BinData parts), not through the objects that wrote it. The numbers in
each table are compared with fresh metrics calls for the meeting, table by table. The command line
is run in-process (`briefing.cli.main`) for its messages, exit statuses and files.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from briefing import pack
from briefing.cli import main
from briefing.hwpx_writer import KS_X_1001, write_hwpx
from briefing.outline import build_outline, paper_date
from metrics import registry
from metrics.actions import action_review
from metrics.attainment import attainment
from metrics.council import now_filters, since_last_council
from metrics.emergency import open_incidents
from metrics.explanations import exceptions as explanation_rows
from metrics.summary import build_summary
from metrics.views_support import scorecards_by
from tests.support.browser import needs_chromium
from ui import format as fmt
from ui.figures import status_text
from ui.report_html import SECTOR_VALUES, metric_cells, value_text
from warehouse.connection import connection
from warehouse.cycle import reopen_quarter

TODAY = date(2026, 12, 1)  # as tests/test_briefing.py: 제3차 (2026-12-18) is being prepared
MEETING_DAY = date(2026, 12, 18)  # the papers count actions' days to it
HP = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"
GOLDEN = Path(__file__).parent / "golden" / "hwpx_meeting3_ko.txt"


# --- reading the file back ------------------------------------------------------------------------


def _text(element: ET.Element) -> str:
    """The text of the hp:t runs under `element`, paragraphs joined by newlines."""
    paragraphs = []
    for p in element.iter(f"{HP}p"):
        own = [t for t in p.iter(f"{HP}t") if _owner(p, t)]
        paragraphs.append("".join("".join(t.itertext()) for t in own))
    return "\n".join(paragraphs)


def _owner(p: ET.Element, t: ET.Element) -> bool:
    """Whether `t` belongs to `p` itself and not to a paragraph nested in it (a table cell's)."""
    for inner in p.iter(f"{HP}p"):
        if inner is not p and any(x is t for x in inner.iter(f"{HP}t")):
            return False
    return True


@pytest.fixture(scope="module")
def readback():
    def read(data: bytes) -> dict:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = sorted(n for n in z.namelist() if re.fullmatch(r"Contents/section\d+\.xml", n))
            roots = [ET.fromstring(z.read(n)) for n in names]
            images = [n for n in z.namelist() if n.startswith("BinData/")]
            pngs = [z.read(n) for n in images]
        body, tables = [], []
        for root in roots:
            for p in root.findall(f"{HP}p"):  # the body's paragraphs (a table sits inside one)
                inner = list(p.iter(f"{HP}tbl"))
                if inner:
                    for tbl in inner:
                        tables.append(
                            [[_text(tc) for tc in tr.findall(f"{HP}tc")] for tr in tbl.findall(f"{HP}tr")]
                        )
                    continue
                # the first paragraph also holds the page's header and footer: not body text
                framed = {
                    id(t)
                    for tag in ("header", "footer")
                    for h in p.iter(f"{HP}{tag}")
                    for t in h.iter(f"{HP}t")
                }
                text = "".join("".join(t.itertext()) for t in p.iter(f"{HP}t") if id(t) not in framed)
                if text:
                    body.append(text)
        return {"roots": roots, "body": body, "tables": tables, "pngs": pngs}

    return read


@pytest.fixture(scope="module")
def the_pack(demo_db):
    return pack.load(demo_db, 3, TODAY)


@pytest.fixture(scope="module")
def hwpx_ko(the_pack) -> tuple[bytes, object]:
    needs_chromium()
    from briefing.outline import draw_charts

    outline = draw_charts(build_outline(the_pack.briefing, "ko", demo=the_pack.demo))
    return write_hwpx(outline), outline


# --- validity and layout --------------------------------------------------------------------------


@pytest.mark.browser
def test_the_package_validates_with_python_hwpx(hwpx_ko) -> None:
    from hwpx import HwpxDocument
    from hwpx.tools.package_validator import validate_package

    data, _ = hwpx_ko
    package = validate_package(data)
    assert package.errors == (), package.errors
    document = HwpxDocument.open(data).validate()
    assert document.errors == (), document.errors


@pytest.mark.browser
def test_a4_portrait_page_numbers_pictures_and_a_running_head(hwpx_ko, readback) -> None:
    from PIL import Image, ImageStat

    data, outline = hwpx_ko
    read = readback(data)
    root = read["roots"][0]
    page = root.find(f".//{HP}pagePr")
    # A4 in HWPUNIT (1/7200 in): 210 × 297 mm; WIDELY is OWPML's portrait
    assert abs(int(page.get("width")) - 59528) <= 2 and abs(int(page.get("height")) - 84189) <= 2
    assert page.get("landscape") == "WIDELY"
    kinds = {a.get("numType") for a in root.iter(f"{HP}autoNum")}
    assert {"PAGE", "TOTAL_PAGE"} <= kinds  # "n/N" in the footer
    head = root.find(f".//{HP}header")
    assert _text(head) == outline.running_head.translate(KS_X_1001)  # our own marks in KS X 1001
    # every chart a picture, each a real, non-blank PNG
    assert len(list(root.iter(f"{HP}pic"))) == len(outline.charts()) == len(read["pngs"]) >= 7
    for png in read["pngs"]:
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.width >= 1000
        assert ImageStat.Stat(image.convert("L")).stddev[0] > 5


@pytest.mark.browser
def test_every_table_is_a_real_table_with_the_outlines_cells(hwpx_ko, readback) -> None:
    data, outline = hwpx_ko
    tables = readback(data)["tables"]
    expected = outline.tables()
    assert len(tables) == len(expected) >= 15
    for got, want in zip(tables, expected, strict=True):
        cells = [[c.translate(KS_X_1001) for c in row] for row in [want.head, *want.rows]]
        assert got == cells, want.key


# --- the same numbers as the metrics, table by table ----------------------------------------------


def _table(outline, tables, key: str) -> list[list[str]]:
    index = [t.key for t in outline.tables()].index(key)
    return tables[index]


@pytest.mark.browser
def test_the_numbers_are_the_metrics_of_the_meeting(hwpx_ko, readback, demo_db) -> None:
    data, outline = hwpx_ko
    tables = readback(data)["tables"]
    with connection(demo_db, read_only=True) as con:
        now = now_filters(con)
        summary = build_summary(con, now)
        att = attainment(con, now)
        sectors = ("kbeauty", "bio", "it", "green")
        cards = scorecards_by(con, now, "sector", sectors)
        since = since_last_council(con, today=TODAY)
        incidents = open_incidents(con, TODAY)
        explained = explanation_rows(con, now)
        review = action_review(con, since.meeting, MEETING_DAY)
    assert now.through == 20263

    # headline metrics: year to date, target, attainment of the whole programme
    tiles = _table(outline, tables, "tiles")
    sc = summary.scorecard.set_index("metric_code")
    for row in tiles[1:]:
        code = next(c for c in sc.index if registry.label(c, "ko") == row[0])
        assert row[3] == fmt.percent(sc.at[code, "attainment_pct"]), code
        assert row[4] == status_text(sc.at[code, "status"], "ko"), code

    # sector × metric: each cell's attainment and status
    heat = _table(outline, tables, "heatmap")
    names = summary.sector_names_ko
    for row in heat[1:]:
        code = next(c for c in registry.codes() if registry.label(c, "ko") == row[0])
        for name, cell in zip(heat[0][1:], row[1:], strict=True):
            sector = next(s for s, n in names.items() if n == name)
            hit = summary.sectors[
                (summary.sectors["metric_code"] == code) & (summary.sectors["sector_code"] == sector)
            ]
            assert cell.endswith(fmt.percent(hit["attainment_pct"].iloc[0], 0)), (code, sector)

    # one table per sector: target, year to date and attainment of each metric
    for sector in sectors:
        rows = _table(outline, tables, f"sector:{sector}")[1:]
        part = cards[cards["sector_code"] == sector].set_index("metric_code")
        shown = {r[0]: r for r in rows}
        targeted = [c for c in part.index if part.at[c, "target"] == part.at[c, "target"]]
        assert targeted and all(registry.label(c, "ko") in shown for c in targeted)
        # the values in the table's one unit and precision (ui.report_html.metric_cells, fmt.column)
        listed = cards[
            (cards["sector_code"] == sector) & (cards["ytd_value"].notna() | cards["target"].notna())
        ]
        texts = dict(zip(listed["metric_code"], metric_cells(listed, SECTOR_VALUES, "ko"), strict=True))
        for code in targeted:
            row = shown[registry.label(code, "ko")]
            assert row[1] == texts[code][0]
            assert row[2] == texts[code][1]
            unit = registry.get(code).unit_ko
            if not fmt.is_money(unit):
                assert row[1] == fmt.column([part.at[code, "target"]], unit)[0]
            assert row[3] == fmt.percent(part.at[code, "attainment_pct"])

    # exceptions: every target at 주의 or 미흡, once, with its attainment
    exceptions = _table(outline, tables, "exceptions")[1:]
    late = att[att["status"].isin(["at_risk", "behind"])]
    assert len(exceptions) == len(late) > 0
    assert sum(r[0] == "■ 미흡" for r in exceptions) == int((late["status"] == "behind").sum())
    assert sorted(r[6] for r in exceptions) == sorted(fmt.percent(v) for v in late["attainment_pct"])
    # 사유·대책: cause and measures where the owning agency wrote them, else 미작성 and whose it is
    written = explained[explained["explained"]]
    assert sum(r[8].startswith("원인 ") for r in exceptions) == len(written) > 0
    assert sum(r[8].startswith("미작성 · 담당 ") for r in exceptions) == len(explained) - len(written)
    for cause in written["cause"]:
        assert any(" ".join(str(cause).split())[:60] in r[8] for r in exceptions)

    # follow-up actions the last council agreed: each one, its status and due date
    action_rows = _table(outline, tables, "actions")[1:]
    assert [int(r[0]) for r in action_rows] == [int(a) for a in review.actions["action_id"]]
    assert len(action_rows) > 0
    assert [r[4] for r in action_rows] == [paper_date(d) for d in review.actions["due_on"]]
    assert sum(r[6].startswith("■") for r in action_rows) == int(review.actions["overdue"].sum())

    # since the last council: the status matrix adds up to the targets judged both times
    matrix = _table(outline, tables, "transitions")
    assert sum(int(r[-1]) for r in matrix[1:]) == int(since.transition_counts["targets"].sum())
    movers = _table(outline, tables, "mission_movers")[1:]
    assert [r[0] for r in movers] == list(since.mission_movers.head(10)["name_ko"])

    # open incidents: each mission, with its affected firms
    open_rows = _table(outline, tables, "incidents")[1:]
    assert [r[0] for r in open_rows] == list(incidents["mission_ko"])
    assert [r[4] for r in open_rows] == [
        value_text("affected_firms", v, "ko") for v in incidents["affected_firms"]
    ]


# --- the text -------------------------------------------------------------------------------------


def _golden_text(read: dict) -> str:
    """The body's lines and each table's header and size: what a reader sees, numbers of tables aside
    (those are checked against the metrics above). Nothing in it depends on the clock: the meeting
    is 'planned' because TODAY is fixed, and the pack carries no generation time."""
    lines = list(read["body"])
    lines += [f"[표 {i}] {' | '.join(t[0])} ({len(t) - 1}행)" for i, t in enumerate(read["tables"], start=1)]
    text = "\n".join(lines)
    return re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?", "<시각>", text) + "\n"


@pytest.mark.browser
def test_golden_text(hwpx_ko, readback) -> None:
    data, _ = hwpx_ko
    text = _golden_text(readback(data))
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8"), "run with UPDATE_GOLDEN=1 and review the diff"


@pytest.mark.browser
def test_korean_government_report_style(hwpx_ko, readback) -> None:
    body = readback(hwpx_ko[0])["body"]
    assert body[:4] == [
        "회의 자료",
        "제3차 중기부-외교부 정책협의회",  # KS X 1001 has no en dash
        "2026. 12. 18.(금) (개최 예정)",
        "2026년 3분기 마감 기준",
    ]
    assert (
        body.index("Ⅰ. 성과 요약")
        < body.index("Ⅲ. 후속 조치 이행 점검")
        < body.index("Ⅵ. 진행 중인 긴급상황")
    )
    assert any(line.startswith("□ ") for line in body)
    assert any(line.startswith("○ ") for line in body)
    assert any(line.startswith("- ") for line in body)


@pytest.mark.browser
def test_english_on_the_switch(the_pack, readback) -> None:
    needs_chromium()
    from briefing.outline import draw_charts

    data = write_hwpx(draw_charts(build_outline(the_pack.briefing, "en", demo=the_pack.demo)))
    body = readback(data)["body"]
    assert "As of 2026 Q3 (closed)" in body
    assert "Ⅱ. Since the last council" in body
    assert not any(re.search(r"[가-힣]", line) for line in body if line.startswith(("□", "Ⅰ", "Ⅱ", "Ⅲ")))


# --- the command line -----------------------------------------------------------------------------


def _creator(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        meta = ET.fromstring(z.read("Contents/content.hpf"))
    return next(
        m.text for m in meta.iter("{http://www.idpf.org/2007/opf/}meta") if m.get("name") == "creator"
    )


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.mark.browser
def test_cli_writes_hwpx_and_pdf(capsys, demo_db, tmp_path) -> None:
    needs_chromium()
    from hwpx.tools.package_validator import validate_package
    from pypdf import PdfReader

    hwpx = tmp_path / "자료.hwpx"
    status, out, err = run(
        capsys, "--meeting", "3", "--format", "hwpx", "--out", str(hwpx), "--db", str(demo_db)
    )
    assert (status, err) == (0, "")
    assert "회의 자료 작성" in out and validate_package(hwpx.read_bytes()).ok
    from etl.cli.main import operator

    assert _creator(hwpx.read_bytes()) == operator()  # the account that ran the command made it
    pdf = tmp_path / "자료.pdf"
    status, out, err = run(
        capsys, "--meeting", "3", "--format", "pdf", "--out", str(pdf), "--db", str(demo_db)
    )
    assert (status, err) == (0, "")
    reader = PdfReader(pdf)
    page3 = re.sub(r"[\s\x00-\x1f]", "", reader.pages[2].extract_text())  # pypdf's NanumGothic space: U+0001
    assert len(reader.pages) >= 9 and page3.endswith(f"3/{len(reader.pages)}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["자료.hwpx", "자료.pdf"]  # no temporary left


@pytest.mark.process  # the pack is built in a child process (briefing/isolated.py)
def test_a_meeting_that_does_not_exist(capsys, demo_db, tmp_path) -> None:
    out_file = tmp_path / "x.hwpx"
    status, out, err = run(capsys, "--meeting", "9", "--out", str(out_file), "--db", str(demo_db))
    assert status == 1 and out == ""
    assert err.startswith(
        "제9차 회의가 등록되어 있지 않습니다. 등록된 회의: 제1차(2024-12-20), 제2차(2025-12-19), 제3차(2026-12-18)."
    )
    assert "No meeting number 9 is registered" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.process  # the pack is built in a child process (briefing/isolated.py)
def test_a_meeting_whose_quarter_is_not_closed(capsys, demo_db, tmp_path) -> None:
    db = tmp_path / "reopened.duckdb"
    shutil.copy(demo_db, db)
    with connection(db) as con:
        reopen_quarter(con, 2026, 3, by="test")
    out_file = tmp_path / "x.hwpx"
    old = tmp_path / "kept.hwpx"
    old.write_bytes(b"yesterday's pack")
    for target in (out_file, old):
        status, out, err = run(capsys, "--meeting", "3", "--out", str(target), "--db", str(db))
        assert status == 1 and out == ""
        assert err.startswith(
            "제3차 회의가 검토할 2026년 3분기가 아직 마감되지 않았습니다 (마감: 2026년 2분기까지)."
        )
        assert (
            "python -m etl close 2026 3" in err
            and "Meeting 3 reviews 2026 Q3, which is not closed yet" in err
        )
    assert not out_file.exists() and old.read_bytes() == b"yesterday's pack"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.hwpx", "reopened.duckdb"]


@pytest.mark.process  # the pack is built in a child process (briefing/isolated.py)
def test_bad_paths_and_arguments(capsys, demo_db, tmp_path) -> None:
    status, _, err = run(
        capsys, "--meeting", "3", "--out", str(tmp_path / "no" / "x.hwpx"), "--db", str(demo_db)
    )
    assert status == 1 and "폴더가 없습니다" in err
    status, _, err = run(
        capsys, "--meeting", "3", "--out", str(tmp_path / "x.hwpx"), "--db", str(tmp_path / "none.duckdb")
    )
    assert status == 1 and "웨어하우스 파일이 없습니다" in err and "Traceback" not in err
    with pytest.raises(SystemExit) as exit_:
        main(["--meeting", "3", "--format", "docx", "--out", str(tmp_path / "x.docx")])
    assert exit_.value.code == 2 and "명령 인자가 잘못되었습니다" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_nothing_behind(tmp_path) -> None:
    """The rename fails (the target is a folder with a file in it): no temporary file stays."""
    target = tmp_path / "pack.hwpx"
    target.mkdir()
    (target / "inside").write_bytes(b"x")
    with pytest.raises(OSError):
        pack.write_atomic(target, b"new pack")
    assert [p.name for p in tmp_path.iterdir()] == ["pack.hwpx"]
    assert [p.name for p in target.iterdir()] == ["inside"]


@pytest.mark.browser
def test_the_apps_download_is_the_same_pack(demo_db, monkeypatch, readback, hwpx_ko) -> None:
    """The HWPX button's file (views/briefing_pack.py, built on click) is the command's pack, table for table."""
    from views.briefing_pack import pack_file

    monkeypatch.setenv("DASHBOARD_DB", str(demo_db))
    data = pack_file("hwpx", "ko", TODAY, "analyst@example.org")
    assert readback(data)["tables"] == readback(hwpx_ko[0])["tables"]
    assert _creator(data) == "analyst@example.org"  # who clicked is the document's author


def test_the_buttons_say_why_there_is_no_pack(demo_db, tmp_path) -> None:
    """The next meeting's quarter reopened: the page shows the reason instead of two buttons that would fail."""
    from views.briefing_pack import _state

    db = tmp_path / "reopened.duckdb"
    shutil.copy(demo_db, db)
    with connection(db) as con:
        reopen_quarter(con, 2026, 3, by="test")
    with connection(db, read_only=True) as con:
        meeting, through, problem = _state(con, TODAY)
    assert (meeting.meeting_no, through) == (3, 20262)
    ko, en = problem
    assert ko.startswith("제3차 회의가 검토할 2026년 3분기가 아직 마감되지 않았습니다")
    assert en.startswith("Meeting 3 reviews 2026 Q3, which is not closed yet")
    with connection(demo_db, read_only=True) as con:
        assert _state(con, TODAY)[2] is None


def test_a_cell_of_several_lines_keeps_them(readback) -> None:
    """A cell with line breaks (a cause, its measures, the recovery quarter) is one paragraph per line."""
    from briefing.outline import Line, Outline, Section, Table, TitleBlock

    cell = "원인 바이어 일정 지연\n대책 4분기 상담회 추가\n회복 예상 2027년 1분기"
    table = Table("x", ["사유·대책", "달성률"], [[cell, "64.7%"]], [3, 1], [False, True])
    outline = Outline(
        "ko",
        TitleBlock("회의 자료", "제목", "2026-12-18", "기준", [], []),
        [Section("s", "Ⅰ. 절", [Line("점")])],
        "머리",
    )
    outline.sections[0].blocks.append(table)
    read = readback(write_hwpx(outline))
    assert read["tables"] == [[["사유·대책", "달성률"], [cell, "64.7%"]]]
    assert read["body"] == ["회의 자료", "제목", "2026-12-18", "기준", "목차", "Ⅰ. 절", "○ 점"]


# --- stored text with a right-to-left override (#26 item 1) ----------------------------------------

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"


def _one_pixel_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\0\0\0"))
        + chunk(b"IEND", b"")
    )


def test_an_override_in_a_stored_title_turns_nothing_around_in_the_pdf_or_the_hwpx(demo_db, tmp_path) -> None:
    """A warehouse that already holds a meeting title with U+202E (from before the intake refused it)."""
    from briefing.html_writer import briefing_html
    from briefing.outline import Chart

    db = tmp_path / "wh.duckdb"
    shutil.copy(demo_db, db)
    with connection(db) as con:
        con.execute(
            "UPDATE meeting SET title_ko = ? WHERE meeting_no = 3", ["\u202e제3차 정책협의회 **굵게**"]
        )
    the_pack = pack.load(db, 3, TODAY)
    html = briefing_html(the_pack.briefing, "ko", demo=the_pack.demo)
    assert not any(ch in html for ch in BIDI)
    assert "제3차 정책협의회 **굵게**" in html and "2026. 12. 18.(금)" in html
    outline = build_outline(the_pack.briefing, "ko", demo=the_pack.demo)
    charts = [b for s in outline.sections for b in s.blocks if isinstance(b, Chart)]
    data = write_hwpx(outline, drawn=lambda: [_one_pixel_png()] * len(charts))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml")}
    leaked = [n for n, xml in parts.items() if any(ch in xml for ch in BIDI)]
    assert leaked == []
    assert any("제3차 정책협의회 **굵게**" in xml for xml in parts.values())


# --- one outline, two formats: the same facts in both (#24, #27 item 1) ----------------------------


def _squash(text: str) -> str:
    # pypdf maps NanumGothic's space to U+0001 and hyphens and dashes to soft hyphens: compare without them
    return re.sub(r"[\s\x00-\x1f\xad\u2010-\u2015\u2212-]", "", text)


def _hwpx_text(read: dict) -> str:
    return "\n".join(read["body"] + [cell for table in read["tables"] for row in table for cell in row])


@pytest.mark.browser
def test_the_pdf_and_the_hwpx_carry_every_text_of_the_one_outline(hwpx_ko, readback) -> None:
    """Every line, note, heading and table cell of the outline is in the HWPX and in the PDF's text:
    a note one format has and the other drops cannot happen again."""
    from pypdf import PdfReader

    from briefing.html_writer import outline_html
    from ui.export import html_to_pdf

    data, outline = hwpx_ko
    hwpx = _squash(_hwpx_text(readback(data)))
    pdf = _squash(
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(html_to_pdf(outline_html(outline)))).pages)
    )
    texts = outline.texts()
    assert len(texts) > 1000
    assert [x for x in texts if _squash(x.translate(KS_X_1001)) not in hwpx] == []
    assert [x for x in texts if _squash(x) not in pdf] == []
    # the notes that used to be the PDF's alone
    for note in ("피해기업·지원: 사건 시작 이후 보고된 합계", "연간 누계 실적, 괄호는 전년 동기 대비"):
        assert _squash(note) in hwpx and _squash(note) in pdf


def test_english_is_english_and_demo_marks_are_never_mixed(the_pack) -> None:
    """#27 item 5: in the English pack every text holding Korean says it is shown as written, and no
    row carries both [Demo] and [데모]."""
    outline = build_outline(the_pack.briefing, "en", demo=the_pack.demo)
    korean = [x for x in outline.texts() if re.search(r"[가-힣]", x)]
    assert korean and all("(in Korean)" in x for x in korean), [x for x in korean if "(in Korean)" not in x][
        :5
    ]
    rows = [" ".join(r) for t in outline.tables() for r in t.rows] + outline.texts()
    assert not [r for r in rows if "[Demo]" in r and "[데모]" in r]


def test_a_meeting_paper_names_agencies_and_days_not_accounts_files_or_times(the_pack) -> None:
    """#27 item 3: no account ids, file names or 00:00 times; dates as 2026. 12. 18.(금); one data note;
    a 회의 개요 and a closing 향후 계획; D-n and overdue counted to the meeting day."""
    outline = build_outline(the_pack.briefing, "ko", demo=the_pack.demo)
    texts = outline.texts()
    everything = "\n".join(texts)
    assert not re.search(
        r"demo-[a-z]+|\.xlsx|\d{2}:\d{2}|\d{4}-\d{2}-\d{2}\s",
        "\n".join(" ".join(r) for t in outline.tables() for r in t.rows),
    )
    assert "대시보드에서 작성합니다" not in everything and "표시는 시연용" not in everything
    assert sum("[데모]는 시연용" in x for x in texts) == 1
    assert "일시: 2026. 12. 18.(금)" in outline.title.lines
    assert any(x.startswith("비교 기준: 제2차 회의(2025. 12. 19.(금))") for x in outline.title.lines)
    assert "지난 회의 제2차 회의" not in everything
    assert outline.sections[-2].title == "Ⅶ. 향후 계획 및 논의 사항"
    assert outline.sections[-1].title.startswith("붙임 1.")
    actions = next(t for t in outline.tables() if t.key == "actions")
    four = next(r for r in actions.rows if r[0] == "4")  # due 2026-12-15, the council sits 12-18
    assert four[4] == "2026. 12. 15.(화)" and four[6] == "■ 기한 경과 · 3일"


def test_section_five_is_a_summary_and_the_full_list_is_the_annex(the_pack) -> None:
    """#27 item 4: Ⅴ counts by agency and status with the 사유·대책 written; 붙임 1 lists every target."""
    b = the_pack.briefing
    outline = build_outline(b, "ko", demo=the_pack.demo)
    five = next(s for s in outline.sections if s.key == "exceptions")
    by_agency = next(x for x in five.blocks if isinstance(x, type(outline.tables()[0])))
    assert by_agency.key == "exceptions_by_agency"
    assert sum(int(r[3]) for r in by_agency.rows) == len(b.exceptions) > 100
    assert sum(int(r[4]) for r in by_agency.rows) == int(b.exceptions["explained"].sum())
    assert len(five.blocks) < 80  # readable in minutes: no 106-row table
    annex = outline.sections[-1]
    [full] = [x for x in annex.blocks if hasattr(x, "rows")]
    assert full.key == "exceptions" and len(full.rows) == len(b.exceptions)
