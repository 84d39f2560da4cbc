"""The saved HWPX package made the way 한글 saves its own files, where python-hwpx's differs.

python-hwpx's validator passes these because it suppresses them as known deviations; 한글's reader
and other HWPX readers are stricter (compared with files 한글 saved, public samples):

- the running head and the page number are `hp:header`/`hp:footer` controls in the first
  paragraph's run; python-hwpx also copies both inside `hp:secPr`, so each of their paragraph ids
  occurs twice. The copies (and python-hwpx's own `headerApply`/`footerApply`) go.
- the page number is the footer's `autoNum` fields ("n/N"); a `pageNum` control beside them would
  draw a second one. The cover shows neither head nor number (`hideFirst…`).
- pictures: `imgDim` and `imgClip` are the picture's own size (pixels × 75, as 한글 writes them);
  python-hwpx writes the displayed size, so a reader that crops to `imgDim` draws a corner enlarged.
- binary items are listed in content.hpf's manifest only: 한글 writes no `hh:binDataList`
  (python-hwpx adds one inside `hh:refList`).
- `hp10` is bound to the 2016 paragraph namespace in every part (python-hwpx's content.hpf says 2011).
- a font without a `typeInfo` gets one, so a reader without it picks a like family (명조, 고딕).
- document properties: the title, who made it and when (not the library template's author and
  2025 date), and a preview (`Preview/PrvText.txt`, `Preview/PrvImage.png`) of the first page.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from datetime import datetime
from pathlib import Path

from lxml import etree

HP = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"
HH = "{http://www.hancom.co.kr/hwpml/2011/head}"
HC = "{http://www.hancom.co.kr/hwpml/2011/core}"
OPF = "{http://www.idpf.org/2007/opf/}"
HP10_2016 = "http://www.hancom.co.kr/hwpml/2016/paragraph"
PX_TO_HWPUNIT = 75  # 7200 HWPUNIT per inch at 96 px per inch
FONT_DIR = Path("/usr/share/fonts/truetype/nanum")
WEEKDAYS_KO = "월화수목금토일"


def png_size(data: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its IHDR chunk."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return struct.unpack(">II", data[16:24])


def _xml(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _section(data: bytes, pictures: dict[str, bytes]) -> bytes:
    root = etree.fromstring(data)
    for sec_pr in root.iter(f"{HP}secPr"):
        for child in list(sec_pr):
            if child.tag in (f"{HP}header", f"{HP}footer", f"{HP}headerApply", f"{HP}footerApply"):
                sec_pr.remove(child)
        visibility = sec_pr.find(f"{HP}visibility")
        if visibility is not None:
            for name in ("hideFirstHeader", "hideFirstFooter", "hideFirstPageNum"):
                visibility.set(name, "1")
    for number in list(root.iter(f"{HP}pageNum")):
        ctrl = number.getparent()
        run = ctrl.getparent()
        run.remove(ctrl)
        if len(run) == 0 and run.getparent() is not None:
            run.getparent().remove(run)
    for pic in root.iter(f"{HP}pic"):
        img = pic.find(f"{HC}img")
        png = pictures.get(img.get("binaryItemIDRef")) if img is not None else None
        if png is None:
            continue
        w, h = (v * PX_TO_HWPUNIT for v in png_size(png))
        dim = pic.find(f"{HP}imgDim")
        if dim is not None:
            dim.set("dimwidth", str(w))
            dim.set("dimheight", str(h))
        clip = pic.find(f"{HP}imgClip")
        if clip is not None:
            clip.attrib.update({"left": "0", "top": "0", "right": str(w), "bottom": str(h)})
    return _xml(root)


FAMILY = (("명조", "FCAT_MYUNGJO"), ("바탕", "FCAT_MYUNGJO"), ("Batang", "FCAT_MYUNGJO"))


def _header(data: bytes) -> bytes:
    root = etree.fromstring(data)
    for bin_list in list(root.iter(f"{HH}binDataList")):
        bin_list.getparent().remove(bin_list)
    for font in root.iter(f"{HH}font"):
        face = font.get("face", "")
        family = next((f for key, f in FAMILY if key in face), "FCAT_GOTHIC")
        info = font.find(f"{HH}typeInfo")
        if info is None:
            info = etree.SubElement(font, f"{HH}typeInfo")
            info.attrib.update(
                {
                    "familyType": family,
                    "weight": "6",
                    "proportion": "4",
                    "contrast": "0",
                    "strokeVariation": "1",
                    "armStyle": "1",
                    "letterform": "1",
                    "midline": "1",
                    "xHeight": "1",
                }
            )
        else:  # the template calls 함초롬바탕 a 고딕
            info.set("familyType", family)
    return _xml(root)


def _content(data: bytes, author: str, when: datetime) -> bytes:
    text = data.decode("utf-8")
    text = re.sub(r'xmlns:hp10="[^"]*"', f'xmlns:hp10="{HP10_2016}"', text)
    root = etree.fromstring(text.encode("utf-8"))
    when = when.astimezone()  # the spoken date is local time, as 한글 writes it
    hour = when.hour % 12 or 12
    spoken = (
        f"{when.year}년 {when.month}월 {when.day}일 {WEEKDAYS_KO[when.weekday()]}요일 "
        f"{'오전' if when.hour < 12 else '오후'} {hour}:{when.minute:02d}:{when.second:02d}"
    )
    for meta in root.iter(f"{OPF}meta"):
        if meta.get("name") == "lastsaveby":
            meta.text = author
        elif meta.get("name") == "date":
            meta.text = spoken
    return _xml(root)


def preview_image(lines: list[tuple[str, int, bool]]) -> bytes:
    """The first page as 한글 shows it before a file is opened: an A4 page with the cover's lines
    (text, size in points, bold), centred, in a Korean font (fonts-nanum) where one is installed."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = 240, 340  # about 한글's own preview
    scale = width / 595  # points across A4
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width - 1, height - 1], outline="#B0B8C4")
    y = 60
    for text, size, bold in lines:
        path = FONT_DIR / ("NanumGothicBold.ttf" if bold else "NanumGothic.ttf")
        px = max(6, round(size * scale * 1.2))
        font = ImageFont.truetype(str(path), px) if path.exists() else ImageFont.load_default(px)
        while draw.textlength(text, font=font) > width - 24 and len(text) > 4:
            text = text[:-2] + "…"
        x = (width - draw.textlength(text, font=font)) / 2
        draw.text((x, y), text, fill="#1F2933", font=font)
        y += round(px * 1.7)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def finish(
    data: bytes, *, author: str, when: datetime, preview_text: str, cover: list[tuple[str, int, bool]]
) -> bytes:
    """The package `data` (python-hwpx's save) with the parts above made as 한글 makes them."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
        parts = {i.filename: z.read(i.filename) for i in infos}
    manifest = etree.fromstring(parts["Contents/content.hpf"])
    pictures = {
        item.get("id"): parts[item.get("href")]
        for item in manifest.iter(f"{OPF}item")
        if item.get("media-type") == "image/png" and item.get("href") in parts
    }
    for name in parts:
        if re.fullmatch(r"Contents/section\d+\.xml", name):
            parts[name] = _section(parts[name], pictures)
    parts["Contents/header.xml"] = _header(parts["Contents/header.xml"])
    parts["Contents/content.hpf"] = _content(parts["Contents/content.hpf"], author, when)
    parts["Preview/PrvText.txt"] = preview_text.encode("utf-8")
    parts["Preview/PrvImage.png"] = preview_image(cover)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in infos:  # same order and compression: mimetype first and stored
            z.writestr(info, parts[info.filename], compress_type=info.compress_type)
    return out.getvalue()
