"""Normalising names so that the spellings returns use meet the reference aliases."""

import re
import unicodedata

# Spaces, punctuation and bracket characters that spellings differ by (주 베트남 대사관, K-Beauty, K·뷰티).
_NOISE = re.compile(r"[\s\-_.·・,()\[\]/'\"‘’“”:;&]+")


def name_key(text: object) -> str:
    """The key a name is matched by: NFKC (full-width → ASCII), lower case, no spaces or punctuation."""
    if text is None:
        return ""
    return _NOISE.sub("", unicodedata.normalize("NFKC", str(text)).lower())
