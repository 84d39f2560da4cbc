"""HWPX pages drawn by an open-source renderer (rhwp, from PyPI's rhwp-python) and read back as SVG.

rhwp's extension module needs FreeType's symbols loaded globally before it is imported (its wheel
links them from the system's libfreetype, see SHARP-EDGES.md), which ctypes does here instead of
LD_PRELOAD. Each page comes back as the SVG rhwp draws: the page body is the clip path
`body-clip-*`, a table cell's content a group clipped to `cell-clip-*`, a picture an `<image>`.
"""

from __future__ import annotations

import base64
import ctypes
import ctypes.util
import re
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

import pytest

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


def rhwp():
    """The rhwp module, or the test skipped where the renderer cannot load."""
    path = ctypes.util.find_library("freetype")
    if path is None:
        pytest.skip("libfreetype is not installed (apt-get install libfreetype6)")
    ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
    return pytest.importorskip("rhwp")


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass
class Page:
    """What one rendered page draws: its body, its cells, texts (with the cell they sit in) and pictures."""

    number: int
    width: float
    height: float
    body: Box
    cells: dict[str, Box] = field(default_factory=dict)
    # each text: x, y (baseline), font size, text, the cell it is clipped to (or None)
    texts: list[tuple[float, float, float, str, str | None]] = field(default_factory=list)
    # each picture: the box it is drawn in, its PNG's pixels, whether a viewport crops it
    images: list[tuple[Box, tuple[int, int], bool]] = field(default_factory=list)


def _box(rect: ET.Element) -> Box:
    return Box(*(float(rect.get(k, 0)) for k in ("x", "y", "width", "height")))


def _png_size(href: str) -> tuple[int, int]:
    head = base64.b64decode(href.split(",", 1)[1][:64])
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def _walk(page: Page, element: ET.Element, cell: str | None, cropped: bool) -> None:
    for child in element:
        tag = child.tag.removeprefix(SVG)
        clip = re.search(r"url\(#(cell-clip-\d+)\)", child.get("clip-path", ""))
        if tag == "text":
            size = float(child.get("font-size", 0))
            page.texts.append(
                (float(child.get("x", 0)), float(child.get("y", 0)), size, child.text or "", cell)
            )
        elif tag == "image":
            href = child.get("href") or child.get(f"{XLINK}href") or ""
            page.images.append((_box(child), _png_size(href), cropped))
        elif tag == "svg":  # a nested viewport draws its content through a window: a crop
            _walk(page, child, cell, True)
        else:
            _walk(page, child, clip.group(1) if clip else cell, cropped)


def pages(data: bytes) -> list[Page]:
    """Every page of the HWPX `data` as rhwp draws it."""
    doc = rhwp().Document.from_bytes(data)
    out = []
    for number in range(doc.page_count):
        root = ET.fromstring(doc.render_svg(page=number))
        clips = {c.get("id"): _box(c.find(f"{SVG}rect")) for c in root.iter(f"{SVG}clipPath")}
        body = next(b for k, b in clips.items() if k.startswith("body-clip"))
        page = Page(number + 1, float(root.get("width")), float(root.get("height")), body)
        page.cells = {k: b for k, b in clips.items() if k.startswith("cell-clip")}
        _walk(page, root, None, False)
        out.append(page)
    return out
