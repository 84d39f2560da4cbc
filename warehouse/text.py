"""The one text policy: what a stored text may hold, at intake and again on output.

Control characters (C0 other than a line break, DEL, C1) and Unicode format characters (category Cf:
the bidirectional embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069, the marks
U+200E/U+200F, zero-width spaces and joiners, the BOM …) are invisible: a right-to-left override in
a meeting title reverses everything after it on the page ("2026-12-18" reads "81-21-6202"), on the
PDF cover and in the HWPX running head. Every register, return and app form strips them before a
text is stored (etl.registers.cells, etl.registers.followup, submissions' file names), and every page, PDF and
HWPX strips them again before showing a text (ui.text, briefing.html_writer, briefing.hwpx_writer), for
warehouses that already hold them. Format characters are dropped; a control character (a tab, an
escape) reads as a space; CR LF, CR and the Unicode line and paragraph separators as a line break.

It also holds the Korean particle (조사) that fits a word (`josa`), for text built from names;
warehouse is the bottom layer, so etl, metrics, ui and briefing may all import it.
"""

from __future__ import annotations

import re
import unicodedata

_DROPPED = frozenset(("Cf", "Cs"))  # invisible: gone; a control character reads as a space
_BREAKS = str.maketrans({"\r": "\n", "\u2028": "\n", "\u2029": "\n", "\t": " "})


def clean_text(value: object) -> str:
    """`value` as text without control or format characters (line breaks kept, a tab as a space)."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    text = text.replace("\r\n", "\n").translate(_BREAKS)
    return "".join(
        ch
        if ch == "\n"
        else " "
        if (kind := unicodedata.category(ch)) == "Cc"
        else ""
        if kind in _DROPPED
        else ch
        for ch in text
    )


def clean_line(value: object) -> str:
    """clean_text on one line (a title, a running head, a widget option): line breaks become spaces."""
    return clean_text(value).replace("\n", " ")


# Digits read aloud in Korean end with a final consonant (받침) or not: 영 일 이 삼 사 오 육 칠 팔 구.
_DIGIT_BATCHIM = {
    "0": True,
    "1": True,
    "2": False,
    "3": True,
    "4": False,
    "5": False,
    "6": True,
    "7": True,
    "8": True,
    "9": False,
}
_DIGIT_RIEUL = {"1", "7", "8"}


# A trailing bracket (a unit, a code) is not read before the particle: "수출계약액(백만달러)" → 수출계약액을.
_TRAILING_BRACKET = re.compile(r"\s*(\([^()]*\)|\[[^\[\]]*\])\s*$")


def _spoken(word: str) -> str:
    """The part of `word` the particle follows: without quotes and trailing brackets."""
    text = word.strip().rstrip("'\"’”").strip()
    while True:
        bare = _TRAILING_BRACKET.sub("", text)
        if bare == text or not bare:
            return text
        text = bare.rstrip("'\"’”").strip()


def josa(word: str, pair: str) -> str:
    """`word` with the particle that fits it: josa('공관', '이/가') → '공관이', josa('분야', '을/를') → '분야를'.

    Messages name cells, metrics and numbers, so the particle depends on how the word ends; when
    that cannot be told (a Latin letter), both are written, as Korean forms do: 'ICT이(가)'.
    """
    with_final, without = pair.split("/")
    last = _spoken(word)[-1:]
    if "가" <= last <= "힣":
        final = (ord(last) - 0xAC00) % 28
        batchim, rieul = final != 0, final == 8
    elif last in _DIGIT_BATCHIM:
        batchim, rieul = _DIGIT_BATCHIM[last], last in _DIGIT_RIEUL
    else:
        return f"{word}{with_final}({without})"
    if with_final == "으로":
        return word + ("로" if not batchim or rieul else "으로")
    return word + (with_final if batchim else without)
