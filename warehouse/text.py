"""Korean text built from names, for every layer (warehouse is the bottom one: etl, metrics, ui and
briefing may all import it): the particle (조사) that fits a word.
"""

from __future__ import annotations

import re

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
