"""The one language helper, without Streamlit: the pages (`ui.i18n.tr`) and the briefing pack build on it."""

from __future__ import annotations

LANGS = ("ko", "en")


def t(lang: str, ko: str, en: str) -> str:
    """The label in `lang`: English for "en", Korean otherwise; every label is written in both at its call site."""
    return en if lang == "en" else ko
