"""Normalising names so that the spellings returns use meet the reference aliases."""

import re
import unicodedata

# Spaces, punctuation and bracket characters that spellings differ by (주 베트남 대사관, K-Beauty, K·뷰티).
_NOISE = re.compile(r"[\s\-_.·・,()\[\]/'\"‘’“”:;&]+")


def without_format_characters(text: str) -> str:
    """`text` without Unicode format characters (Cf: zero-width space and joiner, BOM, soft hyphen …).

    They are invisible, so '주베트남\u200b 대사관' looks exactly like a valid name; visible
    look-alikes (Cyrillic letters, other scripts) are letters, and stay what they are.
    """
    if text.isascii():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def name_key(text: object) -> str:
    """The key a name is matched by: no format characters, NFKC (full-width → ASCII), lower case, no spaces or punctuation."""
    if text is None:
        return ""
    return _NOISE.sub("", unicodedata.normalize("NFKC", without_format_characters(str(text))).lower())
